//go:build !linux

package exposure

import (
	"errors"
	"os"
)

// DirEncrypted reports whether directory path has an fscrypt policy. Only
// Linux has fscrypt; elsewhere it returns errors.ErrUnsupported.
func DirEncrypted(path string) (bool, error) {
	return false, &os.PathError{Op: "reading fscrypt policy", Path: path, Err: errors.ErrUnsupported}
}
