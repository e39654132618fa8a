package scan

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/datahygiene/datahygiene/pkg/allow"
	"github.com/datahygiene/datahygiene/pkg/assess"
	"github.com/datahygiene/datahygiene/pkg/detect"
	"github.com/datahygiene/datahygiene/pkg/exposure"
	"github.com/datahygiene/datahygiene/pkg/extract"
	"github.com/datahygiene/datahygiene/pkg/extract/archive"
	"github.com/datahygiene/datahygiene/pkg/extract/csv"
	"github.com/datahygiene/datahygiene/pkg/extract/mail"
	"github.com/datahygiene/datahygiene/pkg/extract/office"
	"github.com/datahygiene/datahygiene/pkg/extract/pdf"
	"github.com/datahygiene/datahygiene/pkg/extract/text"
	"github.com/datahygiene/datahygiene/pkg/extract/xls"
	"github.com/datahygiene/datahygiene/pkg/extract/xlsx"
	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/report"
	"github.com/datahygiene/datahygiene/pkg/ruleset"
	"github.com/datahygiene/datahygiene/pkg/sniff"
	"github.com/datahygiene/datahygiene/pkg/state"
	"github.com/datahygiene/datahygiene/pkg/walk"
)

// Options is everything a scan needs; the CLI only fills it in.
type Options struct {
	Root string
	// Paths, when not nil, are what is scanned instead of Root: files and
	// folders (as a pre-commit hook passes staged files), each walked on
	// its own and reported under the path as given; an empty list scans
	// nothing. Root then only names the report's base (usually ".").
	Paths   []string
	Workers int // 0 = number of CPUs
	Walk    walk.Options
	Rules   *ruleset.Ruleset
	Archive archive.Limits // zero fields take archive.DefaultLimits
	PDF     pdf.Limits     // zero fields take pdf.DefaultLimits
	Allow   *allow.List    // accepted findings; nil accepts none
	Detect  detect.Options
	Assess  assess.Options
	Tool    report.Tool
	// Now is the scan's reference time for staleness (default time.Now()).
	Now func() time.Time
	// ContentKey keys the content IDs (finding.FileResult.ContentID) that
	// tell copies apart and let the cache recognise a touched file: the
	// state's secret, so that IDs stay comparable across runs. nil: a key
	// made for this run.
	ContentKey []byte
	// Cache answers for files unchanged since the last run (nil: read
	// every file); Recorder stores every file's results for the next run
	// and the history (nil: nothing is stored).
	Cache    *state.Cache
	Recorder *state.Recorder
	// OnFile, if set, sees every file's result as soon as it is done, in
	// completion order, from the worker that made it (one at a time).
	OnFile func(finding.FileResult)

	// Tests shrink the fan-out thresholds (fanout.go) to exercise it on
	// small files.
	fanoutMin, batchBytes int
}

// sniffLen is how much of a file's head the type sniffer sees.
const sniffLen = 8 << 10

// Run scans opts.Root and returns the report. Per-file problems are data
// (status error or skipped), not errors; Run fails only when the root
// itself cannot be scanned or ctx is cancelled.
func Run(ctx context.Context, opts Options) (*report.Report, error) {
	if opts.Rules == nil {
		return nil, errors.New("scan: no rules")
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	roots := opts.Paths
	if roots == nil {
		if _, err := os.Lstat(opts.Root); err != nil {
			return nil, fmt.Errorf("scan root: %w", err)
		}
		roots = []string{opts.Root}
	}
	// Without a cache, process stats each file on the workers and the
	// walk only lists, which keeps the walk ahead of the workers. With
	// one, every file is statted for its lookup anyway, and the walk's
	// fstatat on the open directory costs less than a stat by path.
	opts.Walk.LazyStat = opts.Cache == nil
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	rep := &report.Report{Schema: report.Schema, Tool: opts.Tool, Root: opts.Root, StartedAt: now()}
	if opts.Assess.Now.IsZero() {
		opts.Assess.Now = rep.StartedAt
	}
	s := &scanner{opts: opts, engine: detect.New(opts.Rules, opts.Detect), workers: workers}
	// Paths are resolved against the working directory once: Abs per
	// file calls Getwd, which stats.
	s.cwd, _ = os.Getwd()
	if s.contentKey = opts.ContentKey; len(s.contentKey) == 0 {
		s.contentKey = make([]byte, 32)
		rand.Read(s.contentKey)
	}
	rep.Mounts = mountsOf(roots)
	s.mounts = rep.Mounts

	entries := make(chan walk.Entry, 4*workers)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// One slice per worker holds each file's results until add
			// copies them: a fresh one per file was 20 MB of garbage on
			// an unchanged re-scan of 100k files.
			var res []finding.FileResult
			for e := range entries {
				res = s.process(ctx, e, res[:0])
				for _, r := range res {
					s.add(r)
				}
				clear(res)
			}
		}()
	}
	var walkErr error
	for _, root := range roots {
		prefix, single := "", false
		if opts.Paths != nil {
			prefix = filepath.ToSlash(filepath.Clean(root))
			fi, err := os.Lstat(root)
			if err != nil {
				// A path given explicitly that is gone (a staged
				// deletion) is reported, not fatal.
				s.add(finding.FileResult{Path: prefix, Status: finding.Error, Reason: errReason(err), Findings: []finding.Finding{}, Issues: []finding.Issue{}})
				continue
			}
			single = !fi.IsDir()
		}
		walkErr = walk.Walk(ctx, root, opts.Walk, func(e walk.Entry) error {
			switch {
			case prefix == "":
			case single || e.Rel == ".":
				e.Rel = prefix
			case prefix != ".":
				e.Rel = prefix + "/" + e.Rel
			}
			select {
			case entries <- e:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
		if walkErr != nil {
			break
		}
	}
	close(entries)
	wg.Wait()
	if walkErr != nil {
		return nil, walkErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rep.Files = s.results.all()
	sort.Slice(rep.Files, func(i, j int) bool { return rep.Files[i].Path < rep.Files[j].Path })
	rep.Summary.FilesSeen = s.seen
	rep.Summary.FilesScanned = s.scanned
	rep.Summary.BytesScanned = s.bytes
	rep.Summary.FilesCached = s.cached
	rep.FinishedAt = now()
	rep.Tally()
	if s.stateErr != nil {
		return rep, fmt.Errorf("%w: %v", ErrState, s.stateErr)
	}
	return rep, nil
}

// ErrState is returned, with a complete report, when results could not be
// stored in the state: the next run reads those files again.
var ErrState = errors.New("state not updated")

type scanner struct {
	opts    Options
	engine  *detect.Engine
	workers int
	mounts  []exposure.Mount
	cwd     string
	// contentKey keys content IDs (Options.ContentKey).
	contentKey []byte
	dirs       exposure.Dirs // world-writable folders, looked up once each

	mu       sync.Mutex
	results  chunks
	seen     int
	scanned  int
	bytes    int64
	cached   int   // files answered from the state cache
	stateErr error // first failure to record a file
}

// add keeps a file's result if the report lists it: files with findings,
// issues, or a status other than scanned. Clean files are only counted.
func (s *scanner) add(r finding.FileResult) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seen++
	if r.Status == finding.Scanned {
		s.scanned++
	}
	s.bytes += r.Bytes
	if s.opts.OnFile != nil {
		s.opts.OnFile(r)
	}
	if report.Reportable(&r) {
		s.results.add(r)
	}
}

// chunks collects results in fixed-size blocks: appending to one slice
// copied every result again at each doubling, under the lock the workers
// share (a tenth of a re-scan served from the state).
type chunks struct {
	blocks [][]finding.FileResult
	n      int
}

const chunkLen = 1024

func (c *chunks) add(r finding.FileResult) {
	if k := len(c.blocks); k == 0 || len(c.blocks[k-1]) == chunkLen {
		c.blocks = append(c.blocks, make([]finding.FileResult, 0, chunkLen))
	}
	last := &c.blocks[len(c.blocks)-1]
	*last = append(*last, r)
	c.n++
}

// all returns the results in one slice, never nil.
func (c *chunks) all() []finding.FileResult {
	out := make([]finding.FileResult, 0, c.n)
	for _, b := range c.blocks {
		out = append(out, b...)
	}
	return out
}

// process appends the results of one walk entry to dst: the file's own
// and, for an archive, its members'. A file unchanged since the last run
// (same size, times, inode and rules) is answered from the state cache
// without being opened; only its mode and staleness are judged again,
// since they depend on the clock and the permissions, not the content.
func (s *scanner) process(ctx context.Context, e walk.Entry, dst []finding.FileResult) []finding.FileResult {
	// The walk leaves regular files unstatted (LazyStat), so that the
	// workers stat them in parallel; a failure becomes e.Err, reported
	// by file as the walk's own errors are.
	_ = e.Stat()
	stateful := e.Err == nil && e.Skip == "" && e.Info != nil && (s.opts.Cache != nil || s.opts.Recorder != nil)
	var m state.Meta
	if stateful {
		m = state.MetaOf(e.Info)
		res, hit := s.opts.Cache.AppendLookup(dst, e.Rel, m)
		if hit == state.Miss && s.opts.Cache.WantsHash(e.Rel, m) {
			// Touched or copied back, maybe unchanged: hashing is far
			// cheaper than reading for findings.
			if sum, err := s.hashFile(e); err == nil {
				m.ContentHash = sum
				res, hit = s.opts.Cache.AppendLookup(dst, e.Rel, m)
			}
		}
		if hit != state.Miss {
			for i := range res {
				res[i].Mode = finding.Mode(e.Info.Mode().Perm())
				res[i].Modified = e.Info.ModTime()
				s.judge(&res[i], &walked{path: e.Path, info: e.Info})
			}
			s.record(e.Rel, m, res, hit)
			return res
		}
	}
	var members []finding.FileResult
	r := s.file(ctx, e, &members)
	if r.ContentID != "" {
		m.ContentHash = r.ContentID
	}
	res := append(append(dst, r), members...)
	if stateful && ctx.Err() == nil {
		s.record(e.Rel, m, res, state.Miss)
	}
	return res
}

// hashFile hashes a walked file's content.
func (s *scanner) hashFile(e walk.Entry) (string, error) {
	f, err := walk.Open(e)
	if err != nil {
		return "", err
	}
	defer f.Close()
	return state.HashContent(s.contentKey, f)
}

// record stores a file's results; the first failure is kept for Run to
// return, and the scan goes on: the report matters more than the cache.
func (s *scanner) record(path string, m state.Meta, res []finding.FileResult, hit state.Hit) {
	if s.opts.Recorder == nil {
		return
	}
	if hit != state.Miss {
		// Counted like files_scanned: every scanned result, archive
		// members included.
		n := 0
		for i := range res {
			if res[i].Status == finding.Scanned {
				n++
			}
		}
		s.mu.Lock()
		s.cached += n
		s.mu.Unlock()
	}
	if err := s.opts.Recorder.File(path, m, res, hit); err != nil {
		s.mu.Lock()
		if s.stateErr == nil {
			s.stateErr = err
		}
		s.mu.Unlock()
	}
}

// file processes one walk entry into its result.
func (s *scanner) file(ctx context.Context, e walk.Entry, members *[]finding.FileResult) finding.FileResult {
	_ = e.Stat() // a no-op when process has statted e: its error is e.Err
	r := finding.FileResult{Path: e.Rel, Status: finding.Scanned}
	if e.Info != nil {
		r.Size = e.Info.Size()
		r.Modified = e.Info.ModTime()
		r.Mode = finding.Mode(e.Info.Mode().Perm())
		r.Type = typeOfMode(e.Info.Mode())
	}
	switch {
	case e.Err != nil:
		r.Status, r.Reason = finding.Error, errReason(e.Err)
		return r
	case e.Skip != "":
		r.Status, r.Reason = finding.Skipped, e.Skip
		return r
	}
	if err := s.read(ctx, e, &r, members); err != nil {
		r.Status, r.Reason = finding.Error, errReason(err)
		r.Findings = nil
	}
	s.judge(&r, &walked{path: e.Path, info: e.Info})
	return r
}

// walked is a file as the walk found it on disk; archive members share
// their archive's.
type walked struct {
	path string      // to open or inspect it
	info fs.FileInfo // the walk's stat: mode, owner, times
}

// judge applies the allowlist and assesses a scanned file. w gives the
// owner, access time, ACL and folder; nil judges from what r records.
func (s *scanner) judge(r *finding.FileResult, w *walked) {
	if r.Status != finding.Scanned {
		return
	}
	s.opts.Allow.Apply(r)
	facts := assess.FactsOf(r)
	if w != nil && w.info != nil {
		facts = assess.StatFacts(r.Path, w.info)
		// Exposure beyond the mode bits only matters for customer data,
		// and costs a few system calls: clean files skip it.
		if len(r.Findings) > 0 {
			s.exposure(&facts, w.path)
		}
	}
	assess.Assess(r, facts, s.opts.Assess)
}

// exposure adds what the filesystem says beyond the stat: who the file's
// ACL lets read it, whether its folder is world-writable, the owner's
// name, and whether its mount records access times at all.
func (s *scanner) exposure(f *assess.Facts, path string) {
	if acl, err := exposure.ReadACL(path); err == nil {
		for _, who := range acl.ReadableBy() {
			// The owning group and everyone are the mode bits' business.
			if strings.HasPrefix(who, "user:") || strings.HasPrefix(who, "group:") {
				f.ACLReaders = append(f.ACLReaders, who)
			}
		}
	}
	f.DirWorldWritable, f.DirSticky, _ = s.dirs.WorldWritable(filepath.Dir(path))
	if f.OwnerKnown {
		f.Owner = exposure.OwnerName(uint32(f.UID))
	}
	abs := path
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(s.cwd, path)
	}
	if m, ok := exposure.Holding(s.mounts, abs); ok {
		f.NoAtime = slices.Contains(m.Options, "noatime")
	}
}

// mountsOf lists the mounts holding the scanned roots and those below
// them, once each. A root the system cannot describe adds none: the
// report then says nothing about storage encryption rather than fail.
func mountsOf(roots []string) []exposure.Mount {
	var out []exposure.Mount
	seen := map[string]bool{}
	for _, root := range roots {
		abs, err := filepath.Abs(root)
		if err != nil {
			continue
		}
		if fi, err := os.Stat(abs); err == nil && !fi.IsDir() {
			// A single file: its folder says where it is stored (and
			// fscrypt is a property of folders).
			abs = filepath.Dir(abs)
		}
		ms, err := exposure.Mounts(abs)
		if err != nil {
			continue
		}
		for _, m := range ms {
			if !seen[m.Path] {
				seen[m.Path] = true
				out = append(out, m)
			}
		}
	}
	return out
}

func (s *scanner) read(ctx context.Context, e walk.Entry, r *finding.FileResult, members *[]finding.FileResult) error {
	// walk.Open opens read-only with O_NOATIME where allowed, and only
	// the regular file the walk saw (not a FIFO or link swapped in since).
	f, err := walk.Open(e)
	if err != nil {
		return err
	}
	defer f.Close()
	head, err := readHead(f)
	if err != nil {
		return err
	}
	// The content is hashed as it is read, for copies and for the state
	// (a touched file with the same hash is not read again).
	hr := &hashingReader{r: f, h: state.NewContentHash(s.contentKey), n: int64(len(head))}
	hr.h.Write(head)
	err = s.content(ctx, source{name: e.Rel, head: head, rest: hr, ra: f, size: r.Size, disk: &walked{path: e.Path, info: e.Info}, members: members}, r, nil)
	if err == nil {
		r.ContentID = s.contentHash(hr, f, r, *members)
	}
	return err
}

// hashingReader hashes and counts what is read through it.
type hashingReader struct {
	r io.Reader
	h hash.Hash
	n int64
}

func (h *hashingReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	h.h.Write(p[:n])
	h.n += int64(n)
	return n, err
}

// contentHash returns the hash of a file read whole through hr; a file
// that was read otherwise (random access, or not at all) is hashed again
// only if it holds findings, which copies are about.
func (s *scanner) contentHash(hr *hashingReader, f io.ReaderAt, r *finding.FileResult, members []finding.FileResult) string {
	if hr.n == r.Size {
		return hex.EncodeToString(hr.h.Sum(nil))
	}
	held := len(r.Findings) > 0
	for i := range members {
		held = held || len(members[i].Findings) > 0
	}
	if !held {
		return ""
	}
	sum, err := state.HashContent(s.contentKey, io.NewSectionReader(f, 0, r.Size))
	if err != nil {
		return ""
	}
	return sum
}

// source is the content of a file on disk or of an archive entry.
type source struct {
	name string      // display path (OUTER!INNER inside archives)
	head []byte      // the first sniffLen bytes
	rest io.Reader   // the bytes after head
	ra   io.ReaderAt // random access to the whole content, or nil
	size int64
	disk *walked // the walked file, which archive members share
	// members collects the results of archive members, which belong to
	// the walked file: the cache stores and answers them together.
	members *[]finding.FileResult
}

func readHead(r io.Reader) ([]byte, error) {
	head := make([]byte, sniffLen)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return head[:n], nil
}

// content sniffs, checks for encryption, and reads src with the right
// extractor, or walks it as an archive. budget is the enclosing archive's,
// nil for a file on disk.
func (s *scanner) content(ctx context.Context, src source, r *finding.FileResult, budget *archive.Budget) error {
	typ := sniff.Detect(src.name, src.head)
	r.Type = string(typ)
	// Encrypted files are a good sign, not something to read: report
	// them as such. A PDF with only an owner password opens without one,
	// so it is not protected.
	enc, ok, err := sniff.Encrypted(src.name, src.head, src.ra, src.size)
	if err != nil {
		return err
	}
	if ok && !enc.OpensWithoutPassword {
		r.Status, r.Reason = finding.Encrypted, enc.Reason
		return nil
	}
	nested := func() *archive.Budget {
		if budget != nil {
			return budget.Nested()
		}
		return archive.NewBudget(s.opts.Archive)
	}
	if mf := mailFormat(typ, src); mf != mail.None {
		r.Type, r.Bytes = string(mf), src.size
		return s.walkMail(ctx, src, mf, nested(), r)
	}
	ex, kind := s.reader(typ, src)
	if kind != "" {
		r.Type = kind
	}
	if ex == nil {
		if af := archiveFormat(typ, src); af != archive.Unknown {
			r.Type, r.Bytes = string(af), src.size
			return archiveOutcome(s.walkArchive(ctx, src, af, nested(), r), r)
		}
		if typ != sniff.Empty {
			r.Status, r.Reason = finding.Skipped, skipReason(typ)
		}
		return nil
	}
	cr := &countingReader{r: io.MultiReader(bytes.NewReader(src.head), src.rest)}
	file := s.engine.NewFile()
	add := file.Add
	var fan *fanout
	min, size := int64(fanoutMinSize), batchBytes
	if s.opts.fanoutMin > 0 {
		min, size = int64(s.opts.fanoutMin), s.opts.batchBytes
	}
	if src.size >= min && s.workers > 1 {
		fan = newFanout(s.engine, s.workers, size)
		add = fan.Add
	}
	err = ex.Extract(ctx, extract.Input{Name: src.name, R: cr, Size: src.size, RA: src.ra}, add)
	if fan != nil {
		file = fan.Finish()
	}
	r.Bytes = cr.n
	if src.ra != nil && cr.n < src.size {
		// The reader used random access (a document, a workbook): what it
		// read did not go through cr.
		r.Bytes = src.size
	}
	// What was found before a limit stopped the reader still counts.
	r.Findings = file.Findings()
	r.Warnings = file.Warnings
	r.Suppressed = file.Suppressed()
	switch {
	case err == nil:
	case errors.Is(err, pdf.ErrEncrypted):
		r.Status, r.Reason = finding.Encrypted, "password-protected PDF"
		return nil
	case errors.Is(err, xlsx.ErrEncrypted), errors.Is(err, xls.ErrEncrypted):
		r.Status, r.Reason = finding.Encrypted, "password-protected workbook"
		return nil
	case errors.Is(err, office.ErrEncrypted):
		r.Status, r.Reason = finding.Encrypted, "password-protected document"
		return nil
	case errors.Is(err, xlsx.ErrTooManyCells), errors.Is(err, xlsx.ErrTooLarge),
		errors.Is(err, xls.ErrTooManyCells), errors.Is(err, xls.ErrTooLarge),
		errors.Is(err, office.ErrTooLarge), errors.Is(err, pdf.ErrLimit), errors.Is(err, pdf.ErrUnsupported):
		r.Status, r.Reason = finding.Skipped, err.Error()
		return nil
	default:
		return err
	}
	return nil
}

// reader picks the extractor for a file and, when it knows better than
// sniff, the type to report: zips that are office documents, OLE2 files
// that are legacy workbooks. nil: not a format read as text (an archive
// is walked instead, anything else skipped).
func (s *scanner) reader(t sniff.Type, src source) (extract.Extractor, string) {
	switch t {
	case sniff.Zip:
		if f := office.Sniff(src.name, src.head); f != office.Unknown {
			return office.Reader{Format: f}, f.String()
		}
	case sniff.CFB:
		if wb, ok := workbook(src); ok {
			return &xls.Reader{Workbook: wb}, "xls"
		}
	case sniff.PDF:
		return &pdf.Reader{Limits: s.opts.PDF}, ""
	}
	return extractorFor(t), ""
}

// workbook tells a legacy Excel file from other OLE2 files (Word,
// PowerPoint, msi): by its streams when there is random access (the
// opened workbook then spares the reader a second parse of the compound
// file), by its name for an archive member (the reader reports a misnamed
// one as corrupt).
func workbook(src source) (*xls.Workbook, bool) {
	if src.ra != nil {
		wb := xls.OpenWorkbook(src.ra, src.size)
		return wb, wb != nil
	}
	ext := strings.ToLower(sniff.Ext(src.name))
	return nil, ext == ".xls" || ext == ".xlt"
}

func extractorFor(t sniff.Type) extract.Extractor {
	switch t {
	case sniff.Text:
		return &text.Reader{}
	case sniff.CSV:
		return &csv.Reader{}
	case sniff.TSV:
		return &csv.Reader{Comma: '\t'}
	case sniff.XLSX:
		return &xlsx.Reader{}
	}
	return nil
}

func skipReason(t sniff.Type) string {
	switch t {
	case sniff.CFB:
		return "legacy Office file (OLE2) other than a workbook: not read yet"
	case sniff.Binary, sniff.Image:
		return "binary file"
	}
	return fmt.Sprintf("%s files are not read yet", t)
}

func typeOfMode(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "symlink"
	case m&fs.ModeNamedPipe != 0:
		return "fifo"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeDevice != 0:
		return "device"
	case m.IsDir():
		return "directory"
	}
	return "file"
}

// errReason is an error's message without the absolute path prefix that
// os errors carry: reports show paths relative to the root.
func errReason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Op + ": " + pe.Err.Error()
	}
	msg := err.Error()
	return strings.TrimSpace(msg)
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
