package csv

const (
	// SniffBytes is how much of the start of a file Sniff looks at.
	SniffBytes = 64 << 10
	// sniffRecords is how many records Sniff counts delimiters in: enough
	// to see past a title line or two, few enough to stay in the head.
	sniffRecords = 50
)

// candidates are the delimiters Sniff chooses from, in order of preference
// when the evidence is equal.
var candidates = [...]byte{',', ';', '\t', '|'}

// Sniff guesses the delimiter of a CSV/TSV file from its head (only the
// first SniffBytes are read). For each candidate (',', ';', '\t', '|') it
// counts the delimiters outside quoted fields in each of the first 50
// records, quoting as the parser would with that delimiter. The winner is the
// candidate whose most common non-zero count occurs on the most records; a
// tie goes to the higher count, then to the earlier candidate. Without any
// evidence, Sniff returns ','.
//
// An incomplete last record is ignored unless it is the only one, since a
// head cut at SniffBytes usually ends inside a record.
func Sniff(head []byte) rune {
	if len(head) > SniffBytes {
		head = head[:SniffBytes]
	}
	best, bestFreq, bestMode := ',', 0, 0
	for _, c := range candidates {
		var counts [sniffRecords]int
		n := countDelims(head, c, counts[:])
		mode, freq := modeOf(counts[:n])
		if freq > bestFreq || (freq == bestFreq && freq > 0 && mode > bestMode) {
			best, bestFreq, bestMode = rune(c), freq, mode
		}
	}
	return best
}

// countDelims scans head as a CSV with delimiter comma and stores the number
// of delimiters of each non-blank record in counts, returning how many it
// stored. It follows the same quoting rules as the parser.
func countDelims(head []byte, comma byte, counts []int) int {
	n := 0
	state := stFieldStart
	delims, blank := 0, true
	for _, c := range head {
		if n == len(counts) {
			return n
		}
		switch state {
		case stFieldStart, stUnquoted:
			switch {
			case c == comma:
				delims++
				blank = false
				state = stFieldStart
			case c == '\n':
				if !blank {
					counts[n] = delims
					n++
				}
				delims, blank = 0, true
				state = stFieldStart
			case state == stFieldStart && c == '"':
				blank = false
				state = stQuoted
			case state == stFieldStart && isLeadingSpace(c, comma):
			default:
				if !isSpace(c) {
					blank = false
				}
				state = stUnquoted
			}
		case stQuoted:
			if c == '"' {
				state = stQuoteSeen
			}
		case stQuoteSeen:
			switch c {
			case '"':
				state = stQuoted
			case comma:
				delims++
				state = stFieldStart
			case '\n':
				counts[n] = delims
				n++
				delims, blank = 0, true
				state = stFieldStart
			default:
				state = stUnquoted
			}
		}
	}
	if n == 0 && !blank && n < len(counts) {
		counts[n] = delims
		n++
	}
	return n
}

// modeOf returns the most common non-zero value in counts (the larger one on
// a tie) and how often it occurs.
func modeOf(counts []int) (mode, freq int) {
	for i, c := range counts {
		if c == 0 {
			continue
		}
		f := 0
		for _, d := range counts[i:] {
			if d == c {
				f++
			}
		}
		if f > freq || (f == freq && c > mode) {
			mode, freq = c, f
		}
	}
	return mode, freq
}
