package exposure

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Limits for reading mountinfo. A Kubernetes node with thousands of
// container mounts has a few MiB of mountinfo; the caps only stop a broken
// or hostile file from taking unbounded memory.
const (
	// maxMountinfoBytes caps the whole file (16 MiB, about 80,000 mounts).
	maxMountinfoBytes = 16 << 20
	// maxMountinfoLine caps one line: a PATH_MAX path fully escaped as
	// \ooo is 16 KiB, and a line holds two of them plus options.
	maxMountinfoLine = 64 << 10
)

// errMountinfo marks a line that is not in the format of proc(5).
var errMountinfo = errors.New("malformed mountinfo line")

// mountEntry is one line of /proc/PID/mountinfo, with escapes decoded.
type mountEntry struct {
	id, parent int
	major      uint32
	minor      uint32
	root       string // the directory of the filesystem mounted here
	point      string // the mount point, relative to the process's root
	mountOpts  []string
	fsType     string
	source     string
	superOpts  []string
	line       int // position in the file: later mounts hide earlier ones
}

func (e *mountEntry) device() string { return fmt.Sprintf("%d:%d", e.major, e.minor) }

// superOpt returns the value of key=value in the super options and whether
// the key is there ("seal" has no value: ok with "").
func (e *mountEntry) superOpt(key string) (string, bool) {
	for _, o := range e.superOpts {
		if o == key {
			return "", true
		}
		if k, v, ok := strings.Cut(o, "="); ok && k == key {
			return v, true
		}
	}
	return "", false
}

// parseMountinfo reads mountinfo in the format of proc(5):
//
//	36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
//
// Fields are separated by exactly one space (an empty source shows as two
// spaces), there are zero or more optional fields before "-", and the
// kernel escapes space, tab, newline and backslash in paths as \ooo, and
// also ',' and '=' inside option values (seq_show_option).
func parseMountinfo(r io.Reader) ([]mountEntry, error) {
	lr := &io.LimitedReader{R: r, N: maxMountinfoBytes + 1}
	sc := bufio.NewScanner(lr)
	sc.Buffer(make([]byte, 0, 4096), maxMountinfoLine)
	var out []mountEntry
	n := 0
	for sc.Scan() {
		n++
		line := sc.Bytes()
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		e, err := parseMountinfoLine(string(line))
		if err != nil {
			if lr.N <= 0 { // the cap cut this line short
				break
			}
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		e.line = n
		out = append(out, e)
	}
	if lr.N <= 0 {
		return nil, fmt.Errorf("larger than %d bytes: %w", maxMountinfoBytes, errMountinfo)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("line %d: longer than %d bytes: %w", n+1, maxMountinfoLine, errMountinfo)
		}
		return nil, err
	}
	return out, nil
}

func parseMountinfoLine(line string) (mountEntry, error) {
	var e mountEntry
	f := strings.Split(line, " ")
	sep := -1
	for i := 6; i < len(f); i++ {
		if f[i] == "-" {
			sep = i
			break
		}
	}
	// Six fields before the optional ones, three after the separator.
	if len(f) < 10 || sep < 0 || len(f) != sep+4 {
		return e, fmt.Errorf("%w: want 6 fields, optional fields, \"-\" and 3 fields, got %d fields", errMountinfo, len(f))
	}
	var err error
	if e.id, err = parseID(f[0]); err != nil {
		return e, fmt.Errorf("%w: mount id: %v", errMountinfo, err)
	}
	if e.parent, err = parseID(f[1]); err != nil {
		return e, fmt.Errorf("%w: parent id: %v", errMountinfo, err)
	}
	maj, min, ok := strings.Cut(f[2], ":")
	if !ok {
		return e, fmt.Errorf("%w: device %q is not major:minor", errMountinfo, f[2])
	}
	if e.major, err = parseDevNum(maj); err == nil {
		e.minor, err = parseDevNum(min)
	}
	if err != nil {
		return e, fmt.Errorf("%w: device %q: %v", errMountinfo, f[2], err)
	}
	e.root = unescape(f[3])
	e.point = unescape(f[4])
	if !strings.HasPrefix(e.root, "/") || !strings.HasPrefix(e.point, "/") {
		return e, fmt.Errorf("%w: root and mount point must be absolute", errMountinfo)
	}
	e.mountOpts = splitOpts(f[5])
	e.fsType = unescape(f[sep+1])
	if e.fsType == "" {
		return e, fmt.Errorf("%w: empty filesystem type", errMountinfo)
	}
	e.source = unescape(f[sep+2])
	e.superOpts = splitOpts(f[sep+3])
	return e, nil
}

func parseID(s string) (int, error) {
	n, err := strconv.ParseUint(s, 10, 31)
	return int(n), err
}

func parseDevNum(s string) (uint32, error) {
	n, err := strconv.ParseUint(s, 10, 32)
	return uint32(n), err
}

// splitOpts splits a comma-separated option list, then decodes escapes in
// each option: an escaped comma (\054) belongs to a value.
func splitOpts(s string) []string {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	for i, p := range parts {
		parts[i] = unescape(p)
	}
	return parts
}

// unescape decodes the kernel's \ooo escapes (mangle() in fs/proc_namespace.c
// and seq_escape). A backslash not followed by three octal digits is kept.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) && isOctal(s[i+1]) && isOctal(s[i+2]) && isOctal(s[i+3]) {
			v := (s[i+1]-'0')<<6 | (s[i+2]-'0')<<3 | (s[i+3] - '0')
			if s[i+1] <= '3' { // \400 and above do not fit a byte
				b = append(b, v)
				i += 3
				continue
			}
		}
		b = append(b, s[i])
	}
	return string(b)
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }
