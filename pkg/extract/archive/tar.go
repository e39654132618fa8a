package archive

import (
	"archive/tar"
	"errors"
	"io"
)

// tar walks a tar stream read from r. charge says whether entry bytes
// count against the Budget: true for a tar file, false for a tar inside a
// compressed stream, whose meter already charges every byte that comes out
// of the decompressor (headers and skipped entries included).
//
// archive/tar bounds what a header may cost (PAX records and GNU long names
// at 1 MiB, sparse maps likewise) and yields exactly the declared size of
// each entry; MaxEntries bounds the number of headers.
func (w *walker) tar(r io.Reader, charge bool) error {
	tr := tar.NewReader(r)
	maxEntry := w.b.limits.MaxEntrySize
	for {
		if err := w.next(); err != nil {
			return err
		}
		hdr, err := tarNext(tr)
		if err == io.EOF {
			return nil
		}
		if err != nil && !(errors.Is(err, tar.ErrInsecurePath) && hdr != nil) {
			// ErrInsecurePath (only with GODEBUG=tarinsecurepath=0)
			// comes with a usable header: the name is cleaned anyway.
			return corrupt(Tar, err)
		}
		switch hdr.Typeflag {
		case tar.TypeReg, tar.TypeRegA, tar.TypeGNUSparse, tar.TypeCont:
		default:
			// Directories, links (a hard link's data is another
			// entry's), devices, FIFOs, global headers, vendor types.
			continue
		}
		e := &Entry{Name: hdr.Name, Size: hdr.Size, Modified: hdr.ModTime}
		if hdr.Size > maxEntry {
			e.R = errReader{w.b.errEntrySize()}
		} else {
			e.R = &meter{ctx: w.ctx, r: tr, b: w.b, format: Tar, charge: charge}
		}
		if err := w.yield(e); err != nil {
			return err
		}
	}
}

// tarNext calls tr.Next, turning a panic into an error.
func tarNext(tr *tar.Reader) (hdr *tar.Header, err error) {
	defer func() {
		if v := recover(); v != nil {
			hdr, err = nil, errors.New("tar reader panic")
		}
	}()
	return tr.Next()
}
