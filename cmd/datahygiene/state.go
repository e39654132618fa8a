package main

import (
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/pflag"

	"github.com/datahygiene/datahygiene/pkg/ruleset"
	"github.com/datahygiene/datahygiene/pkg/state"
)

// stateOptions are the flags that choose the state directory, shared by
// scan, history, diff and baseline.
type stateOptions struct {
	dir     string
	noState bool
}

func (o *stateOptions) addFlags(fs *pflag.FlagSet) {
	fs.StringVar(&o.dir, "state", "", "keep run history and the incremental cache in `DIR` (default $XDG_STATE_HOME/datahygiene)")
	fs.BoolVar(&o.noState, "no-state", false, "keep no history and no cache: read every file, remember nothing")
}

// open opens the state directory, or returns nil with --no-state.
func (o *stateOptions) open() (*state.Store, error) {
	if o.noState {
		return nil, nil
	}
	dir := o.dir
	if dir == "" {
		var err error
		if dir, err = state.DefaultDir(); err != nil {
			return nil, err
		}
	}
	return state.Open(dir)
}

// openWithKey opens the state (nil with --no-state) and finds the
// fingerprint key; the caller closes the store.
func (o *stateOptions) openWithKey() (*state.Store, []byte, error) {
	store, err := o.open()
	if err != nil {
		return nil, nil, err
	}
	key, err := fingerprintKey(store)
	if err != nil {
		if store != nil {
			store.Close()
		}
		return nil, nil, usageError{err}
	}
	return store, key, nil
}

// keyEnv names the variable that supplies the fingerprint key, so that CI
// runners without a shared state directory fingerprint values the same
// way (store it as a CI secret: with it, fingerprints of low-entropy
// values such as ID numbers can be brute-forced).
const keyEnv = "DATAHYGIENE_FINGERPRINT_KEY"

// fingerprintKey is the key for value fingerprints: $DATAHYGIENE_FINGERPRINT_KEY
// (hex, at least 16 bytes), else the state's secret, else none.
func fingerprintKey(st *state.Store) ([]byte, error) {
	if v := strings.TrimSpace(os.Getenv(keyEnv)); v != "" {
		k, err := hex.DecodeString(v)
		if err != nil || len(k) < 16 {
			return nil, fmt.Errorf("%s: want at least 32 hex digits (e.g. from `openssl rand -hex 32`)", keyEnv)
		}
		return k, nil
	}
	if st != nil {
		return st.Key(), nil
	}
	return nil, nil
}

// rootKey is how the state names a scan root: its absolute, clean path,
// so that cron and a shell in another folder share history.
func rootKey(root string) string {
	if abs, err := filepath.Abs(root); err == nil {
		return abs
	}
	return root
}

// rulesHash identifies everything besides a file's bytes that shapes its
// result: tool version, the rule, config and allowlist sources as they
// were compiled, reader limits, detector options and the fingerprint key.
// A change makes every file be read again.
//
// The data policy is deliberately not part of it: the scan assesses cached
// results again under the current policy (issues, risk, exceptions), and
// assess restarts each finding's severity from its rule's before applying
// the policy's overrides (assess.Options.RuleSeverity). A policy change
// therefore never costs a full re-read.
func rulesHash(o *scanOptions, srcs []ruleset.Source, key []byte) string {
	parts := []string{toolVersion(), hex.EncodeToString(key)}
	for _, s := range srcs {
		parts = append(parts, s.Name, string(s.Data))
	}
	parts = append(parts, fmt.Sprint(o.maxSize, o.archiveLimits(), o.pdfLimits(), o.followSymlinks, o.oneFileSystem, o.excludes))
	return state.HashParts(parts...)
}

// historyOptions are the settings shown for a run in `history`.
func historyOptions(o *scanOptions) map[string]string {
	m := map[string]string{}
	if len(o.excludes) > 0 {
		m["exclude"] = strings.Join(o.excludes, " ")
	}
	if len(o.ruleFiles) > 0 {
		m["rules"] = strings.Join(o.ruleFiles, " ")
	}
	if o.full {
		m["full"] = "true"
	}
	return m
}

// lockHint explains a held lock in words a cron mail reader acts on.
func lockHint(err error) error {
	var le *state.LockedError
	if errors.As(err, &le) {
		return fmt.Errorf("%w (another scan is running; this one did not start)", err)
	}
	return err
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
