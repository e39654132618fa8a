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
	seq    int
	data   []byte
	chunks []extract.Chunk
	offs   []int // start of each chunk's data in data
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
		for i := range b.chunks {
			c := &b.chunks[i]
			end := len(b.data)
			if i+1 < len(b.offs) {
				end = b.offs[i+1]
			}
			c.Data = b.data[b.offs[i]:end]
			_ = part.Add(c) // Add never fails
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
		b.data, b.chunks, b.offs = b.data[:0], b.chunks[:0], b.offs[:0]
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
	b.offs = append(b.offs, len(b.data))
	b.data = append(b.data, c.Data...)
	cc := *c
	cc.Data = nil
	b.chunks = append(b.chunks, cc)
	if len(b.data) >= f.size || len(b.chunks) >= batchChunks {
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
