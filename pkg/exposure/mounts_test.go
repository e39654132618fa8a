package exposure

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// hostOptions reads testdata/host: a laptop-like system whose sysfs tree
// has LVM on LUKS, plain partitions, LUKS on a whole disk and on a USB
// partition, a partition of a dm-crypt device, RAID on LUKS, LVM over a
// LUKS and a plain disk, dm-verity and loop devices (testdata/host/README.md).
func hostOptions() Options {
	return Options{
		ProcRoot: filepath.Join("testdata", "host", "proc"),
		SysRoot:  filepath.Join("testdata", "host", "sys"),
		dirEncrypted: func(dir string) (bool, error) {
			switch dir {
			case "/home", "/srv/plain/vault":
				return true, nil
			case "/boot":
				return false, errors.New("permission denied")
			}
			return false, nil
		},
	}
}

type want struct {
	enc       string
	network   bool
	transport string
	note      string // a part of the note
}

func TestMountsHost(t *testing.T) {
	t.Parallel()
	got, err := MountsWith("/", hostOptions())
	if err != nil {
		t.Fatal(err)
	}
	wants := map[string]want{
		"/":                                    {"dm-crypt", false, "", "vgubuntu-root on LUKS2 volume nvme0n1p3_crypt"},
		"/boot":                                {Unknown, false, "", "fscrypt policy of /boot could not be read; not encrypted at rest: stored on nvme0n1p2 (partition of nvme0n1)"},
		"/boot/efi":                            {None, false, "", "stored on nvme0n1p1 (partition of nvme0n1), with no dm-crypt below"},
		"/data/btrfs":                          {"dm-crypt", false, "", "LUKS2 volume luks-3b1c0a2e-7d4f-4c1b-9e55-0f1e2d3c4b5a"},
		"/data/raw":                            {None, false, "", "not encrypted at rest: stored on sdh, with no dm-crypt below"},
		"/dev":                                 {None, false, "", "virtual filesystem (devtmpfs)"},
		"/home":                                {"fscrypt", false, "", "fscrypt (ext4 directory encryption) from /home down"},
		"/home/alice/remote":                   {Unknown, true, "ssh", "sshfs share: traffic is encrypted by SSH; whether the server encrypts its disks cannot be seen"},
		"/home/bob":                            {"ecryptfs", false, "", "stored encrypted in /home/.ecryptfs/bob/.Private"},
		"/media/alice/Backup Disk":             {"dm-crypt", false, "", "LUKS2 volume luks-backup"},
		"/mnt/9p":                              {Unknown, true, Unknown, "network filesystem (9p)"},
		"/mnt/a":                               {None, false, "", "held in memory (tmpfs)"},
		"/mnt/ghost":                           {Unknown, false, "", "device 8:240 not found in sysfs"},
		"/mnt/gluster":                         {Unknown, true, Unknown, "network filesystem (fuse.glusterfs)"},
		"/mnt/image":                           {None, false, "", "loop device loop2 reading /srv/plain/images/disk.img (not encrypted at rest: stored on sdc1 (partition of sdc)"},
		"/mnt/nfs-krb5":                        {Unknown, true, None, "sec=krb5: users are checked with Kerberos but traffic is neither encrypted nor signed"},
		"/mnt/nfs-krb5i":                       {Unknown, true, None, "sec=krb5i: traffic is integrity-protected (signed) but not encrypted"},
		"/mnt/nfs-krb5p":                       {Unknown, true, "krb5p", "(sec=krb5p): traffic is encrypted"},
		"/mnt/nfs-sys":                         {Unknown, true, None, "sec=sys: traffic is not encrypted"},
		"/mnt/nfs-tls":                         {Unknown, true, "tls", "over TLS (xprtsec=tls)"},
		"/mnt/nfs3":                            {Unknown, true, None, "sec=sys"},
		"/mnt/odd\ttab\\back":                  {None, false, "", "held in memory"},
		"/mnt/scratch-overlay":                 {None, false, "", "overlay filesystem, layer /usr/share/doc: not encrypted at rest: stored on usr-verity on sdg"},
		"/mnt/share":                           {Unknown, true, None, "SMB share without seal"},
		"/mnt/share-sealed":                    {Unknown, true, "smb3-encrypted", "mounted with seal"},
		"/mnt/stack":                           {None, false, "", "held in memory"},
		"/mnt/vault":                           {"dm-crypt", false, "", "dm-4p1 (partition of PLAIN volume vault)"},
		"/mnt/zfs":                             {Unknown, false, "", "zfs native encryption is not shown"},
		"/proc":                                {None, false, "", "virtual filesystem (proc)"},
		"/run":                                 {None, false, "", "held in memory"},
		"/snap/core22/1380":                    {"dm-crypt", false, "", "loop device loop1 reading /var/lib/snapd/snaps/core22_1380.snap (encrypted at rest by dm-crypt (vgubuntu-root on LUKS2"},
		"/srv/data":                            {"dm-crypt", false, "", "LUKS1 volume data"},
		"/srv/plain":                           {None, false, "", "stored on sdc1 (partition of sdc)"},
		"/srv/raid":                            {"dm-crypt", false, "", "md0 on LUKS2 volume md-b and 1 more like it"},
		"/sys":                                 {None, false, "", "virtual filesystem (sysfs)"},
		"/sys/fs/cgroup":                       {None, false, "", "virtual filesystem (cgroup2)"},
		"/tmp":                                 {None, false, "", "held in memory"},
		"/usr":                                 {None, false, "", "stored on usr-verity on sdg"},
		"/var/lib/big":                         {None, false, "", "stored on vgmix-big on sdh"},
		"/var/lib/docker/overlay2/9f1e/merged": {"dm-crypt", false, "", "overlay filesystem, layer /var/lib/docker/overlay2/9f1e/diff: encrypted at rest by dm-crypt (vgubuntu-root"},
	}
	var paths []string
	for _, m := range got {
		paths = append(paths, m.Path)
		w, ok := wants[m.Path]
		if !ok {
			t.Errorf("unexpected mount %q (hidden mounts must be left out)", m.Path)
			continue
		}
		if m.Encryption != w.enc || m.Network != w.network || m.Transport != w.transport {
			t.Errorf("%s: encryption %q network %v transport %q, want %q %v %q (note: %s)",
				m.Path, m.Encryption, m.Network, m.Transport, w.enc, w.network, w.transport, m.Note)
		}
		if !strings.Contains(m.Note, w.note) {
			t.Errorf("%s: note %q lacks %q", m.Path, m.Note, w.note)
		}
		if strings.Contains(m.Note, "\n") {
			t.Errorf("%s: note spans lines", m.Path)
		}
	}
	if len(got) != len(wants) {
		t.Errorf("got %d mounts, want %d: %q", len(got), len(wants), paths)
	}
	if paths[0] != "/" || !slices.IsSorted(paths[1:]) {
		t.Errorf("want the holding mount first, then the others sorted: %q", paths)
	}
}

func TestMountsHostFields(t *testing.T) {
	t.Parallel()
	got, err := MountsWith("/mnt/stack", hostOptions())
	if err != nil {
		t.Fatal(err)
	}
	stack := Mount{Path: "/mnt/stack", Device: "0:71", Source: "tmpfs", FSType: "tmpfs",
		Options: []string{"rw", "relatime", "size=2048k", "inode64"}, Encryption: None,
		Note: "held in memory (tmpfs): gone at shutdown, but may be written to swap unencrypted"}
	if len(got) != 1 || !reflect.DeepEqual(got[0], stack) {
		t.Errorf("got %+v\nwant the top of the stack %+v", got, stack)
	}
	got, err = MountsWith("/mnt/nfs-krb5p/projects", hostOptions())
	if err != nil {
		t.Fatal(err)
	}
	nfs := Mount{Path: "/mnt/nfs-krb5p", Device: "0:53", Source: "nas.example.com:/export/krb5p", FSType: "nfs4",
		Options: []string{"rw", "relatime", "vers=4.2", "rsize=1048576", "wsize=1048576", "namlen=255", "hard",
			"proto=tcp", "timeo=600", "retrans=2", "sec=krb5p", "clientaddr=192.0.2.10", "local_lock=none", "addr=192.0.2.20"},
		Encryption: Unknown, Network: true, Transport: "krb5p",
		Note: "NFS share with Kerberos privacy (sec=krb5p): traffic is encrypted; whether the server encrypts its disks cannot be seen from here"}
	if len(got) != 1 || !reflect.DeepEqual(got[0], nfs) {
		t.Errorf("got %+v\nwant %+v", got, nfs)
	}
	b, err := json.Marshal(got[0])
	if err != nil {
		t.Fatal(err)
	}
	const wantJSON = `{"path":"/mnt/nfs-krb5p","device":"0:53","source":"nas.example.com:/export/krb5p","fs_type":"nfs4","options":["rw","relatime","vers=4.2","rsize=1048576","wsize=1048576","namlen=255","hard","proto=tcp","timeo=600","retrans=2","sec=krb5p","clientaddr=192.0.2.10","local_lock=none","addr=192.0.2.20"],"encryption":"unknown","network":true,"transport":"krb5p","note":"NFS share with Kerberos privacy (sec=krb5p): traffic is encrypted; whether the server encrypts its disks cannot be seen from here"}`
	if string(b) != wantJSON {
		t.Errorf("JSON\n got %s\nwant %s", b, wantJSON)
	}
}

func TestMountsSelection(t *testing.T) {
	t.Parallel()
	tests := []struct {
		root string
		want []string // paths, then "=encryption" of the first
		enc  string
	}{
		{"/srv", []string{"/", "/srv/data", "/srv/plain", "/srv/raid"}, "dm-crypt"},
		{"/srv/", []string{"/", "/srv/data", "/srv/plain", "/srv/raid"}, "dm-crypt"},
		{"/srv/plain/vault", []string{"/srv/plain"}, "fscrypt"}, // the scanned root's policy counts
		{"/srv/plain/other", []string{"/srv/plain"}, None},
		{"/media/alice/Backup Disk/photos", []string{"/media/alice/Backup Disk"}, "dm-crypt"},
		{"/mnt/a/b", []string{"/mnt/a"}, None}, // /mnt/a/b is hidden under the later /mnt/a
		{"/mnt/stacked", []string{"/"}, "dm-crypt"},
		{"/home", []string{"/home", "/home/alice/remote", "/home/bob"}, "fscrypt"},
		{"/usr/../srv/data", []string{"/srv/data"}, "dm-crypt"},
	}
	for _, tt := range tests {
		t.Run(tt.root, func(t *testing.T) {
			t.Parallel()
			got, err := MountsWith(tt.root, hostOptions())
			if err != nil {
				t.Fatal(err)
			}
			var paths []string
			for _, m := range got {
				paths = append(paths, m.Path)
			}
			if !reflect.DeepEqual(paths, tt.want) || got[0].Encryption != tt.enc {
				t.Errorf("got %q (first %q), want %q (first %q)", paths, got[0].Encryption, tt.want, tt.enc)
			}
		})
	}
}

func TestHolding(t *testing.T) {
	t.Parallel()
	mounts, err := MountsWith("/home", hostOptions())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ path, want string }{
		{"/home/carol/notes.txt", "/home"},
		{"/home/bob/payroll.csv", "/home/bob"},
		{"/home/bobby/x.csv", "/home"},
		{"/home/alice/remote/hr/staff.xlsx", "/home/alice/remote"},
		{"/home", "/home"},
	}
	for _, tt := range tests {
		if m, ok := Holding(mounts, tt.path); !ok || m.Path != tt.want {
			t.Errorf("Holding(%s) = %q, %v; want %q", tt.path, m.Path, ok, tt.want)
		}
	}
	if m, ok := Holding(mounts, "/srv/data/x"); ok {
		t.Errorf("path outside the mounts held by %q", m.Path)
	}
}

func TestMountsContainer(t *testing.T) {
	t.Parallel()
	opts := Options{
		ProcRoot:     filepath.Join("testdata", "container", "proc"),
		SysRoot:      filepath.Join("testdata", "container", "sys"), // absent: sysfs not visible
		dirEncrypted: func(string) (bool, error) { return false, nil },
	}
	got, err := MountsWith("/", opts)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, m := range got {
		lines = append(lines, m.Path+" "+m.FSType+" "+m.Encryption)
	}
	want := []string{
		"/ overlay unknown",
		"/data ext4 unknown",
		"/data/cache tmpfs ",
		"/dev tmpfs ",
		"/dev/mqueue mqueue ",
		"/dev/pts devpts ",
		"/dev/shm tmpfs ",
		"/etc/resolv.conf ext4 unknown",
		"/proc proc ",
		"/sys sysfs ",
		"/sys/fs/cgroup cgroup2 ",
	}
	if !reflect.DeepEqual(lines, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if n := got[0].Note; !strings.Contains(n, "overlay filesystem, layer /var/lib/docker/overlay2/9f1e0d2c/diff: /var/lib/docker/overlay2/9f1e0d2c/diff is not visible here: encryption at rest unknown") {
		t.Errorf("overlay note %q", n)
	}
	if n := got[1].Note; n != "encryption at rest unknown: device 254:1 not found in sysfs" {
		t.Errorf("bind mount note %q", n)
	}
}

func TestMountsErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, err := MountsWith("/", Options{ProcRoot: dir})
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), filepath.Join(dir, "self", "mountinfo")) {
		t.Errorf("missing mountinfo: err = %v", err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "self"), 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(s string) {
		if err := os.WriteFile(filepath.Join(dir, "self", "mountinfo"), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("1 0 8:1 / /srv rw - ext4 /dev/sda1 rw\n2 1 8:2 / /srv/x rw - ext4\n")
	_, err = MountsWith("/", Options{ProcRoot: dir})
	if !errors.Is(err, errMountinfo) || !strings.Contains(err.Error(), "mountinfo: line 2: ") {
		t.Errorf("bad line: err = %v", err)
	}
	// A newline in a layer's name must not break the note's line.
	write("1 0 0:1 / / rw - tmpfs tmpfs rw\n2 1 0:2 / /o rw - overlay overlay rw,upperdir=/up\\012per,lowerdir=/low\n")
	got, err := MountsWith("/o", Options{ProcRoot: dir, SysRoot: filepath.Join(dir, "sys")})
	if err != nil {
		t.Fatal(err)
	}
	if want := `overlay filesystem, layer /up\nper: held in memory (tmpfs): gone at shutdown, but may be written to swap unencrypted`; got[0].Note != want {
		t.Errorf("note %q, want %q", got[0].Note, want)
	}
	write("1 0 8:1 / /srv rw - ext4 /dev/sda1 rw\n")
	_, err = MountsWith("/home", Options{ProcRoot: dir})
	if err == nil || !strings.Contains(err.Error(), "/home: no mount in ") {
		t.Errorf("no holding mount: err = %v", err)
	}
}

// TestMountsDeepStack checks the depth limit on a sysfs tree whose slaves
// form a cycle, which a real kernel never shows.
func TestMountsDeepStack(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, d := range []string{"proc/self", "sys/dev/block", "sys/devices/dm-0/slaves", "sys/devices/dm-1/slaves"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	links := map[string]string{
		"sys/dev/block/253:0":           "../../devices/dm-0",
		"sys/devices/dm-0/slaves/dm-1":  "../../dm-1",
		"sys/devices/dm-1/slaves/dm-0":  "../../dm-0",
		"sys/devices/dm-1/slaves/dm-0b": "../../dm-0",
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	mi := "1 0 253:0 / / rw - ext4 /dev/dm-0 rw\n"
	if err := os.WriteFile(filepath.Join(dir, "proc/self/mountinfo"), []byte(mi), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := MountsWith("/", Options{ProcRoot: filepath.Join(dir, "proc"), SysRoot: filepath.Join(dir, "sys"),
		dirEncrypted: func(string) (bool, error) { return false, nil }})
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Encryption != Unknown || !strings.Contains(got[0].Note, "stacked too deep") {
		t.Errorf("got %q: %s", got[0].Encryption, got[0].Note)
	}
}

func TestCryptType(t *testing.T) {
	t.Parallel()
	tests := []struct {
		uuid string
		typ  string
		ok   bool
	}{
		{"CRYPT-LUKS2-6d2e1f0a9b8c4d7e8f9a0b1c2d3e4f5a-nvme0n1p3_crypt", "LUKS2", true},
		{"CRYPT-LUKS1-0a1b2c3d-data", "LUKS1", true},
		{"CRYPT-PLAIN-vault", "PLAIN", true},
		{"CRYPT-BITLK-1234-usb", "BITLK", true},
		{"CRYPT-", "dm-crypt", true},
		{"CRYPT-VERITY-5e6f-usr", "", false},
		{"CRYPT-INTEGRITY-1a2b-int", "", false},
		{"CRYPT-SUBDEV-1a2b-luks_dif", "", false},
		{"LVM-Q2wE3rT4yU5iO6pA7sD8fG9h", "", false},
		{"crypt-luks2-lowercase", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		typ, ok := cryptType(tt.uuid)
		if typ != tt.typ || ok != tt.ok {
			t.Errorf("cryptType(%q) = %q, %v; want %q, %v", tt.uuid, typ, ok, tt.typ, tt.ok)
		}
	}
}

// TestMountsLive runs on the machine itself: the root mount must come
// first and match what stat says about "/".
func TestMountsLive(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("mount tables are read on Linux only")
	}
	t.Parallel()
	got, err := Mounts("/")
	if err != nil {
		t.Fatal(err)
	}
	root := got[0]
	if root.Path != "/" || root.FSType == "" || root.Device == "" {
		t.Fatalf("first mount %+v, want the root mount", root)
	}
	if dev, ok := statDevice(t, "/"); ok && !slices.Contains([]string{"btrfs", "zfs", "overlay", "bcachefs"}, root.FSType) && dev != root.Device {
		t.Errorf("root mount device %s, stat says %s", root.Device, dev)
	}
	seen := map[string]bool{}
	for _, m := range got {
		if seen[m.Path] {
			t.Errorf("mount %q listed twice", m.Path)
		}
		seen[m.Path] = true
		if m.Network && m.Encryption != Unknown {
			t.Errorf("%s: network mount with encryption %q", m.Path, m.Encryption)
		}
		if m.Note == "" {
			t.Errorf("%s: no note", m.Path)
		}
		t.Logf("%s %s %s enc=%q transport=%q: %s", m.Path, m.FSType, m.Device, m.Encryption, m.Transport, m.Note)
	}
	got, err = Mounts(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if !hasPathPrefix(cleanRoot(os.TempDir(), true), got[0].Path) {
		t.Errorf("temp dir's mount %q does not hold %s", got[0].Path, os.TempDir())
	}
}
