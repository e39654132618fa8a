package policy

import (
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/internal/yamlfile"
)

// Setting is one policy value and where it was set: "file:line", or what
// overrode it (the --stale-after flag).
type Setting[T any] struct {
	Value  T
	Origin string
}

// Clock names the time a file's age is measured from.
type Clock string

const (
	// MTime is the last modification: "not modified for N days".
	MTime Clock = "mtime"
	// ATime is the last access, or the last modification when later:
	// "not opened for N days". Used only where access times can be
	// trusted (see pkg/assess).
	ATime Clock = "atime"
)

const day = 24 * time.Hour

// Period is a retention period. Zero means the data must not be kept at
// all; Unlimited means it may be kept for ever.
type Period struct {
	D         time.Duration
	Unlimited bool
	text      string // as written, for `policy show`
}

// maxPeriod bounds retention periods well inside time.Duration's range
// (292 years); longer is written "unlimited".
const maxPeriod = 100 * 365 * day

// ParsePeriod reads 0d, 90d, 12w, 2y (365 days), a Go duration such as
// 36h, or "unlimited".
func ParsePeriod(s string) (Period, error) {
	s = strings.TrimSpace(s)
	if s == "unlimited" {
		return Period{Unlimited: true}, nil
	}
	bad := fmt.Errorf("invalid retention %s (e.g. 0d, 90d, 12w, 2y or unlimited)", yamlfile.Quote(s))
	units := map[byte]time.Duration{'d': day, 'w': 7 * day, 'y': 365 * day}
	if n := len(s); n >= 2 && n <= 8 && units[s[n-1]] != 0 {
		v, err := strconv.ParseUint(s[:n-1], 10, 32)
		if err != nil {
			return Period{}, bad
		}
		if v > uint64(maxPeriod/units[s[n-1]]) {
			return Period{}, fmt.Errorf("retention %s is longer than 100y; write unlimited", yamlfile.Quote(s))
		}
		return Period{D: time.Duration(v) * units[s[n-1]], text: s}, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return Period{}, bad
	}
	if d > maxPeriod {
		return Period{}, fmt.Errorf("retention %s is longer than 100y; write unlimited", yamlfile.Quote(s))
	}
	return Period{D: d, text: s}, nil
}

// String renders the period as ParsePeriod reads it: as written, or in
// the largest whole unit (2y, 12w, 90d).
func (p Period) String() string {
	switch {
	case p.text != "":
		return p.text
	case p.Unlimited:
		return "unlimited"
	case p.D == 0:
		return "0d"
	case p.D%(365*day) == 0:
		return strconv.FormatInt(int64(p.D/(365*day)), 10) + "y"
	case p.D%(7*day) == 0:
		return strconv.FormatInt(int64(p.D/(7*day)), 10) + "w"
	case p.D%day == 0:
		return strconv.FormatInt(int64(p.D/day), 10) + "d"
	}
	return p.D.String()
}

// Days is the period in whole days, for messages.
func (p Period) Days() int { return int(p.D / day) }

// ModeBit is a permission bit that makes a file unprotected.
type ModeBit string

const (
	OtherRead  ModeBit = "other-read"
	OtherWrite ModeBit = "other-write"
	GroupRead  ModeBit = "group-read"
	GroupWrite ModeBit = "group-write"
)

// ModeBits lists the bits a policy may name, in display order.
var ModeBits = []ModeBit{OtherRead, OtherWrite, GroupRead, GroupWrite}

// Mask is the bit's fs.FileMode permission bit.
func (b ModeBit) Mask() fs.FileMode {
	switch b {
	case OtherRead:
		return 0o004
	case OtherWrite:
		return 0o002
	case GroupRead:
		return 0o040
	case GroupWrite:
		return 0o020
	}
	return 0
}

// Owner names a file owner in an owners list: a user name, or a numeric
// uid. UID is -1 when the name is not a user on this machine; the entry
// then matches only a file whose owner name is known to be Name.
type Owner struct {
	Name string
	UID  int
}

func (o Owner) String() string {
	if o.Name != "" {
		return o.Name
	}
	return strconv.Itoa(o.UID)
}

// Policy is a merged, checked policy. It is immutable once loaded: the
// With methods return changed copies.
type Policy struct {
	Retention   Retention
	Unprotected Unprotected
	Prohibited  Prohibited
	Severity    Severities
	// Risk is how many severity levels each issue kind adds to a file's
	// risk (unprotected, stale, prohibited); unencrypted is the base.
	Risk       map[finding.IssueKind]Setting[int]
	Exceptions []Exception
	// Sources names the sources read, in order.
	Sources []string
	// Warnings are problems that do not stop a scan, e.g. an owner name
	// that is not a user on this machine.
	Warnings []string
}

// Retention says how long data may be kept, by detector, else by class,
// else Default.
type Retention struct {
	Clock     Setting[Clock]
	Default   Setting[Period]
	Classes   map[finding.Category]Setting[Period]
	Detectors map[string]Setting[Period]
}

// Unprotected says what makes a file with customer data unprotected.
type Unprotected struct {
	ModeBits Setting[[]ModeBit]
	// ACLReaders: POSIX ACL entries that grant read to named users or
	// groups count.
	ACLReaders Setting[bool]
	// DenyOwners may not own such a file; when AllowOwners is not empty,
	// only they may.
	DenyOwners  Setting[[]Owner]
	AllowOwners Setting[[]Owner]
	// WorldWritableDir: a file in a folder anyone may write to (without
	// the sticky bit) counts: anyone can replace or delete it.
	WorldWritableDir Setting[bool]
	// Locations are shared or public places (path patterns relative to
	// the scan root).
	Locations Setting[Globs]
}

// Prohibited names data the business must not hold at all.
type Prohibited struct {
	Classes   Setting[[]finding.Category]
	Detectors Setting[[]string]
	Severity  Setting[finding.Severity]
}

// Severities override findings' severities, by detector, else by class.
type Severities struct {
	Classes   map[finding.Category]Setting[finding.Severity]
	Detectors map[string]Setting[finding.Severity]
}

// Exception accepts issues: those of the kinds in Issues (all kinds when
// empty), of files matching Paths (all files when empty), whose data is
// all of Detectors or Classes (any data when both are empty).
type Exception struct {
	Paths     Globs
	Detectors []string
	Classes   []finding.Category
	Issues    []finding.IssueKind
	Reason    string
	Origin    string // file:line
}

// RetentionFor returns the retention of a detector's data and what set
// it: the detector id, the class, or "" for the default.
func (p *Policy) RetentionFor(detector string, class finding.Category) (Period, string) {
	if s, ok := p.Retention.Detectors[detector]; ok {
		return s.Value, detector
	}
	if s, ok := p.Retention.Classes[class]; ok {
		return s.Value, string(class)
	}
	return p.Retention.Default.Value, ""
}

// SeverityFor returns the severity the policy gives a detector's
// findings, if it overrides it.
func (p *Policy) SeverityFor(detector string, class finding.Category) (finding.Severity, bool) {
	if s, ok := p.Severity.Detectors[detector]; ok {
		return s.Value, true
	}
	if s, ok := p.Severity.Classes[class]; ok {
		return s.Value, true
	}
	return finding.SeverityNone, false
}

// Prohibits tells whether the business must not hold a detector's data.
func (p *Policy) Prohibits(detector string, class finding.Category) bool {
	return slices.Contains(p.Prohibited.Detectors.Value, detector) ||
		(class != "" && slices.Contains(p.Prohibited.Classes.Value, class))
}

// Weight is how many levels an issue kind adds to a file's risk.
func (p *Policy) Weight(k finding.IssueKind) int { return p.Risk[k].Value }

// WithDefaultRetention returns a copy whose default retention is d, set
// by origin (the --stale-after flag). Per-class and per-detector entries
// stay.
func (p *Policy) WithDefaultRetention(d time.Duration, origin string) *Policy {
	c := *p
	c.Retention.Default = Setting[Period]{Value: Period{D: d}, Origin: origin}
	return &c
}

// Accepts tells whether the exception accepts an issue of kind k in the
// file at path p (OUTER!INNER for archive members: the archive's path or
// the member's) about the given findings: with detectors or classes set,
// every one of them must be covered, so that an exception for email
// addresses does not also accept the card numbers next to them.
func (e *Exception) Accepts(p string, k finding.IssueKind, about []finding.Finding) bool {
	if len(e.Issues) > 0 && !slices.Contains(e.Issues, k) {
		return false
	}
	if len(e.Detectors)+len(e.Classes) > 0 {
		for _, f := range about {
			if !slices.Contains(e.Detectors, f.Detector) && (f.Category == "" || !slices.Contains(e.Classes, f.Category)) {
				return false
			}
		}
	}
	if len(e.Paths.pats) == 0 {
		return true
	}
	for _, part := range strings.Split(p, "!") {
		if _, ok := e.Paths.Match(part); ok {
			return true
		}
	}
	return false
}
