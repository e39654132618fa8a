package scan

import (
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/ruleset"
	"github.com/datahygiene/datahygiene/pkg/synth"
)

// aclUserRead encodes a POSIX access ACL (Linux xattr format) that lets
// uid read besides the owner: user::rw- user:uid:r-- group::--- mask::r-- other::---.
func aclUserRead(uid uint32) []byte {
	b := binary.LittleEndian.AppendUint32(nil, 2)
	entry := func(tag, perm uint16, id uint32) {
		b = binary.LittleEndian.AppendUint16(b, tag)
		b = binary.LittleEndian.AppendUint16(b, perm)
		b = binary.LittleEndian.AppendUint32(b, id)
	}
	const undefined = 0xFFFFFFFF
	entry(0x01, 6, undefined) // user::rw-
	entry(0x02, 4, uid)       // user:uid:r--
	entry(0x04, 0, undefined) // group::---
	entry(0x10, 4, undefined) // mask::r--
	entry(0x20, 0, undefined) // other::---
	return b
}

// TestExposureBeyondMode: a file with findings is unprotected when its
// ACL lets another user read it or its folder is world-writable, though
// its mode bits are private; a clean file in the same place has no issue;
// and the report describes the mounts the tree is on.
func TestExposureBeyondMode(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, body string) string {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	g := synth.New(3)
	first, last := g.Name()
	pii := "contact " + g.Email(first, last) + "\n"
	aclFile := write("acl/customers.txt", pii)
	write("open/customers.txt", pii)
	write("open/clean.txt", "nothing here\n")
	write("private/customers.txt", pii)
	if err := os.Chmod(filepath.Join(dir, "open"), 0o777); err != nil {
		t.Fatal(err)
	}
	aclOK := true
	if err := unix.Setxattr(aclFile, "system.posix_acl_access", aclUserRead(4242), 0); err != nil {
		if !errors.Is(err, unix.ENOTSUP) && !errors.Is(err, unix.EOPNOTSUPP) {
			t.Fatal(err)
		}
		aclOK = false // the filesystem has no ACLs; the folder checks still run
	}
	rs, err := ruleset.Load()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Run(context.Background(), Options{Root: dir, Rules: rs})
	if err != nil {
		t.Fatal(err)
	}
	issues := map[string]string{}
	for _, f := range rep.Files {
		for _, is := range f.Issues {
			if is.Kind == finding.Unprotected {
				issues[f.Path] = is.Reason
			}
		}
	}
	if r := issues["open/customers.txt"]; !strings.Contains(r, "folder anyone can write to") {
		t.Errorf("file in a world-writable folder: unprotected reason %q", r)
	}
	if aclOK {
		if r := issues["acl/customers.txt"]; !strings.Contains(r, "its ACL lets user:4242 read it") {
			t.Errorf("file with a read ACL: unprotected reason %q", r)
		}
	} else {
		t.Log("no ACL support on this filesystem: ACL case not checked")
	}
	if r, ok := issues["private/customers.txt"]; ok {
		t.Errorf("private file reported unprotected: %q", r)
	}
	if _, ok := issues["open/clean.txt"]; ok {
		t.Error("a clean file got an issue")
	}
	if len(rep.Mounts) == 0 || !strings.HasPrefix(dir, rep.Mounts[0].Path) {
		t.Errorf("mounts = %+v, want the one holding %s first", rep.Mounts, dir)
	}
}
