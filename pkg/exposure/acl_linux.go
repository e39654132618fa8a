//go:build linux

package exposure

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

const xattrACL = "system.posix_acl_access"

// ReadACL reads the POSIX access ACL of path without following a symlink.
// A file without one, or on a filesystem without ACLs, has an empty ACL
// and no error. Errors name the path.
func ReadACL(path string) (ACL, error) {
	get := func(buf []byte) (int, error) { return unix.Lgetxattr(path, xattrACL, buf) }
	// Most ACLs have a handful of entries: try a small buffer first and
	// ask for the size only when it is too small.
	buf := make([]byte, 4+8*16)
	for try := 0; try < 4; try++ {
		n, err := get(buf)
		switch {
		case err == nil && n > len(buf):
			continue // only with an empty buffer, which we never pass
		case err == nil:
			a, err := DecodeACL(buf[:n])
			if err != nil {
				return ACL{}, fmt.Errorf("%s: %w", path, err)
			}
			return a, nil
		case errors.Is(err, unix.ENODATA) || errors.Is(err, unix.EOPNOTSUPP):
			return ACL{}, nil
		case errors.Is(err, unix.EINTR):
			continue
		case errors.Is(err, unix.ERANGE):
			// The ACL grew between calls or is large: size it.
			size, err := get(nil)
			if err != nil {
				continue
			}
			if size > maxACLBytes {
				return ACL{}, fmt.Errorf("%s: %w: %d bytes, more than %d", path, ErrInvalidACL, size, maxACLBytes)
			}
			buf = make([]byte, max(size, len(buf)))
			continue
		default:
			return ACL{}, &os.PathError{Op: "reading ACL", Path: path, Err: err}
		}
	}
	return ACL{}, &os.PathError{Op: "reading ACL", Path: path, Err: errors.New("ACL kept changing size")}
}
