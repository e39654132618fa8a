//go:build !linux

package exposure

// Mounts returns the mount holding root. Outside Linux it does not read
// the mount table: it returns one mount whose encryption and transport are
// Unknown, so that a report says "unknown" rather than "not encrypted".
func Mounts(root string) ([]Mount, error) {
	return []Mount{{
		Path:       cleanRoot(root, true),
		Encryption: Unknown,
		Transport:  Unknown,
		Note:       "storage encryption is only examined on Linux",
	}}, nil
}
