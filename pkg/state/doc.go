// Package state is the scanner's memory between runs: an embedded SQLite
// database (modernc.org/sqlite, pure Go) in a state directory that holds
// the history of runs, the incremental cache that lets a nightly re-scan
// skip unchanged files, the run lock that keeps two cron jobs apart, and
// the secret that keys value fingerprints. docs/state.md documents the
// directory and the schema.
//
// Design choices:
//
//   - The cache is keyed by what stat says (size, mtime, ctime, inode,
//     device) plus a hash of everything else that shapes a result (rules,
//     options, key, version: RunInfo.RulesHash). Cache loads one root's
//     rows in a single query into a map, so an unchanged tree costs a map
//     lookup per file, and Recorder writes nothing for a file the cache
//     answered: a nightly run over 100k unchanged files writes one run
//     row and the results it reports.
//   - Results are stored without raw values, whatever --show-values says,
//     and fingerprints are HMACs under the per-state secret: the state
//     directory is not itself a store of personal data.
//   - Writes are batched into transactions by one goroutine. SQLite in WAL
//     mode makes each batch all-or-nothing, so a run killed with SIGKILL
//     leaves a consistent database; the run lock is a flock, which the
//     kernel releases when the holder dies, and the next run marks the
//     dead run "interrupted".
//
// Wiring into a scan (the CLI maps flags; *LockedError means "exit at
// once, saying who holds the lock"):
//
//	st, err := state.Open(dir) // --state, else state.DefaultDir()
//	defer st.Close()
//	release, err := st.Lock(root)
//	defer release()
//	var cache *state.Cache // nil: read every file (--full, --show-values)
//	if !full && !showValues {
//		cache, err = st.Cache(root, rulesHash)
//	}
//	prev, err := st.LastRuns(root, 1) // for --new-only: before Finish
//	rec, err := st.StartRun(state.RunInfo{Root: root, ToolVersion: version,
//		RulesHash: rulesHash, Full: full, Partial: paths != nil, Options: shown}, cache)
//	defer rec.Abort() // no-op after Finish
//
//	// per walk entry e, in the workers:
//	m := state.MetaOf(e.Info)
//	if res, hit := cache.Lookup(e.Rel, m); hit != state.Miss {
//		// refresh Mode from e.Info, assess.Assess(&res[i], ...) again
//		rec.File(e.Rel, m, res, hit)
//	} else {
//		r := scanFile(e) // as today
//		rec.File(e.Rel, m, []finding.FileResult{r}, state.Miss)
//	}
//
//	err = rec.Finish(rep.Summary) // after the workers are done
//
// Cached results carry no raw values, so a --show-values run must not
// use the cache (pass nil). Re-assessing hits matters: staleness depends
// on the clock and unprotected on the mode, neither of which the cache
// key covers. Optionally, when Lookup misses and cache.WantsHash says a
// stored row of the same size has a content hash, hash the file
// (HashContent, far cheaper than detection), set m.ContentHash and look
// up again: a touched or copied file then hits with SameContent.
//
// History: Runs and Run list runs, Results returns a run's reportable
// results, Diff compares two runs' results (`diff`, by default
// LastRuns(root, 2)) and NewOnly reduces a scan's results to what is new
// since the previous run (`scan --new-only`). Prune bounds the history.
package state
