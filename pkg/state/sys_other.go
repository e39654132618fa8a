//go:build !linux && !darwin && !freebsd && !netbsd && !openbsd && !dragonfly

package state

import "io/fs"

// noFollow is 0 where O_NOFOLLOW does not exist; the Lstat checks before
// each open still refuse a symlink.
const noFollow = 0

func sysMeta(fs.FileInfo, *Meta) {}
