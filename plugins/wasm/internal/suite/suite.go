package suite

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
)

// Dir returns the suite's directory, or "" when there is none.
func Dir() string {
	if d := os.Getenv("ONEIROS_WASM_SUITE"); d != "" {
		return d
	}
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.work")); err == nil {
			s := filepath.Join(d, "..", "shared", "conformance", "wasm")
			if _, err := os.Stat(s); err == nil {
				return s
			}
			return ""
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// Value is a typed value of a command.
type Value struct {
	Type  string `json:"type"`
	Value any    `json:"value"`
}

// Action is an invoke or get.
type Action struct {
	Type   string  `json:"type"`
	Module string  `json:"module"`
	Field  string  `json:"field"`
	Args   []Value `json:"args"`
}

// Command is one command of a wast2json file.
type Command struct {
	Type       string  `json:"type"`
	Line       int     `json:"line"`
	Filename   string  `json:"filename"`
	Name       string  `json:"name"`
	As         string  `json:"as"`
	Text       string  `json:"text"`
	ModuleType string  `json:"module_type"`
	Action     *Action `json:"action"`
	Expected   []Value `json:"expected"`
}

// File is one JSON file of the suite.
type File struct {
	Group, Name, Dir string
	Commands         []Command
	Float            map[int]bool // by line: the command uses floats (manifest uses_float)
}

// Files reads every JSON file of the suite, sorted by group and name.
func Files(dir string) ([]File, error) {
	ms, err := filepath.Glob(filepath.Join(dir, "*", "*", "manifest.json"))
	if err != nil {
		return nil, err
	}
	var out []File
	for _, mf := range ms {
		d := filepath.Dir(mf)
		name := filepath.Base(d)
		var j struct {
			Commands []Command `json:"commands"`
		}
		b, err := os.ReadFile(filepath.Join(d, name+".json"))
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(b, &j); err != nil {
			return nil, err
		}
		var man struct {
			Commands []struct {
				Line      int  `json:"line"`
				UsesFloat bool `json:"uses_float"`
			} `json:"commands"`
		}
		b, err = os.ReadFile(mf)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(b, &man); err != nil {
			return nil, err
		}
		fl := map[int]bool{}
		for _, c := range man.Commands {
			if c.UsesFloat {
				fl[c.Line] = true
			}
		}
		out = append(out, File{Group: filepath.Base(filepath.Dir(d)), Name: name, Dir: d, Commands: j.Commands, Float: fl})
	}
	sort.Slice(out, func(i, k int) bool {
		if out[i].Group != out[k].Group {
			return out[i].Group < out[k].Group
		}
		return out[i].Name < out[k].Name
	})
	return out, nil
}
