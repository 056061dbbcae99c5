package configs

import (
	"embed"
	"path"
	"slices"
	"strings"
)

// DefaultName is the file name of the embedded defaults, as error messages and
// `oneiros config show` name it.
const DefaultName = "oneiros.default.yaml"

//go:embed oneiros.default.yaml
var defaultYAML []byte

// Default returns the canonical defaults as YAML, comments included. The slice is a
// fresh copy: callers may keep or change it.
func Default() []byte { return append([]byte(nil), defaultYAML...) }

//go:embed presets/*.yaml
var presets embed.FS

// Preset returns the YAML of a named preset (a partial configuration laid over the
// defaults: presets/NAME.yaml) and whether it exists. The slice is a fresh copy.
func Preset(name string) ([]byte, bool) {
	if name == "" || strings.ContainsAny(name, "/\\.") {
		return nil, false
	}
	b, err := presets.ReadFile(path.Join("presets", name+".yaml"))
	if err != nil {
		return nil, false
	}
	return b, true
}

// PresetNames lists the presets, sorted.
func PresetNames() []string {
	ents, _ := presets.ReadDir("presets") // embedded: cannot fail
	var names []string
	for _, e := range ents {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	slices.Sort(names)
	return names
}

//go:embed bench/suites.yaml
var benchSuites []byte

// BenchSuites returns the YAML of `oneiros bench run`'s suites (bench/suites.yaml). The
// slice is a fresh copy.
func BenchSuites() []byte { return append([]byte(nil), benchSuites...) }
