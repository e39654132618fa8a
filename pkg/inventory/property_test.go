package inventory_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/inventory"
	"github.com/datahygiene/datahygiene/pkg/report"
)

// genReport makes a random report as a scan would: files in random folders
// and archives, random findings (some detectors repeated in a file),
// random issue kinds (some repeated, some unknown to this package) and
// statuses, then tallied by the report package itself.
func genReport(rng *rand.Rand) *report.Report {
	dirs := []string{"", "a/", "a/b/", "a/b/c/", "x/", "x/y.zip!", "x/y.zip!in/", "a/z.tar!d/", "!odd/", "ü nicode/"}
	detectors := []struct {
		name string
		cat  finding.Category
	}{{"email", finding.Contact}, {"phone", finding.Contact}, {"iban", finding.Financial}, {"ssn", finding.GovernmentID}, {"custom", ""}}
	kinds := []string{"unencrypted", "unprotected", "stale", "prohibited", "odd_kind"}
	statuses := []finding.Status{finding.Scanned, finding.Scanned, finding.Scanned, finding.Encrypted, finding.Skipped, finding.Error}
	r := &report.Report{Root: "/r"}
	n := rng.IntN(40)
	for i := range n {
		f := finding.FileResult{
			Path:     fmt.Sprintf("%sf%d.txt", dirs[rng.IntN(len(dirs))], i),
			Status:   statuses[rng.IntN(len(statuses))],
			Modified: time.Unix(rng.Int64N(2e9), 0),
			Risk:     finding.Severity(rng.IntN(5)),
		}
		if f.Status == finding.Scanned {
			for range rng.IntN(4) {
				d := detectors[rng.IntN(len(detectors))]
				f.Findings = append(f.Findings, finding.Finding{Detector: d.name, Category: d.cat, Count: 1 + rng.IntN(20)})
			}
			for range rng.IntN(4) {
				f.Issues = append(f.Issues, finding.Issue{Kind: finding.IssueKind(kinds[rng.IntN(len(kinds))])})
			}
		}
		r.Files = append(r.Files, f)
	}
	r.Tally()
	return r
}

// TestTotalsMatchReport: whatever the report and the depth, the
// inventory's totals are the report's summary (occurrences, files with
// findings, files and occurrences per class, files per issue kind,
// encrypted and unread files), and its folders partition the tree.
func TestTotalsMatchReport(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 11))
	for iter := range 500 {
		r := genReport(rng)
		depth := rng.IntN(5) - 1
		inv := inventory.Build(r.Files, inventory.Options{Root: r.Root, Depth: depth})
		s := r.Summary
		tot := inv.Totals
		fail := func(format string, args ...any) {
			t.Helper()
			t.Fatalf("iteration %d (depth %d): "+format, append([]any{iter, depth}, args...)...)
		}
		if tot.Files != s.FilesWithFindings || tot.Occurrences != s.Findings {
			fail("totals files %d occurrences %d, report %d %d", tot.Files, tot.Occurrences, s.FilesWithFindings, s.Findings)
		}
		if tot.EncryptedFiles != s.Encrypted || tot.NotScannedFiles != s.Errors+s.Skipped {
			fail("encrypted %d not scanned %d, report %d %d+%d", tot.EncryptedFiles, tot.NotScannedFiles, s.Encrypted, s.Errors, s.Skipped)
		}
		for k, tl := range tot.Issues {
			if tl.Files != s.ByIssue[k] {
				fail("issue %s: %d files, report %d", k, tl.Files, s.ByIssue[k])
			}
		}
		for k, n := range s.ByIssue {
			if tot.Issues[k].Files != n {
				fail("issue %s missing: report %d", k, n)
			}
		}

		// Per class, against counts made here from the files.
		classFiles, issueOcc := map[string]int{}, map[string]int{}
		for _, f := range r.Files {
			seen := map[string]bool{}
			for _, fd := range f.Findings {
				if !seen[fd.Detector] {
					classFiles[fd.Detector]++
					seen[fd.Detector] = true
				}
			}
			seenKind := map[finding.IssueKind]bool{}
			for _, is := range f.Issues {
				if !seenKind[is.Kind] {
					issueOcc[string(is.Kind)] += f.Occurrences()
					seenKind[is.Kind] = true
				}
			}
		}
		occ, files := map[string]int{}, map[string]int{}
		for _, c := range inv.Classes {
			occ[c.Detector] += c.Occurrences
			files[c.Detector] += c.Files
		}
		for d, n := range s.ByDetector {
			if occ[d] != n || files[d] != classFiles[d] {
				fail("class %s: %d occurrences in %d files, report %d in %d", d, occ[d], files[d], n, classFiles[d])
			}
		}
		if len(occ) != len(s.ByDetector) || tot.DataClasses != len(inv.Classes) {
			fail("%d classes, report %d detectors", len(occ), len(s.ByDetector))
		}
		for k, n := range issueOcc {
			if tot.Issues[k].Occurrences != n {
				fail("issue %s: %d occurrences, want %d", k, tot.Issues[k].Occurrences, n)
			}
		}

		// Folders partition the files; a folder's classes sum to it.
		var sum inventory.Totals
		withData := 0
		for _, fo := range inv.Folders {
			sum.Files += fo.Files
			sum.Occurrences += fo.Occurrences
			sum.EncryptedFiles += fo.EncryptedFiles
			sum.NotScannedFiles += fo.NotScannedFiles
			if fo.Files > 0 {
				withData++
			}
			classOcc, classFiles := 0, 0
			for _, c := range fo.Classes {
				classOcc += c.Occurrences
				classFiles += c.Files
			}
			if classOcc != fo.Occurrences || classFiles < fo.Files {
				fail("folder %q: classes hold %d occurrences in %d files, folder %d in %d", fo.Path, classOcc, classFiles, fo.Occurrences, fo.Files)
			}
			if fo.Files > 0 && (fo.Oldest.Before(tot.Oldest) || fo.Newest.After(tot.Newest)) {
				fail("folder %q: dates %v..%v outside the totals' %v..%v", fo.Path, fo.Oldest, fo.Newest, tot.Oldest, tot.Newest)
			}
		}
		if sum.Files != tot.Files || sum.Occurrences != tot.Occurrences || sum.EncryptedFiles != tot.EncryptedFiles ||
			sum.NotScannedFiles != tot.NotScannedFiles || withData != tot.Folders {
			fail("folders sum to %+v, totals %+v", sum, tot)
		}
	}
}
