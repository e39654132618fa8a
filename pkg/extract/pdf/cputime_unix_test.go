//go:build unix

package pdf

import (
	"syscall"
	"time"
)

// cpuTime is the process's CPU time so far: on a shared machine it
// measures the reader better than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
