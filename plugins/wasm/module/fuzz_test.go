package module

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/oneiros-zk/oneiros/plugins/wasm/internal/suite"
)

// FuzzDecode: decoding and validating arbitrary bytes never panics, and whatever
// decodes is refused or accepted with an error of one of the three kinds.
func FuzzDecode(f *testing.F) {
	for _, p := range []string{"../examples/sum.wasm", "../examples/fib64.wasm", "../examples/divide.wasm", "../testdata/float.wasm"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	if dir := suite.Dir(); dir != "" {
		ms, _ := filepath.Glob(filepath.Join(dir, "*", "*", "*.wasm"))
		for i, m := range ms {
			if i%7 == 0 { // a sample keeps the seed corpus quick
				if b, err := os.ReadFile(m); err == nil {
					f.Add(b)
				}
			}
		}
	}
	f.Add([]byte("\x00asm\x01\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Decode(b)
		if err != nil {
			checkKind(t, err)
			return
		}
		if err := m.Validate(); err != nil {
			checkKind(t, err)
		}
	})
}

func checkKind(t *testing.T, err error) {
	e, ok := err.(*Error)
	if !ok || (e.Kind != ErrMalformed && e.Kind != ErrInvalid && e.Kind != ErrUnsupported) {
		t.Fatalf("error %v is not a *module.Error of a known kind", err)
	}
}
