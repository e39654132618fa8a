// Package mask turns a raw value into the form reports may show, one style
// per data class: cards keep their first and last four digits, e-mail
// addresses their first letter and domain, secrets nothing at all.
//
// Masking is the last line between a finding and a leak, so every style
// errs towards hiding. Letters and digits are replaced one for one by '*'
// and separators are kept, which shows the shape of the value (enough to
// recognise it) but not its content. Whatever the style, Mask never
// returns its input unchanged and never shows more than four consecutive
// digits of it; FuzzMask checks both. A style that does not fit the value
// (a "card" with six digits, an "ip" that does not parse) falls back to
// the default style rather than guessing.
package mask
