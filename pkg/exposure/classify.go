package exposure

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// atRest is what the classifier found about encryption at rest.
type atRest struct {
	how  string // a Mount.Encryption value
	note string
}

// weaker returns whichever of a and b protects data less: data spread
// over several places (overlay layers, LVM over several disks) is only as
// safe as its weakest place.
func weaker(a, b atRest) atRest {
	rank := func(x atRest) int {
		switch x.how {
		case None:
			return 0
		case Unknown:
			return 1
		}
		return 2
	}
	if rank(b) < rank(a) {
		return b
	}
	return a
}

// Filesystem types by what they tell about where data lives.
var (
	// pseudoFS hold no stored data: the kernel makes their contents up.
	pseudoFS = setOf("proc", "sysfs", "devpts", "cgroup", "cgroup2", "mqueue", "securityfs",
		"debugfs", "tracefs", "pstore", "bpf", "configfs", "fusectl", "hugetlbfs", "binfmt_misc",
		"autofs", "efivarfs", "nsfs", "rpc_pipefs", "selinuxfs", "nfsd", "devtmpfs")
	// memoryFS hold data in RAM (which may be swapped out).
	memoryFS = setOf("tmpfs", "ramfs")
	// fscryptFS support fscrypt directory policies (local filesystems only:
	// an ioctl on a dead network share could hang).
	fscryptFS = setOf("ext4", "f2fs", "ubifs", "btrfs")
	// cryptFS encrypt each file in a directory below them.
	cryptFS = map[string]string{
		"ecryptfs": "ecryptfs", "fuse.gocryptfs": "gocryptfs", "fuse.encfs": "encfs", "fuse.cryfs": "cryfs",
	}
	// networkFS carry data over a network; a client sees nothing of how
	// the server stores it.
	networkFS = setOf("nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "sshfs", "9p",
		"glusterfs", "fuse.glusterfs", "ceph", "fuse.ceph", "fuse.ceph-fuse", "lustre", "afs",
		"beegfs", "gpfs", "ocfs2", "gfs2", "orangefs", "pvfs2", "coda", "ncpfs", "davfs",
		"fuse.davfs", "fuse.rclone", "fuse.s3fs", "fuse.gcsfuse", "fuse.juicefs", "fuse.goofys",
		"fuse.mountpoint-s3", "fuse.blobfuse2", "fuse.cvmfs")
)

func setOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// classifier judges the mounts of one table, sharing what it learns about
// block devices across mounts.
type classifier struct {
	opts   Options
	table  *mountTable
	blocks map[string]stackResult // by sysfs device directory
}

func (c *classifier) mount(e *mountEntry, dir string) Mount {
	m := Mount{
		Path:    e.point,
		Device:  e.device(),
		Source:  e.source,
		FSType:  e.fsType,
		Options: mergeOpts(e),
	}
	if networkFS[e.fsType] {
		m.Network = true
		m.Transport, m.Note = transport(e)
		m.Note = oneLine(m.Note)
		m.Encryption = Unknown
		return m
	}
	r := c.atRest(e, dir, 0)
	m.Encryption, m.Note = r.how, oneLine(r.note)
	return m
}

// oneLine escapes control characters, which the kernel allows in paths
// that notes quote, so that a note stays on one line of a report.
func oneLine(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			q := strconv.QuoteRune(r) // '\n', '\x01'
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// transport judges a network filesystem's protection of its traffic. The
// server's disks are out of sight, so the note always says so.
func transport(e *mountEntry) (string, string) {
	const server = "; whether the server encrypts its disks cannot be seen from here"
	switch e.fsType {
	case "nfs", "nfs4":
		sec, ok := e.superOpt("sec")
		if !ok {
			sec = "sys" // the default flavour, which older kernels do not print
		}
		sec, _, _ = strings.Cut(sec, ":") // a negotiation list: the first is tried first
		xprt, _ := e.superOpt("xprtsec")
		switch {
		case sec == "krb5p":
			return "krb5p", "NFS share with Kerberos privacy (sec=krb5p): traffic is encrypted" + server
		case xprt == "tls" || xprt == "mtls":
			return "tls", "NFS share over TLS (xprtsec=" + xprt + "): traffic is encrypted" + server
		case sec == "krb5i":
			return None, "NFS share with sec=krb5i: traffic is integrity-protected (signed) but not encrypted" + server
		case sec == "krb5":
			return None, "NFS share with sec=krb5: users are checked with Kerberos but traffic is neither encrypted nor signed" + server
		case sec == "sys" || sec == "none" || sec == "null":
			return None, "NFS share with sec=" + sec + ": traffic is not encrypted and the server trusts the client's user ids" + server
		}
		return Unknown, "NFS share with sec=" + sec + ": protection of traffic unknown" + server
	case "cifs", "smb3", "smbfs":
		if _, ok := e.superOpt("seal"); ok {
			return "smb3-encrypted", "SMB3 share mounted with seal: traffic is encrypted" + server
		}
		return None, "SMB share without seal: traffic is not encrypted unless the server demands it for this share, which the client does not show" + server
	case "fuse.sshfs", "sshfs":
		return "ssh", "sshfs share: traffic is encrypted by SSH" + server
	case "ceph":
		if mode, _ := e.superOpt("ms_mode"); mode == "secure" {
			return "ceph-secure", "CephFS with ms_mode=secure: traffic is encrypted" + server
		}
	}
	return Unknown, "network filesystem (" + e.fsType + "): protection of traffic cannot be seen from here" + server
}

// atRest judges encryption at rest of mount e; dir is the directory whose
// fscrypt policy stands for the data (the scanned root, a mount point, an
// overlay layer).
func (c *classifier) atRest(e *mountEntry, dir string, depth int) atRest {
	if how, ok := cryptFS[e.fsType]; ok {
		return atRest{how, "encrypted at rest by " + how + ": each file is stored encrypted in " + e.source}
	}
	switch {
	case pseudoFS[e.fsType]:
		return atRest{None, "virtual filesystem (" + e.fsType + "): made up by the kernel, holds no stored files"}
	case memoryFS[e.fsType]:
		return atRest{None, "held in memory (" + e.fsType + "): gone at shutdown, but may be written to swap unencrypted"}
	case e.fsType == "overlay":
		return c.overlay(e, depth)
	case e.fsType == "virtiofs":
		return atRest{Unknown, "shared from the virtual machine's host (virtiofs): the host's encryption cannot be seen from here"}
	case e.fsType == "zfs" || e.fsType == "bcachefs":
		return atRest{Unknown, e.fsType + " native encryption is not shown in the mount table: encryption at rest unknown"}
	case e.fsType == "fuse" || strings.HasPrefix(e.fsType, "fuse."):
		return atRest{Unknown, "FUSE filesystem (" + e.fsType + "): where and how it stores data cannot be seen from here"}
	}
	blk := c.blockDevice(e, depth)
	var r atRest
	switch blk.state {
	case stackYes:
		if blk.how != "" { // a loop file on an encrypted filesystem
			return atRest{blk.how, "encrypted at rest: " + blk.detail}
		}
		return atRest{"dm-crypt", "encrypted at rest by dm-crypt (" + blk.detail + "): protects the disk while the machine is off, not files read on a running system"}
	case stackNo:
		r = atRest{None, "not encrypted at rest: stored on " + blk.detail + ", with no dm-crypt below"}
	default:
		r = atRest{Unknown, "encryption at rest unknown: " + blk.detail}
	}
	if !fscryptFS[e.fsType] {
		return r
	}
	enc, err := c.opts.dirEncrypted(dir)
	switch {
	case err == nil && enc:
		return atRest{"fscrypt", "encrypted at rest by fscrypt (" + e.fsType + " directory encryption) from " + dir + " down"}
	case err != nil && r.how == None:
		return atRest{Unknown, "fscrypt policy of " + dir + " could not be read; " + r.note}
	}
	return r
}

// overlay judges an overlay mount by the filesystems holding its layers.
func (c *classifier) overlay(e *mountEntry, depth int) atRest {
	// The upper layer first: it takes every write, so the note names it.
	var upper, layers []string
	for _, o := range e.superOpts {
		k, v, ok := strings.Cut(o, "=")
		if !ok {
			continue
		}
		switch k {
		case "upperdir":
			upper = append(upper, v)
		case "lowerdir+", "datadir+":
			layers = append(layers, v)
		case "lowerdir":
			layers = append(layers, splitLowerdir(v)...)
		}
	}
	layers = append(upper, layers...)
	if len(layers) == 0 {
		return atRest{Unknown, "overlay without visible layers: encryption at rest unknown"}
	}
	// Name the layer that decided: the first of the weakest.
	var res atRest
	var layer string
	for i, l := range layers {
		r := c.pathAtRest(l, e, depth+1)
		if i == 0 || weaker(res, r) != res {
			res, layer = r, l
		}
		if res.how == None {
			break
		}
	}
	res.note = "overlay filesystem, layer " + layer + ": " + res.note
	return res
}

// splitLowerdir splits overlayfs's lowerdir list on ':', which the
// option escapes as "\:" inside a directory name.
func splitLowerdir(v string) []string {
	var out []string
	var cur strings.Builder
	for i := 0; i < len(v); i++ {
		switch {
		case v[i] == '\\' && i+1 < len(v):
			i++
			cur.WriteByte(v[i])
		case v[i] == ':':
			out = append(out, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(v[i])
		}
	}
	return append(out, cur.String())
}

// pathAtRest judges the filesystem that holds path (an overlay layer, a
// loop device's backing file), which must not be self, the mount asking.
func (c *classifier) pathAtRest(path string, self *mountEntry, depth int) atRest {
	if depth > maxStackDepth {
		return atRest{Unknown, "storage stacked too deep to follow: encryption at rest unknown"}
	}
	if !filepath.IsAbs(path) {
		return atRest{Unknown, "relative path " + path + ": encryption at rest unknown"}
	}
	path = filepath.Clean(path)
	e := c.table.holding(path)
	if e == nil || e == self {
		// In a container the layers live in the host's namespace.
		return atRest{Unknown, path + " is not visible here: encryption at rest unknown"}
	}
	if networkFS[e.fsType] {
		return atRest{Unknown, path + " is on a network share: encryption at rest unknown"}
	}
	return c.atRest(e, path, depth)
}

// Results of following a block device down to the disks that hold it,
// ordered from least to most protected.
type stackState int

const (
	stackNo      stackState = iota // some data lands on an unencrypted device
	stackUnknown                   // some device could not be followed
	stackYes                       // every path down is encrypted
)

type stackResult struct {
	state  stackState
	how    string // "" for dm-crypt, else the encryption of a loop device's file
	detail string // device names for the note
}

// blockDevice finds the sysfs directory of e's block device and follows
// it down. Filesystems such as btrfs show an anonymous 0:N device in
// mountinfo; their source (/dev/mapper/NAME, /dev/NAME) names the real one.
func (c *classifier) blockDevice(e *mountEntry, depth int) stackResult {
	sys := c.opts.SysRoot
	var dir string
	switch {
	case e.major != 0:
		dir = filepath.Join(sys, "dev", "block", e.device())
	case strings.HasPrefix(e.source, "/dev/mapper/"):
		dir = c.dmByName(strings.TrimPrefix(e.source, "/dev/mapper/"))
	case strings.HasPrefix(e.source, "/dev/") && !strings.Contains(e.source[5:], "/"):
		dir = filepath.Join(sys, "class", "block", e.source[5:])
	}
	if dir == "" {
		return stackResult{state: stackUnknown, detail: "no block device found for " + e.fsType + " on " + e.source}
	}
	if r, ok := c.blocks[dir]; ok {
		return r
	}
	budget := maxStackNodes
	r := c.followBlock(dir, depth, &budget)
	c.blocks[dir] = r
	return r
}

// dmByName finds the device-mapper device called name (its dm/name).
func (c *classifier) dmByName(name string) string {
	base := filepath.Join(c.opts.SysRoot, "block")
	d, err := os.Open(base)
	if err != nil {
		return ""
	}
	defer d.Close()
	names, _ := d.Readdirnames(4096)
	for _, n := range names {
		if !strings.HasPrefix(n, "dm-") {
			continue
		}
		if v, ok := readSysfs(filepath.Join(base, n, "dm", "name")); ok && v == name {
			return filepath.Join(base, n)
		}
	}
	return ""
}

// followBlock decides whether the device at sysfs directory dir keeps its
// data encrypted: it is a dm-crypt device, or everything it sits on is
// (LVM on LUKS, RAID of LUKS members), or it is a partition of such a
// device, or a loop device whose file is on an encrypted filesystem.
func (c *classifier) followBlock(dir string, depth int, budget *int) stackResult {
	if depth > maxStackDepth || *budget <= 0 {
		return stackResult{state: stackUnknown, detail: "storage stacked too deep to follow"}
	}
	*budget--
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return stackResult{state: stackUnknown, detail: "device " + filepath.Base(dir) + " not found in sysfs"}
	}
	name := filepath.Base(real)
	if dm, ok := readSysfs(filepath.Join(real, "dm", "name")); ok && dm != "" {
		name = dm
	}
	if uuid, ok := readSysfs(filepath.Join(real, "dm", "uuid")); ok {
		if typ, ok := cryptType(uuid); ok {
			return stackResult{state: stackYes, detail: typ + " volume " + name}
		}
	}
	if _, err := os.Lstat(filepath.Join(real, "partition")); err == nil {
		r := c.followBlock(filepath.Dir(real), depth+1, budget)
		if r.state != stackUnknown {
			r.detail = name + " (partition of " + r.detail + ")"
		}
		return r
	}
	if file, ok := readSysfs(filepath.Join(real, "loop", "backing_file")); ok {
		file = strings.TrimSuffix(file, " (deleted)")
		r := c.pathAtRest(file, nil, depth+1)
		detail := "loop device " + name + " reading " + file + " (" + r.note + ")"
		switch r.how {
		case None:
			return stackResult{state: stackNo, detail: detail}
		case Unknown:
			return stackResult{state: stackUnknown, detail: detail}
		}
		return stackResult{state: stackYes, how: r.how, detail: detail}
	}
	slaves, err := readDirNames(filepath.Join(real, "slaves"), maxSlaves+1)
	if err != nil && !errors.Is(err, os.ErrNotExist) || len(slaves) > maxSlaves {
		return stackResult{state: stackUnknown, detail: "could not list what " + name + " sits on"}
	}
	if len(slaves) == 0 {
		return stackResult{state: stackNo, detail: name}
	}
	sort.Strings(slaves)
	var res stackResult
	for i, s := range slaves {
		r := c.followBlock(filepath.Join(real, "slaves", s), depth+1, budget)
		if i == 0 || r.state < res.state {
			res = r
		}
		if res.state == stackNo {
			break
		}
	}
	switch {
	case res.state == stackYes && len(slaves) > 1:
		res.detail = fmt.Sprintf("%s on %s and %d more like it", name, res.detail, len(slaves)-1)
	case res.state != stackUnknown:
		res.detail = name + " on " + res.detail
	}
	return res
}

// cryptType tells whether a device-mapper uuid is cryptsetup's and names
// the format. cryptsetup also makes dm-verity and dm-integrity devices
// with the CRYPT- prefix; they check data but do not hide it.
func cryptType(uuid string) (string, bool) {
	rest, ok := strings.CutPrefix(uuid, "CRYPT-")
	if !ok {
		return "", false
	}
	typ, _, _ := strings.Cut(rest, "-")
	switch typ {
	case "VERITY", "INTEGRITY", "SUBDEV":
		return "", false
	case "":
		typ = "dm-crypt"
	}
	return typ, true
}

// readSysfs reads a small sysfs attribute, trimmed of its newline.
func readSysfs(name string) (string, bool) {
	f, err := os.Open(name)
	if err != nil {
		return "", false
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxSysfsRead))
	if err != nil {
		return "", false
	}
	return strings.TrimRight(string(b), "\n"), true
}

// readDirNames lists at most n names of a directory, unsorted.
func readDirNames(dir string, n int) ([]string, error) {
	d, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	names, err := d.Readdirnames(n)
	if err == io.EOF {
		err = nil
	}
	if err != nil {
		return nil, fmt.Errorf("listing %s: %w", dir, err)
	}
	return names, nil
}
