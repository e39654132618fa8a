//go:build !unix

package yamlfile

import "os"

// Open opens name read-only if it is a regular file, else fails with
// ErrNotRegular (or ErrSymlink, see OpenOptions). Without O_NOFOLLOW and
// O_NONBLOCK it checks with Lstat (Stat when following) before opening,
// which is racy; the tool targets unix systems (see pkg/walk).
func Open(name string, opts OpenOptions) (*os.File, error) {
	stat := os.Stat
	if opts.NoFollow {
		stat = os.Lstat
	}
	fi, err := stat(name)
	if err != nil {
		return nil, err
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		return nil, ErrSymlink
	}
	if !fi.Mode().IsRegular() {
		return nil, ErrNotRegular
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	return checkRegular(f)
}
