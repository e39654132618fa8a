package report

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/datahygiene/datahygiene/pkg/escape"
	"io"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

// The sarif format is SARIF 2.1.0 (OASIS), shaped for GitHub code
// scanning: one run, one rule per detector that matched plus one
// pseudo-rule per issue kind ("issue/unencrypted", ...), one result per
// finding location and one per file-level issue, and files that could not
// be read as tool execution notifications. The structs below hold only
// the properties we fill; docs/sarif.md maps each to the report.
//
// Output is deterministic: rules sorted by id, results in path order, so a
// golden diff or a baseline diff shows only real changes.

const (
	// sarifSchemaURI is the $schema GitHub's documentation asks for; it
	// names the final SARIF 2.1.0 schema.
	sarifSchemaURI = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion   = "2.1.0"
	informationURI = "https://github.com/datahygiene/datahygiene"
	// srcRoot is the uriBaseId every artifact location is relative to:
	// the scanned root, which GitHub takes as the repository's root.
	srcRoot = "%SRCROOT%"
	// fingerprintKey names our value fingerprint among a result's
	// partialFingerprints (a versioned hierarchical string, as SARIF asks).
	fingerprintKey = "datahygiene/v1"
	// issueRulePrefix starts the ids of the issue pseudo-rules. Detector
	// ids are [a-z][a-z0-9_]*, so they can never collide with these.
	issueRulePrefix = "issue/"
	// sarifMaxResults is GitHub code scanning's limit on results per run:
	// it rejects the whole upload above it. The least severe results are
	// left out beyond it, and a notification says how many.
	sarifMaxResults = 25000
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                        `json:"tool"`
	Invocations        []sarifInvocation                `json:"invocations"`
	OriginalURIBaseIDs map[string]sarifArtifactLocation `json:"originalUriBaseIds,omitempty"`
	Results            []sarifResult                    `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string            `json:"name"`
	Version        string            `json:"version,omitempty"`
	InformationURI string            `json:"informationUri"`
	Rules          []sarifDescriptor `json:"rules"`
	Notifications  []sarifDescriptor `json:"notifications,omitempty"`
}

// sarifDescriptor is SARIF's reportingDescriptor: a rule, or the kind of
// a notification.
type sarifDescriptor struct {
	ID                   string          `json:"id"`
	Name                 string          `json:"name,omitempty"`
	ShortDescription     sarifText       `json:"shortDescription"`
	FullDescription      sarifText       `json:"fullDescription"`
	Help                 *sarifHelp      `json:"help,omitempty"`
	DefaultConfiguration *sarifConfig    `json:"defaultConfiguration,omitempty"`
	Properties           *sarifRuleProps `json:"properties,omitempty"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Category string `json:"category,omitempty"`
	Severity string `json:"severity,omitempty"`
	// SecuritySeverity is GitHub's score, a string from "0.1" to "10.0".
	SecuritySeverity string   `json:"security-severity,omitempty"`
	Tags             []string `json:"tags,omitempty"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints,omitempty"`
	// Suppressions marks an issue a policy exception accepted: SARIF's
	// own way to say "found, and deliberately let be", which viewers show
	// apart (GitHub closes such alerts) instead of dropping it silently.
	Suppressions []sarifSuppression `json:"suppressions,omitempty"`
	Properties   *sarifResultProps  `json:"properties,omitempty"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"` // "external": the policy file, not the source
	Justification string `json:"justification,omitempty"`
}

type sarifResultProps struct {
	Severity   string `json:"severity"`
	Category   string `json:"category,omitempty"`
	Confidence string `json:"confidence,omitempty"`
	// Count is the occurrences of the detector in the file, of which this
	// result is one location.
	Count   int      `json:"count,omitempty"`
	Samples []string `json:"samples,omitempty"`
	Values  []string `json:"values,omitempty"`
	Reason  string   `json:"reason,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysicalLocation  `json:"physicalLocation"`
	LogicalLocations []sarifLogicalLocation `json:"logicalLocations,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           *sarifRegion          `json:"region,omitempty"`
}

type sarifArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

type sarifLogicalLocation struct {
	Name               string `json:"name,omitempty"`
	FullyQualifiedName string `json:"fullyQualifiedName,omitempty"`
	Kind               string `json:"kind,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	StartTimeUTC               string              `json:"startTimeUtc,omitempty"`
	EndTimeUTC                 string              `json:"endTimeUtc,omitempty"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Descriptor sarifDescriptorRef `json:"descriptor"`
	Level      string             `json:"level"`
	Message    sarifText          `json:"message"`
	Locations  []sarifLocation    `json:"locations,omitempty"`
}

type sarifDescriptorRef struct {
	ID    string `json:"id"`
	Index int    `json:"index"`
}

// sarifWriter writes the report as one SARIF log.
type sarifWriter struct {
	// maxResults caps the results (sarifMaxResults; tests lower it).
	maxResults int
}

func (s sarifWriter) Write(w io.Writer, r *Report) error {
	if r == nil {
		return errors.New("sarif report: no report")
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s.log(r)); err != nil {
		return fmt.Errorf("sarif report: %w", err)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// log builds the SARIF document for r.
func (s sarifWriter) log(r *Report) *sarifLog {
	files := sortedFiles(r)
	rules := sarifRules(files)
	index := make(map[string]int, len(rules))
	for i, rule := range rules {
		index[rule.ID] = i
	}

	var results []rankedResult
	for _, f := range files {
		results = append(results, findingResults(f, index)...)
		results = append(results, issueResults(f, index)...)
	}
	notes := fileNotifications(files)
	if limit := s.maxResults; limit > 0 && len(results) > limit {
		// Keep the most severe, then restore path order.
		for i := range results {
			results[i].seq = i
		}
		slices.SortStableFunc(results, func(a, b rankedResult) int { return cmp.Compare(b.sev, a.sev) })
		dropped := len(results) - limit
		results = results[:limit]
		slices.SortFunc(results, func(a, b rankedResult) int { return cmp.Compare(a.seq, b.seq) })
		notes = append(notes, sarifNotification{
			Descriptor: sarifDescriptorRef{ID: noteTruncated},
			Level:      "warning",
			Message: sarifText{Text: fmt.Sprintf("%d of %d results left out, the least severe first: GitHub code scanning "+
				"accepts at most %d results per run. The json, csv and ndjson reports list them all.",
				dropped, dropped+limit, limit)},
		})
	}
	out := make([]sarifResult, len(results))
	for i, rr := range results {
		out[i] = rr.result
	}

	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           cmp.Or(r.Tool.Name, "datahygiene"),
			Version:        r.Tool.Version,
			InformationURI: informationURI,
			Rules:          rules,
		}},
		Invocations: []sarifInvocation{{
			// A run that produced a report succeeded, even when some files
			// could not be read: those are the notifications.
			ExecutionSuccessful: true,
			StartTimeUTC:        sarifTime(r.StartedAt),
			EndTimeUTC:          sarifTime(r.FinishedAt),
		}},
		Results: out,
	}
	if uri, ok := rootURI(r.Root); ok {
		run.OriginalURIBaseIDs = map[string]sarifArtifactLocation{srcRoot: {URI: uri}}
	}
	run.Tool.Driver.Notifications, run.Invocations[0].ToolExecutionNotifications = indexNotifications(notes)
	return &sarifLog{Schema: sarifSchemaURI, Version: sarifVersion, Runs: []sarifRun{run}}
}

// rankedResult carries what the result cap sorts by.
type rankedResult struct {
	result sarifResult
	sev    finding.Severity
	seq    int
}

// sarifRules returns one rule per detector and per issue kind present in
// files, sorted by id. A detector's name and category come from its first
// finding; its default level from its worst severity.
func sarifRules(files []*finding.FileResult) []sarifDescriptor {
	type seen struct {
		name     string
		category finding.Category
		sev      finding.Severity
		issue    bool
	}
	byID := map[string]*seen{}
	get := func(id string) *seen {
		if byID[id] == nil {
			byID[id] = &seen{}
		}
		return byID[id]
	}
	for _, f := range files {
		for _, fd := range f.Findings {
			s := get(fd.Detector)
			s.name = cmp.Or(s.name, fd.Name)
			s.category = cmp.Or(s.category, fd.Category)
			s.sev = max(s.sev, fd.Severity)
		}
		for _, is := range f.Issues {
			s := get(issueRulePrefix + string(is.Kind))
			s.issue = true
			s.sev = max(s.sev, is.Severity)
		}
		for _, a := range f.Accepted {
			s := get(issueRulePrefix + string(a.Kind))
			s.issue = true
			s.sev = max(s.sev, a.Severity)
		}
	}
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	rules := make([]sarifDescriptor, len(ids))
	for i, id := range ids {
		s := byID[id]
		if s.issue {
			rules[i] = issueRule(finding.IssueKind(strings.TrimPrefix(id, issueRulePrefix)), s.sev)
		} else {
			rules[i] = detectorRule(id, s.name, s.category, s.sev)
		}
	}
	return rules
}

func detectorRule(id, name string, category finding.Category, sev finding.Severity) sarifDescriptor {
	what := escape.Printable(cmp.Or(name, id))
	class := ""
	if category != "" {
		class = ", category " + escape.Printable(string(category))
	}
	full := fmt.Sprintf("%s (detector %s%s): personal data found in a file, where it may not belong. "+
		"Each match was validated (checksum, number ranges or context) before it was reported, and is shown masked.",
		what, escape.Printable(id), class)
	tags := []string{"security", "privacy", "pii"}
	if category != "" {
		tags = append(tags, escape.Printable(string(category)))
	}
	return sarifDescriptor{
		ID:               id,
		Name:             ruleName(id, cmp.Or(name, id)),
		ShortDescription: sarifText{Text: what + " in a file"},
		FullDescription:  sarifText{Text: full},
		Help: &sarifHelp{
			Text: "Delete the data if it is no longer needed. Otherwise keep it in a system meant for it, " +
				"encrypted and readable only by the people who need it. " +
				"Run `datahygiene scan -v` to list every location with masked samples.",
			Markdown: "Delete the data if it is no longer needed. Otherwise keep it in a system meant for it, " +
				"encrypted and readable only by the people who need it.\n\n" +
				"Run `datahygiene scan -v` to list every location with masked samples.",
		},
		DefaultConfiguration: &sarifConfig{Level: sarifLevel(sev)},
		Properties: &sarifRuleProps{
			Category:         string(category),
			Severity:         sev.String(),
			SecuritySeverity: securitySeverity(sev),
			Tags:             tags,
		},
	}
}

// issueHelp says how to fix each issue kind. A kind missing here (added to
// assess later) gets generic advice until one is added.
var issueHelp = map[finding.IssueKind]string{
	finding.Unencrypted: "Encrypt the file (a password-protected archive or workbook, or an encrypted volume), " +
		"or move the data into a system that encrypts it at rest.",
	finding.Unprotected: "Restrict the file's permissions so that only its owner (and the group that needs it) " +
		"can read it, and no one else can change it: for example chmod 600 or chmod 640.",
	finding.Stale: "Delete the file, or the personal data in it, once the retention period is over; " +
		"archive it encrypted if the law requires keeping it.",
	finding.Prohibited: "Delete this data: the data policy says the business must not hold it at all. " +
		"If it is needed after all, change the policy, with the reason.",
}

func issueRule(kind finding.IssueKind, sev finding.Severity) sarifDescriptor {
	full := "A file holding personal data " + issuePhrase(kind)
	if explain := explainIssue(kind); explain != "" {
		full += ": " + explain
	}
	full += ". The result's message gives the reason; it is about the file as a whole."
	help := issueHelp[kind]
	if help == "" {
		help = "Fix how the file keeps the personal data it holds, as the result's message explains."
	}
	return sarifDescriptor{
		ID:                   issueRulePrefix + string(kind),
		Name:                 ruleName(string(kind), string(kind)+" personal data"),
		ShortDescription:     sarifText{Text: "File holding personal data " + issuePhrase(kind)},
		FullDescription:      sarifText{Text: full},
		Help:                 &sarifHelp{Text: help},
		DefaultConfiguration: &sarifConfig{Level: sarifLevel(sev)},
		Properties: &sarifRuleProps{
			Severity:         sev.String(),
			SecuritySeverity: securitySeverity(sev),
			Tags:             []string{"security", "privacy", "data-hygiene"},
		},
	}
}

// findingResults returns one result per location of each finding in f.
func findingResults(f *finding.FileResult, index map[string]int) []rankedResult {
	var out []rankedResult
	for _, fd := range sortedFindings(f.Findings) {
		locs := fd.Locations
		if len(locs) == 0 {
			locs = []finding.Location{{}}
		}
		what := escape.Printable(cmp.Or(fd.Name, fd.Detector))
		for _, loc := range locs {
			msg := what + " " + describeLocation(loc) + "."
			if fd.Count > 1 {
				msg += fmt.Sprintf(" %d occurrences in this file.", fd.Count)
			}
			if len(fd.Samples) > 0 {
				msg += " Masked samples: " + strings.Join(quoteAll(fd.Samples), ", ") + "."
			}
			res := sarifResult{
				RuleID:    fd.Detector,
				RuleIndex: index[fd.Detector],
				Level:     sarifLevel(fd.Severity),
				Message:   sarifText{Text: sarifMessage(msg)},
				Locations: []sarifLocation{fileLocation(f.Path, loc)},
				Properties: &sarifResultProps{
					Severity:   fd.Severity.String(),
					Category:   string(fd.Category),
					Confidence: fd.Confidence,
					Count:      fd.Count,
					Samples:    fd.Samples,
					// Raw values only ever come from --show-values, as in json.
					Values: fd.Values,
				},
			}
			if loc.Fingerprint != "" {
				res.PartialFingerprints = map[string]string{fingerprintKey: loc.Fingerprint}
			}
			out = append(out, rankedResult{result: res, sev: fd.Severity})
		}
	}
	return out
}

// issueResults returns one result per issue of f, located at the file,
// then one per accepted issue, suppressed with the exception's reason.
// Suppressed results rank below every other, so that they are the first
// left out beyond GitHub's limit.
func issueResults(f *finding.FileResult, index map[string]int) []rankedResult {
	var out []rankedResult
	result := func(kind finding.IssueKind, sev finding.Severity, reason string) sarifResult {
		id := issueRulePrefix + string(kind)
		msg := "File holding personal data " + issuePhrase(kind)
		if reason != "" {
			msg += ": " + escape.Printable(reason)
		}
		return sarifResult{
			RuleID:     id,
			RuleIndex:  index[id],
			Level:      sarifLevel(sev),
			Message:    sarifText{Text: sarifMessage(msg + ".")},
			Locations:  []sarifLocation{fileLocation(f.Path, finding.Location{})},
			Properties: &sarifResultProps{Severity: sev.String(), Reason: reason},
		}
	}
	for _, is := range sortedIssues(f.Issues) {
		out = append(out, rankedResult{result: result(is.Kind, is.Severity, is.Reason), sev: is.Severity})
	}
	for _, a := range sortedAccepted(f.Accepted) {
		res := result(a.Kind, a.Severity, a.Issue)
		res.Suppressions = []sarifSuppression{{Kind: "external", Justification: escape.Printable(a.Reason)}}
		out = append(out, rankedResult{result: res, sev: finding.SeverityNone})
	}
	return out
}

// issuePhrase says what an issue kind means for a file: "is unencrypted"
// for the kinds we explain, `has issue "x"` for a kind added to assess
// since, which may not read as an adjective.
func issuePhrase(kind finding.IssueKind) string {
	if explainIssue(kind) != "" {
		return "is " + escape.Printable(string(kind))
	}
	return fmt.Sprintf("has issue %q", escape.Printable(string(kind)))
}

// fileLocation locates a result in the file at path. A text line (plain
// text or CSV) becomes the region's start line. A spreadsheet cell has no
// line, a document's line counts within its page or slide, and an issue
// is about the whole file; GitHub needs a region to show a result, so
// those point at line 1 and carry the cell or part as a logical location
// (and in the message).
func fileLocation(path string, loc finding.Location) sarifLocation {
	l := sarifLocation{PhysicalLocation: sarifPhysicalLocation{
		ArtifactLocation: sarifArtifactLocation{URI: pathURI(path), URIBaseID: srcRoot},
		Region:           &sarifRegion{StartLine: max(loc.Line, 1)},
	}}
	if loc.Part != "" {
		l.PhysicalLocation.Region.StartLine = 1
		l.LogicalLocations = []sarifLogicalLocation{{
			Name:               loc.Part,
			FullyQualifiedName: fmt.Sprintf("%s, line %d", loc.Part, loc.Line),
			Kind:               "element",
		}}
	}
	if loc.Sheet != "" || loc.Cell != "" {
		l.LogicalLocations = []sarifLogicalLocation{{
			Name:               loc.Cell,
			FullyQualifiedName: loc.Sheet + "!" + loc.Cell,
			Kind:               "element",
		}}
	}
	return l
}

// describeLocation says where in a file a value is, for a message.
func describeLocation(loc finding.Location) string {
	switch {
	case loc.Part != "":
		return fmt.Sprintf("on %s, line %d", escape.Printable(loc.Part), loc.Line)
	case loc.Sheet != "" || loc.Cell != "":
		return fmt.Sprintf("in sheet %q, cell %s", escape.Printable(loc.Sheet), escape.Printable(loc.Cell))
	case loc.Row > 0 && loc.Column != "":
		return fmt.Sprintf("in row %d, column %q", loc.Row, escape.Printable(loc.Column))
	case loc.Row > 0:
		return "in row " + strconv.Itoa(loc.Row)
	case loc.Line > 0:
		return "on line " + strconv.Itoa(loc.Line)
	}
	return "in this file"
}

// Notification descriptor ids, for files the scan could not read as usual.
const (
	noteError     = "file/error"
	noteSkipped   = "file/skipped"
	noteEncrypted = "file/encrypted"
	noteWarning   = "file/warning"
	noteTruncated = "report/truncated"
)

var noteDescriptors = map[string]sarifDescriptor{
	noteError: {ID: noteError, Name: "FileNotRead",
		ShortDescription: sarifText{Text: "File could not be read"},
		FullDescription:  sarifText{Text: "Reading the file failed (permission denied, a corrupt file, ...), so it may hold personal data that this report does not show."},
		Help:             &sarifHelp{Text: "Fix what the message names (often: give the scanning account read access), then scan again."}},
	noteSkipped: {ID: noteSkipped, Name: "FileSkipped",
		ShortDescription: sarifText{Text: "File not read, by a limit or setting"},
		FullDescription:  sarifText{Text: "The file was deliberately not read (size limit, unsupported type, archive limits), so it may hold personal data that this report does not show."},
		Help:             &sarifHelp{Text: "Raise the limit the message names (for example --max-file-size) if the file should be scanned."}},
	noteEncrypted: {ID: noteEncrypted, Name: "FileEncrypted",
		ShortDescription: sarifText{Text: "File is encrypted"},
		FullDescription:  sarifText{Text: "The file is encrypted or password-protected, so it was not read. This is how files holding personal data should be kept."},
		Help:             &sarifHelp{Text: "Nothing to do: encryption is what we recommend for files holding personal data."}},
	noteWarning: {ID: noteWarning, Name: "FilePartlyScanned",
		ShortDescription: sarifText{Text: "File may hold more than reported"},
		FullDescription:  sarifText{Text: "A problem did not stop the file's scan but may hide a finding, such as a pattern hitting its match timeout on a line."},
		Help:             &sarifHelp{Text: "Check the part of the file the message names by hand, or simplify the rule whose pattern timed out."}},
	noteTruncated: {ID: noteTruncated, Name: "ResultsLeftOut",
		ShortDescription: sarifText{Text: "Results left out of this SARIF log"},
		FullDescription:  sarifText{Text: "The scan found more results than GitHub code scanning accepts in one run; the least severe were left out."},
		Help:             &sarifHelp{Text: "Write the report as json, csv or ndjson to see every result, or scan a smaller tree at a time."}},
}

// fileNotifications returns one notification per file that was not
// scanned, and one per warning, in path order.
func fileNotifications(files []*finding.FileResult) []sarifNotification {
	var out []sarifNotification
	for _, f := range files {
		at := []sarifLocation{{PhysicalLocation: sarifPhysicalLocation{
			ArtifactLocation: sarifArtifactLocation{URI: pathURI(f.Path), URIBaseID: srcRoot},
		}}}
		var id, level, text string
		switch f.Status {
		case finding.Error:
			id, level, text = noteError, "error", "Could not read "
		case finding.Skipped:
			id, level, text = noteSkipped, "warning", "Skipped "
		case finding.Encrypted:
			id, level, text = noteEncrypted, "note", "Encrypted, not read: "
		}
		if id != "" {
			text += escape.Printable(f.Path)
			if f.Reason != "" {
				text += ": " + escape.Printable(f.Reason)
			}
			out = append(out, sarifNotification{Descriptor: sarifDescriptorRef{ID: id}, Level: level,
				Message: sarifText{Text: sarifMessage(text + ".")}, Locations: at})
		}
		for _, w := range f.Warnings {
			out = append(out, sarifNotification{Descriptor: sarifDescriptorRef{ID: noteWarning}, Level: "warning",
				Message: sarifText{Text: sarifMessage(escape.Printable(f.Path) + ": " + escape.Printable(w) + ".")}, Locations: at})
		}
	}
	return out
}

// indexNotifications returns the descriptors the notifications use,
// sorted by id, and the notifications pointing at them by index.
func indexNotifications(notes []sarifNotification) ([]sarifDescriptor, []sarifNotification) {
	var ids []string
	for _, n := range notes {
		if !slices.Contains(ids, n.Descriptor.ID) {
			ids = append(ids, n.Descriptor.ID)
		}
	}
	slices.Sort(ids)
	descs := make([]sarifDescriptor, len(ids))
	for i, id := range ids {
		descs[i] = noteDescriptors[id]
	}
	for i := range notes {
		notes[i].Descriptor.Index = slices.Index(ids, notes[i].Descriptor.ID)
	}
	return descs, notes
}

// sarifLevel maps a severity to the SARIF level GitHub filters on.
func sarifLevel(s finding.Severity) string {
	switch {
	case s >= finding.High:
		return "error"
	case s == finding.Medium:
		return "warning"
	}
	return "note"
}

// securitySeverity maps a severity to GitHub's score, in the middle of the
// band GitHub shows under the same name (critical above 9.0, high 7.0 to
// 8.9, medium 4.0 to 6.9, low 0.1 to 3.9).
func securitySeverity(s finding.Severity) string {
	switch s {
	case finding.Critical:
		return "9.5"
	case finding.High:
		return "8.0"
	case finding.Medium:
		return "5.5"
	case finding.Low:
		return "2.0"
	}
	return ""
}

// pathURI turns a root-relative report path into a relative URI
// reference: each segment percent-encoded, "/" kept. url.URL also guards
// a first segment holding a colon ("a:b" becomes "./a:b"), which would
// otherwise read as a scheme. An archive member keeps its OUTER!INNER
// path (the "!" escaped as %21): splitting it into the archive and a
// member would misread file names that contain a "!".
func pathURI(p string) string {
	return (&url.URL{Path: filepath.ToSlash(p)}).String()
}

// rootURI returns the file URI of an absolute root, ending in "/" as SARIF
// requires of a base URI. A relative root has no absolute URI without
// asking the filesystem, which a writer must not do; then the base is left
// undefined and consumers (GitHub among them) resolve paths against their
// own checkout.
func rootURI(root string) (string, bool) {
	if root == "" || !filepath.IsAbs(root) {
		return "", false
	}
	p := filepath.ToSlash(root)
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	if !strings.HasPrefix(p, "/") { // a Windows drive path: file:///C:/...
		p = "/" + p
	}
	return (&url.URL{Scheme: "file", Path: p}).String(), true
}

// sarifTime formats a time as SARIF wants it (UTC, RFC 3339), or "" for
// a time the scan did not record.
func sarifTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return jsonTime(t).Format(time.RFC3339)
}

// sarifMessage escapes the characters that SARIF plain-text messages use
// for embedded links ("[text](1)"), so that a file name or a reason cannot
// forge a link.
func sarifMessage(s string) string {
	if !strings.ContainsAny(s, `\[]`) {
		return s
	}
	return strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`).Replace(s)
}

// ruleName returns the rule's name: its title in PascalCase, or nothing
// when that only repeats the id (SARIF asks the two to differ).
func ruleName(id, title string) string {
	name := pascalCase(title)
	if strings.EqualFold(name, id) {
		return ""
	}
	return name
}

// pascalCase turns a detector's name into the identifier-like rule name
// SARIF viewers expect ("Email address" becomes "EmailAddress").
func pascalCase(s string) string {
	var b strings.Builder
	upper := true
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if upper {
				r = unicode.ToUpper(r)
			}
			b.WriteRune(r)
			upper = false
		default:
			upper = true
		}
	}
	return b.String()
}
