//go:build linux

package state

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

const noFollow = syscall.O_NOFOLLOW

func sysMeta(fi fs.FileInfo, m *Meta) {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		m.Inode = uint64(st.Ino)
		m.Dev = uint64(st.Dev)
		m.CtimeNs = st.Ctim.Nano()
	}
}

// mapFile maps size bytes of f read-only, faulted in at once
// (MAP_POPULATE). See readSnapshot for why and for the rules.
func mapFile(f *os.File, size int64) ([]byte, error) {
	if size <= 0 || size != int64(int(size)) {
		return nil, errors.ErrUnsupported
	}
	return syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_PRIVATE|syscall.MAP_POPULATE)
}

func unmapFile(b []byte) { _ = syscall.Munmap(b) }
