// Package archive reads archives and compressed files one level at a time
// and hands each regular file inside back to the caller, within limits that
// keep a hostile archive from costing unbounded time, memory or disk.
//
// # What is read
//
// Zip (stored, deflate and bzip2 entries), tar (POSIX, GNU, PAX, v7), gzip,
// bzip2 and xz streams (one file, or a tar inside: .tar.gz, .tgz, .tar.bz2,
// .tar.xz, recognised by the ustar magic of the first decompressed block,
// not by the name), and 7z. Detect tells the format from the first bytes;
// pkg/sniff, which the scan runs first, knows only zip, gzip and 7z.
// Walk yields regular files only, in archive order, with cleaned display
// names (never absolute, no ".." elements, no control characters): a
// single compressed file is named after the outer file without its
// extension (data.csv.gz holds data.csv). Directories, links and devices
// are skipped. Nothing is ever written to disk except, for a zip or 7z that
// arrives as a stream (a nested archive) and is larger than 32 MiB, a
// private temporary copy (0600 in a 0700 directory, removed when Walk
// returns); a top-level file passed as an io.ReaderAt is read in place.
//
// Encryption is recognised without a password: a zip entry with the
// encryption flag or a WinZip AES field, and a 7z file whose data is
// encrypted, are yielded with Entry.Encrypted set; a 7z whose headers are
// encrypted (7z -mhe: the file list itself is hidden) makes Walk return
// ErrEncrypted, and the whole archive is encrypted.
//
// # Limits, and why
//
// Like an antivirus engine, the reader bounds every archive it opens
// (Limits, with DefaultLimits and one flag each): nesting depth (3), the
// uncompressed bytes read from one top-level archive and everything nested
// in it (1 GiB), the entries of one archive (100,000), the compression
// ratio (100:1), and the size of one entry (the scan's --max-file-size).
// A Budget carries them, and the byte count is shared by all the levels of
// one top-level archive, so a 42.zip-style bomb of nested archives gains
// nothing from nesting. Limits are checked on what an archive declares
// before anything is decompressed (entry counts, sizes, ratios), and again
// on what actually comes out, as it is read, because headers lie: every
// decompressed byte passes through a meter that charges the budget and
// compares output with the compressed input consumed, so a bomb is stopped
// after about a megabyte (ratioFloor) of output, not after decompressing
// it. The ratio of a whole zip is checked against its size too, which
// catches entries that share compressed data (the "better zip bomb").
// Exceeding a limit returns a *LimitError whose message names the flag;
// the scan reports the archive (or, for the entry size, the entry) as
// skipped with that message and goes on.
//
// Some costs come before any of that, in the libraries, and are bounded
// here first: a zip's central directory is counted before archive/zip
// parses it (a File per record, whatever the end record declares); a 7z
// header is walked before bodgit/sevenzip parses it, since the library
// allocates for declared counts (a 150-byte file can declare four billion
// files and kill the process), and encoded headers are decoded here, within
// 64 MiB; LZMA dictionaries and PPMd models, which decoders allocate
// whole, are capped at 256 MiB for xz (first block), and for 7z at the
// larger of 256 MiB and the data, itself capped by MaxTotalBytes. Library
// panics
// become errors wrapping extract.ErrCorrupt, and ctx is checked on every
// read.
//
// # How the scan recurses
//
// The scan, not this package, recurses, so that every file in an archive
// goes through the same sniff, extract and detect stages as a file on
// disk. For each top-level archive it makes one Budget (NewBudget) and
// calls Walk; in the callback, it sniffs the entry, and an entry that is
// itself an archive is walked with b.Nested(), one level deeper and drawing
// on the same bytes (ExampleWalk shows the loop). Entries are reported as
// OUTER!INNER (a.zip!b.tar!c.csv), each with its own findings, issues and
// status (encrypted for an encrypted entry, skipped with the LimitError
// message for one that exceeded a limit), and inherit the outer file's
// permissions and modification time: those are what protect the data on
// disk.
package archive
