// Package baseline records the findings a team has accepted, so that a
// scan fails only on new ones (`scan --baseline FILE`, `baseline create`).
//
// A baseline file is versioned JSON holding, per file and detector, the
// occurrence count and the keyed fingerprints (pkg/finding
// Location.Fingerprint) of the values found: never a value, masked or not.
// Matching by fingerprint rather than by line is the design choice: a
// value that moves (rows inserted above it, a file re-sorted) stays
// accepted, while a new value on an old line does not. Fingerprints are
// HMACs under the state's secret, so the file reveals nothing without it,
// and it records the key's id so that a scan with another key is refused
// rather than reporting everything as new.
//
// Reports list at most a capped number of locations per finding (detect
// MaxLocations); occurrences beyond it have no fingerprint. Those, and
// findings from a scan without a key, are matched by count: a finding is
// accepted up to the number of occurrences it had when the baseline was
// made, so growth still shows.
package baseline
