// Package xmlscan is the bounded, streaming pull tokenizer that the
// office and xlsx readers use for the XML parts of their containers.
//
// encoding/xml would do, but it allocates a token, names and attributes
// for every element and copies every piece of text; a worksheet or a
// document body is millions of tiny elements around the few values we
// want. A Scanner reads through a window that grows only to hold one tag
// (up to MaxTagLen), hands out names and attribute values as slices of
// it, parses attributes only when asked (Attr and EachAttr decode only
// the values wanted) and decodes text only when the caller wants it, in
// pieces of at most Options.MaxText bytes.
//
// It follows encoding/xml wherever the two could disagree on well-formed
// input (name rules and the one-colon split, the five predefined entities
// and character references, "\r\n" and "\r" read as "\n", CDATA as text,
// directives skipped by the same rules, a declared encoding transcoded),
// so that a reader built on it can be checked against one built on
// encoding/xml. It checks element names, that end tags match start tags,
// that nesting stays under Options.MaxDepth, and that the attributes and
// text it decodes are valid UTF-8 made of XML characters; it does not
// check what it skips. Entities other than the predefined ones are
// errors and a DOCTYPE is skipped, so nothing is ever expanded. Errors
// never quote the document, which is the data being audited.
//
// What differs between callers is an option: namespace resolution
// against a caller's table of URIs (Options.Namespaces), whether a
// self-closing element also gives an End token (Options.EmptyEnd), and
// whether a document without a root element is an error
// (Options.RequireRoot).
package xmlscan
