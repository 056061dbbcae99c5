package config

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Setting is one leaf of the configuration with its value written as YAML would write it.
type Setting struct {
	Key    string `yaml:"key" json:"key"`
	Value  string `yaml:"value" json:"value"`
	Origin Origin `yaml:"origin" json:"origin"`
}

// Keys lists the key of every setting, in the order of the default file.
func Keys() []string {
	out := make([]string, len(schema))
	for i, s := range schema {
		out[i] = s.key
	}
	return out
}

// Settings lists every setting of c with its value and origin, in the order of the
// default file. It is what `oneiros config show -o text` prints.
func (c *Config) Settings() []Setting {
	out := make([]Setting, len(schema))
	for i := range schema {
		s := &schema[i]
		out[i] = Setting{Key: s.key, Value: format(s.ptr(c)), Origin: c.Origin(s.key)}
	}
	return out
}

// format writes the value behind ptr as a YAML scalar or flow collection.
func format(ptr any) string {
	switch p := ptr.(type) {
	case *int:
		return fmt.Sprint(*p)
	case *uint64:
		return fmt.Sprint(*p)
	case *bool:
		return fmt.Sprint(*p)
	case *string:
		return *p
	case *time.Duration:
		return p.String()
	case *[]string:
		return flow(*p)
	case *map[string]string:
		if len(*p) == 0 {
			return "{}"
		}
		return flow(*p)
	}
	panic(fmt.Sprintf("config: cannot format %T", ptr))
}

func flow(v any) string {
	var n yaml.Node
	if err := n.Encode(v); err != nil {
		panic(fmt.Sprintf("config: cannot encode %T: %v", v, err)) // strings only: cannot fail
	}
	n.Style = yaml.FlowStyle
	out, err := yaml.Marshal(&n)
	if err != nil {
		panic(fmt.Sprintf("config: cannot encode %T: %v", v, err))
	}
	return strings.TrimSpace(string(out))
}

// Set changes the setting key to value, written as in a YAML file ("debug", "4",
// "[/opt/plugins]"), with the same checks as a file. origin names where the value
// comes from in messages and in [Config.Origin], such as a flag name. On error c is
// unchanged.
func (c *Config) Set(origin, key, value string) error {
	s := lookup(key)
	if s == nil {
		if m := suggest(key, Keys()); m != "" {
			return &Error{File: origin, Key: key, Msg: fmt.Sprintf("unknown setting (did you mean %s?)", m)}
		}
		return &Error{File: origin, Key: key, Msg: "unknown setting"}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(value), &doc); err != nil {
		return &Error{File: origin, Key: key, Msg: fmt.Sprintf("cannot read %q as a YAML value", short(value))}
	}
	v := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		v = doc.Content[0]
	}
	clearLines(v)
	n := c.Clone()
	d := &decoder{file: origin, c: n, seen: map[string]bool{}}
	d.value(s, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, v)
	if err := d.errs.err(); err != nil {
		return err
	}
	if err := n.Validate(); err != nil {
		return err
	}
	*c = *n
	return nil
}

// clearLines drops the line numbers of a value parsed from a flag, which has no lines.
func clearLines(n *yaml.Node) {
	n.Line, n.Column = 0, 0
	for _, c := range n.Content {
		clearLines(c)
	}
}

// Preset applies a preset, such as a profile's overrides, beneath the user's own
// choices: edit runs on a copy of the defaults, and every setting it changes is changed
// in c too, unless c's value came from somewhere other than the defaults (a user's file,
// a flag, an earlier preset), which wins. A setting whose origin is unknown (a Config
// decoded from JSON or built in Go) takes the preset. origin labels the changed
// settings ("profile standard"). Apply one preset per Config: a second one does not
// undo the first. The result must pass [Config.Validate]; on error c is unchanged.
func (c *Config) Preset(origin string, edit func(*Config)) error {
	base, err := Default()
	if err != nil {
		return err
	}
	over := base.Clone()
	edit(over)
	over = over.Clone() // edit may have stored slices or maps it keeps
	n := c.Clone()
	for _, key := range Diff(base, over) {
		if o := c.Origin(key).File; o != "" && o != defaultName() {
			continue
		}
		s := lookup(key)
		assign(s.ptr(n), valueOf(s.ptr(over)))
		n.setOrigin(key, Origin{File: origin})
	}
	if err := n.Validate(); err != nil {
		return err
	}
	*c = *n
	return nil
}

// Diff lists the keys of the settings whose values differ between a and b, in the order
// of the default file. An empty list equals a nil one.
func Diff(a, b *Config) []string {
	var out []string
	for i := range schema {
		s := &schema[i]
		if !equal(s.ptr(a), s.ptr(b)) {
			out = append(out, s.key)
		}
	}
	return out
}

// valueOf dereferences a setting pointer.
func valueOf(ptr any) any {
	switch p := ptr.(type) {
	case *int:
		return *p
	case *uint64:
		return *p
	case *bool:
		return *p
	case *string:
		return *p
	case *time.Duration:
		return *p
	case *[]string:
		return *p
	case *map[string]string:
		return *p
	}
	panic(fmt.Sprintf("config: cannot read %T", ptr))
}

func equal(a, b any) bool {
	switch a := a.(type) {
	case *[]string:
		return slices.Equal(*a, *b.(*[]string))
	case *map[string]string:
		bm := *b.(*map[string]string)
		if len(*a) != len(bm) {
			return false
		}
		for k, v := range *a {
			if w, ok := bm[k]; !ok || w != v {
				return false
			}
		}
		return true
	}
	return valueOf(a) == valueOf(b)
}
