//go:build unix

package policy

import (
	"os"
	"syscall"
)

// openRegular opens name read-only. O_NONBLOCK makes a FIFO's open return
// at once instead of waiting for a writer; O_NOCTTY keeps a terminal from
// becoming ours.
func openRegular(name string) (*os.File, error) {
	f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, err
	}
	return checkRegular(f)
}
