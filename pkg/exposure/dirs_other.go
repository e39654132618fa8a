//go:build !unix

package exposure

import (
	"errors"
	"os"
)

// Outside Unix, mode bits do not say who may write (Windows has ACLs and
// Go reports every writable directory as 0777): say so instead of guessing.
func dirMode(dir string) (writable, sticky bool, err error) {
	return false, false, &os.PathError{Op: "checking who may write", Path: dir, Err: errors.ErrUnsupported}
}
