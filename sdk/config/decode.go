package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// decode lays the YAML document data over c, checking every key, type and range.
// complete demands that the document name every setting, which holds for the defaults.
func decode(c *Config, file string, data []byte, complete bool) error {
	root, err := parseDocument(file, data)
	if err != nil {
		return err
	}
	d := &decoder{file: file, c: c, seen: map[string]bool{}}
	// The version says how to read the rest, so it is checked first and alone.
	if k, v := find(root, "version"); v != nil {
		d.value(lookup("version"), k, v)
		if len(d.errs) > 0 {
			return d.errs.err()
		}
	}
	d.mapping(root, "")
	if complete {
		for _, s := range schema {
			if !d.seen[s.key] {
				d.errs = append(d.errs, &Error{File: file, Key: s.key, Msg: "missing (the defaults must name every setting)"})
			}
		}
	}
	return d.errs.err()
}

// parseDocument parses data as one YAML document whose top is a mapping.
func parseDocument(file string, data []byte) (root *yaml.Node, err error) {
	defer func() {
		// yaml.v3 is not ours; a panic on hostile input must stay an error here.
		if r := recover(); r != nil {
			root, err = nil, &Error{File: file, Msg: fmt.Sprintf("YAML parser failed: %v", r)}
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, emptyFile(file)
		}
		return nil, syntaxError(file, err)
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, syntaxError(file, err)
	default:
		return nil, &Error{File: file, Line: extra.Line, Msg: "a second YAML document; a configuration file holds one"}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, emptyFile(file)
	}
	root = resolve(doc.Content[0])
	if isNull(root) {
		return nil, emptyFile(file)
	}
	if root.Kind != yaml.MappingNode {
		return nil, &Error{File: file, Line: root.Line, Msg: "want a mapping of settings such as \"version: 1\", got " + describe(root)}
	}
	return root, nil
}

func emptyFile(file string) error {
	return &Error{File: file, Msg: "empty file (want a mapping of settings, e.g. \"version: 1\")"}
}

var digits = regexp.MustCompile(`^[-+]?[0-9_]+$`)

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError turns yaml.v3's "yaml: line 3: …" into an [*Error] at that line.
func syntaxError(file string, err error) error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		var line int
		fmt.Sscan(m[1], &line)
		return &Error{File: file, Line: line, Msg: "YAML syntax error: " + m[2]}
	}
	return &Error{File: file, Msg: "YAML syntax error: " + strings.TrimPrefix(msg, "yaml: ")}
}

type decoder struct {
	file string
	c    *Config
	errs ErrorList
	seen map[string]bool // settings this document set
}

func (d *decoder) errorf(line int, key, format string, args ...any) {
	d.errs = append(d.errs, &Error{File: d.file, Line: line, Key: key, Msg: fmt.Sprintf(format, args...)})
}

// mapping decodes the pairs of the mapping n, which sits at the section path.
func (d *decoder) mapping(n *yaml.Node, path string) {
	first := map[string]int{} // key -> line where it first appeared
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			d.errorf(k.Line, path, "a key must be a plain name, got %s", describe(k))
			continue
		}
		if k.ShortTag() == "!!merge" {
			d.errorf(k.Line, path, "merge keys (<<) are not supported; write the settings out")
			continue
		}
		full := join(path, short(k.Value))
		if line, dup := first[k.Value]; dup {
			d.errorf(k.Line, full, "duplicate key (first set at line %d)", line)
			continue
		}
		first[k.Value] = k.Line
		switch s := lookup(full); {
		case s != nil:
			d.value(s, k, v)
		case isSection(full):
			d.section(full, k, v)
		default:
			d.unknown(k, path, full)
		}
	}
}

// section decodes the value of a section key such as "engine".
func (d *decoder) section(path string, k, v *yaml.Node) {
	switch {
	case isNull(v): // "engine:" with every setting commented out changes nothing
	case v.Kind == yaml.MappingNode:
		d.mapping(v, path)
	default:
		d.errorf(line(k, v), path, "want a mapping of settings (%s), got %s", strings.Join(children(path), ", "), describe(v))
	}
}

// unknown reports the key full, which the schema does not have, with a likely fix.
func (d *decoder) unknown(k *yaml.Node, path, full string) {
	names := children(path)
	if m := suggest(k.Value, names); m != "" {
		d.errorf(k.Line, full, "unknown key (did you mean %s?)", m)
		return
	}
	// A setting of another section written in the wrong place.
	for _, s := range schema {
		if leaf := s.key[strings.LastIndexByte(s.key, '.')+1:]; leaf == k.Value && s.key != full {
			d.errorf(k.Line, full, "unknown key (did you mean %s?)", s.key)
			return
		}
	}
	where := "here"
	if path != "" {
		where = "in " + path
	}
	d.errorf(k.Line, full, "unknown key (allowed %s: %s)", where, strings.Join(names, ", "))
}

// value decodes v, the value of setting s written at key k, into d.c.
func (d *decoder) value(s *setting, k, v *yaml.Node) {
	d.seen[s.key] = true
	val, entries, ok := d.parse(s, v)
	if !ok {
		return
	}
	if probs := s.check(val); len(probs) > 0 {
		for _, p := range probs {
			at, key := line(k, v), s.key
			if p.key != "" {
				key = p.key
				if l, ok := entries[key]; ok {
					at = l
				}
			}
			d.errorf(at, key, "%s", p.msg)
		}
		return
	}
	assign(s.ptr(d.c), val)
	d.c.setOrigin(s.key, Origin{File: d.file, Line: k.Line})
	for e, l := range entries {
		d.c.origin[e] = Origin{File: d.file, Line: l}
	}
}

// parse turns v into the Go value of setting s, reporting type errors. entries holds the
// line of each list or map entry, keyed like [Config.Origin].
func (d *decoder) parse(s *setting, v *yaml.Node) (val any, entries map[string]int, ok bool) {
	if isNull(v) && s.kind != kindDirs && s.kind != kindPins {
		d.errorf(v.Line, s.key, "missing value (want %s)", s.want())
		return nil, nil, false
	}
	wrong := func() (any, map[string]int, bool) {
		d.errorf(v.Line, s.key, "want %s, got %s", s.want(), describe(v))
		return nil, nil, false
	}
	switch s.kind {
	case kindInt, kindUint, kindPow2:
		if v.Kind == yaml.ScalarNode && v.ShortTag() == "!!float" && digits.MatchString(v.Value) {
			// an integer too large for YAML's integers
			d.errorf(v.Line, s.key, "%s is out of range (allowed %s)", short(v.Value), s.bounds())
			return nil, nil, false
		}
		if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!int" {
			return wrong()
		}
		var n int64
		if err := v.Decode(&n); err != nil || n < 0 && s.kind != kindInt || n < math.MinInt32 || n > math.MaxInt32 && s.kind == kindInt {
			d.errorf(v.Line, s.key, "%s is out of range (allowed %s)", short(v.Value), s.bounds())
			return nil, nil, false
		}
		if s.kind == kindInt {
			return int(n), nil, true
		}
		return uint64(n), nil, true
	case kindEnum, kindName, kindText:
		if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!str" {
			return wrong()
		}
		return v.Value, nil, true
	case kindBool:
		var b bool
		if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!bool" || v.Decode(&b) != nil {
			return wrong()
		}
		return b, nil, true
	case kindDuration:
		if v.Kind == yaml.ScalarNode && (v.ShortTag() == "!!int" || v.ShortTag() == "!!float") {
			d.errorf(v.Line, s.key, "want %s, got number %s (add a unit, e.g. %ss)", s.want(), short(v.Value), short(v.Value))
			return nil, nil, false
		}
		if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!str" {
			return wrong()
		}
		t, err := time.ParseDuration(v.Value)
		if err != nil {
			d.errorf(v.Line, s.key, "%q is not a duration (want e.g. 30s, 10m, 1h30m)", short(v.Value))
			return nil, nil, false
		}
		return t, nil, true
	case kindDirs:
		dirs := []string{}
		entries = map[string]int{}
		switch {
		case isNull(v):
			return dirs, entries, true
		case v.Kind == yaml.ScalarNode && v.ShortTag() == "!!str":
			d.errorf(v.Line, s.key, "want a list of directories, got string %q (write [%s])", short(v.Value), short(v.Value))
			return nil, nil, false
		case v.Kind != yaml.SequenceNode:
			return wrong()
		}
		ok = true
		for i, e := range v.Content {
			e = resolve(e)
			key := fmt.Sprintf("%s[%d]", s.key, i)
			if e.Kind != yaml.ScalarNode || e.ShortTag() != "!!str" {
				d.errorf(e.Line, key, "want a directory (a string), got %s", describe(e))
				ok = false
				continue
			}
			dirs = append(dirs, e.Value)
			entries[key] = e.Line
		}
		return dirs, entries, ok
	case kindPins:
		pins := map[string]string{}
		entries = map[string]int{}
		if isNull(v) {
			return pins, entries, true
		}
		if v.Kind != yaml.MappingNode {
			return wrong()
		}
		ok = true
		for i := 0; i+1 < len(v.Content); i += 2 {
			pk, pv := resolve(v.Content[i]), resolve(v.Content[i+1])
			if pk.Kind != yaml.ScalarNode || pk.ShortTag() == "!!merge" {
				d.errorf(pk.Line, s.key, "a key must be a plugin binary name, got %s", describe(pk))
				ok = false
				continue
			}
			key := s.key + "." + pk.Value
			if _, dup := pins[pk.Value]; dup {
				d.errorf(pk.Line, key, "duplicate key (first set at line %d)", entries[key])
				ok = false
				continue
			}
			// A digest of decimal digits only reads as a number in YAML; its text is what counts.
			if pv.Kind != yaml.ScalarNode || isNull(pv) || pv.ShortTag() == "!!bool" {
				d.errorf(pv.Line, key, "want a hex SHA-256 (64 hex digits), got %s", describe(pv))
				ok = false
				continue
			}
			pins[pk.Value] = strings.ToLower(pv.Value)
			entries[key] = pk.Line
		}
		return pins, entries, ok
	}
	panic(fmt.Sprintf("config: setting %s has unknown kind %d", s.key, s.kind))
}

// assign stores val, whose type matches, through the pointer ptr.
func assign(ptr, val any) {
	switch p := ptr.(type) {
	case *int:
		*p = val.(int)
	case *uint64:
		*p = val.(uint64)
	case *bool:
		*p = val.(bool)
	case *string:
		*p = val.(string)
	case *time.Duration:
		*p = val.(time.Duration)
	case *[]string:
		*p = val.([]string)
	case *map[string]string:
		*p = val.(map[string]string)
	default:
		panic(fmt.Sprintf("config: cannot assign %T", ptr))
	}
}

// find returns the first pair of the mapping n whose key is name.
func find(n *yaml.Node, name string) (k, v *yaml.Node) {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := resolve(n.Content[i]); k.Kind == yaml.ScalarNode && k.Value == name {
			return k, resolve(n.Content[i+1])
		}
	}
	return nil, nil
}

// resolve follows aliases to the node they name.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; i < 100 && n.Kind == yaml.AliasNode && n.Alias != nil; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n.Kind == 0 || n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// line is where a problem with the value v of key k is reported.
func line(k, v *yaml.Node) int {
	if v.Line > 0 {
		return v.Line
	}
	return k.Line
}

// describe names what a node holds, for "want …, got …" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an unresolved alias"
	}
	switch tag := n.ShortTag(); tag {
	case "!!str":
		return fmt.Sprintf("string %q", short(n.Value))
	case "!!int":
		return "integer " + short(n.Value)
	case "!!float":
		return "number " + short(n.Value)
	case "!!bool":
		return "boolean " + short(n.Value)
	case "!!null":
		return "null"
	case "!!timestamp":
		return "timestamp " + short(n.Value)
	default:
		return fmt.Sprintf("%s %q", short(tag), short(n.Value))
	}
}

// short cuts user text that goes into a message to a readable length.
func short(s string) string {
	const n = 64
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
