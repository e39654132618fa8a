package scan

import (
	"sync"

	"github.com/datahygiene/datahygiene/pkg/detect"
	"github.com/datahygiene/datahygiene/pkg/extract"
)

// Large files are detected on several goroutines: one worker reads and
// parses the file, and its chunks go in batches to detectors that each
// fill their own detect.File, merged in batch order at the end. Without
// this, one 1 GB CSV keeps one core busy while the others idle.
const (
	// fanoutMinSize is the file size from which detection fans out;
	// below it, the worker pool's parallelism across files suffices.
	fanoutMinSize = 8 << 20
	// batchBytes and batchChunks close a batch. The merged result
	// depends on where batches end, so these depend on the file alone,
	// never on timing.
	batchBytes  = 1 << 20
	batchChunks = 16 << 10
)

type batch struct {
	seq  int
	data []byte
	refs []chunkRef
	// shapes holds what chunks share besides their data, line and row
	// (which a shape holds stale values of):
	// a CSV file's chunks come in as many shapes as it has columns.
	// Keeping a small reference per chunk instead of a copy of the whole
	// Chunk (144 bytes, seven strings) halved the cost of Add.
	shapes []extract.Chunk
	recent [64]int // shapes index + 1, two slots per hash; 0 = none
}

// chunkRef is one chunk of a batch.
type chunkRef struct {
	off, line, row, shape int // off: start of its data in batch.data
}

// shapeOf returns the index of c's shape in b.shapes, adding it when
// neither of the two slots its column name hashes to holds it. Readers
// name a chunk's column (or leave it empty, for text), so a table's
// columns spread over the slots; a collision only costs a new shape.
func (b *batch) shapeOf(c *extract.Chunk) int {
	col := c.Loc.Column
	h := uint32(2166136261) ^ uint32(c.Kind)
	for i := 0; i < len(col) && i < 16; i++ {
		h = (h ^ uint32(col[i])) * 16777619
	}
	h = (h ^ uint32(len(col))) * 16777619
	i := int(h>>8) % len(b.recent) &^ 1
	for _, k := range [2]int{i, i + 1} {
		if s := b.recent[k]; s > 0 && sameShape(&b.shapes[s-1], c) {
			return s - 1
		}
	}
	// Replace the older of the two.
	k := i
	if b.recent[i+1] < b.recent[i] {
		k = i + 1
	}
	s := *c
	s.Data = nil
	b.shapes = append(b.shapes, s)
	b.recent[k] = len(b.shapes)
	return len(b.shapes) - 1
}

// sameShape reports whether chunk c has shape s: it equals s but for its
// data, line and row. It sets s's line and row to c's (shapes' own are
// never read) so as to compare whole Locations without copying them.
func sameShape(s, c *extract.Chunk) bool {
	s.Loc.Line, s.Loc.Row = c.Loc.Line, c.Loc.Row
	return s.Kind == c.Kind && s.Header == c.Header && s.Loc == c.Loc
}

func (b *batch) reset() {
	b.data, b.refs, b.shapes = b.data[:0], b.refs[:0], b.shapes[:0]
	b.recent = [len(b.recent)]int{}
}

// fanout detects one file's chunks on n goroutines. Memory is bounded by
// the batches in flight: the channel's capacity plus one per goroutine.
type fanout struct {
	engine *detect.Engine
	size   int // batchBytes, smaller in tests
	work   chan *batch
	wg     sync.WaitGroup
	mu     sync.Mutex
	parts  map[int]*detect.File // done but not yet merged (out of order)
	out    *detect.File         // parts merged so far, in order
	next   int                  // the next part to merge
	cur    *batch
	seq    int
	free   sync.Pool
}

func newFanout(e *detect.Engine, n, size int) *fanout {
	f := &fanout{engine: e, size: size, work: make(chan *batch, n), parts: map[int]*detect.File{}, out: e.NewFile()}
	for i := 0; i < n; i++ {
		f.wg.Add(1)
		go f.detect()
	}
	return f
}

func (f *fanout) detect() {
	defer f.wg.Done()
	for b := range f.work {
		part := f.engine.NewFile()
		for i, r := range b.refs {
			end := len(b.data)
			if i+1 < len(b.refs) {
				end = b.refs[i+1].off
			}
			c := b.shapes[r.shape]
			c.Data, c.Loc.Line, c.Loc.Row = b.data[r.off:end], r.line, r.row
			_ = part.Add(&c) // Add never fails
		}
		// Merge as soon as the parts are in order, so that only parts
		// finished ahead of an earlier one wait in memory.
		f.mu.Lock()
		f.parts[b.seq] = part
		for p, ok := f.parts[f.next]; ok; p, ok = f.parts[f.next] {
			f.out.Merge(p)
			delete(f.parts, f.next)
			f.next++
		}
		f.mu.Unlock()
		b.reset()
		f.free.Put(b)
	}
}

// Add copies a chunk into the current batch; its signature fits
// extract.Yield.
func (f *fanout) Add(c *extract.Chunk) error {
	b := f.cur
	if b == nil {
		b, _ = f.free.Get().(*batch)
		if b == nil {
			b = &batch{}
		}
		b.seq = f.seq
		f.seq++
		f.cur = b
	}
	b.refs = append(b.refs, chunkRef{off: len(b.data), line: c.Loc.Line, row: c.Loc.Row, shape: b.shapeOf(c)})
	b.data = append(b.data, c.Data...)
	if len(b.data) >= f.size || len(b.refs) >= batchChunks {
		f.flush()
	}
	return nil
}

func (f *fanout) flush() {
	if f.cur != nil {
		f.work <- f.cur
		f.cur = nil
	}
}

// Finish waits for the detectors and returns the merged findings.
func (f *fanout) Finish() *detect.File {
	f.flush()
	close(f.work)
	f.wg.Wait()
	return f.out
}
