package policy

import (
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/datahygiene/datahygiene/pkg/internal/yamlfile"
)

// ReadFile reads a --policy FILE into a standalone Source. It opens only
// a regular file (a FIFO or device given by mistake must not block the
// scan) and reads at most MaxFileSize bytes.
func ReadFile(name string) (Source, error) {
	f, err := yamlfile.Open(name, yamlfile.OpenOptions{})
	if err != nil {
		return Source{}, &Error{File: name, Msg: "cannot read policy: " + reason(err)}
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return Source{}, &Error{File: name, Msg: "cannot read policy: " + reason(err)}
	}
	if len(b) > MaxFileSize {
		return Source{}, &Error{File: name, Line: 1, Msg: fmt.Sprintf("larger than %d bytes; not a policy file", MaxFileSize)}
	}
	return Source{Name: name, Data: b, Standalone: true}, nil
}

// reason is an error's message without the path os errors repeat.
func reason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
