package yamlfile

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Top parses data and returns its document's top node, alias followed, or
// nil for an empty document (blank, only comments, or null). A syntax
// error is yaml.v3's, for SyntaxError. Callers bound len(data) first.
func Top(data []byte) (*yaml.Node, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, nil
	}
	top := Deref(doc.Content[0])
	if IsNull(top) {
		return nil, nil
	}
	return top, nil
}

// Deref follows an alias to its anchor. yaml.v3 resolves an alias to a
// node that is never an alias itself (YAML cannot anchor an alias); the
// bound is only a guard, and nothing is expanded recursively.
func Deref(n *yaml.Node) *yaml.Node {
	for i := 0; i < 8 && n != nil && n.Kind == yaml.AliasNode && n.Alias != nil; i++ {
		n = n.Alias
	}
	return n
}

// IsNull reports whether n is missing or a null scalar (~, null, or
// nothing after the colon).
func IsNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null")
}

var yamlLineRE = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// SyntaxError takes a yaml.v3 error apart into the line it names and the
// problem, without the "yaml: " and "line N: " prefixes. line is 0 when
// the error names none (bad encoding, say); yaml.v3 never names line 0.
// msg may quote the input: callers mask it for the terminal as they mask
// other text from the file.
func SyntaxError(err error) (line int, msg string) {
	msg = err.Error()
	if te, ok := err.(*yaml.TypeError); ok && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	if sm := yamlLineRE.FindStringSubmatch(msg); sm != nil {
		line, _ = strconv.Atoi(sm[1])
		msg = sm[2]
	}
	return line, strings.TrimPrefix(msg, "yaml: ")
}
