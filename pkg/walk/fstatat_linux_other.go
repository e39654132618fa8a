//go:build linux && !amd64 && !arm64

package walk

import "golang.org/x/sys/unix"

func fstatat(dirfd int, name string, st *unix.Stat_t, flags int) error {
	return unix.Fstatat(dirfd, name, st, flags)
}
