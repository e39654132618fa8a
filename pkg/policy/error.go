package policy

import (
	"strconv"
	"strings"
)

// Error is a problem in a policy section. Callers branch on it with
// errors.As (the CLI maps it to exit code 2); they never match on text.
type Error struct {
	File string // source name as given, or "builtin:policy.yaml"
	Line int    // 1-based
	Key  string // dotted key path, e.g. "policy.retention.default"; may be empty
	Msg  string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Key != "" {
		b.WriteString(e.Key + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}
