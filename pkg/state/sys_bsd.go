//go:build darwin || freebsd || netbsd || openbsd || dragonfly

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
		m.CtimeNs = st.Ctimespec.Nano()
	}
}

func mapFile(*os.File, int64) ([]byte, error) { return nil, errors.ErrUnsupported }

func unmapFile([]byte) {}
