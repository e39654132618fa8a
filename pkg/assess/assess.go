package assess

import (
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

// DefaultStaleAfter is the retention period when none is given: a year.
const DefaultStaleAfter = 365 * 24 * time.Hour

// Options are the judgement's inputs besides the file itself.
type Options struct {
	// StaleAfter is the retention period; files not modified for longer
	// are stale. 0 means DefaultStaleAfter.
	StaleAfter time.Duration
	// Now is the reference time (injected for reproducible tests).
	Now time.Time
}

// Assess sets r.Issues and r.Risk. A file without findings has neither:
// permissions and age only matter where there is customer data.
func Assess(r *finding.FileResult, opts Options) {
	r.Issues = nil
	r.Risk = finding.SeverityNone
	worst := r.WorstSeverity()
	if worst == finding.SeverityNone {
		return
	}
	if opts.StaleAfter <= 0 {
		opts.StaleAfter = DefaultStaleAfter
	}
	risk := worst
	r.Issues = append(r.Issues, finding.Issue{
		Kind:     finding.Unencrypted,
		Severity: worst,
		Reason:   fmt.Sprintf("%s readable in clear text", plural(r.Occurrences(), "value")),
	})
	if reason := exposure(fs.FileMode(r.Mode)); reason != "" {
		r.Issues = append(r.Issues, finding.Issue{Kind: finding.Unprotected, Severity: worst, Reason: reason})
		risk++
	}
	if !r.Modified.IsZero() && !opts.Now.IsZero() {
		age := opts.Now.Sub(r.Modified)
		if age > opts.StaleAfter {
			sev := finding.Low
			if worst >= finding.High {
				sev = finding.Medium
			}
			r.Issues = append(r.Issues, finding.Issue{
				Kind:     finding.Stale,
				Severity: sev,
				Reason:   fmt.Sprintf("not modified for %d days (retention %d days)", days(age), days(opts.StaleAfter)),
			})
			risk++
		}
	}
	if risk > finding.Critical {
		risk = finding.Critical
	}
	r.Risk = risk
}

// exposure says who besides the owner may read or change the file.
func exposure(m fs.FileMode) string {
	var who []string
	if m&0o004 != 0 {
		who = append(who, "readable by all users")
	}
	switch {
	case m&0o002 != 0:
		who = append(who, "writable by all users")
	case m&0o020 != 0:
		who = append(who, "writable by its group")
	}
	if len(who) == 0 {
		return ""
	}
	return fmt.Sprintf("%s (mode %04o)", strings.Join(who, ", "), uint32(m.Perm()))
}

func days(d time.Duration) int { return int(d / (24 * time.Hour)) }

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
