package exposure

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
)

func TestParseMountinfoLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		line string
		want mountEntry
	}{{
		name: "proc(5) example with optional field",
		line: `36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue`,
		want: mountEntry{id: 36, parent: 35, major: 98, minor: 0, root: "/mnt1", point: "/mnt2",
			mountOpts: []string{"rw", "noatime"}, fsType: "ext3", source: "/dev/root",
			superOpts: []string{"rw", "errors=continue"}},
	}, {
		name: "no optional fields (this VM)",
		line: `26 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard,resv_strict,resuid=65534,resgid=65534`,
		want: mountEntry{id: 26, parent: 1, major: 254, minor: 0, root: "/", point: "/",
			mountOpts: []string{"rw", "relatime"}, fsType: "ext4", source: "/dev/vda",
			superOpts: []string{"rw", "discard", "resv_strict", "resuid=65534", "resgid=65534"}},
	}, {
		name: "several optional fields",
		line: `61 28 259:1 / /boot/efi rw,relatime shared:69 master:3 propagate_from:2 unbindable - vfat /dev/nvme0n1p1 rw,fmask=0077`,
		want: mountEntry{id: 61, parent: 28, major: 259, minor: 1, root: "/", point: "/boot/efi",
			mountOpts: []string{"rw", "relatime"}, fsType: "vfat", source: "/dev/nvme0n1p1",
			superOpts: []string{"rw", "fmask=0077"}},
	}, {
		name: "escaped space, tab, newline and backslash",
		line: `48 28 253:6 /photos\0402024 /media/alice/Backup\040Disk\011x\012y\134z rw - ext4 /dev/mapper/luks\040backup rw`,
		want: mountEntry{id: 48, parent: 28, major: 253, minor: 6, root: "/photos 2024",
			point: "/media/alice/Backup Disk\tx\ny\\z", mountOpts: []string{"rw"}, fsType: "ext4",
			source: "/dev/mapper/luks backup", superOpts: []string{"rw"}},
	}, {
		name: "empty source shows as two spaces",
		line: `74 28 0:74 / /mnt/odd rw,relatime shared:134 - tmpfs  rw,size=64k`,
		want: mountEntry{id: 74, parent: 28, major: 0, minor: 74, root: "/", point: "/mnt/odd",
			mountOpts: []string{"rw", "relatime"}, fsType: "tmpfs", source: "",
			superOpts: []string{"rw", "size=64k"}},
	}, {
		name: "escaped comma stays inside its option",
		line: `63 28 0:62 / /merged rw - overlay overlay rw,lowerdir=/a\054b:/c,upperdir=/u\075v`,
		want: mountEntry{id: 63, parent: 28, major: 0, minor: 62, root: "/", point: "/merged",
			mountOpts: []string{"rw"}, fsType: "overlay", source: "overlay",
			superOpts: []string{"rw", "lowerdir=/a,b:/c", "upperdir=/u=v"}},
	}, {
		name: "bad escapes are kept as they are",
		line: `9 1 8:1 / /x\9y\400\13 rw - ext4 /dev/sda1 rw`,
		want: mountEntry{id: 9, parent: 1, major: 8, minor: 1, root: "/", point: `/x\9y\400\13`,
			mountOpts: []string{"rw"}, fsType: "ext4", source: "/dev/sda1", superOpts: []string{"rw"}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseMountinfoLine(tt.line)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseMountinfoLineErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, line, want string }{
		{"too few fields", `36 35 98:0 /mnt1 /mnt2 rw - ext3`, "got 8 fields"},
		{"no separator", `36 35 98:0 /mnt1 /mnt2 rw master:1 ext3 /dev/root rw`, "got 10 fields"},
		{"two separators", `9 1 8:1 / /x rw - - ext4 /dev/sda1 rw`, "got 11 fields"},
		{"field after super options", `36 35 98:0 / /m rw - ext3 /dev/root rw extra`, "got 11 fields"},
		{"mount id", `x 35 98:0 / /m rw - ext3 /dev/root rw`, "mount id"},
		{"negative parent", `36 -1 98:0 / /m rw - ext3 /dev/root rw`, "parent id"},
		{"device without colon", `36 35 980 / /m rw - ext3 /dev/root rw`, `device "980" is not major:minor`},
		{"device too big", `36 35 98:4294967296 / /m rw - ext3 /dev/root rw`, `device "98:4294967296"`},
		{"relative mount point", `36 35 98:0 / mnt rw - ext3 /dev/root rw`, "must be absolute"},
		{"empty fs type", `36 35 98:0 / /m rw -  /dev/root rw`, "empty filesystem type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := parseMountinfoLine(tt.line)
			if !errors.Is(err, errMountinfo) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want errMountinfo containing %q", err, tt.want)
			}
		})
	}
}

func TestParseMountinfoFile(t *testing.T) {
	t.Parallel()
	in := "21 26 0:20 / /proc rw - proc proc rw\n\n26 1 254:0 / / rw - ext4 /dev/vda rw\n"
	got, err := parseMountinfo(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].point != "/proc" || got[0].line != 1 || got[1].point != "/" || got[1].line != 3 {
		t.Fatalf("got %+v", got)
	}
	_, err = parseMountinfo(strings.NewReader(in + "27 26 0:1 / /x rw\n"))
	if !errors.Is(err, errMountinfo) || !strings.HasPrefix(err.Error(), "line 4: ") {
		t.Errorf("bad line: err = %v, want it to name line 4", err)
	}
	long := "1 0 8:1 / /" + strings.Repeat("a", maxMountinfoLine) + " rw - ext4 /dev/sda rw\n"
	_, err = parseMountinfo(strings.NewReader(in + long))
	if !errors.Is(err, errMountinfo) || !strings.Contains(err.Error(), "line 4: longer than 65536 bytes") {
		t.Errorf("long line: err = %v", err)
	}
}

// repeatReader yields line over and over, n bytes in all.
type repeatReader struct {
	line []byte
	n    int64
	off  int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	k := 0
	for k < len(p) && r.n > 0 {
		c := copy(p[k:], r.line[r.off:])
		if int64(c) > r.n {
			c = int(r.n)
		}
		k += c
		r.n -= int64(c)
		r.off = (r.off + c) % len(r.line)
	}
	return k, nil
}

func TestParseMountinfoSizeLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 16 MiB")
	}
	t.Parallel()
	line := []byte("70 28 0:70 / /mnt/stack rw,relatime shared:130 - tmpfs tmpfs rw,size=1024k,inode64\n")
	n := int64(maxMountinfoBytes) / int64(len(line)) * int64(len(line))
	got, err := parseMountinfo(&repeatReader{line: line, n: n})
	if err != nil || len(got) != int(n)/len(line) {
		t.Fatalf("at the limit: %d entries, err %v", len(got), err)
	}
	_, err = parseMountinfo(&repeatReader{line: line, n: n + int64(len(line))})
	if !errors.Is(err, errMountinfo) || !strings.Contains(err.Error(), "larger than 16777216 bytes") {
		t.Fatalf("over the limit: err = %v", err)
	}
}

func TestSplitLowerdir(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{"/a", []string{"/a"}},
		{"/a:/b:/c", []string{"/a", "/b", "/c"}},
		{`/with\:colon:/b`, []string{"/with:colon", "/b"}},
		{`/trailing\`, []string{`/trailing\`}},
	}
	for _, tt := range tests {
		if got := splitLowerdir(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("splitLowerdir(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzParseMountinfo(f *testing.F) {
	f.Add([]byte("36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue\n"))
	f.Add([]byte("26 1 254:0 / / rw - ext4 /dev/vda rw\n27 26 0:24 / /a\\040b ro - tmpfs  ro\n"))
	f.Add([]byte("70 28 0:70 / /m rw - tmpfs t rw\n71 70 0:71 / /m rw - tmpfs t rw\n72 71 0:1 / /m/x rw - overlay o upperdir=/m/x,lowerdir=/m\\:a:/\n"))
	f.Add([]byte("1 1 0:1 / / rw - overlay o upperdir=/\n2 2 0:2 / /a rw - tmpfs t rw\n"))
	f.Add([]byte("1 0 8:1 / / rw - ext4 /dev/sda1 rw\n2 1 0:2 / /o rw - overlay o upperdir=/up\\012per\n"))
	noSys := f.TempDir() // empty: every block device reads as unknown
	f.Fuzz(func(t *testing.T, b []byte) {
		entries, err := parseMountinfo(bytes.NewReader(b))
		if err != nil {
			if entries != nil {
				t.Fatal("entries returned with an error")
			}
			return
		}
		for _, e := range entries {
			if !strings.HasPrefix(e.point, "/") || !strings.HasPrefix(e.root, "/") || e.fsType == "" {
				t.Fatalf("accepted entry %+v", e)
			}
		}
		// Any parsed table must classify without panicking, looping or
		// touching the live system.
		tab := newMountTable(entries)
		for _, e := range tab.visible {
			if tab.holding(e.point) == nil {
				t.Fatalf("visible mount %q not found by holding", e.point)
			}
		}
		c := &classifier{
			opts:   Options{SysRoot: noSys, dirEncrypted: func(string) (bool, error) { return false, nil }},
			table:  tab,
			blocks: map[string]stackResult{},
		}
		for _, e := range tab.visible {
			m := c.mount(e, e.point)
			if m.Encryption == "" && m.Network {
				t.Fatalf("network mount %q said unencrypted at rest", e.point)
			}
			if strings.ContainsAny(m.Note, "\n\r") {
				t.Fatalf("note spans lines: %q", m.Note)
			}
		}
	})
}

func TestMountTableVisible(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want []string // visible mounts as id@point
	}{{
		name: "covering a mount hides what was mounted on it",
		in: `1 0 8:1 / / rw - ext4 /dev/sda1 rw
2 1 0:2 / /x rw - tmpfs a rw
3 2 0:3 / /x/y rw - tmpfs b rw
4 2 0:4 / /x rw - tmpfs c rw`,
		want: []string{"1@/", "4@/x"},
	}, {
		name: "a later mount on a directory above hides a sibling",
		in: `1 0 8:1 / / rw - ext4 /dev/sda1 rw
2 1 0:2 / /a/b/c rw - tmpfs a rw
3 1 0:3 / /a rw - tmpfs b rw
4 3 0:4 / /a/b rw - tmpfs c rw`,
		want: []string{"1@/", "3@/a", "4@/a/b"},
	}, {
		name: "a container's root has a parent outside the namespace",
		in: `612 545 0:52 / / rw - overlay overlay rw
613 612 0:55 / /proc rw - proc proc rw`,
		want: []string{"612@/", "613@/proc"},
	}, {
		name: "a parent cycle hides both",
		in: `1 0 8:1 / / rw - ext4 /dev/sda1 rw
2 3 0:2 / /p rw - tmpfs a rw
3 2 0:3 / /q rw - tmpfs b rw`,
		want: []string{"1@/"},
	}, {
		name: "a mount that is its own parent",
		in:   `5 5 0:2 / /p rw - tmpfs a rw`,
		want: []string{"5@/p"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			entries, err := parseMountinfo(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range newMountTable(entries).visible {
				got = append(got, fmt.Sprintf("%d@%s", e.id, e.point))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("visible %q, want %q", got, tt.want)
			}
		})
	}
}

// BenchmarkMountTable builds the table of a large Kubernetes node: 5,000
// volume mounts under the root.
func BenchmarkMountTable(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("1 0 8:1 / / rw - ext4 /dev/sda1 rw\n")
	for i := 2; i < 5000; i++ {
		fmt.Fprintf(&sb, "%d 1 0:%d / /var/lib/kubelet/pods/p%d/volumes/v rw - tmpfs tmpfs rw\n", i, i, i)
	}
	in := sb.String()
	for b.Loop() {
		entries, err := parseMountinfo(strings.NewReader(in))
		if err != nil {
			b.Fatal(err)
		}
		if n := len(newMountTable(entries).visible); n != 4999 {
			b.Fatalf("%d visible", n)
		}
	}
}
