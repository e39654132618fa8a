package main

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/datahygiene/datahygiene/pkg/detect"
	"github.com/datahygiene/datahygiene/pkg/escape"
	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/mask"
	"github.com/datahygiene/datahygiene/pkg/report"
	"github.com/datahygiene/datahygiene/pkg/ruleset"
	"github.com/datahygiene/datahygiene/pkg/state"
)

// identifierKind is one of find's flags: which detectors that kind of
// identifier is looked up with.
type identifierKind struct {
	flag, usage string
	matches     func(*ruleset.Rule) bool
}

var identifierKinds = []identifierKind{
	{"email", "an email address (any case)", func(r *ruleset.Rule) bool { return r.Mask == "email" }},
	{"phone", "a phone number, with or without country code and separators", func(r *ruleset.Rule) bool { return r.Mask == "phone" }},
	{"card", "a payment card number (spaces and dashes ignored)", func(r *ruleset.Rule) bool { return r.Mask == "card" }},
	{"iban", "a bank account number (IBAN; spaces ignored)", func(r *ruleset.Rule) bool { return r.Mask == "iban" }},
	{"id", "a national ID number (SSN, NINO, DNI...; spaces and dashes ignored)", func(r *ruleset.Rule) bool {
		return r.Category == finding.GovernmentID
	}},
}

// errNotFound makes find exit 1, quietly, like findings at --fail-on.
var errNotFound = fmt.Errorf("%w: none of the identifiers was found", errFindings)

// newFindCmd builds `datahygiene find`: where one person's data is, for an
// access or erasure request.
func newFindCmd(s streams) *cobra.Command {
	o := &scanOptions{}
	ids := make([][]string, len(identifierKinds))
	cmd := &cobra.Command{
		Use:   "find [flags] DIR --email ADDRESS --phone NUMBER ...",
		Short: "List every file and location holding any of the given identifiers",
		Long: `Find answers "where is this customer's data?" (an access or erasure
request): every file under DIR, and every listed location in it, that holds
any of the identifiers given, matched in normal form (case for emails;
separators and country prefixes for phones; spaces and dashes for card,
IBAN and ID numbers).

It answers from the state's value index: keyed fingerprints of every
value the scans found, never the values. It first brings the index up to
date the way a nightly scan does, reading only the files that changed
since the last run. Identifiers are shown masked unless --show-values.

Exit status: 0 found, 1 not found, 2 error.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.applyConfig(cmd.Flags(), args[0]); err != nil {
				return err
			}
			if err := o.finalize(); err != nil {
				return err
			}
			if o.format != "table" && o.format != "json" && o.format != "csv" {
				return usageError{fmt.Errorf("--format: want table, json or csv, not %q", o.format)}
			}
			if o.state.noState {
				return usageError{errors.New("--no-state: find answers from the state's value index")}
			}
			var queries []query
			for i, k := range identifierKinds {
				for _, v := range ids[i] {
					queries = append(queries, query{kind: k.flag, raw: v})
				}
			}
			if len(queries) == 0 {
				return usageError{errors.New("give at least one identifier (--email, --phone, --card, --iban or --id)")}
			}
			return runFind(cmd.Context(), s, o, args[0], queries)
		},
	}
	o.addFlags(cmd.Flags())
	cmd.Flags().Lookup("format").Usage = "output format: table, json or csv"
	for i, k := range identifierKinds {
		cmd.Flags().StringArrayVar(&ids[i], k.flag, nil, "find `"+strings.ToUpper(k.flag)+"`: "+k.usage+" (repeatable)")
	}
	return cmd
}

// query is one identifier asked about.
type query struct {
	kind, raw string
}

// hit is one finding that holds a queried identifier.
type hit struct {
	Identifier string   `json:"identifier"` // masked unless --show-values
	Kind       string   `json:"kind"`
	Path       string   `json:"path"`
	Detector   string   `json:"detector"`
	Locations  []string `json:"locations"`
	// LocationsUnlisted counts occurrences the report keeps no location
	// for (beyond its cap per finding).
	LocationsUnlisted int `json:"locations_unlisted,omitempty"`
}

// findResult is find's JSON output.
type findResult struct {
	Root  string `json:"root"`
	Found []hit  `json:"found"`
	// FilesRead and FilesFromIndex say how the answer was made: files read
	// because they changed since the last run, and files answered from
	// the index unread.
	FilesRead      int `json:"files_read"`
	FilesFromIndex int `json:"files_from_index"`
	// Partial lists files holding more distinct values of a detector
	// than the index keeps: an identifier may be in them unfound.
	Partial []string `json:"partial_index,omitempty"`
}

func runFind(ctx context.Context, s streams, o *scanOptions, root string, queries []query) error {
	// Bring the index up to date: an incremental scan, its report kept.
	var rep *report.Report
	o.failSeverity = finding.Critical + 1
	o.sink = func(r *report.Report, _ []report.TrendPoint) error { rep = r; return nil }
	if err := runScan(ctx, s, o, root); err != nil {
		return err
	}
	rs, _, _, err := loadRules(o.configSrcs, o.ruleFiles)
	if err != nil {
		return err
	}
	store, key, err := o.state.openWithKey()
	if err != nil {
		return err
	}
	defer store.Close()

	// Every fingerprint the index may hold each identifier under.
	type want struct {
		q    query
		rule *ruleset.Rule
		fp   string // hex, as locations carry it
	}
	wanted := map[finding.ValueID][]want{}
	for _, q := range queries {
		kind := slices.IndexFunc(identifierKinds, func(k identifierKind) bool { return k.flag == q.kind })
		for _, r := range rs.Rules() {
			if identifierKinds[kind].matches(r) {
				id := detect.QueryID(key, r, q.raw)
				wanted[id] = append(wanted[id], want{q: q, rule: r, fp: hex.EncodeToString(id[:])})
			}
		}
	}
	byPath := map[string]*finding.FileResult{}
	for i := range rep.Files {
		byPath[rep.Files[i].Path] = &rep.Files[i]
	}
	res := findResult{Root: root, Found: []hit{},
		FilesRead: rep.Summary.FilesScanned - rep.Summary.FilesCached, FilesFromIndex: rep.Summary.FilesCached}
	err = store.Values(rootKey(root), func(v state.IndexedValues) error {
		path, det := v.Path, v.Detector
		if v.Capped {
			res.Partial = append(res.Partial, path)
		}
		for id, ws := range wanted {
			if _, ok := slices.BinarySearchFunc(v.IDs, id, func(a, b finding.ValueID) int { return slices.Compare(a[:], b[:]) }); !ok {
				continue
			}
			for _, w := range ws {
				if w.rule.ID != det {
					continue
				}
				h := hit{Identifier: mask.Mask(w.rule.Mask, w.q.raw), Kind: w.q.kind, Path: path, Detector: det, Locations: []string{}}
				if o.showValues {
					h.Identifier = w.q.raw
				}
				h.Locations, h.LocationsUnlisted = locationsOf(byPath[path], det, w.fp)
				res.Found = append(res.Found, h)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	slices.SortFunc(res.Found, func(a, b hit) int {
		return strings.Compare(a.Path+"\x00"+a.Detector+"\x00"+a.Identifier, b.Path+"\x00"+b.Detector+"\x00"+b.Identifier)
	})
	res.Found = slices.CompactFunc(res.Found, func(a, b hit) bool {
		return a.Path == b.Path && a.Detector == b.Detector && a.Identifier == b.Identifier
	})
	slices.Sort(res.Partial)
	res.Partial = slices.Compact(res.Partial)
	for _, p := range res.Partial {
		s.logger().warn("%s holds more distinct values than the index keeps: an identifier may be in it unfound (scan -v it)", escape.Printable(p))
	}
	if err := writeFind(s, o, &res); err != nil {
		return err
	}
	if len(res.Found) == 0 {
		return errNotFound
	}
	return nil
}

// locationsOf lists where in a file's report a value with fingerprint fp
// is, and how many of the finding's occurrences have no listed location
// (so may be it too).
func locationsOf(f *finding.FileResult, det string, fp string) ([]string, int) {
	locs := []string{}
	if f == nil {
		return locs, 0
	}
	for _, fd := range f.Findings {
		if fd.Detector != det {
			continue
		}
		for _, l := range fd.Locations {
			if l.Fingerprint == fp {
				locs = append(locs, l.String())
			}
		}
		return locs, fd.LocationsOmitted
	}
	return locs, 0
}

func writeFind(s streams, o *scanOptions, res *findResult) error {
	return writeAnswer(s, o, answer{what: "find results", json: res,
		csv: func() [][]string {
			rows := [][]string{{"identifier", "kind", "path", "detector", "locations", "locations_unlisted"}}
			for _, h := range res.Found {
				rows = append(rows, []string{escape.CSVCell(h.Identifier), h.Kind, escape.CSVCell(h.Path), h.Detector,
					escape.CSVCell(strings.Join(h.Locations, "; ")), strconv.Itoa(h.LocationsUnlisted)})
			}
			return rows
		},
		table: func(w io.Writer) error {
			if len(res.Found) == 0 {
				_, err := fmt.Fprintf(w, "Not found under %s.\n", escape.Printable(res.Root))
				return err
			}
			var rows [][]string
			for _, h := range res.Found {
				locs := strings.Join(h.Locations, "; ")
				if h.LocationsUnlisted > 0 {
					locs += fmt.Sprintf(" (+%d unlisted occurrences of %s)", h.LocationsUnlisted, h.Detector)
				}
				if locs == "" {
					locs = "-"
				}
				rows = append(rows, []string{escape.Printable(h.Identifier), escape.Printable(h.Path), h.Detector, escape.Printable(locs)})
			}
			if err := report.WriteGrid(w, []string{"IDENTIFIER", "PATH", "DETECTOR", "LOCATIONS"}, rows); err != nil {
				return err
			}
			_, err := fmt.Fprintf(w, "\n%d files answered from the index, %d read because they changed.\n", res.FilesFromIndex, res.FilesRead)
			return err
		},
	})
}
