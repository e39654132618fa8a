package pdf

import (
	"compress/zlib"
	"encoding/ascii85"
	"io"
)

// decoded applies the stream's filters as the library does (FlateDecode,
// ASCII85Decode, PNG "up" predictor 12), charging the output to the
// budget. Any other filter is left to the library, which refuses it.
func (c *checker) decoded(r io.Reader, d pdfDict) (io.Reader, error) {
	var names []any
	var params []any
	switch f := d["Filter"].(type) {
	case nil:
	case pdfName:
		names, params = []any{f}, []any{d["DecodeParms"]}
	case pdfArray:
		names = f
		pa, _ := d["DecodeParms"].(pdfArray)
		for i := range f {
			if i < len(pa) {
				params = append(params, pa[i])
			} else {
				params = append(params, nil)
			}
		}
	default:
		return nil, structErr("bad stream /Filter")
	}
	for i, n := range names {
		switch n {
		case pdfName("FlateDecode"):
			zr, err := zlib.NewReader(r)
			if err != nil {
				return nil, structErr("stream data: %v", err)
			}
			r = zr
			p, _ := params[i].(pdfDict)
			if pred, ok := p["Predictor"]; ok && pred != nil {
				cols, _ := p["Columns"].(int64)
				if pred != int64(12) || cols < 0 || cols > maxColumns {
					return nil, structErr("unsupported stream predictor")
				}
				r = &pngUp{r: r, row: make([]byte, 1+cols), hist: make([]byte, 1+cols)}
			}
		case pdfName("ASCII85Decode"):
			r = ascii85.NewDecoder(&ascii85Clean{r: r})
		default:
			return nil, structErr("unsupported stream filter")
		}
	}
	return &meteredReader{r: r, b: c.b, left: 1 << 62, over: io.EOF}, nil
}

// pngUp undoes the PNG "up" predictor row by row.
type pngUp struct {
	r         io.Reader
	row, hist []byte
	pend      []byte
}

func (p *pngUp) Read(b []byte) (int, error) {
	if len(p.pend) == 0 {
		if _, err := io.ReadFull(p.r, p.row); err != nil {
			return 0, err
		}
		if p.row[0] != 2 {
			return 0, structErr("malformed PNG predictor row")
		}
		for i, x := range p.row {
			p.hist[i] += x
		}
		p.pend = p.hist[1:]
	}
	n := copy(b, p.pend)
	p.pend = p.pend[n:]
	return n, nil
}

// ascii85Clean drops the bytes encoding/ascii85 does not expect (white
// space is fine, the "~>" end marker is not) and ends at the marker.
type ascii85Clean struct {
	r    io.Reader
	done bool
}

func (a *ascii85Clean) Read(b []byte) (int, error) {
	if a.done {
		return 0, io.EOF
	}
	n, err := a.r.Read(b)
	k := 0
	for _, c := range b[:n] {
		if c == '~' {
			a.done = true
			break
		}
		if ('!' <= c && c <= 'u') || c == 'z' || isSpace(c) {
			b[k] = c
			k++
		}
	}
	if a.done {
		return k, nil
	}
	return k, err
}
