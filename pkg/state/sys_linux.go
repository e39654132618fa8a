//go:build linux

package state

import (
	"io/fs"
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
