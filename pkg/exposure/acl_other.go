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

// ReadACLFile is ReadACL on an open file; outside Linux it returns
// errors.ErrUnsupported.
func ReadACLFile(f *os.File) (ACL, error) {
	return ReadACL(f.Name())
}
