package ruleset

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// fileSpec is the top level of a rule file. The same file may configure
// other parts of the tool; their sections are read by the packages that own
// them (pkg/config, pkg/allow, pkg/policy) and only accepted here.
type fileSpec struct {
	Rules  []ruleSpec `yaml:"rules"`
	Scan   yaml.Node  `yaml:"scan"`
	Allow  yaml.Node  `yaml:"allow"`
	Policy yaml.Node  `yaml:"policy"`
}

// ruleSpec is one rule as written in YAML. Pointer and nil-slice fields tell
// "not set" from "set to zero", so that a user entry with a built-in id can
// override just the fields it names.
type ruleSpec struct {
	ID          string        `yaml:"id"`
	Name        *string       `yaml:"name"`
	Description *string       `yaml:"description"`
	Severity    *string       `yaml:"severity"`
	Category    *string       `yaml:"category"`
	Enabled     *bool         `yaml:"enabled"`
	Mask        *string       `yaml:"mask"`
	Patterns    []patternSpec `yaml:"patterns"`
	Keywords    []string      `yaml:"keywords"`
	Validator   *string       `yaml:"validator"`
	ColumnValue *bool         `yaml:"column_value"`
	Context     *contextSpec  `yaml:"context"`
	Exclude     *excludeSpec  `yaml:"exclude"`
	Examples    *examplesSpec `yaml:"examples"`

	line int    // line of the rule's mapping, for messages
	file string // the file that defined it last
}

type patternSpec struct {
	Regex           string `yaml:"regex"`
	ContextRequired bool   `yaml:"context_required"`

	line int
	file string
}

// UnmarshalYAML accepts a bare string or a mapping.
func (p *patternSpec) UnmarshalYAML(n *yaml.Node) error {
	p.line = n.Line
	if n.Kind == yaml.ScalarNode {
		return n.Decode(&p.Regex)
	}
	type plain patternSpec
	var v plain
	if err := decodeStrict(n, &v); err != nil {
		return err
	}
	*p = patternSpec(v)
	p.line = n.Line
	return nil
}

type contextSpec struct {
	Words    []string `yaml:"words"`
	Headers  []string `yaml:"headers"`
	Required *bool    `yaml:"required"`
}

type excludeSpec struct {
	Values   []string `yaml:"values"`
	Patterns []string `yaml:"patterns"`
	Words    []string `yaml:"words"`
}

type examplesSpec struct {
	Match   []exampleSpec `yaml:"match"`
	NoMatch []exampleSpec `yaml:"no_match"`
}

// exampleSpec is a line of text, optionally inside a table column.
type exampleSpec struct {
	Text   string `yaml:"text"`
	Header string `yaml:"header"`

	line int
	file string
}

func (e *exampleSpec) UnmarshalYAML(n *yaml.Node) error {
	e.line = n.Line
	if n.Kind == yaml.ScalarNode {
		return n.Decode(&e.Text)
	}
	type plain exampleSpec
	var v plain
	if err := decodeStrict(n, &v); err != nil {
		return err
	}
	*e = exampleSpec(v)
	e.line = n.Line
	return nil
}

func (r *ruleSpec) UnmarshalYAML(n *yaml.Node) error {
	type plain ruleSpec
	var v plain
	if err := decodeStrict(n, &v); err != nil {
		return err
	}
	*r = ruleSpec(v)
	r.line = n.Line
	return nil
}

// decodeStrict decodes a node rejecting unknown keys. yaml.v3's
// Decoder.KnownFields does not reach into custom unmarshalers that call
// Node.Decode, so nested mappings check their keys here.
func decodeStrict(n *yaml.Node, v any) error {
	if n.Kind != yaml.MappingNode {
		return n.Decode(v)
	}
	known := yamlKeys(v)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if _, ok := known[k.Value]; !ok {
			return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: unknown field %q", k.Line, k.Value)}}
		}
	}
	return n.Decode(v)
}
