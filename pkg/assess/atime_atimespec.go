//go:build darwin || ios || freebsd || netbsd || dragonfly

package assess

import (
	"syscall"
	"time"
)

func atime(st *syscall.Stat_t) time.Time { return time.Unix(st.Atimespec.Unix()) }
