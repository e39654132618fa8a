package report

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/datahygiene/datahygiene/pkg/inventory"
)

// browserTimeout bounds the headless run, which took 6 s on a shared
// 2-core machine at load 12 and 17 s at load 18.
const browserTimeout = 60 * time.Second

// offlineFlags run a throwaway headless Chromium that cannot reach the
// network: every host name resolves to nothing and every request would go
// through a proxy that does not exist. It also skips the background
// requests a first run makes (updates, sync, field trials).
func offlineFlags(profile string) []string {
	return []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
		"--user-data-dir=" + profile, "--no-first-run", "--no-default-browser-check",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-extensions", "--disable-default-apps", "--metrics-recording-only",
		"--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
	}
}

// findChromium returns the browser, or skips the test (fails it when
// DATAHYGIENE_REQUIRE_CHROMIUM=1, as CI sets).
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	const msg = "chromium not found on PATH (apt-get install -y chromium); set DATAHYGIENE_REQUIRE_CHROMIUM=1 to fail instead of skipping"
	if os.Getenv("DATAHYGIENE_REQUIRE_CHROMIUM") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

func runChromium(t *testing.T, browser string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), browserTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// Chromium writes to $HOME even with a profile directory.
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %s: %v (after %v)\n%s", args[len(args)-1], err, time.Since(start).Round(time.Millisecond), stderr.Bytes())
	}
	t.Logf("chromium took %v", time.Since(start).Round(time.Millisecond))
	return stdout.Bytes()
}

// TestHTMLInBrowser renders a report with hostile file names to HTML,
// opens it in headless Chromium with the network off, and checks what a
// reader sees: the key numbers equal the JSON report's, the inline style
// and script ran (so the Content-Security-Policy's hashes are right), the
// hostile names stayed text, and the canary host they name was never
// requested. The same run takes a screenshot, checked to be a real,
// styled picture.
func TestHTMLInBrowser(t *testing.T) {
	browser := findChromium(t)
	dir := t.TempDir()
	r := hostileReport()
	page := filepath.Join(dir, "report.html")
	var b bytes.Buffer
	inv := inventory.Build(r.Files, inventory.Options{Root: r.Root, Depth: 1})
	if err := (HTMLWriter{Inventory: inv, Trend: sampleTrend(), Verbose: true}).Write(&b, r); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	url := "file://" + page

	// One run does all three (a browser start is most of the time).
	netlog, shot := filepath.Join(dir, "netlog.json"), filepath.Join(dir, "report.png")
	dom := string(runChromium(t, browser, append(offlineFlags(filepath.Join(dir, "profile")),
		"--log-net-log="+netlog, "--window-size=1024,1400", "--screenshot="+shot, "--dump-dom", url)...))

	// The numbers, against the JSON report read back as a script would.
	var doc struct {
		Summary struct {
			FilesSeen         int            `json:"files_seen"`
			FilesScanned      int            `json:"files_scanned"`
			FilesWithFindings int            `json:"files_with_findings"`
			Findings          int            `json:"findings"`
			Encrypted         int            `json:"encrypted"`
			ByIssue           map[string]int `json:"by_issue"`
		} `json:"summary"`
	}
	if err := json.Unmarshal(render(t, "json", Options{}, r), &doc); err != nil {
		t.Fatal(err)
	}
	s := doc.Summary
	want := map[string]int{
		"total-files": s.FilesSeen, "files-scanned": s.FilesScanned, "files-with-findings": s.FilesWithFindings,
		"findings": s.Findings, "encrypted": s.Encrypted, "unencrypted": s.ByIssue["unencrypted"],
		"unprotected": s.ByIssue["unprotected"], "stale": s.ByIssue["stale"], "prohibited": s.ByIssue["prohibited"],
	}
	got := testIDs(t, dom)
	for id, n := range want {
		if v, ok := got[id]; !ok || v != n {
			t.Errorf("data-testid %s = %d (found %v), want %d as in the JSON report", id, v, ok, n)
		}
	}
	if len(got) != len(want) {
		t.Errorf("data-testids %v, want exactly %v", got, want)
	}

	// The script ran and saw the stylesheet: both passed the policy.
	html := regexp.MustCompile(`<html[^>]*>`).FindString(dom)
	if !strings.Contains(html, `data-js="ready"`) || !strings.Contains(html, `data-css="ready"`) {
		t.Errorf("inline script or style blocked: %s", html)
	}

	// Hostile names are text in the live DOM, not elements.
	for _, bad := range []string{"<img", "<iframe", "<a ", `alert("x")</script>`} {
		if strings.Contains(dom, bad) {
			t.Errorf("the DOM holds %q: a file name became markup", bad)
		}
	}
	if !strings.Contains(dom, `uploads/&lt;script&gt;alert("x")&lt;/script&gt;.csv`) {
		t.Error("the hostile file name is not shown as text")
	}
	// Text nodes hold "<" only as &lt;, so every "<" starts a real tag.
	for _, tag := range regexp.MustCompile(`<[A-Za-z][^>]*>`).FindAllString(dom, -1) {
		if regexp.MustCompile(`(?i)\s(src|href|action|srcset|poster|data)\s*=`).MatchString(tag) || strings.Contains(tag, "://") {
			t.Errorf("the DOM refers to a resource: %s", tag)
		}
	}
	log, err := os.ReadFile(netlog)
	if err != nil {
		t.Fatalf("no network log: %v", err)
	}
	if bytes.Contains(log, []byte("canary.invalid")) {
		t.Error("the browser asked for a URL named in the data (canary.invalid)")
	}
	if !bytes.Contains(log, []byte(`"constants"`)) {
		t.Errorf("network log looks empty (%d bytes)", len(log))
	}

	// The screenshot: the size asked for, and not a blank page.
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if bd := img.Bounds(); bd.Dx() != 1024 || bd.Dy() != 1400 {
		t.Errorf("screenshot is %v, want 1024x1400", bd)
	}
	// The contact bar of the data-class chart is filled by the stylesheet
	// (#2e6fa8): finding its colour shows the chart drawn and styled.
	colours, contact := map[[3]uint32]bool{}, 0
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			c := [3]uint32{r >> 8, g >> 8, b >> 8}
			colours[c] = true
			if c == [3]uint32{0x2e, 0x6f, 0xa8} {
				contact++
			}
		}
	}
	if len(colours) < 20 || contact < 1000 {
		t.Errorf("screenshot has %d colours and %d pixels of the contact bar: blank or unstyled", len(colours), contact)
	}
}
