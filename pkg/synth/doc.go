// Package synth makes synthetic personal data for tests, benchmarks and
// testdata/sample: names, addresses, card numbers, IBANs and national IDs
// whose check digits are right, plus look-alikes (UUIDs, hashes,
// timestamps, ISBNs, order numbers) that a detector must not report.
//
// A Gen is deterministic: the same seed gives the same values, so a
// failing test or a generated sample tree can be reproduced. Values are
// synthetic by construction, never sampled from real records, and use
// ranges set aside for fiction where they exist: example.com-style
// domains, Ofcom's drama telephone numbers and the NANP 555-01xx block,
// the IPv4 and IPv6 documentation prefixes. Check digits are computed
// here, independently of pkg/validate, so that the tests of each package
// cross-check the other. The scanner never imports this package.
package synth
