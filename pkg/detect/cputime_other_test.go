//go:build !unix

package detect

func cpuTime() int64 { return -1 }
