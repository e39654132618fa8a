package assess

import (
	"io/fs"
	"time"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

// Facts are what the judgement needs to know about a file besides its
// findings. Zero fields mean "unknown" and make no issue.
type Facts struct {
	// RelPath is the path relative to the scan root, slash-separated;
	// OUTER!INNER for an archive member. "" uses the result's Path.
	RelPath string
	// Mode holds the permission bits.
	Mode fs.FileMode
	// Modified and Atime are the file's modification and access times.
	// An archive member has its archive's.
	Modified, Atime time.Time
	// NoAtime is set when the file's mount does not record access times
	// (noatime), so Atime says nothing about use.
	NoAtime bool
	// OwnerKnown says whether UID and GID are set.
	OwnerKnown bool
	UID, GID   int
	// Owner is the owner's user name, "" when not looked up; policy
	// entries match it by name, and UID by number.
	Owner string
	// ACLReaders are the POSIX ACL entries that grant read besides the
	// mode bits' owner, group and other, e.g. "user:alice", "group:audit".
	ACLReaders []string
	// DirWorldWritable and DirSticky describe the parent folder's mode.
	DirWorldWritable, DirSticky bool
}

// FactsOf returns the facts a result records: path, mode and
// modification time. Baselines and other callers without a stat use it.
func FactsOf(r *finding.FileResult) Facts {
	return Facts{RelPath: r.Path, Mode: fs.FileMode(r.Mode).Perm(), Modified: r.Modified}
}

// StatFacts returns the facts the walk's stat holds: mode, times and, on
// Unix, owner ids and access time. rel is the path to judge (a member's
// OUTER!INNER shares its archive's stat).
func StatFacts(rel string, fi fs.FileInfo) Facts {
	f := Facts{RelPath: rel}
	if fi == nil {
		return f
	}
	f.Mode, f.Modified = fi.Mode().Perm(), fi.ModTime()
	statSys(&f, fi.Sys())
	return f
}
