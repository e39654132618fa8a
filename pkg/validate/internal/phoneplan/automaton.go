package phoneplan

import (
	"encoding/binary"
	"errors"
	"fmt"
	"regexp/syntax"
	"slices"
)

// automaton is a deterministic finite automaton over the ten ASCII digits
// that runs up to 32 patterns in one pass. Running it over a digit string
// yields a mask with bit k set when pattern k matches the whole string (a
// full pattern) or some prefix of it (a prefix pattern, which stays set
// once it has matched).
//
// It is built by subset construction from the programs regexp/syntax
// compiles the patterns to, so it accepts exactly the strings of digits the
// regexp package would match with "^(?:pattern)$" (full) or "^(?:pattern)"
// (prefix): which strings a regular expression matches does not depend on
// the engine, only where a match ends does, and the automaton never reports
// where.
type automaton struct {
	next   []uint16 // next[s*10+d] is the state after digit d in state s
	accept []uint32 // accept[s] is the mask for input ending in state s
}

// Limits on what one automaton may grow to. The numbering plans need at
// most a few thousand states per region (see TestAutomataSize); the caps
// only keep a malformed metadata update from eating memory, and a plan
// over them is reported as unsupported.
const (
	maxPatterns = 32
	maxStates   = 1 << 16
)

// Reserved states: dead rejects everything, start is where a run begins.
const (
	deadState  = 0
	startState = 1
)

// errUnsupported is wrapped by every error that means "this metadata uses
// something the automaton cannot express"; callers then fall back to
// libphonenumber itself.
var errUnsupported = errors.New("unsupported by phoneplan")

// run returns the accept mask for s. A byte other than a digit rejects:
// no numbering-plan pattern matches one, and parsing hands over digits only.
func (a *automaton) run(s string) uint32 {
	st := uint(startState)
	for i := 0; i < len(s); i++ {
		d := uint(s[i]) - '0'
		if d > 9 {
			return 0
		}
		st = uint(a.next[st*10+d])
	}
	return a.accept[st]
}

// states returns the number of states, the dead one included.
func (a *automaton) states() int { return len(a.accept) }

// sizeBytes is the memory the tables take.
func (a *automaton) sizeBytes() int { return 2*len(a.next) + 4*len(a.accept) }

// thread is one position in one pattern's program: pattern index << 24 |
// instruction index.
type thread uint32

func mkThread(k, pc int) thread { return thread(k<<24 | pc) }
func (t thread) pattern() int   { return int(t >> 24) }
func (t thread) pc() int        { return int(t & (1<<24 - 1)) }

// dfaBuilder holds the compiled programs and the scratch space of the
// subset construction.
type dfaBuilder struct {
	progs  []*syntax.Prog
	prefix uint32 // bit k: pattern k is a prefix pattern
	seen   [][]uint32
	gen    uint32
}

// compileProg compiles one pattern the way regexp.Compile does, with Perl
// syntax (in which \d means [0-9]).
func compileProg(pattern string) (*syntax.Prog, error) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil, fmt.Errorf("parsing pattern %q: %w", pattern, err)
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		return nil, fmt.Errorf("compiling pattern %q: %w", pattern, err)
	}
	return prog, nil
}

// buildAutomaton compiles patterns into one automaton. Bit k of prefix
// marks pattern k as a prefix pattern. Patterns with anchors or word
// boundaries of their own (empty-width assertions) are not supported.
func buildAutomaton(patterns []string, prefix uint32) (*automaton, error) {
	if len(patterns) > maxPatterns {
		return nil, fmt.Errorf("%d patterns, at most %d: %w", len(patterns), maxPatterns, errUnsupported)
	}
	b := &dfaBuilder{prefix: prefix}
	for _, p := range patterns {
		prog, err := compileProg(p)
		if err != nil {
			return nil, err
		}
		if len(prog.Inst) >= 1<<24 {
			return nil, fmt.Errorf("pattern %q compiles to %d instructions: %w", p, len(prog.Inst), errUnsupported)
		}
		b.progs = append(b.progs, prog)
		b.seen = append(b.seen, make([]uint32, len(prog.Inst)))
	}

	// A DFA state is a set of threads waiting on a digit, the prefix
	// patterns that have already matched (which need no threads any more)
	// and the patterns that match the input read so far.
	type state struct {
		threads []thread
		done    uint32
		acc     uint32
	}
	a := &automaton{
		next:   make([]uint16, 20, 1024),
		accept: make([]uint32, 2, 128),
	}
	index := map[string]uint32{}
	type pending struct {
		state
		id uint32
	}
	var queue []pending
	key := func(s state) string {
		k := binary.LittleEndian.AppendUint32(nil, s.done)
		k = binary.LittleEndian.AppendUint32(k, s.acc)
		for _, t := range s.threads {
			k = binary.LittleEndian.AppendUint32(k, uint32(t))
		}
		return string(k)
	}
	// add returns the index of s, creating the state if it is new.
	add := func(s state) (uint32, error) {
		if len(s.threads) == 0 && s.done == 0 && s.acc == 0 {
			return deadState, nil
		}
		k := key(s)
		if i, ok := index[k]; ok {
			return i, nil
		}
		if len(a.accept) >= maxStates {
			return 0, fmt.Errorf("more than %d states: %w", maxStates, errUnsupported)
		}
		i := uint32(len(a.accept))
		index[k] = i
		a.accept = append(a.accept, s.acc)
		a.next = append(a.next, make([]uint16, 10)...)
		queue = append(queue, pending{s, i})
		return i, nil
	}

	// The start state takes fixed index 1.
	var start state
	b.gen++
	acc := uint32(0)
	for k, prog := range b.progs {
		var err error
		start.threads, acc, err = b.closure(start.threads, k, prog.Start, acc)
		if err != nil {
			return nil, err
		}
	}
	start.threads, start.done = b.normalize(start.threads, acc, 0)
	start.acc = acc | start.done
	index[key(start)] = startState
	a.accept[startState] = start.acc
	queue = append(queue, pending{start, startState})

	for len(queue) > 0 {
		s, id := queue[0].state, queue[0].id
		queue = queue[1:]
		for d := range 10 {
			r := rune('0' + d)
			var next state
			acc := s.done
			b.gen++
			for _, t := range s.threads {
				inst := &b.progs[t.pattern()].Inst[t.pc()]
				if !matchRune(inst, r) {
					continue
				}
				var err error
				next.threads, acc, err = b.closure(next.threads, t.pattern(), int(inst.Out), acc)
				if err != nil {
					return nil, err
				}
			}
			next.threads, next.done = b.normalize(next.threads, acc, s.done)
			next.acc = acc | next.done
			n, err := add(next)
			if err != nil {
				return nil, err
			}
			a.next[int(id)*10+d] = uint16(n)
		}
	}
	return a, nil
}

// normalize sorts threads, drops those of prefix patterns that have
// matched, and returns them with the updated set of matched prefix
// patterns.
func (b *dfaBuilder) normalize(threads []thread, acc, done uint32) ([]thread, uint32) {
	done |= acc & b.prefix
	threads = slices.DeleteFunc(threads, func(t thread) bool { return done&(1<<t.pattern()) != 0 })
	slices.Sort(threads)
	return slices.Compact(threads), done
}

// closure adds to threads the rune-consuming instructions reachable from
// pc without consuming input, and sets bit k of acc if a match is.
func (b *dfaBuilder) closure(threads []thread, k, pc int, acc uint32) ([]thread, uint32, error) {
	prog := b.progs[k]
	seen := b.seen[k]
	stack := []int{pc}
	for len(stack) > 0 {
		pc := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[pc] == b.gen {
			continue
		}
		seen[pc] = b.gen
		inst := &prog.Inst[pc]
		switch inst.Op {
		case syntax.InstAlt, syntax.InstAltMatch:
			stack = append(stack, int(inst.Arg), int(inst.Out))
		case syntax.InstCapture, syntax.InstNop:
			stack = append(stack, int(inst.Out))
		case syntax.InstMatch:
			acc |= 1 << k
		case syntax.InstFail:
		case syntax.InstRune, syntax.InstRune1, syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
			threads = append(threads, mkThread(k, pc))
		case syntax.InstEmptyWidth:
			return nil, 0, fmt.Errorf("pattern %d has an anchor or word boundary: %w", k, errUnsupported)
		default:
			return nil, 0, fmt.Errorf("pattern %d: instruction %v: %w", k, inst.Op, errUnsupported)
		}
	}
	return threads, acc, nil
}

func matchRune(inst *syntax.Inst, r rune) bool {
	switch inst.Op {
	case syntax.InstRuneAny:
		return true
	case syntax.InstRuneAnyNotNL:
		return r != '\n'
	default:
		return inst.MatchRune(r)
	}
}

// firstDigits over-approximates where a pattern can start matching: the
// digits a match may begin with, and whether it may match the empty
// string. Anchors count as always satisfied, so the answer errs only
// towards "may match", which is what a prefilter needs.
func firstDigits(pattern string) (digits uint16, empty bool, err error) {
	prog, err := compileProg(pattern)
	if err != nil {
		return 0, false, err
	}
	seen := make([]bool, len(prog.Inst))
	stack := []int{prog.Start}
	for len(stack) > 0 {
		pc := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[pc] {
			continue
		}
		seen[pc] = true
		inst := &prog.Inst[pc]
		switch inst.Op {
		case syntax.InstAlt, syntax.InstAltMatch:
			stack = append(stack, int(inst.Arg), int(inst.Out))
		case syntax.InstCapture, syntax.InstNop, syntax.InstEmptyWidth:
			stack = append(stack, int(inst.Out))
		case syntax.InstMatch:
			empty = true
		case syntax.InstRune, syntax.InstRune1, syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
			for d := range 10 {
				if matchRune(inst, rune('0'+d)) {
					digits |= 1 << d
				}
			}
		}
	}
	return digits, empty, nil
}
