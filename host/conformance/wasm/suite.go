package wasm

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
)

// jsonValue, command: the wast2json format.
type jsonValue struct {
	Type  string `json:"type"`
	Value any    `json:"value"`
}

type command struct {
	Type       string      `json:"type"`
	Line       int         `json:"line"`
	Filename   string      `json:"filename"`
	Name       string      `json:"name"`
	As         string      `json:"as"`
	Text       string      `json:"text"`
	ModuleType string      `json:"module_type"`
	Expected   []jsonValue `json:"expected"`
	Action     *struct {
		Type   string      `json:"type"`
		Module string      `json:"module"`
		Field  string      `json:"field"`
		Args   []jsonValue `json:"args"`
	} `json:"action"`
}

type suiteFile struct {
	group, name, dir string
	commands         []command
	float            map[int]bool
}

func readSuite(dir string) ([]suiteFile, error) {
	ms, err := filepath.Glob(filepath.Join(dir, "*", "*", "manifest.json"))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSuite, err)
	}
	if len(ms) == 0 {
		return nil, fmt.Errorf("%w: no <group>/<name>/manifest.json under %s", ErrSuite, dir)
	}
	var files []suiteFile
	for _, mf := range ms {
		d := filepath.Dir(mf)
		f := suiteFile{group: filepath.Base(filepath.Dir(d)), name: filepath.Base(d), dir: d, float: map[int]bool{}}
		var cmds struct {
			Commands []command `json:"commands"`
		}
		if err := readJSON(filepath.Join(d, f.name+".json"), &cmds); err != nil {
			return nil, err
		}
		f.commands = cmds.Commands
		var man struct {
			Commands []struct {
				Line      int  `json:"line"`
				UsesFloat bool `json:"uses_float"`
			} `json:"commands"`
		}
		if err := readJSON(mf, &man); err != nil {
			return nil, err
		}
		for _, c := range man.Commands {
			if c.UsesFloat {
				f.float[c.Line] = true
			}
		}
		files = append(files, f)
	}
	sort.Slice(files, func(i, j int) bool {
		if files[i].group != files[j].group {
			return files[i].group < files[j].group
		}
		return files[i].name < files[j].name
	})
	return files, nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrSuite, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrSuite, path, err)
	}
	return nil
}

var valueTypes = map[string]byte{"i32": 0x7F, "i64": 0x7E, "f32": 0x7D, "f64": 0x7C, "funcref": 0x70, "externref": 0x6F}

// parseValue reads a wast2json value: the unsigned decimal of its bit pattern; for
// references "null" (0) or an extern index n (n+1).
func parseValue(v jsonValue) (value, error) {
	t, ok := valueTypes[v.Type]
	if !ok {
		return value{}, fmt.Errorf("unknown value type %q", v.Type)
	}
	s, _ := v.Value.(string)
	if t == 0x70 || t == 0x6F {
		if s == "null" {
			return value{typ: t}, nil
		}
		n, err := strconv.ParseUint(s, 10, 32)
		return value{typ: t, bits: n + 1}, err
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return value{}, fmt.Errorf("value %q of type %s: %v", s, v.Type, err)
	}
	return value{typ: t, bits: n}, nil
}
