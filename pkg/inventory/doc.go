// Package inventory turns a scan's file results into a data map: which
// kinds of personal data are held, in which folders, how much, how old, and
// how well kept (unencrypted, unprotected, stale, prohibited; encrypted
// files as the good sign). It answers "what customer data do we hold, and
// where?" for a records-of-processing register or an audit, where a scan
// report answers "which files are wrong?".
//
// Build aggregates per folder, cut to Options.Depth path components below
// the scan root, so that a share of 100,000 files becomes a page of
// folders. An archive member (OUTER!INNER) counts under its outer file's
// folder: that is where the data sits on disk.
//
// The package sits below pkg/report and imports only pkg/finding: the
// report's html format draws its folder chart and data map from an
// Inventory, and an inventory needs nothing but the files. Its own
// renderings (table, json, csv, markdown) are in one file each, like the
// report's; docs/inventory.md documents the JSON fields and CSV columns,
// which are public API within schema datahygiene/inventory/v1.
//
// Everything here is counting: an Inventory holds detector names, folder
// paths, counts and times, never a sample or a value, so no rendering of it
// can show personal data.
package inventory
