// Package phoneplan parses and validates phone numbers with
// libphonenumber's numbering plans (github.com/nyaruka/phonenumbers), giving
// the same answers as its Parse, IsValidNumber and GetNumberType for the
// plain shapes validate.Phone lets through (digits, - . ( ) / and spaces,
// an optional leading +), at about a twentieth of the cost.
//
// Why: libphonenumber spends ~20-50 µs on one number. Parse runs a dozen
// general-purpose regular expressions (extensions, RFC 3966, alpha
// numbers) through a lock-guarded cache, and IsValidNumber matches the
// national number against up to eleven per-region patterns with Go's
// backtracking regexp engine. A scan of a dense CSV validates about a
// million numbers per 50 MB, which needs about 1 µs each.
//
// How: parsing is a port of parseHelper restricted to those shapes, where
// only the digits matter: the calling code, the region's international and
// national prefixes (with carrier codes and transform rules, through the
// same regular expressions when they are not plain literals) and the
// length checks, in libphonenumber's order. Validation runs one
// deterministic automaton per region over the digits of the national
// number: built on first use by subset construction from the region's
// general pattern, its ten number-type patterns and its leading digits, it
// tells in one pass which of them match, and the possible lengths are
// checked against the length of the number. It is exact because it is
// built from the same metadata patterns (which strings a regular expression
// matches does not depend on the engine), and the tests compare every step
// with libphonenumber on large generated corpora. Metadata that uses
// something this package does not implement (an anchor inside a number
// pattern, say) yields an error wrapping errUnsupported, and the caller
// falls back to libphonenumber.
package phoneplan
