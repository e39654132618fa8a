// Package validate holds the checksum and format validators that rules refer
// to by name (luhn, credit_card, iban_mod97, verhoeff, elfproef, …). Each
// validator is a pure func(string) bool that takes the raw text a rule's
// regexp matched, separators and all, and answers whether it is a plausible
// instance of its data class.
//
// Validators are where a detector buys its precision: a regexp for "16
// digits" matches order numbers and timestamps too, and only the checksum,
// the issuer ranges and the grouping tell a card from them. So each
// validator implements the real rules of its identifier (check digits,
// allocated ranges, numbers known to be invalid) and is strict about
// separators: they may be stripped, but a value mixing them or grouping its
// digits in a way the identifier is never written is rejected.
//
// The package is stdlib-only except for phone numbers, which need
// libphonenumber's per-country numbering plans (github.com/nyaruka/phonenumbers).
package validate
