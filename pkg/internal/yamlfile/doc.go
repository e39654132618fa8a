// Package yamlfile holds what pkg/config and pkg/policy share to read a
// YAML file a user wrote, safely, and to report problems in it as
// file:line with a "did you mean" hint: opening only a regular file
// (Open), finding the document's top node (Top, Deref, IsNull), taking the
// line out of a yaml.v3 error (SyntaxError), and quoting what the file
// says so that a message cannot carry terminal escapes (Quote, Printable,
// MaskControls).
//
// The callers build their own error types and wording; this package
// returns plain values and sentinel errors, so that a message each
// package's tests pin stays that package's. Where the two packages grew
// different behaviour (how close a suggestion must be, how an unprintable
// origin is shown), both are kept and chosen explicitly.
package yamlfile
