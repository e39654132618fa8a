package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/xuri/excelize/v2"

	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/report"
)

var update = flag.Bool("update", false, "rewrite the cmp golden files in testdata/script")

func TestMain(m *testing.M) {
	os.Exit(testscript.RunMain(m, map[string]func() int{
		"datahygiene": func() int { return run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr) },
	}))
}

// TestScripts runs the end-to-end scripts in testdata/script: each runs the
// real binary on real folders and checks exit codes, reports and files.
func TestScripts(t *testing.T) {
	sample, err := filepath.Abs(filepath.Join("..", "..", "testdata", "sample"))
	if err != nil {
		t.Fatal(err)
	}
	testdata, _ := filepath.Abs(filepath.Join("..", "..", "testdata"))
	testscript.Run(t, testscript.Params{
		Dir:           filepath.Join("..", "..", "testdata", "script"),
		UpdateScripts: *update,
		Setup: func(env *testscript.Env) error {
			env.Setenv("SAMPLE", sample)
			env.Setenv("TESTDATA", testdata)
			env.Setenv("NO_COLOR", "1")
			// Keep the user's own config out of the tests.
			env.Setenv("XDG_CONFIG_HOME", filepath.Join(env.WorkDir, ".config"))
			env.Setenv("HOME", env.WorkDir)
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"dh":        cmdDH,
			"applymeta": cmdApplyMeta,
			"mkfifo":    cmdMkfifo,
			"summarize": cmdSummarize,
			"perm":      cmdPerm,
			"zip":       cmdZip,
			"xlsx":      cmdXLSX,
			"gzipbomb":  cmdGzipBomb,
			"chtimes":   cmdChtimes,
		},
	})
}

// dh WANT ARGS... runs datahygiene and checks its exact exit code
// (testscript's `! exec` only checks "non-zero").
func cmdDH(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 {
		ts.Fatalf("usage: dh EXITCODE args...")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("dh: bad exit code %q", args[0])
	}
	err = ts.Exec("datahygiene", args[1:]...)
	got := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		got = ee.ExitCode()
	} else if err != nil {
		ts.Fatalf("dh: %v", err)
	}
	if got != want {
		ts.Fatalf("datahygiene exited %d, want %d", got, want)
	}
}

// applymeta META DIR sets modes and mtimes from a meta file (PATH MODE
// AGE_DAYS per line), as scripts/apply-meta.sh does.
func cmdApplyMeta(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: applymeta META DIR")
	}
	f, err := os.Open(ts.MkAbs(args[0]))
	ts.Check(err)
	defer f.Close()
	dir := ts.MkAbs(args[1])
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		if len(fields) != 3 {
			ts.Fatalf("applymeta: bad line %q", sc.Text())
		}
		p := filepath.Join(dir, filepath.FromSlash(strings.ReplaceAll(fields[0], `\040`, " ")))
		mode, err := strconv.ParseUint(fields[1], 8, 32)
		ts.Check(err)
		ts.Check(os.Chmod(p, os.FileMode(mode)))
		if fields[2] != "-" {
			days, err := strconv.Atoi(fields[2])
			ts.Check(err)
			t := time.Now().Add(-time.Duration(days) * 24 * time.Hour)
			ts.Check(os.Chtimes(p, t, t))
		}
	}
	ts.Check(sc.Err())
}

// chtimes FILE ATIME_DAYS MTIME_DAYS sets a file's access and modification
// times that many days back, for staleness by access time.
func cmdChtimes(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 3 {
		ts.Fatalf("usage: chtimes FILE ATIME_DAYS MTIME_DAYS")
	}
	var t [2]time.Time
	for i, a := range args[1:] {
		days, err := strconv.Atoi(a)
		ts.Check(err)
		t[i] = time.Now().Add(-time.Duration(days) * 24 * time.Hour)
	}
	ts.Check(os.Chtimes(ts.MkAbs(args[0]), t[0], t[1]))
}

func cmdMkfifo(ts *testscript.TestScript, neg bool, args []string) {
	for _, a := range args {
		ts.Check(syscall.Mkfifo(ts.MkAbs(a), 0o644))
	}
}

// perm FILE MODE checks a file's permission bits.
func cmdPerm(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: perm FILE MODE")
	}
	fi, err := os.Stat(ts.MkAbs(args[0]))
	ts.Check(err)
	if got := fmt.Sprintf("%04o", fi.Mode().Perm()); got != args[1] {
		ts.Fatalf("%s has mode %s, want %s", args[0], got, args[1])
	}
}

// summarize REPORT.json prints the report in a stable, readable form for
// cmp: summary counts, then each listed file with status, risk, issues and
// per-detector counts, locations and samples. Times and the root path,
// which change from run to run, are left out.
func cmdSummarize(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: summarize REPORT.json")
	}
	var rep report.Report
	ts.Check(json.Unmarshal([]byte(ts.ReadFile(args[0])), &rep))
	w := ts.Stdout()
	s := rep.Summary
	fmt.Fprintf(w, "schema=%s seen=%d scanned=%d with_findings=%d findings=%d errors=%d skipped=%d\n",
		rep.Schema, s.FilesSeen, s.FilesScanned, s.FilesWithFindings, s.Findings, s.Errors, s.Skipped)
	for _, f := range rep.Files {
		var kinds []string
		for _, is := range f.Issues {
			kinds = append(kinds, string(is.Kind))
		}
		fmt.Fprintf(w, "%s type=%s status=%s", f.Path, f.Type, f.Status)
		if f.Reason != "" {
			fmt.Fprintf(w, " reason=%q", f.Reason)
		}
		if f.Risk != finding.SeverityNone {
			fmt.Fprintf(w, " risk=%s", f.Risk)
		}
		if len(kinds) > 0 {
			fmt.Fprintf(w, " issues=%s", strings.Join(kinds, ","))
		}
		fmt.Fprintln(w)
		for _, fd := range f.Findings {
			var locs []string
			for _, l := range fd.Locations {
				locs = append(locs, l.String())
			}
			samples := append([]string(nil), fd.Samples...)
			sort.Strings(samples)
			fmt.Fprintf(w, "  %s %s/%s x%d [%s] %s\n", fd.Detector, fd.Severity, fd.Confidence, fd.Count, strings.Join(locs, "; "), strings.Join(samples, " | "))
		}
	}
}

// zip OUT.zip FILE... writes a zip of the files, named as given (zip a zip
// to nest them).
func cmdZip(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 2 {
		ts.Fatalf("usage: zip OUT.zip FILE...")
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range args[1:] {
		w, err := zw.Create(name)
		ts.Check(err)
		_, err = w.Write([]byte(ts.ReadFile(name)))
		ts.Check(err)
	}
	ts.Check(zw.Close())
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), buf.Bytes(), 0o644))
}

// xlsx OUT.xlsx IN.csv writes the rows of a CSV file (no quoting) as the
// first sheet of a workbook, every cell a string.
func cmdXLSX(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: xlsx OUT.xlsx IN.csv")
	}
	wb := excelize.NewFile()
	for i, line := range strings.Split(strings.TrimSpace(ts.ReadFile(args[1])), "\n") {
		for j, v := range strings.Split(line, ",") {
			cell, err := excelize.CoordinatesToCellName(j+1, i+1)
			ts.Check(err)
			ts.Check(wb.SetCellStr("Sheet1", cell, v))
		}
	}
	ts.Check(wb.SaveAs(ts.MkAbs(args[0])))
}

// gzipbomb OUT.gz MB writes MB megabytes of text lines, gzipped: a small
// decompression bomb that sniffs as text, so it is read, not skipped.
func cmdGzipBomb(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: gzipbomb OUT.gz MB")
	}
	mb, err := strconv.Atoi(args[1])
	ts.Check(err)
	var buf bytes.Buffer
	gw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zeros := bytes.Repeat([]byte(strings.Repeat("a", 79)+"\n"), 1<<20/80)
	for i := 0; i < mb; i++ {
		_, err := gw.Write(zeros)
		ts.Check(err)
	}
	ts.Check(gw.Close())
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), buf.Bytes(), 0o644))
}
