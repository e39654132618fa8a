// Package assess judges how a file keeps the data found in it, by the
// data policy (pkg/policy): in clear (unencrypted), exposed to others
// (unprotected: mode bits, ACLs, owner, a world-writable folder, a shared
// location), kept past its retention (stale), or not to be held at all
// (prohibited). It applies the policy's severity overrides to the
// findings, sets aside the issues an exception accepts, and gives the file
// a risk level.
//
// It never touches the file system: what it knows about a file comes in a
// Facts struct, which the scan fills from the walk's stat (StatFacts) and,
// where it reads them, ACLs and the parent folder's mode. "Now" is an
// input, so judgements are reproducible in tests. Assess is idempotent,
// and a cached result assessed again under another policy comes out as a
// fresh one would: severities restart from the rule's (Options.RuleSeverity).
package assess
