package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

func TestScanFlags(t *testing.T) {
	// Flag parsing reads the user's config file: keep the machine's out.
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	var got *scanOptions
	var gotRoot string
	cmd := newScanCmd(streams{out: &bytes.Buffer{}, errOut: &bytes.Buffer{}}, func(_ context.Context, o *scanOptions, root string) error {
		got, gotRoot = o, root
		return nil
	})
	cmd.SetArgs([]string{"--fail-on", "high", "--stale-after", "90d", "--max-file-size", "10MiB",
		"--exclude", "*.bak", "--exclude", "tmp/", "-j", "3", "--rules", "a.yaml", "-f", "json", "/srv/share"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if gotRoot != "/srv/share" || got.failSeverity != finding.High || got.stale != 90*24*time.Hour ||
		got.maxSize != 10<<20 || strings.Join(got.excludes, ",") != "*.bak,tmp/" || got.workers != 3 ||
		got.format != "json" || strings.Join(got.ruleFiles, ",") != "a.yaml" {
		t.Errorf("parsed options = %+v", got)
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"0": 0, "512": 512, "10KB": 10_000, "10KiB": 10 << 10, "1.5GB": 1_500_000_000,
		"2g": 2 << 30, "256MiB": 256 << 20, " 3 mb ": 3_000_000} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "lots", "-1MB", "MB"} {
		if _, err := parseSize(bad); err == nil {
			t.Errorf("parseSize(%q) should fail", bad)
		}
	}
}

func TestParseAge(t *testing.T) {
	day := 24 * time.Hour
	for in, want := range map[string]time.Duration{"90d": 90 * day, "12w": 84 * day, "2y": 730 * day, "36h": 36 * time.Hour, "1.5d": 36 * time.Hour} {
		if got, err := parseAge(in); err != nil || got != want {
			t.Errorf("parseAge(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "soon", "0d", "-3d", "d"} {
		if _, err := parseAge(bad); err == nil {
			t.Errorf("parseAge(%q) should fail", bad)
		}
	}
}
