// Package policy reads the data policy an organisation writes down: how
// long each data class may be kept (retention), what counts as unprotected
// (mode bits, ACLs, owners, world-writable folders, shared locations),
// which data the business must not hold at all (prohibited), severity
// overrides and risk weights, and exceptions that accept issues with a
// reason. pkg/assess applies it to each file.
//
// A policy lives in the `policy:` section of a YAML file: the built-in
// rules/policy.yaml, the config files, --rules files and a --policy FILE,
// merged in that order. A later source wins per key (one scalar, one list,
// or one entry of a per-class or per-detector map); exceptions add up.
// Load always starts from the built-in policy, so every setting has a value
// and an origin (file:line) that `datahygiene policy show` prints.
//
// The YAML is walked as yaml.Node rather than decoded into structs: every
// key, value and list item keeps its line, so each problem (an unknown key,
// class or detector, a bad duration, a missing reason) is an *Error naming
// the file and line. The format (YAML) is kept apart from the compiled
// form (Policy), which is immutable once loaded and safe to share between
// goroutines.
package policy
