package exposure

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strconv"
)

// ErrInvalidACL marks ACL bytes that are not a valid POSIX ACL in the
// Linux xattr format.
var ErrInvalidACL = errors.New("invalid POSIX ACL")

// Tags of POSIX ACL entries, as stored in the system.posix_acl_access xattr
// (include/uapi/linux/posix_acl.h).
const (
	TagUserObj  uint16 = 0x01 // the owner
	TagUser     uint16 = 0x02 // a named user
	TagGroupObj uint16 = 0x04 // the owning group
	TagGroup    uint16 = 0x08 // a named group
	TagMask     uint16 = 0x10 // the most named entries and the owning group get
	TagOther    uint16 = 0x20 // everyone else
)

// Permission bits of an entry.
const (
	PermRead  uint16 = 4
	PermWrite uint16 = 2
	PermExec  uint16 = 1
)

const (
	aclVersion = 2
	// maxACLBytes caps an ACL: ext4 keeps xattrs in one block (4 KiB)
	// and XFS allows 64 KiB values, the VFS maximum (XATTR_SIZE_MAX).
	maxACLBytes = 64 << 10
)

// ACLEntry is one entry of an ACL. ID is a uid or gid for TagUser and
// TagGroup and meaningless for the others.
type ACLEntry struct {
	Tag  uint16 `json:"tag"`
	Perm uint16 `json:"perm"`
	ID   uint32 `json:"id"`
}

// ACL is a file's POSIX access ACL; no entries means the file has none and
// its mode bits say everything.
type ACL struct {
	Entries []ACLEntry `json:"entries,omitempty"`
}

// DecodeACL decodes the value of the system.posix_acl_access xattr: a
// little-endian version 2 header, then 8-byte entries (tag, perm: uint16;
// id: uint32). It checks what the kernel's posix_acl_valid checks, except
// entry order: one owner, owning group and other entry, at most one mask,
// a mask if there are named entries, no repeated named id, permissions
// within rwx. Errors wrap ErrInvalidACL.
func DecodeACL(b []byte) (ACL, error) {
	if len(b) < 4 {
		return ACL{}, fmt.Errorf("%w: %d bytes, shorter than the header", ErrInvalidACL, len(b))
	}
	if len(b) > maxACLBytes {
		return ACL{}, fmt.Errorf("%w: %d bytes, more than %d", ErrInvalidACL, len(b), maxACLBytes)
	}
	if v := binary.LittleEndian.Uint32(b); v != aclVersion {
		return ACL{}, fmt.Errorf("%w: version %d, want %d", ErrInvalidACL, v, aclVersion)
	}
	if (len(b)-4)%8 != 0 {
		return ACL{}, fmt.Errorf("%w: %d bytes of entries, not a multiple of 8", ErrInvalidACL, len(b)-4)
	}
	n := (len(b) - 4) / 8
	if n == 0 {
		return ACL{}, nil // the kernel reads a bare header as no ACL
	}
	a := ACL{Entries: make([]ACLEntry, n)}
	var count [TagOther + 1]int
	for i := range a.Entries {
		p := b[4+8*i:]
		e := ACLEntry{
			Tag:  binary.LittleEndian.Uint16(p),
			Perm: binary.LittleEndian.Uint16(p[2:]),
			ID:   binary.LittleEndian.Uint32(p[4:]),
		}
		switch e.Tag {
		case TagUserObj, TagUser, TagGroupObj, TagGroup, TagMask, TagOther:
			count[e.Tag]++
		default:
			return ACL{}, fmt.Errorf("%w: entry %d has unknown tag %#x", ErrInvalidACL, i, e.Tag)
		}
		if e.Perm&^(PermRead|PermWrite|PermExec) != 0 {
			return ACL{}, fmt.Errorf("%w: entry %d has permission bits %#o", ErrInvalidACL, i, e.Perm)
		}
		a.Entries[i] = e
	}
	for _, t := range []uint16{TagUserObj, TagGroupObj, TagOther} {
		if count[t] != 1 {
			return ACL{}, fmt.Errorf("%w: %d %s entries, want 1", ErrInvalidACL, count[t], tagName(t))
		}
	}
	named := count[TagUser] + count[TagGroup]
	if count[TagMask] > 1 || named > 0 && count[TagMask] == 0 {
		return ACL{}, fmt.Errorf("%w: %d mask entries with %d named entries", ErrInvalidACL, count[TagMask], named)
	}
	// The kernel stores entries sorted by tag, then id; sort anyway so
	// that ReadableBy's order does not depend on the writer, and so that
	// a repeated named entry sits next to its twin.
	slices.SortStableFunc(a.Entries, func(x, y ACLEntry) int {
		if c := cmp.Compare(x.Tag, y.Tag); c != 0 {
			return c
		}
		return cmp.Compare(x.ID, y.ID)
	})
	for i := 1; i < n; i++ {
		e, prev := a.Entries[i], a.Entries[i-1]
		if (e.Tag == TagUser || e.Tag == TagGroup) && e.Tag == prev.Tag && e.ID == prev.ID {
			return ACL{}, fmt.Errorf("%w: repeated %s id %d", ErrInvalidACL, tagName(e.Tag), e.ID)
		}
	}
	return a, nil
}

func tagName(t uint16) string {
	switch t {
	case TagUserObj:
		return "user_obj"
	case TagUser:
		return "user"
	case TagGroupObj:
		return "group_obj"
	case TagGroup:
		return "group"
	case TagMask:
		return "mask"
	case TagOther:
		return "other"
	}
	return "tag " + strconv.Itoa(int(t))
}

// Extended reports whether the ACL names users or groups, that is grants
// access the mode bits do not show.
func (a ACL) Extended() bool {
	for _, e := range a.Entries {
		if e.Tag == TagUser || e.Tag == TagGroup {
			return true
		}
	}
	return false
}

// ReadableBy lists who besides the owner can read the file through the
// ACL, in entry order: "user:NAME" for named users, "owning group",
// "group:NAME" for named groups, and "everyone". Names fall back to the
// number when the system does not know the id. The mask limits named
// entries and the owning group, as the kernel's permission check does.
// An ACL without entries lists nobody: the mode bits apply.
func (a ACL) ReadableBy() []string {
	var out []string
	for _, e := range a.readers() {
		switch e.Tag {
		case TagUser:
			out = append(out, "user:"+OwnerName(e.ID))
		case TagGroupObj:
			out = append(out, "owning group")
		case TagGroup:
			out = append(out, "group:"+GroupName(e.ID))
		case TagOther:
			out = append(out, "everyone")
		}
	}
	return out
}

// readers returns the entries other than the owner's that grant read once
// the mask is applied.
func (a ACL) readers() []ACLEntry {
	mask := PermRead | PermWrite | PermExec
	for _, e := range a.Entries {
		if e.Tag == TagMask {
			mask = e.Perm
		}
	}
	var out []ACLEntry
	for _, e := range a.Entries {
		perm := e.Perm
		switch e.Tag {
		case TagUserObj, TagMask:
			continue
		case TagUser, TagGroup, TagGroupObj:
			perm &= mask
		}
		if perm&PermRead != 0 {
			out = append(out, e)
		}
	}
	return out
}
