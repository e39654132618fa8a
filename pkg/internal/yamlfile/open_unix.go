//go:build unix

package yamlfile

import (
	"errors"
	"os"
	"syscall"
)

// Open opens name read-only if it is a regular file, else fails with
// ErrNotRegular (or ErrSymlink, see OpenOptions). O_NONBLOCK makes a
// FIFO's open return at once instead of waiting for a writer, so a FIFO or
// device given by mistake cannot block; O_NOCTTY keeps a terminal from
// becoming ours. The file is checked with fstat once open, so nothing can
// swap it in between.
func Open(name string, opts OpenOptions) (*os.File, error) {
	flags := os.O_RDONLY | syscall.O_NONBLOCK | syscall.O_NOCTTY
	if opts.NoFollow {
		flags |= syscall.O_NOFOLLOW
	}
	f, err := os.OpenFile(name, flags, 0)
	if err != nil {
		if opts.NoFollow && errors.Is(err, syscall.ELOOP) {
			return nil, ErrSymlink
		}
		return nil, err
	}
	return checkRegular(f)
}
