package module

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/oneiros-zk/oneiros/plugins/wasm/internal/suite"
)

// TestSuiteModules decodes and validates every binary module of the conformance suite:
// modules of `module` commands must load; assert_malformed ones must fail to decode and
// assert_invalid ones must fail decoding or validation.
func TestSuiteModules(t *testing.T) {
	dir := suite.Dir()
	if dir == "" {
		t.Skip("no conformance suite")
	}
	files, err := suite.Files(dir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		for _, c := range f.Commands {
			if c.Filename == "" || c.ModuleType == "text" {
				continue
			}
			b, err := os.ReadFile(filepath.Join(f.Dir, c.Filename))
			if err != nil {
				t.Fatal(err)
			}
			m, err := Decode(b)
			if err == nil {
				err = m.Validate()
			}
			n++
			switch c.Type {
			case "module", "assert_unlinkable", "assert_uninstantiable":
				if err != nil {
					t.Errorf("%s:%d %s: %v", f.Name, c.Line, c.Filename, err)
				}
			case "assert_malformed":
				if !errors.Is(err, ErrMalformed) {
					t.Errorf("%s:%d %s: want malformed (%s), got %v", f.Name, c.Line, c.Filename, c.Text, err)
				}
			case "assert_invalid":
				if err == nil {
					t.Errorf("%s:%d %s: want invalid (%s), got success", f.Name, c.Line, c.Filename, c.Text)
				}
			}
		}
	}
	t.Logf("%d modules", n)
}
