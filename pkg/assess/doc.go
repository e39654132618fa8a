// Package assess judges how a file keeps the data found in it: in clear
// (unencrypted), readable or writable by others (unprotected), or kept past
// its retention period (stale), and gives the file a risk level. It reads
// only the file's findings and metadata, and takes "now" as an input so that
// judgements are reproducible in tests.
package assess
