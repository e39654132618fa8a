package policy

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/datahygiene/datahygiene/pkg/finding"
	"github.com/datahygiene/datahygiene/pkg/internal/yamlfile"
)

// Write prints the policy as a YAML document with a policy: section that
// Load reads back to the same policy. With origins, each value carries a
// "# from FILE:LINE" comment saying which source set it.
func (p *Policy) Write(w io.Writer, origins bool) error {
	var b bytes.Buffer
	pw := &printer{b: &b, origins: origins}
	if origins {
		b.WriteString("# datahygiene data policy: the built-in policy, then the policy: sections of\n")
		b.WriteString("# config files, --rules files and --policy, a later one winning per key.\n")
		b.WriteString("# Sources read:\n")
		b.WriteString("#   " + BuiltinName + "\n")
		for _, s := range p.Sources {
			if s != BuiltinName {
				b.WriteString("#   " + yamlfile.MaskControls(s) + "\n")
			}
		}
	}
	b.WriteString("policy:\n")

	r := p.Retention
	b.WriteString("  retention:\n")
	pw.line(3, "clock", scalar(string(r.Clock.Value)), r.Clock.Origin)
	pw.line(3, "default", scalar(r.Default.Value.String()), r.Default.Origin)
	pw.periods("classes", classKeys(r.Classes), func(k string) Setting[Period] { return r.Classes[finding.Category(k)] })
	pw.periods("detectors", sortedKeys(r.Detectors), func(k string) Setting[Period] { return r.Detectors[k] })

	u := p.Unprotected
	b.WriteString("  unprotected:\n")
	bits := make([]string, len(u.ModeBits.Value))
	for i, m := range u.ModeBits.Value {
		bits[i] = string(m)
	}
	pw.line(3, "mode_bits", flow(bits), u.ModeBits.Origin)
	pw.line(3, "acl_readers", strconv.FormatBool(u.ACLReaders.Value), u.ACLReaders.Origin)
	b.WriteString("    owners:\n")
	pw.line(4, "deny", flow(ownerNames(u.DenyOwners.Value)), u.DenyOwners.Origin)
	pw.line(4, "allow", flow(ownerNames(u.AllowOwners.Value)), u.AllowOwners.Origin)
	pw.line(3, "world_writable_dir", strconv.FormatBool(u.WorldWritableDir.Value), u.WorldWritableDir.Origin)
	pw.line(3, "locations", flow(u.Locations.Value.Patterns()), u.Locations.Origin)

	pr := p.Prohibited
	b.WriteString("  prohibited:\n")
	pw.line(3, "classes", flow(classNames(pr.Classes.Value)), pr.Classes.Origin)
	pw.line(3, "detectors", flow(pr.Detectors.Value), pr.Detectors.Origin)
	pw.line(3, "severity", pr.Severity.Value.String(), pr.Severity.Origin)

	sv := p.Severity
	b.WriteString("  severity:\n")
	pw.severities("classes", classKeys(sv.Classes), func(k string) Setting[finding.Severity] { return sv.Classes[finding.Category(k)] })
	pw.severities("detectors", sortedKeys(sv.Detectors), func(k string) Setting[finding.Severity] { return sv.Detectors[k] })

	b.WriteString("  risk:\n")
	for _, k := range weighted {
		pw.line(3, string(k), strconv.Itoa(p.Risk[k].Value), p.Risk[k].Origin)
	}

	if len(p.Exceptions) == 0 {
		b.WriteString("  exceptions: []\n")
	} else {
		b.WriteString("  exceptions:\n")
	}
	for _, e := range p.Exceptions {
		if origins {
			b.WriteString("    # from " + yamlfile.MaskControls(e.Origin) + "\n")
		}
		lead := "    - "
		item := func(key, val string) {
			b.WriteString(lead + key + ": " + val + "\n")
			lead = "      "
		}
		if len(e.Paths.pats) > 0 {
			item("paths", flow(e.Paths.pats))
		}
		if len(e.Detectors) > 0 {
			item("detectors", flow(e.Detectors))
		}
		if len(e.Classes) > 0 {
			item("classes", flow(classNames(e.Classes)))
		}
		if len(e.Issues) > 0 {
			kinds := make([]string, len(e.Issues))
			for i, k := range e.Issues {
				kinds[i] = string(k)
			}
			item("issues", flow(kinds))
		}
		item("reason", scalar(e.Reason))
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("writing policy: %w", err)
	}
	return nil
}

type printer struct {
	b       *bytes.Buffer
	origins bool
}

func (pw *printer) line(depth int, key, val, origin string) {
	pw.b.WriteString(strings.Repeat("  ", depth-1) + key + ": " + val)
	if pw.origins && origin != "" {
		pw.b.WriteString("  # from " + yamlfile.MaskControls(origin))
	}
	pw.b.WriteString("\n")
}

func (pw *printer) periods(name string, keys []string, get func(string) Setting[Period]) {
	if len(keys) == 0 {
		pw.b.WriteString("    " + name + ": {}\n")
		return
	}
	pw.b.WriteString("    " + name + ":\n")
	for _, k := range keys {
		s := get(k)
		pw.line(4, k, scalar(s.Value.String()), s.Origin)
	}
}

func (pw *printer) severities(name string, keys []string, get func(string) Setting[finding.Severity]) {
	if len(keys) == 0 {
		pw.b.WriteString("    " + name + ": {}\n")
		return
	}
	pw.b.WriteString("    " + name + ":\n")
	for _, k := range keys {
		s := get(k)
		pw.line(4, k, s.Value.String(), s.Origin)
	}
}

// classKeys lists a per-class map's classes in finding.Categories order.
func classKeys[V any](m map[finding.Category]V) []string {
	var keys []string
	for _, c := range finding.Categories {
		if _, ok := m[c]; ok {
			keys = append(keys, string(c))
		}
	}
	return keys
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func classNames(cs []finding.Category) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return out
}

func ownerNames(os []Owner) []string {
	out := make([]string, len(os))
	for i, o := range os {
		out[i] = o.String()
	}
	return out
}

// scalar renders a string as a one-line YAML scalar that reads back as
// the same string, quoted where needed.
func scalar(s string) string {
	return encode(&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}, strconv.Quote(s))
}

// flow renders a list of strings as a one-line YAML flow sequence.
func flow(items []string) string {
	n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle, Tag: "!!seq"}
	quoted := make([]string, len(items))
	for i, s := range items {
		n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s})
		quoted[i] = strconv.Quote(s)
	}
	return encode(n, "["+strings.Join(quoted, ", ")+"]")
}

// encode runs the YAML encoder on n. Where it would choose a multi-line
// form, fallback (Go-quoted strings, which are valid double-quoted YAML)
// keeps the value on one line.
func encode(n *yaml.Node, fallback string) string {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	if err := enc.Encode(n); err != nil {
		return fallback
	}
	enc.Close()
	out := strings.TrimSuffix(b.String(), "\n")
	if strings.ContainsAny(out, "\n\t") {
		return fallback
	}
	return out
}
