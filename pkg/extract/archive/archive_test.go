package archive

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/datahygiene/datahygiene/pkg/extract"
)

var update = flag.Bool("update", false, "rewrite testdata/fixtures.golden")

func lines(rs []result) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(r.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// TestWalk covers each format with archives built here, one level each.
func TestWalk(t *testing.T) {
	t.Parallel()
	csv := zfile{name: "export/people.csv", data: peopleCSV, method: zip.Deflate}
	tests := []struct {
		name    string
		file    string
		data    []byte
		format  Format
		limits  Limits
		want    []string // result lines
		wantErr string   // status(err) of Walk
	}{
		{
			name: "zip", file: "a.zip", format: Zip,
			data: makeZip(t, zfile{name: "export/"}, csv, zfile{name: "notes.txt", data: "hello"},
				zfile{name: "link", data: "people.csv", mode: 0o120777}),
			want: []string{
				"export/people.csv\tscanned\t109\t" + fmt.Sprintf("%q", peopleCSV),
				"notes.txt\tscanned\t5\t\"hello\"",
			},
		},
		{
			name: "zip names are cleaned", file: "a.zip", format: Zip,
			data: makeZip(t, zfile{name: "../../etc/passwd", data: "x"}, zfile{name: "/abs/x.txt", data: "y"},
				zfile{name: `dir\win.txt`, data: "z"}, zfile{name: "a/./b/../c\x07.txt", data: "w"}),
			want: []string{
				"etc/passwd\tscanned\t1\t\"x\"",
				"abs/x.txt\tscanned\t1\t\"y\"",
				"dir/win.txt\tscanned\t1\t\"z\"",
				"a/c?.txt\tscanned\t1\t\"w\"",
			},
		},
		{
			name: "empty zip", file: "a.zip", format: Zip, data: makeZip(t),
		},
		{
			name: "tar skips what is not a regular file", file: "a.tar", format: Tar,
			data: makeTar(t,
				tfile{name: "dir/", typeflag: tar.TypeDir},
				tfile{name: "dir/people.csv", data: peopleCSV},
				tfile{name: "dir/link", typeflag: tar.TypeSymlink, link: "people.csv"},
				tfile{name: "dir/hard", typeflag: tar.TypeLink, link: "dir/people.csv"},
				tfile{name: "dev/fifo", typeflag: tar.TypeFifo},
				tfile{name: "dev/tty", typeflag: tar.TypeChar},
				tfile{name: "../../etc/passwd", data: "root:x:0:0"},
			),
			want: []string{
				"dir/people.csv\tscanned\t109\t" + fmt.Sprintf("%q", peopleCSV),
				"etc/passwd\tscanned\t10\t\"root:x:0:0\"",
			},
		},
		{
			name: "tar.gz", file: "backup.tar.gz", format: Gzip,
			data: gz(t, makeTar(t, tfile{name: "a.txt", data: "aaa"}, tfile{name: "b/", typeflag: tar.TypeDir}, tfile{name: "b/c.txt", data: "ccc"})),
			want: []string{"a.txt\tscanned\t3\t\"aaa\"", "b/c.txt\tscanned\t3\t\"ccc\""},
		},
		{
			name: "tar inside gzip found by content, whatever the name", file: "backup.gz", format: Gzip,
			data: gz(t, makeTar(t, tfile{name: "a.txt", data: "aaa"})),
			want: []string{"a.txt\tscanned\t3\t\"aaa\""},
		},
		{
			name: "gzip of one file", file: "dir/data.csv.gz", format: Gzip, data: gz(t, []byte(peopleCSV)),
			want: []string{"data.csv\tscanned\t109\t" + fmt.Sprintf("%q", peopleCSV)},
		},
		{
			name: "tgz that holds no tar", file: "x.tgz", format: Gzip, data: gz(t, []byte("plain")),
			want: []string{"x.tar\tscanned\t5\t\"plain\""},
		},
		{
			name: "empty gzip", file: "e.gz", format: Gzip, data: gz(t, nil),
			want: []string{"e\tscanned\t0"},
		},
		{
			name: "corrupt zip", file: "a.zip", format: Zip, data: makeZip(t, csv)[:60],
			wantErr: "error: corrupt",
		},
		{
			name: "zip entry with a bad CRC", file: "a.zip", format: Zip,
			data: func() []byte {
				e := deflated(t, "x.txt", []byte(peopleCSV))
				e.crc++
				return makeRawZip(t, e)
			}(),
			want: []string{"x.txt\terror: corrupt\t109\t" + fmt.Sprintf("%q", peopleCSV)},
		},
		{
			name: "zip entry with an unknown method", file: "a.zip", format: Zip,
			data: makeRawZip(t, rawEntry{name: "x.txt", method: 14, data: []byte("lzma?"), size: 5}),
			want: []string{"x.txt\terror: corrupt\t0"},
		},
		{
			name: "zip entry longer than declared", file: "a.zip", format: Zip,
			data: func() []byte {
				e := deflated(t, "x.txt", []byte(peopleCSV))
				e.size = 10
				return makeRawZip(t, e)
			}(),
			want: []string{"x.txt\terror: corrupt\t0"},
		},
		{
			name: "truncated gzip", file: "a.csv.gz", format: Gzip, data: gz(t, []byte(peopleCSV))[:40],
			wantErr: "error: corrupt",
		},
		{
			name: "not gzip", file: "a.gz", format: Gzip, data: []byte("plain text"),
			wantErr: "error: corrupt",
		},
		{
			name: "tar with a bad header", file: "a.tar", format: Tar,
			data: append(makeTar(t, tfile{name: "a.txt", data: "aaa"})[:1024], bytes.Repeat([]byte("garbage!"), 64)...),
			want: []string{"a.txt\tscanned\t3\t\"aaa\""}, wantErr: "error: corrupt",
		},
		{
			name: "tar with an oversized PAX header", file: "a.tar", format: Tar, data: hugePAX(t),
			wantErr: "error: corrupt",
		},
		{
			name: "not a format", file: "a.bin", format: Unknown, data: []byte("x"),
			wantErr: "error: corrupt",
		},
		{
			name: "max-entries, zip", file: "a.zip", format: Zip, limits: Limits{MaxEntries: 3},
			data:    makeZip(t, zfile{name: "1"}, zfile{name: "2"}, zfile{name: "3"}, zfile{name: "4"}),
			wantErr: "skipped: archive exceeds --archive-max-entries 3 (entries in one archive)",
		},
		{
			name: "max-entries, zip whose end record understates the count", file: "a.zip", format: Zip, limits: Limits{MaxEntries: 10},
			data: func() []byte {
				var files []zfile
				for i := range 20 {
					files = append(files, zfile{name: fmt.Sprint(i)})
				}
				z := makeZip(t, files...)
				eocd := bytes.LastIndex(z, []byte("PK\x05\x06"))
				putUint16(z[eocd+8:], 4)
				putUint16(z[eocd+10:], 4)
				return z
			}(),
			wantErr: "skipped: archive exceeds --archive-max-entries 10 (entries in one archive)",
		},
		{
			name: "max-entries, tar, directories count", file: "a.tar", format: Tar, limits: Limits{MaxEntries: 3},
			data: makeTar(t, tfile{name: "1"}, tfile{name: "d/", typeflag: tar.TypeDir}, tfile{name: "2"}, tfile{name: "3"}),
			want: []string{"1\tscanned\t0", "2\tscanned\t0"}, wantErr: "skipped: archive exceeds --archive-max-entries 3 (entries in one archive)",
		},
		{
			name: "max-entry-size skips the entry alone", file: "a.zip", format: Zip, limits: Limits{MaxEntrySize: 100},
			data: makeZip(t, csv, zfile{name: "small.txt", data: "ok"}),
			want: []string{
				"export/people.csv\tskipped: archive entry larger than --max-file-size (over 100 B uncompressed)\t0",
				"small.txt\tscanned\t2\t\"ok\"",
			},
		},
		{
			name: "max-entry-size, tar", file: "a.tar", format: Tar, limits: Limits{MaxEntrySize: 100},
			data: makeTar(t, tfile{name: "big.csv", data: peopleCSV}, tfile{name: "small.txt", data: "ok"}),
			want: []string{
				"big.csv\tskipped: archive entry larger than --max-file-size (over 100 B uncompressed)\t0",
				"small.txt\tscanned\t2\t\"ok\"",
			},
		},
		{
			name: "max-entry-size, gzip stream checked while reading", file: "a.csv.gz", format: Gzip, limits: Limits{MaxEntrySize: 100},
			data: gz(t, []byte(peopleCSV)),
			want: []string{"a.csv\tskipped: archive entry larger than --max-file-size (over 100 B uncompressed)\t100\t" + fmt.Sprintf("%q", peopleCSV[:100])},
		},
		{
			name: "max-entry-size, 7z", file: "plain.7z", format: SevenZip, limits: Limits{MaxEntrySize: 100},
			data: readFixture(t, "plain.7z"),
			want: []string{
				"notes/readme.txt\tscanned\t61\t\"Call Carol on +1 202 555 0199 or write to carol@example.net.\\n\"",
				"people.csv\tskipped: archive entry larger than --max-file-size (over 100 B uncompressed)\t0",
			},
		},
		{
			name: "max-bytes, 7z declared total", file: "plain.7z", format: SevenZip, limits: Limits{MaxTotalBytes: 100},
			data:    readFixture(t, "plain.7z"),
			wantErr: "skipped: archive exceeds --archive-max-bytes 100 B (uncompressed bytes read from it and the archives in it)",
		},
		{
			name: "max-entries, 7z", file: "plain.7z", format: SevenZip, limits: Limits{MaxEntries: 2},
			data:    readFixture(t, "plain.7z"),
			wantErr: "skipped: archive exceeds --archive-max-entries 2 (entries in one archive)",
		},
		{
			name: "truncated 7z", file: "plain.7z", format: SevenZip, data: readFixture(t, "plain.7z")[:100],
			wantErr: "error: corrupt",
		},
		{
			name: "truncated xz", file: "people.csv.xz", format: XZ, data: readFixture(t, "people.csv.xz")[:60],
			wantErr: "error: corrupt",
		},
		{
			name: "truncated bzip2", file: "people.csv.bz2", format: Bzip2, data: readFixture(t, "people.csv.bz2")[:60],
			wantErr: "error: corrupt",
		},
		{
			name: "max-bytes, zip declared total", file: "a.zip", format: Zip, limits: Limits{MaxTotalBytes: 200},
			data:    makeZip(t, csv, csv),
			wantErr: "skipped: archive exceeds --archive-max-bytes 200 B (uncompressed bytes read from it and the archives in it)",
		},
		{
			name: "max-bytes, tar while reading", file: "a.tar", format: Tar, limits: Limits{MaxTotalBytes: 200},
			data: makeTar(t, tfile{name: "1.csv", data: peopleCSV}, tfile{name: "2.csv", data: peopleCSV}, tfile{name: "3.csv", data: peopleCSV}),
			want: []string{
				"1.csv\tscanned\t109\t" + fmt.Sprintf("%q", peopleCSV),
				"2.csv\tskipped: archive exceeds --archive-max-bytes 200 B (uncompressed bytes read from it and the archives in it)\t91\t" + fmt.Sprintf("%q", peopleCSV[:91]),
			},
			wantErr: "skipped: archive exceeds --archive-max-bytes 200 B (uncompressed bytes read from it and the archives in it)",
		},
		{
			name: "max-ratio, zip declared", file: "a.zip", format: Zip,
			data:    makeRawZip(t, rawEntry{name: "zeros.bin", method: zip.Deflate, data: zeroStream(t, 4).stream, size: 4 << 20, crc: zeroStream(t, 4).crc}),
			wantErr: "skipped: archive exceeds --archive-max-ratio 100 (compression ratio over 100:1)",
		},
		{
			name: "max-ratio, zip whose header understates the size", file: "a.zip", format: Zip,
			data: func() []byte {
				// Declared 1 MiB, so the declared ratio passes; the
				// entry fails as soon as it inflates past that.
				z := zeroStream(t, 64)
				return makeRawZip(t, rawEntry{name: "zeros.bin", method: zip.Deflate, data: z.stream, size: 1 << 20, crc: z.crc})
			}(),
			want: []string{"zeros.bin\terror: corrupt\t1048576"},
		},
		{
			name: "max-ratio, zip whose header overstates the compressed size", file: "a.zip", format: Zip,
			data: func() []byte {
				// 64 MiB in a 1 MiB entry passes the declared check;
				// the deflate stream really is 64 KiB, followed by
				// padding, and the meter sees that while inflating.
				z := zeroStream(t, 64)
				padded := append(bytes.Clone(z.stream), randomBytes(1<<20-len(z.stream))...)
				return makeRawZip(t, rawEntry{name: "zeros.bin", method: zip.Deflate, data: padded, size: z.size, crc: z.crc})
			}(),
			want: []string{"zeros.bin\tskipped: archive exceeds --archive-max-ratio 100 (compression ratio over 100:1)\t1081344"},
		},
		{
			name: "max-ratio, gzip while reading", file: "zeros.bin.gz", format: Gzip,
			data: gz(t, make([]byte, 16<<20)),
			want: []string{"zeros.bin\tskipped: archive exceeds --archive-max-ratio 100 (compression ratio over 100:1)\t1081344"},
		},
		{
			name: "overlapping zip entries", file: "a.zip", format: Zip, data: overlappingZip(t, 300),
			wantErr: "skipped: archive exceeds --archive-max-ratio 100 (compression ratio over 100:1)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := walkAll(t, tt.file, tt.data, tt.format, tt.limits)
			if diff := cmpLines(lines(got), strings.Join(append(tt.want, ""), "\n")); diff != "" {
				t.Errorf("entries:\n%s", diff)
			}
			gotErr := ""
			if err != nil {
				gotErr = status(err)
			}
			if gotErr != tt.wantErr {
				t.Errorf("Walk error %q (%v), want %q", gotErr, err, tt.wantErr)
			}
		})
	}
}

// cmpLines returns "" if got equals want, else both.
func cmpLines(got, want string) string {
	if got == want {
		return ""
	}
	return "got:\n" + got + "want:\n" + want
}

// hugePAX is a tar whose first header is a 2 MiB PAX extended header,
// beyond archive/tar's 1 MiB bound.
func hugePAX(t testing.TB) []byte {
	data := makeTar(t, tfile{name: "PaxHeaders/x", data: strings.Repeat("9", 2<<20)})
	data = bytes.Clone(data)
	hdr := data[:512]
	hdr[156] = 'x'
	copy(hdr[148:156], "        ")
	var sum int64
	for _, c := range hdr {
		sum += int64(c)
	}
	copy(hdr[148:156], fmt.Sprintf("%06o\x00 ", sum))
	return data
}

// overlappingZip is a zip of n entries that all point at the same 64 KiB
// of stored data (the "better zip bomb" idea without deflate): each entry
// is honest about its own size, the whole declares n x 64 KiB.
func overlappingZip(t testing.TB, n int) []byte {
	data := bytes.Repeat([]byte("0123456789abcdef"), 4096)
	z := makeRawZip(t, rawEntry{name: "0", method: zip.Store, data: data, size: uint64(len(data)), crc: crc32IEEE(data)})
	// Split into local part and central directory, then repeat the
	// central record n times under different names.
	eocd := bytes.LastIndex(z, []byte("PK\x05\x06"))
	cdOff := int(leUint32(z[eocd+16:]))
	rec := z[cdOff:eocd]
	var out bytes.Buffer
	out.Write(z[:cdOff])
	for i := range n {
		r := bytes.Clone(rec)
		r[len(r)-1] = byte('0' + i%10) // one-character name; duplicates are fine
		out.Write(r)
	}
	end := bytes.Clone(z[eocd:])
	putUint16(end[8:], uint16(n))
	putUint16(end[10:], uint16(n))
	putUint32(end[12:], uint32(len(rec)*n))
	out.Write(end)
	return out.Bytes()
}

// TestFixtures walks the committed fixtures (scripts/genarchives.sh) and
// compares with testdata/fixtures.golden; -update rewrites it.
func TestFixtures(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/*.*")
	if err != nil {
		t.Fatal(err)
	}
	var got strings.Builder
	for _, path := range files {
		if strings.HasSuffix(path, ".golden") {
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(path)
		f := Detect(name, data)
		fmt.Fprintf(&got, "== %s (%s)\n", name, f)
		rs, err := walkAll(t, name, data, f, Limits{})
		got.WriteString(lines(rs))
		if err != nil {
			fmt.Fprintf(&got, "walk: %s\n", status(err))
		}
	}
	golden := filepath.Join("testdata", "fixtures.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestFixtures -update)", err)
	}
	if diff := cmpLines(got.String(), string(want)); diff != "" {
		t.Errorf("fixtures changed (go test -run TestFixtures -update if intended):\n%s", diff)
	}
}

// TestEncrypted checks the encryption cases against the fixtures
// explicitly, so that a golden update cannot hide a regression.
func TestEncrypted(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file      string
		encrypted []string // entries with Encrypted set
		plain     []string // entries read
		walkErr   error
	}{
		{file: "zipcrypto.zip", encrypted: []string{"people.csv"}, plain: []string{"notes/readme.txt"}},
		{file: "aes.zip", encrypted: []string{"people.csv"}},
		{file: "password.7z", encrypted: []string{"notes/readme.txt", "people.csv"}},
		{file: "headers.7z", walkErr: ErrEncrypted},
		{file: "plain.7z", plain: []string{"notes/readme.txt", "people.csv"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			var enc, plain []string
			in := extract.Input{Name: tt.file, R: bytes.NewReader(data), Size: int64(len(data))}
			err = Walk(context.Background(), in, Detect(tt.file, data), NewBudget(Limits{}), func(e *Entry) error {
				if e.Encrypted {
					if _, err := e.R.Read(make([]byte, 1)); !errors.Is(err, ErrEncrypted) {
						t.Errorf("%s: reader of an encrypted entry returned %v", e.Name, err)
					}
					enc = append(enc, e.Name)
					return nil
				}
				if _, err := io.Copy(io.Discard, e.R); err != nil {
					t.Errorf("%s: %v", e.Name, err)
				}
				plain = append(plain, e.Name)
				return nil
			})
			if !errors.Is(err, tt.walkErr) || (err != nil && tt.walkErr == nil) {
				t.Fatalf("Walk: %v, want %v", err, tt.walkErr)
			}
			if fmt.Sprint(enc) != fmt.Sprint(tt.encrypted) || fmt.Sprint(plain) != fmt.Sprint(tt.plain) {
				t.Errorf("encrypted %q, plain %q; want %q, %q", enc, plain, tt.encrypted, tt.plain)
			}
		})
	}
}

func TestDetect(t *testing.T) {
	t.Parallel()
	tarHead := makeTar(t, tfile{name: "a.txt", data: "x"})
	v7 := bytes.Clone(tarHead[:512])
	copy(v7[257:265], make([]byte, 8)) // no magic, as a v7 tar
	copy(v7[148:156], "        ")
	var sum int64
	for _, c := range v7 {
		sum += int64(c)
	}
	copy(v7[148:156], fmt.Sprintf("%06o\x00 ", sum))
	tests := []struct {
		name string
		head []byte
		want Format
	}{
		{"a.zip", makeZip(t), Zip},
		{"a.bin", makeZip(t, zfile{name: "x", data: "y"}), Zip},
		{"Book1.xlsx", makeZip(t, zfile{name: "x", data: "y"}), Zip},
		{"a.gz", gz(t, nil), Gzip},
		{"a.tgz", gz(t, tarHead), Gzip},
		{"people.csv.bz2", readFixture(t, "people.csv.bz2"), Bzip2},
		{"a.txt", []byte("BZh9 is how this text starts"), Unknown},
		{"people.csv.xz", readFixture(t, "people.csv.xz"), XZ},
		{"plain.7z", readFixture(t, "plain.7z"), SevenZip},
		{"a.tar", tarHead, Tar},
		{"renamed.dat", tarHead, Tar},
		{"old.tar", v7, Tar},
		{"old.dat", v7, Unknown},
		{"short.tar", tarHead[:300], Unknown},
		{"a.txt", []byte("plain text"), Unknown},
		{"empty", nil, Unknown},
	}
	for _, tt := range tests {
		if got := Detect(tt.name, tt.head); got != tt.want {
			t.Errorf("Detect(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestStreamEntryName(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"data.csv.gz": "data.csv", "dir/Data.CSV.GZ": "Data.CSV", "backup.tgz": "backup.tar",
		"x.tar.bz2": "x.tar", "log.xz": "log", "a.txbz": "a.txbz", ".gz": ".gz", "": "data",
		`c:\dir\report.txt.bz2`: "report.txt", "a.zip!dir/b.csv.gz": "b.csv", "a.zip!b.gz!c": "c",
	} {
		if got := streamEntryName(in); got != want {
			t.Errorf("streamEntryName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLimitsCheck(t *testing.T) {
	t.Parallel()
	if err := DefaultLimits().Check(); err != nil {
		t.Fatal(err)
	}
	for _, l := range []Limits{{MaxDepth: -1}, {MaxTotalBytes: -1}, {MaxEntries: -1}, {MaxRatio: -1}, {MaxEntrySize: -1}} {
		if err := l.Check(); err == nil {
			t.Errorf("%+v: no error", l)
		}
	}
	if got := NewBudget(Limits{MaxDepth: 5}).Limits(); got.MaxDepth != 5 || got.MaxTotalBytes != 1<<30 || got.MaxRatio != 100 {
		t.Errorf("defaults not filled in: %+v", got)
	}
	err := error(&LimitError{Limit: LimitRatio, Value: 100})
	if !errors.Is(err, ErrLimit) || !errors.Is(fmt.Errorf("wrapped: %w", err), ErrLimit) {
		t.Error("LimitError is not ErrLimit")
	}
}

// TestSpool checks that zip and 7z read from a plain stream (a nested
// archive) are copied, in memory or past spoolInMemory to a private
// temporary file that is gone afterwards.
func TestSpool(t *testing.T) { // not parallel: t.Setenv, spoolInMemory
	defer func(n int64) { spoolInMemory = n }(spoolInMemory)
	spoolInMemory = 64 << 10
	small := makeZip(t, zfile{name: "a.txt", data: "aaa"})
	random := randomBytes(int(spoolInMemory) + 1000)
	big := makeRawZip(t, rawEntry{name: "big.bin", method: zip.Store, data: random, size: uint64(len(random)), crc: crc32IEEE(random)})
	for _, data := range [][]byte{small, big} {
		tmp := t.TempDir()
		t.Setenv("TMPDIR", tmp)
		var sawFile bool
		in := extract.Input{Name: "a.zip", R: io.MultiReader(bytes.NewReader(data)), Size: -1}
		err := Walk(context.Background(), in, Zip, NewBudget(Limits{}), func(e *Entry) error {
			matches, _ := filepath.Glob(filepath.Join(tmp, "datahygiene-archive-*", "spool"))
			for _, m := range matches {
				fi, err := os.Stat(m)
				if err != nil || fi.Mode().Perm() != 0o600 {
					t.Errorf("spool %s: %v %v", m, fi.Mode(), err)
				}
				di, _ := os.Stat(filepath.Dir(m))
				if di.Mode().Perm() != 0o700 {
					t.Errorf("spool dir mode %v", di.Mode())
				}
				sawFile = true
			}
			_, err := io.Copy(io.Discard, e.R)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if sawFile != (int64(len(data)) > spoolInMemory) {
			t.Errorf("%d bytes: spooled to a file: %v", len(data), sawFile)
		}
		if left, _ := filepath.Glob(filepath.Join(tmp, "*")); len(left) != 0 {
			t.Errorf("left behind: %v", left)
		}
	}
}

// TestSpoolBudget checks that a stream is never copied beyond the budget.
func TestSpoolBudget(t *testing.T) {
	t.Parallel()
	data := makeZip(t, zfile{name: "a.txt", data: strings.Repeat("x", 5000), method: zip.Store})
	in := extract.Input{Name: "a.zip", R: io.MultiReader(bytes.NewReader(data)), Size: -1}
	err := Walk(context.Background(), in, Zip, NewBudget(Limits{MaxTotalBytes: 1000}), func(*Entry) error { return nil })
	var le *LimitError
	if !errors.As(err, &le) || le.Limit != LimitBytes {
		t.Fatalf("got %v, want a max-bytes LimitError", err)
	}
}

func TestCancel(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	data := makeTar(t, tfile{name: "a", data: "1"}, tfile{name: "b", data: "2"}, tfile{name: "c", data: "3"})
	in := extract.Input{Name: "a.tar", R: bytes.NewReader(data), Size: int64(len(data))}
	n := 0
	err := Walk(ctx, in, Tar, NewBudget(Limits{}), func(e *Entry) error {
		n++
		cancel()
		_, err := e.R.Read(make([]byte, 1))
		if !errors.Is(err, context.Canceled) {
			t.Errorf("read after cancel: %v", err)
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || n != 1 {
		t.Errorf("Walk after cancel: %v after %d entries", err, n)
	}
}

// TestCallbackError checks that fn's error stops the walk unchanged.
func TestCallbackError(t *testing.T) {
	t.Parallel()
	stop := errors.New("stop")
	for _, f := range []struct {
		format Format
		data   []byte
	}{
		{Zip, makeZip(t, zfile{name: "a"}, zfile{name: "b"})},
		{Tar, makeTar(t, tfile{name: "a"}, tfile{name: "b"})},
		{Gzip, gz(t, []byte("x"))},
		{SevenZip, readFixture(t, "plain.7z")},
	} {
		in := extract.Input{Name: "x", R: bytes.NewReader(f.data), Size: int64(len(f.data))}
		n := 0
		err := Walk(context.Background(), in, f.format, NewBudget(Limits{}), func(*Entry) error { n++; return stop })
		if err != stop || n != 1 {
			t.Errorf("%s: %v after %d entries", f.format, err, n)
		}
	}
}
