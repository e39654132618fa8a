//go:build !linux

package exposure

import (
	"errors"
	"os"
)

// ReadACL reads the POSIX access ACL of path. Only Linux stores them in
// the system.posix_acl_access xattr; elsewhere it returns
// errors.ErrUnsupported, so that a caller can tell "no ACL" from "not
// examined".
func ReadACL(path string) (ACL, error) {
	return ACL{}, &os.PathError{Op: "reading ACL", Path: path, Err: errors.ErrUnsupported}
}
