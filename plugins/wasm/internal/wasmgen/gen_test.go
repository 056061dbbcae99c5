package wasmgen

import (
	"testing"

	"github.com/oneiros-zk/oneiros/plugins/wasm/module"
)

// TestValid: every generated module decodes and validates.
func TestValid(t *testing.T) {
	for seed := int64(0); seed < 300; seed++ {
		m := New(seed, 2+int(seed%6))
		mod, err := module.Decode(m.Bytes)
		if err == nil {
			err = mod.Validate()
		}
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
	}
}
