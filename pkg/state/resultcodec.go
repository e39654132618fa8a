package state

import (
	"encoding/binary"

	"github.com/datahygiene/datahygiene/pkg/finding"
)

// A cache row's results are stored in a compact binary form: decoding
// 20k results from JSON was the largest cost of an unchanged nightly
// re-scan of 100k files (0.45 s of CPU). Strings stay plain bytes, as in
// JSON, so the state can still be searched for a value it must not hold.
// Nil and empty slices are told apart (length+1, 0 for nil), so that a
// result comes back exactly as JSON would give it back, and its report
// blob hashes the same. Rows written as JSON by earlier versions (they
// start with '[') are still read.

// resultsBinary starts a binary results column.
const resultsBinary = 0x01

type resultWriter struct{ b []byte }

func (w *resultWriter) uint(v uint64) { w.b = binary.AppendUvarint(w.b, v) }
func (w *resultWriter) int(v int64)   { w.b = binary.AppendVarint(w.b, v) }
func (w *resultWriter) str(s string)  { w.uint(uint64(len(s))); w.b = append(w.b, s...) }
func (w *resultWriter) count(n int, isNil bool) {
	if isNil {
		w.uint(0)
		return
	}
	w.uint(uint64(n) + 1)
}

func (w *resultWriter) strs(ss []string) {
	w.count(len(ss), ss == nil)
	for _, s := range ss {
		w.str(s)
	}
}

func encodeResults(stored []storedResult) []byte {
	w := &resultWriter{b: []byte{resultsBinary}}
	w.uint(uint64(len(stored)))
	for i := range stored {
		r := &stored[i].FileResult
		w.str(r.Path)
		w.str(r.Type)
		w.int(r.Size)
		w.str(r.ContentID)
		t, _ := r.Modified.MarshalBinary()
		w.str(string(t))
		w.uint(uint64(r.Mode))
		w.str(string(r.Status))
		w.str(r.Reason)
		w.int(int64(r.Risk))
		w.count(len(r.Findings), r.Findings == nil)
		for _, f := range r.Findings {
			w.str(f.Detector)
			w.str(f.Name)
			w.str(string(f.Category))
			w.int(int64(f.Severity))
			w.str(f.Confidence)
			w.int(int64(f.Count))
			w.count(len(f.Locations), f.Locations == nil)
			for _, l := range f.Locations {
				w.str(l.Part)
				w.int(int64(l.Line))
				w.int(int64(l.Row))
				w.str(l.Column)
				w.str(l.Sheet)
				w.str(l.Cell)
				w.str(l.Fingerprint)
			}
			w.int(int64(f.LocationsOmitted))
			w.strs(f.Samples)
			w.strs(f.Values)
		}
		w.count(len(r.Issues), r.Issues == nil)
		for _, is := range r.Issues {
			w.str(string(is.Kind))
			w.int(int64(is.Severity))
			w.str(is.Reason)
		}
		w.count(len(r.Accepted), r.Accepted == nil)
		for _, a := range r.Accepted {
			w.str(string(a.Kind))
			w.int(int64(a.Severity))
			w.str(a.Issue)
			w.str(a.Reason)
		}
		w.strs(r.Warnings)
		w.count(len(r.Suppressed), r.Suppressed == nil)
		for _, sp := range r.Suppressed {
			w.str(sp.Detector)
			w.int(int64(sp.Count))
			w.str(sp.Reason)
		}
		w.int(stored[i].BytesRead)
	}
	return w.b
}

type resultReader struct{ snapDecoder }

func (r *resultReader) int() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = errSnapshot
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *resultReader) str() string { return string(r.bytes()) }

// count reads a slice length: -1 for nil. It refuses lengths the rest of
// the input cannot hold (each element takes at least a byte).
func (r *resultReader) count() int {
	n := r.uvarint()
	if n == 0 {
		return -1
	}
	if n-1 > uint64(len(r.b)) {
		r.err = errSnapshot
		return -1
	}
	return int(n - 1)
}

func (r *resultReader) strs() []string {
	n := r.count()
	if n < 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = r.str()
	}
	return out
}

func decodeResults(b []byte) ([]storedResult, error) {
	r := &resultReader{snapDecoder{b: b}}
	if r.byte() != resultsBinary {
		return nil, errSnapshot
	}
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		return nil, errSnapshot
	}
	out := make([]storedResult, n)
	for i := range out {
		fr := &out[i].FileResult
		fr.Path, fr.Type, fr.Size, fr.ContentID = r.str(), r.str(), r.int(), r.str()
		if err := fr.Modified.UnmarshalBinary(r.bytes()); err != nil && r.err == nil {
			r.err = errSnapshot
		}
		fr.Mode = finding.Mode(r.uvarint())
		fr.Status, fr.Reason, fr.Risk = finding.Status(r.str()), r.str(), finding.Severity(r.int())
		if k := r.count(); k >= 0 {
			fr.Findings = make([]finding.Finding, k)
			for j := range fr.Findings {
				f := &fr.Findings[j]
				f.Detector, f.Name, f.Category = r.str(), r.str(), finding.Category(r.str())
				f.Severity, f.Confidence, f.Count = finding.Severity(r.int()), r.str(), int(r.int())
				if m := r.count(); m >= 0 {
					f.Locations = make([]finding.Location, m)
					for x := range f.Locations {
						l := &f.Locations[x]
						l.Part, l.Line, l.Row = r.str(), int(r.int()), int(r.int())
						l.Column, l.Sheet, l.Cell, l.Fingerprint = r.str(), r.str(), r.str(), r.str()
					}
				}
				f.LocationsOmitted = int(r.int())
				f.Samples, f.Values = r.strs(), r.strs()
			}
		}
		if k := r.count(); k >= 0 {
			fr.Issues = make([]finding.Issue, k)
			for j := range fr.Issues {
				is := &fr.Issues[j]
				is.Kind, is.Severity, is.Reason = finding.IssueKind(r.str()), finding.Severity(r.int()), r.str()
			}
		}
		if k := r.count(); k >= 0 {
			fr.Accepted = make([]finding.Accepted, k)
			for j := range fr.Accepted {
				a := &fr.Accepted[j]
				a.Kind, a.Severity, a.Issue, a.Reason = finding.IssueKind(r.str()), finding.Severity(r.int()), r.str(), r.str()
			}
		}
		fr.Warnings = r.strs()
		if k := r.count(); k >= 0 {
			fr.Suppressed = make([]finding.Suppression, k)
			for j := range fr.Suppressed {
				sp := &fr.Suppressed[j]
				sp.Detector, sp.Count, sp.Reason = r.str(), int(r.int()), r.str()
			}
		}
		out[i].BytesRead = r.int()
		if r.err != nil {
			return nil, r.err
		}
	}
	if len(r.b) != 0 {
		return nil, errSnapshot
	}
	return out, nil
}
