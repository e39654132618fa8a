// Package finding is the vocabulary every stage of the scan pipeline shares:
// severities, locations, findings, issues, file statuses and the per-file
// result. It has no behaviour beyond parsing and printing these values, so
// that walk, extract, detect, assess and report can talk without importing
// each other.
package finding
