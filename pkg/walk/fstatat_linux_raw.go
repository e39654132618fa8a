//go:build linux && (amd64 || arm64)

package walk

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// fstatat is unix.Fstatat without its allocation: unix.Fstatat copies the
// name to the heap to add a NUL, once per file; here the copy goes to the
// stack. Only where newfstatat fills a unix.Stat_t as is.
func fstatat(dirfd int, name string, st *unix.Stat_t, flags int) error {
	var buf [256]byte // NAME_MAX is 255: every name from getdents fits
	if len(name) >= len(buf) {
		return unix.Fstatat(dirfd, name, st, flags)
	}
	copy(buf[:], name)
	buf[len(name)] = 0
	_, _, errno := unix.Syscall6(unix.SYS_NEWFSTATAT, uintptr(dirfd), uintptr(unsafe.Pointer(&buf[0])), uintptr(unsafe.Pointer(st)), uintptr(flags), 0, 0)
	if errno != 0 {
		return errno
	}
	return nil
}
