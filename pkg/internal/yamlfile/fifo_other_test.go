//go:build !unix

package yamlfile

import "errors"

func mkfifo(string) error { return errors.ErrUnsupported }
