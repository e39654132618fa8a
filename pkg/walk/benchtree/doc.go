// Package benchtree generates the synthetic trees of small files that the
// walk benchmarks run on, once per shape, and times find(1) on them, so that
// the benchmark in pkg/walk and scripts/walkbench measure the same tree the
// same way. A tree is deterministic for its Shape and cached in a directory
// with a marker file naming the shape (written last, so a half-generated
// tree is never taken for a whole one); regenerating 200,000 files takes
// seconds, walking them a fraction of one. The files hold short synthetic
// text, never PII: the walk does not read them.
package benchtree
