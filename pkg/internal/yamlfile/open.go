package yamlfile

import (
	"errors"
	"os"
)

// Errors Open returns besides the os ones.
var (
	ErrNotRegular = errors.New("not a regular file")
	// ErrSymlink is returned for a symlink when OpenOptions.NoFollow is set.
	ErrSymlink = errors.New("is a symbolic link")
)

// OpenOptions say what Open accepts.
type OpenOptions struct {
	// NoFollow refuses a symlink in the last element of the name, with
	// ErrSymlink: for a file in the scanned tree, whose owner could point
	// it at a file of the operator's that messages would then quote.
	NoFollow bool
}

// checkRegular returns f if it is a regular file, else closes it.
func checkRegular(f *os.File) (*os.File, error) {
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = ErrNotRegular
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
