package config

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"gopkg.in/yaml.v3"

	"github.com/datahygiene/datahygiene/pkg/internal/yamlfile"
)

// Effective is the configuration a scan runs with: every settable flag,
// in flag-name order, with its final value and where that came from.
type Effective struct {
	Settings []Setting
	Sources  []SourceInfo // the config files read, in the order applied
}

// Setting is one flag's effective value.
type Setting struct {
	Name    string   // long flag name, also the key under scan:
	Type    string   // pflag's type name: string, bool, int, stringArray...
	Value   string   // the flag's String() form
	List    []string // the elements, for list flags (non-nil); nil otherwise
	Default string   // the flag's default, in String() form
	// Origin is OriginDefault, OriginCommandLine, "env DATAHYGIENE_X" or
	// the file:line of the key that set it last.
	Origin string
	// Untrusted is set when the value comes from an untrusted source, so
	// the caller can say that the scanned tree changed the scan.
	Untrusted bool
}

// SourceInfo names a config file that was read.
type SourceInfo struct {
	Name    string
	Trusted bool
}

// Get returns the setting for a flag's long name.
func (e *Effective) Get(name string) (Setting, bool) {
	for _, s := range e.Settings {
		if s.Name == name {
			return s, true
		}
	}
	return Setting{}, false
}

// Origin returns where a flag's value came from ("" for a flag that is not
// a setting), for messages such as "--fail-on: ... (set in FILE:LINE)".
func (e *Effective) Origin(name string) string {
	s, _ := e.Get(name)
	return s.Origin
}

// Formats lists the formats Write accepts.
func Formats() []string { return []string{"yaml", "table"} }

// Write renders the effective configuration. "yaml" is a scan: document
// that can be pasted into a config file: settings that differ from the
// default are keys with a "# from ORIGIN" comment; those at their default
// are commented out, so pasting does not pin today's defaults. "table" has
// one row per setting: name, value, origin.
func (e *Effective) Write(w io.Writer, format string) error {
	var b bytes.Buffer
	switch format {
	case "yaml":
		e.writeYAML(&b)
	case "table":
		e.writeTable(&b)
	default:
		return fmt.Errorf("config: unknown format %q (want %s)", format, strings.Join(Formats(), " or "))
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("writing configuration: %w", err)
	}
	return nil
}

func (e *Effective) writeYAML(b *bytes.Buffer) {
	b.WriteString("# datahygiene scan settings, lowest precedence first: defaults, config files,\n")
	b.WriteString("# DATAHYGIENE_* variables, command line. Config files read:\n")
	if len(e.Sources) == 0 {
		b.WriteString("#   (none)\n")
	}
	for _, s := range e.Sources {
		trust := "trusted"
		if !s.Trusted {
			trust = "untrusted: inside the scanned tree"
		}
		fmt.Fprintf(b, "#   %s (%s)\n", yamlfile.Printable(s.Name), trust)
	}
	b.WriteString("scan:\n")
	for _, s := range e.Settings {
		pair := yamlPair(s)
		if s.Origin == OriginDefault {
			fmt.Fprintf(b, "  # %s  (default)\n", pair)
			continue
		}
		fmt.Fprintf(b, "  %s  # from %s\n", pair, yamlfile.Printable(s.Origin))
	}
}

func (e *Effective) writeTable(b *bytes.Buffer) {
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SETTING\tVALUE\tSOURCE")
	for _, s := range e.Settings {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", s.Name, yamlValue(s), yamlfile.Printable(s.Origin))
	}
	tw.Flush()
}

// yamlPair renders "name: value" on one line.
func yamlPair(s Setting) string {
	return s.Name + ": " + yamlValue(s)
}

// yamlValue renders a setting's value as a one-line YAML flow value that
// reads back as the same value: lists in [a, b] form, strings quoted when
// they would otherwise read as a number, a bool, null or something else,
// and control characters escaped, so nothing from a config file reaches
// the terminal raw.
func yamlValue(s Setting) string {
	var n *yaml.Node
	if s.List != nil {
		n = &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle, Tag: "!!seq"}
		for _, v := range s.List {
			n.Content = append(n.Content, strNode(v))
		}
	} else {
		n = scalarNode(s.Type, s.Value)
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	if err := enc.Encode(n); err != nil {
		// Unreachable for the nodes built above; never print the raw value.
		return strconv.Quote(s.Value)
	}
	enc.Close()
	out := strings.TrimSuffix(b.String(), "\n")
	if strings.ContainsAny(out, "\n\t") {
		// The encoder chose a multi-line form; a quoted Go string is also
		// valid YAML (double-quoted scalar) and stays on one line.
		return strconv.Quote(s.Value)
	}
	return out
}

func scalarNode(typ, v string) *yaml.Node {
	tag := "!!str"
	switch {
	case typ == "bool":
		tag = "!!bool"
	case strings.HasPrefix(typ, "int") || strings.HasPrefix(typ, "uint") || typ == "count":
		tag = "!!int"
	case strings.HasPrefix(typ, "float"):
		tag = "!!float"
	}
	if tag != "!!str" {
		var probe yaml.Node
		// Keep the tag only if the value reads back as that type.
		if yaml.Unmarshal([]byte(v), &probe) != nil || len(probe.Content) != 1 {
			tag = "!!str"
		} else if got := probe.Content[0].Tag; tag == "!!float" && got == "!!int" {
			tag = got // a float flag's whole number, such as 3
		} else if got != tag {
			tag = "!!str"
		}
	}
	if tag == "!!str" {
		return strNode(v)
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: v}
}

func strNode(v string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v}
	if strings.ContainsAny(v, "\n\r\t") || !yamlfile.IsPrintable(v) {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}
