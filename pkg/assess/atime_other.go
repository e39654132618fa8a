//go:build unix && !(linux || openbsd || solaris || illumos || darwin || ios || freebsd || netbsd || dragonfly)

package assess

import (
	"syscall"
	"time"
)

// atime is unknown where Stat_t's layout is not known to this package.
func atime(*syscall.Stat_t) time.Time { return time.Time{} }
