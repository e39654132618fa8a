package state

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"io/fs"
)

// Meta is what the cache compares to decide that a file is unchanged
// since its stored result was made.
type Meta struct {
	Size    int64
	MtimeNs int64 // modification time, Unix nanoseconds
	// CtimeNs is the inode change time. Unlike mtime, no unprivileged
	// program can set it back (touch -d, tar, rsync -t all can restore an
	// mtime), so it catches a rewrite that kept size and mtime. A chmod
	// also changes it: that costs one re-read, never a wrong result.
	CtimeNs int64
	Inode   uint64
	Dev     uint64
	// ContentHash is HashContent of the file's bytes, when the caller
	// computed it ("" otherwise). It is stored with the result and lets
	// Cache.Lookup recognise a file whose metadata changed but whose
	// content did not (see Cache.WantsHash).
	ContentHash string
}

// MetaOf reads the metadata of a file from its FileInfo (as returned by
// Lstat, or the walk). Inode, Dev and CtimeNs are 0 on platforms that do
// not provide them, where the cache relies on size and mtime alone. A nil
// fi (a walk entry that failed) gives the zero Meta.
func MetaOf(fi fs.FileInfo) Meta {
	if fi == nil {
		return Meta{}
	}
	m := Meta{Size: fi.Size(), MtimeNs: fi.ModTime().UnixNano()}
	sysMeta(fi, &m)
	return m
}

func (m Meta) sameFile(o Meta) bool {
	return m.Size == o.Size && m.MtimeNs == o.MtimeNs && m.CtimeNs == o.CtimeNs &&
		m.Inode == o.Inode && m.Dev == o.Dev
}

// maxHashBytes bounds what HashContent reads: the walk's size limit
// already bounds files, but a hash must not run away on a file that grows
// while we read it.
const maxHashBytes = 64 << 30

// HashContent returns the hex HMAC-SHA-256 under key of what r yields (at
// most 64 GiB); a nil key gives the plain SHA-256. The scan hashes a
// file's bytes with it, with a key, either while extracting (when the
// reader consumed the whole file, through NewContentHash) or on request of
// Cache.WantsHash.
func HashContent(key []byte, r io.Reader) (string, error) {
	h := NewContentHash(key)
	n, err := io.Copy(h, io.LimitReader(r, maxHashBytes+1))
	if err != nil {
		return "", fmt.Errorf("hashing content: %w", err)
	}
	if n > maxHashBytes {
		return "", fmt.Errorf("hashing content: more than %d bytes", int64(maxHashBytes))
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// NewContentHash returns the hash HashContent computes, to feed as a
// file is read.
func NewContentHash(key []byte) hash.Hash {
	if key == nil {
		return sha256.New()
	}
	return hmac.New(sha256.New, key)
}

// HashParts hashes its parts unambiguously (each is length-prefixed) into
// a short hex string, for building RunInfo.RulesHash from the rule files'
// contents, the options that shape results and the tool version.
func HashParts(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%d:", len(p))
		io.WriteString(h, p)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}
