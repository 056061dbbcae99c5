package configs

import _ "embed"

// DefaultName is the file name of the embedded defaults, as error messages and
// `oneiros config show` name it.
const DefaultName = "oneiros.default.yaml"

//go:embed oneiros.default.yaml
var defaultYAML []byte

// Default returns the canonical defaults as YAML, comments included. The slice is a
// fresh copy: callers may keep or change it.
func Default() []byte { return append([]byte(nil), defaultYAML...) }
