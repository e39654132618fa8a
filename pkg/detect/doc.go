// Package detect runs a compiled ruleset over the chunks a reader yields and
// produces findings that are already masked: a raw value leaves this package
// only when the caller asked for raw values (--show-values).
//
// Work per line is ordered from cheap to dear. One pass over the line
// counts its digits and letters and notes which bytes it holds; from
// these a gate table (gates.go) tells, with a few word operations, which
// patterns can match at all: a cell without '@' never reaches the email
// pattern, nor a cell of a few digits the card patterns. Patterns that
// pass run their hand-written matcher (see ruleset) or their regular
// expression on windows around anchor bytes. Candidates then go through
// overlap resolution, in favour of the longest, so that the first twelve
// digits of a card number are not also reported as an Aadhaar number, and
// only a candidate that would be kept is validated (checksums, numbering
// plans) and checked against exclusions: a phone number found by two
// patterns is validated once. None of this changes what is found: the
// equivalence test compares the engine with running every expression on
// whole lines.
//
// A pattern matches within one line of text, or within one table cell.
package detect
