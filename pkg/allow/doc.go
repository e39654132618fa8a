// Package allow applies allowlists: entries in the `allow:` section of a
// rule or config file that accept some findings, each with a required
// reason that the report shows next to what was left out.
//
// An entry names paths (gitignore syntax, matched against the file's path
// and its folders; an archive member also matches by its outer path),
// detectors, keyed fingerprints of values (finding.Location.Fingerprint),
// or a mix: a finding is accepted when it matches every field the entry
// sets. Accepted occurrences move from Findings to Suppressed, before the
// file is assessed, so an accepted file is not flagged for them.
package allow
