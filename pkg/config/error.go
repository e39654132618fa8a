package config

import (
	"strconv"
	"strings"

	"github.com/datahygiene/datahygiene/pkg/internal/yamlfile"
)

// Error is a problem in a config file or a DATAHYGIENE_* variable. Callers
// branch on it with errors.As (the CLI maps it to exit code 2 and a hint);
// they never match on message text.
type Error struct {
	File    string // source name as given, or "env DATAHYGIENE_X"
	Line    int    // 1-based; 0 only for environment variables
	Setting string // the flag's long name, when the problem is about one
	Msg     string
	Err     error // the flag parser's error, for errors.Is/As; may be nil
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Setting != "" {
		b.WriteString("scan setting " + strconv.Quote(e.Setting) + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// maxQuoted is how much of a key or value written in a config file a
// message echoes (see yamlfile.Quote).
const maxQuoted = yamlfile.MaxQuoted
