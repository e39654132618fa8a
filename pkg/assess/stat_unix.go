//go:build unix

package assess

import "syscall"

func statSys(f *Facts, sys any) {
	st, ok := sys.(*syscall.Stat_t)
	if !ok || st == nil {
		return
	}
	f.OwnerKnown, f.UID, f.GID = true, int(st.Uid), int(st.Gid)
	f.Atime = atime(st)
}
