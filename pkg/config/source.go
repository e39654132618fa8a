package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/datahygiene/datahygiene/pkg/internal/yamlfile"
)

// RootFile is the config file looked for at the root of the scanned tree.
const RootFile = ".datahygiene.yaml"

// UserFile returns the user's config file inside configDir (as
// os.UserConfigDir returns it): configDir/datahygiene/config.yaml.
func UserFile(configDir string) string {
	return filepath.Join(configDir, "datahygiene", "config.yaml")
}

// Locations says where a scan's config files are.
type Locations struct {
	// UserConfigDir is os.UserConfigDir(); "" skips the user file.
	UserConfigDir string
	// Root is the scan root; Root/.datahygiene.yaml is read when Root is
	// a directory.
	Root string
	// Explicit is --config FILE. It is read instead of the user file, so
	// a cron job does not depend on what the account's own config says,
	// and it must exist.
	Explicit string
	// NoConfig (--no-config) skips the user file and the root file; an
	// explicit file is still read.
	NoConfig bool
}

// Read returns the config files of a scan in the order they apply: the
// user file (or the explicit one), then the root file. Missing user and
// root files are skipped. The same sources carry the rules: pass their
// Data to the rule loader rather than reading the files again, so both
// see the same bytes.
//
// The root file is untrusted: it is opened without following a symlink
// (a link could lead to a file of the operator's that the tree's owner
// cannot read, and messages quote what they find) and, like every config
// file, only if it is a regular file, without blocking on a FIFO, and
// only up to MaxFileSize.
func Read(loc Locations) ([]Source, error) {
	var srcs []Source
	switch {
	case loc.Explicit != "":
		s, err := readSource(loc.Explicit, true, true)
		if err != nil {
			return nil, err
		}
		srcs = append(srcs, s)
	case !loc.NoConfig && loc.UserConfigDir != "":
		s, err := readSource(UserFile(loc.UserConfigDir), true, false)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		if err == nil {
			srcs = append(srcs, s)
		}
	}
	if !loc.NoConfig && loc.Root != "" {
		if fi, err := os.Stat(loc.Root); err == nil && fi.IsDir() {
			s, err := readSource(filepath.Join(loc.Root, RootFile), false, false)
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, err
			}
			if err == nil {
				srcs = append(srcs, s)
			}
		}
	}
	return srcs, nil
}

// ReadFile reads one config file into a Source, with the checks Read
// makes. A trusted file may be a symlink (dotfile managers make them).
func ReadFile(name string, trusted bool) (Source, error) {
	return readSource(name, trusted, true)
}

// readSource reads name. A missing file yields an error wrapping
// fs.ErrNotExist, which callers that merely look for the file skip.
func readSource(name string, trusted, mustExist bool) (Source, error) {
	f, err := yamlfile.Open(name, yamlfile.OpenOptions{NoFollow: !trusted})
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) && !mustExist {
			return Source{}, err
		}
		msg := strings.TrimPrefix(err.Error(), "open "+name+": ")
		if errors.Is(err, yamlfile.ErrSymlink) {
			msg = "is a symbolic link; a config file inside the scanned tree is not followed"
		}
		return Source{}, &Error{File: name, Msg: msg, Err: err}
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return Source{}, &Error{File: name, Msg: fmt.Sprintf("reading: %v", errors.Unwrap(err)), Err: err}
	}
	// Let Apply report the size, so the message is the same for data
	// that did not come from a file.
	return Source{Name: name, Data: b, Trusted: trusted}, nil
}
