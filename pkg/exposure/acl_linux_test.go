//go:build linux

package exposure

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// setACL stores an access ACL through the kernel, which validates it, and
// skips the test when the filesystem of the temp dir has no ACLs.
func setACL(t *testing.T, path string, b []byte) {
	t.Helper()
	err := unix.Lsetxattr(path, xattrACL, b, 0)
	if errors.Is(err, unix.EOPNOTSUPP) {
		t.Skipf("the filesystem of %s does not support POSIX ACLs", path)
	}
	if err != nil {
		t.Fatalf("setting ACL on %s: %v", path, err)
	}
}

func tempFile(t *testing.T, dir, name string, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte("name,email\nJane Doe,jane@example.com\n"), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil { // whatever the umask
		t.Fatal(err)
	}
	return p
}

func TestReadACL(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	plain := tempFile(t, dir, "plain.csv", 0o640)
	a, err := ReadACL(plain)
	if err != nil || a.Entries != nil {
		t.Fatalf("file without ACL: %+v, %v", a, err)
	}

	shared := tempFile(t, dir, "shared.csv", 0o600)
	in := []ACLEntry{userObj, user1, user2, groupObj, grp1, maskR, otherNo}
	setACL(t, shared, encodeACL(2, in...))
	a, err = ReadACL(shared)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.Entries, in) {
		t.Errorf("entries %+v, want %+v", a.Entries, in)
	}
	if got, want := a.ReadableBy(), []string{"user:3999990001", "owning group", "group:3999990011"}; !reflect.DeepEqual(got, want) {
		t.Errorf("ReadableBy() = %q, want %q", got, want)
	}
	// The kernel keeps the mode's group bits equal to the mask.
	if fi, err := os.Stat(shared); err != nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("mode after setting the ACL: %v, %v", fi.Mode(), err)
	}

	// More entries than ReadACL's first buffer holds: the ERANGE path.
	big := []ACLEntry{userObj}
	for i := uint32(0); i < 40; i++ {
		big = append(big, ACLEntry{TagUser, PermRead, 3999980000 + i})
	}
	big = append(big, groupObj, maskR, otherNo)
	many := tempFile(t, dir, "many.csv", 0o600)
	setACL(t, many, encodeACL(2, big...))
	a, err = ReadACL(many)
	if err != nil || !reflect.DeepEqual(a.Entries, big) || len(a.ReadableBy()) != 41 {
		t.Errorf("40 named users: %d entries, %d readers, err %v", len(a.Entries), len(a.ReadableBy()), err)
	}

	// A symlink has no ACL of its own and is not followed.
	link := filepath.Join(dir, "link.csv")
	if err := os.Symlink(shared, link); err != nil {
		t.Fatal(err)
	}
	if a, err := ReadACL(link); err != nil || a.Entries != nil {
		t.Errorf("symlink: %+v, %v", a, err)
	}

	missing := filepath.Join(dir, "missing.csv")
	_, err = ReadACL(missing)
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing file: err = %v, want ErrNotExist naming the path", err)
	}
}

// TestReadACLSetfacl cross-checks against the real tool (apt-get install acl).
func TestReadACLSetfacl(t *testing.T) {
	t.Parallel()
	setfacl, err := exec.LookPath("setfacl")
	if err != nil {
		t.Skip("setfacl not installed (apt-get install acl); TestReadACL covers the same through the kernel")
	}
	dir := t.TempDir()
	f := tempFile(t, dir, "payroll.csv", 0o600)
	out, err := exec.Command(setfacl, "-m", "u:3999990001:r,g:3999990011:rw,m::r", f).CombinedOutput()
	if err != nil {
		if strings.Contains(string(out), "Operation not supported") {
			t.Skipf("the filesystem of %s does not support POSIX ACLs", dir)
		}
		t.Fatalf("setfacl: %v: %s", err, out)
	}
	a, err := ReadACL(f)
	if err != nil {
		t.Fatal(err)
	}
	want := []ACLEntry{
		{TagUserObj, PermRead | PermWrite, undefinedID},
		{TagUser, PermRead, 3999990001},
		{TagGroupObj, 0, undefinedID},
		{TagGroup, PermRead | PermWrite, 3999990011},
		{TagMask, PermRead, undefinedID},
		{TagOther, 0, undefinedID},
	}
	if !reflect.DeepEqual(a.Entries, want) || !a.Extended() {
		t.Errorf("entries %+v, want %+v", a.Entries, want)
	}
	if got, want := a.ReadableBy(), []string{"user:3999990001", "group:3999990011"}; !reflect.DeepEqual(got, want) {
		t.Errorf("ReadableBy() = %q, want %q", got, want)
	}
	// Removing read from the mask takes it from every named entry.
	if out, err := exec.Command(setfacl, "-m", "m::-", f).CombinedOutput(); err != nil {
		t.Fatalf("setfacl: %v: %s", err, out)
	}
	if a, err := ReadACL(f); err != nil || len(a.ReadableBy()) != 0 || !a.Extended() {
		t.Errorf("after m::- readable by %q, err %v", a.ReadableBy(), err)
	}
	if out, err := exec.Command(setfacl, "-b", f).CombinedOutput(); err != nil {
		t.Fatalf("setfacl -b: %v: %s", err, out)
	}
	if a, err := ReadACL(f); err != nil || a.Entries != nil {
		t.Errorf("after setfacl -b: %+v, %v", a, err)
	}
}

func TestDirEncrypted(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if enc, err := DirEncrypted(dir); err != nil || enc {
		t.Errorf("plain temp dir: %v, %v", enc, err)
	}
	file := tempFile(t, dir, "a.csv", 0o600)
	if _, err := DirEncrypted(file); !errors.Is(err, unix.ENOTDIR) || !strings.Contains(err.Error(), file) {
		t.Errorf("file: err = %v, want ENOTDIR naming it", err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(dir, link); err != nil {
		t.Fatal(err)
	}
	if _, err := DirEncrypted(link); err == nil {
		t.Error("symlink followed")
	}
	if _, err := DirEncrypted(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing: err = %v", err)
	}
}
