//go:build linux

package exposure

import (
	"fmt"
	"testing"

	"golang.org/x/sys/unix"
)

// statDevice returns path's device as major:minor.
func statDevice(t *testing.T, path string) (string, bool) {
	t.Helper()
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		t.Errorf("stat %s: %v", path, err)
		return "", false
	}
	return fmt.Sprintf("%d:%d", unix.Major(st.Dev), unix.Minor(st.Dev)), true
}
