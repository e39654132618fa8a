//go:build unix

package config

import (
	"errors"
	"os"
	"syscall"
)

var errNotRegular = errors.New("not a regular file")

// openConfig opens a config file for reading only if it is a regular file.
// O_NONBLOCK makes a FIFO's open return at once instead of waiting for a
// writer; O_NOCTTY keeps a terminal device from becoming ours; for an
// untrusted file, O_NOFOLLOW refuses a symlink in the last element.
func openConfig(name string, trusted bool) (*os.File, error) {
	flags := os.O_RDONLY | syscall.O_NONBLOCK | syscall.O_NOCTTY
	if !trusted {
		flags |= syscall.O_NOFOLLOW
	}
	f, err := os.OpenFile(name, flags, 0)
	if err != nil {
		if errors.Is(err, syscall.ELOOP) {
			return nil, errors.New("is a symbolic link; a config file inside the scanned tree is not followed")
		}
		return nil, err
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = errNotRegular
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
