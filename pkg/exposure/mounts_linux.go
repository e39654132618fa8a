//go:build linux

package exposure

// Mounts returns the mount holding root, then every visible mount below
// root sorted by path, read from /proc/self/mountinfo and /sys.
func Mounts(root string) ([]Mount, error) {
	return MountsWith(root, Options{})
}
