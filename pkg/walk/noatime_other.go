//go:build unix && !linux

package walk

const noatime = 0
