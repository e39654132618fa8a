//go:build linux

package exposure

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// benchTree makes 10,000 files in 100 directories; withACL of every 10
// files get a named-user ACL.
func benchTree(b *testing.B, withACL int) []string {
	b.Helper()
	base := b.TempDir()
	acl := encodeACL(2, userObj, user1, groupObj, maskR, otherNo)
	var files []string
	for d := 0; d < 100; d++ {
		dir := filepath.Join(base, fmt.Sprintf("d%03d", d))
		if err := os.Mkdir(dir, 0o755); err != nil {
			b.Fatal(err)
		}
		for f := 0; f < 100; f++ {
			p := filepath.Join(dir, fmt.Sprintf("f%03d.csv", f))
			if err := os.WriteFile(p, nil, 0o640); err != nil {
				b.Fatal(err)
			}
			if f%10 < withACL {
				if err := unix.Lsetxattr(p, xattrACL, acl, 0); err != nil {
					b.Skipf("no ACLs on %s: %v", base, err)
				}
			}
			files = append(files, p)
		}
	}
	return files
}

// Run: nice -n 19 go test -run '^$' -bench . -benchtime 20x ./pkg/exposure/
// Each op covers the 10,000 files; ns/file is the cost the scan pays per file.
func BenchmarkReadACL10k(b *testing.B) {
	for _, withACL := range []int{0, 1, 10} {
		b.Run(fmt.Sprintf("acl=%d0%%", withACL), func(b *testing.B) {
			files := benchTree(b, withACL)
			start := time.Now()
			for b.Loop() {
				for _, f := range files {
					if _, err := ReadACL(f); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(b.N*len(files)), "ns/file")
		})
	}
}

func BenchmarkDirs10k(b *testing.B) {
	files := benchTree(b, 0)
	start := time.Now()
	for b.Loop() {
		var d Dirs // cold: 100 lstats and 10,000 lookups
		for _, f := range files {
			if _, _, err := d.WorldWritable(filepath.Dir(f)); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(b.N*len(files)), "ns/file")
}

func BenchmarkMountsLive(b *testing.B) {
	for b.Loop() {
		if _, err := Mounts("/"); err != nil {
			b.Fatal(err)
		}
	}
}
