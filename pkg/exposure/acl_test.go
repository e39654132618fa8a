package exposure

import (
	"encoding/binary"
	"errors"
	"reflect"
	"strings"
	"testing"
)

const undefinedID = 0xffffffff // ACL_UNDEFINED_ID, stored for the _OBJ, mask and other entries

// encodeACL builds xattr bytes the way the kernel stores them.
func encodeACL(version uint32, entries ...ACLEntry) []byte {
	b := binary.LittleEndian.AppendUint32(nil, version)
	for _, e := range entries {
		b = binary.LittleEndian.AppendUint16(b, e.Tag)
		b = binary.LittleEndian.AppendUint16(b, e.Perm)
		b = binary.LittleEndian.AppendUint32(b, e.ID)
	}
	return b
}

var (
	userObj  = ACLEntry{TagUserObj, PermRead | PermWrite, undefinedID}
	groupObj = ACLEntry{TagGroupObj, PermRead, undefinedID}
	otherNo  = ACLEntry{TagOther, 0, undefinedID}
	otherR   = ACLEntry{TagOther, PermRead, undefinedID}
	maskR    = ACLEntry{TagMask, PermRead, undefinedID}
	maskW    = ACLEntry{TagMask, PermWrite, undefinedID}
	maskRWX  = ACLEntry{TagMask, PermRead | PermWrite | PermExec, undefinedID}
	// Ids that no test machine should know, so names fall back to numbers.
	user1 = ACLEntry{TagUser, PermRead, 3999990001}
	user2 = ACLEntry{TagUser, PermWrite, 3999990002}
	grp1  = ACLEntry{TagGroup, PermRead | PermWrite, 3999990011}
)

func TestDecodeACL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		in       []byte
		want     []ACLEntry
		extended bool
		readable []string
	}{{
		name: "header only is no ACL",
		in:   encodeACL(2),
	}, {
		name:     "minimal ACL equals mode 0640",
		in:       encodeACL(2, userObj, groupObj, otherNo),
		want:     []ACLEntry{userObj, groupObj, otherNo},
		readable: []string{"owning group"},
	}, {
		name:     "named user and group within the mask",
		in:       encodeACL(2, userObj, user1, user2, groupObj, grp1, maskRWX, otherNo),
		want:     []ACLEntry{userObj, user1, user2, groupObj, grp1, maskRWX, otherNo},
		extended: true,
		readable: []string{"user:3999990001", "owning group", "group:3999990011"},
	}, {
		name:     "mask without read hides named entries and the owning group",
		in:       encodeACL(2, userObj, user1, groupObj, grp1, maskW, otherR),
		want:     []ACLEntry{userObj, user1, groupObj, grp1, maskW, otherR},
		extended: true,
		readable: []string{"everyone"},
	}, {
		name:     "mask r keeps read",
		in:       encodeACL(2, userObj, user1, groupObj, maskR, otherNo),
		want:     []ACLEntry{userObj, user1, groupObj, maskR, otherNo},
		extended: true,
		readable: []string{"user:3999990001", "owning group"},
	}, {
		name:     "known ids resolve to names",
		in:       encodeACL(2, userObj, ACLEntry{TagUser, PermRead, 0}, groupObj, ACLEntry{TagGroup, PermRead, 0}, maskR, otherNo),
		want:     []ACLEntry{userObj, {TagUser, PermRead, 0}, groupObj, {TagGroup, PermRead, 0}, maskR, otherNo},
		extended: true,
		readable: []string{"user:" + OwnerName(0), "owning group", "group:" + GroupName(0)},
	}, {
		name:     "entries out of order are sorted",
		in:       encodeACL(2, otherR, maskRWX, grp1, user2, groupObj, user1, userObj),
		want:     []ACLEntry{userObj, user1, user2, groupObj, grp1, maskRWX, otherR},
		extended: true,
		readable: []string{"user:3999990001", "owning group", "group:3999990011", "everyone"},
	}, {
		name:     "mask alone is not extended",
		in:       encodeACL(2, userObj, groupObj, maskR, otherNo),
		want:     []ACLEntry{userObj, groupObj, maskR, otherNo},
		readable: []string{"owning group"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, err := DecodeACL(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(a.Entries, tt.want) {
				t.Errorf("entries %+v, want %+v", a.Entries, tt.want)
			}
			if a.Extended() != tt.extended {
				t.Errorf("Extended() = %v", a.Extended())
			}
			if got := a.ReadableBy(); !reflect.DeepEqual(got, tt.readable) {
				t.Errorf("ReadableBy() = %q, want %q", got, tt.readable)
			}
		})
	}
}

func TestDecodeACLErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "0 bytes, shorter than the header"},
		{"short header", []byte{2, 0, 0}, "3 bytes, shorter than the header"},
		{"version 1", encodeACL(1, userObj, groupObj, otherNo), "version 1, want 2"},
		{"partial entry", encodeACL(2, userObj, groupObj, otherNo)[:27], "23 bytes of entries, not a multiple of 8"},
		{"too large", append(encodeACL(2), make([]byte, maxACLBytes)...), "65540 bytes, more than 65536"},
		{"unknown tag", encodeACL(2, userObj, groupObj, ACLEntry{0x40, 0, 0}, otherNo), "entry 2 has unknown tag 0x40"},
		{"permission bits", encodeACL(2, userObj, ACLEntry{TagGroupObj, 0o10, undefinedID}, otherNo), "entry 1 has permission bits 010"},
		{"two owners", encodeACL(2, userObj, userObj, groupObj, otherNo), "2 user_obj entries, want 1"},
		{"no other", encodeACL(2, userObj, groupObj), "0 other entries, want 1"},
		{"no owning group", encodeACL(2, userObj, otherNo), "0 group_obj entries, want 1"},
		{"named without mask", encodeACL(2, userObj, user1, groupObj, otherNo), "0 mask entries with 1 named entries"},
		{"two masks", encodeACL(2, userObj, groupObj, maskR, maskW, otherNo), "2 mask entries"},
		{"repeated user", encodeACL(2, userObj, user1, user1, groupObj, maskR, otherNo), "repeated user id 3999990001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, err := DecodeACL(tt.in)
			if !errors.Is(err, ErrInvalidACL) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want ErrInvalidACL with %q", err, tt.want)
			}
			if a.Entries != nil {
				t.Errorf("entries returned with an error: %+v", a.Entries)
			}
		})
	}
	// A user and a group may share an id.
	if _, err := DecodeACL(encodeACL(2, userObj, ACLEntry{TagUser, PermRead, 7}, groupObj, ACLEntry{TagGroup, PermRead, 7}, maskR, otherNo)); err != nil {
		t.Errorf("user and group with the same id: %v", err)
	}
}

func FuzzDecodeACL(f *testing.F) {
	f.Add(encodeACL(2))
	f.Add(encodeACL(2, userObj, groupObj, otherNo))
	f.Add(encodeACL(2, userObj, user1, user2, groupObj, grp1, maskRWX, otherR))
	f.Add(encodeACL(2, otherR, maskW, grp1, groupObj, user1, userObj))
	f.Add(encodeACL(1, userObj, groupObj, otherNo))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := DecodeACL(b)
		if err != nil {
			if !errors.Is(err, ErrInvalidACL) || a.Entries != nil {
				t.Fatalf("err %v with entries %v", err, a.Entries)
			}
			return
		}
		// Decoding what we decoded, re-encoded, gives the same ACL.
		again, err := DecodeACL(encodeACL(2, a.Entries...))
		if err != nil || !reflect.DeepEqual(again, a) {
			t.Fatalf("round trip: %+v, %v; want %+v", again, err, a)
		}
		var mask uint16 = 7
		for _, e := range a.Entries {
			if e.Tag == TagMask {
				mask = e.Perm
			}
		}
		for _, e := range a.readers() {
			switch e.Tag {
			case TagUserObj, TagMask:
				t.Fatalf("reader %+v is the owner or the mask", e)
			case TagOther:
				if e.Perm&PermRead == 0 {
					t.Fatalf("other without read listed")
				}
			default:
				if e.Perm&mask&PermRead == 0 {
					t.Fatalf("reader %+v without read under mask %o", e, mask)
				}
			}
		}
	})
}
