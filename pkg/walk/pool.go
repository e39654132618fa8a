package walk

import "sync"

// pool reads directories ahead of the walk. The walk is depth first, so the
// directories it will reach next form a stack: the subdirectories of the
// chunk being yielded, the first on top, above those queued by the levels
// below. Workers take the topmost directory nobody is reading, as long as
// fewer than limit read-aheads wait to be taken, and read it (readDir);
// the walking goroutine pops the top when it reaches it, reads it itself
// if no worker has started, and waits otherwise. So workers are always
// busy with what the walk needs soonest, and what they hold is bounded:
// limit listings, each with one chunk of FileInfos.
type pool struct {
	w       *walker
	workers int
	limit   int

	mu      sync.Mutex
	wake    sync.Cond // a directory was queued, or a read-ahead taken, or stop
	stack   []*node   // directories the walk will reach, the next one last
	ahead   int       // read by workers (or being read) and not yet taken
	idle    int       // workers waiting for work
	started bool      // the workers run
	stopped bool
	wg      sync.WaitGroup
}

type nodeState uint8

const (
	queued  nodeState = iota // on the stack, not being read
	reading                  // a worker has it
	taken                    // the walk reads it itself
)

func newPool(w *walker, workers int) *pool {
	// Twice the workers: while the walk yields one directory, the workers
	// fill the next ones.
	p := &pool{w: w, workers: workers, limit: 2 * workers}
	p.wake.L = &p.mu
	return p
}

// push queues the subdirectories of a chunk, in walk order.
func (p *pool) push(nodes []*node) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := len(nodes) - 1; i >= 0; i-- {
		nodes[i].done = make(chan struct{})
		p.stack = append(p.stack, nodes[i])
	}
	if !p.started {
		p.started = true
		p.wg.Add(p.workers)
		for range p.workers {
			go p.work()
		}
	}
	// Wake one worker per directory, not all of them: in a tree of small
	// directories, waking every worker for each one costs more than
	// reading it.
	for range min(len(nodes), p.idle) {
		p.wake.Signal()
	}
}

// take pops n, which must be the top of the stack, and reports whether a
// worker read it: then n.res is set. If not, n is the caller's to read.
func (p *pool) take(n *node) bool {
	p.mu.Lock()
	top := len(p.stack) - 1
	if top < 0 || p.stack[top] != n {
		p.mu.Unlock()
		panic("walk: internal error: directory taken out of walk order")
	}
	p.stack[top] = nil
	p.stack = p.stack[:top]
	if n.state == queued {
		n.state = taken
		p.mu.Unlock()
		return false
	}
	p.mu.Unlock()
	<-n.done
	p.mu.Lock()
	p.ahead--
	p.wake.Signal()
	p.mu.Unlock()
	return true
}

// stop ends the workers and waits for them: a worker finishes the
// directory it is reading (and closes it) first.
func (p *pool) stop() {
	p.mu.Lock()
	p.stopped = true
	p.wake.Broadcast()
	p.mu.Unlock()
	p.wg.Wait()
}

func (p *pool) work() {
	defer p.wg.Done()
	var s scratch
	p.mu.Lock()
	for {
		n := p.next()
		for n == nil && !p.stopped {
			p.idle++
			p.wake.Wait()
			p.idle--
			n = p.next()
		}
		if p.stopped {
			p.mu.Unlock()
			return
		}
		n.state = reading
		p.ahead++
		p.mu.Unlock()
		n.res = p.w.readDir(n, &s, false)
		close(n.done)
		p.mu.Lock()
	}
}

// next returns the queued directory the walk will reach first, unless
// enough read-aheads wait already. Above it on the stack lie only
// directories being read or read, at most limit, so the search is short.
func (p *pool) next() *node {
	if p.ahead >= p.limit {
		return nil
	}
	for i := len(p.stack) - 1; i >= 0; i-- {
		if n := p.stack[i]; n.state == queued {
			return n
		}
	}
	return nil
}
