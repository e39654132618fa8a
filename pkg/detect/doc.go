// Package detect runs a compiled ruleset over the chunks a reader yields and
// produces findings that are already masked: a raw value leaves this package
// only when the caller asked for raw values (--show-values).
//
// Work per line is ordered from cheap to dear: a byte loop counts digits and
// each pattern's required bytes ('@' for an email) are looked up with
// bytes.IndexByte, so most lines never reach a regular expression; regex
// candidates are then validated (checksums, ranges), checked against
// exclusions and context, and finally overlapping candidates of different
// rules are resolved in favour of the longest, so that the first twelve
// digits of a card number are not also reported as an Aadhaar number.
//
// A pattern matches within one line of text, or within one table cell.
package detect
