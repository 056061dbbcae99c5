package exec_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/oneiros-zk/oneiros/core/isa"
)

// assembleExample assembles examples/<name> from the repository root.
func assembleExample(tb testing.TB, name string) *isa.Program {
	tb.Helper()
	src, err := os.ReadFile(filepath.Join("..", "..", "examples", name))
	if err != nil {
		tb.Fatal(err)
	}
	p, err := isa.Assemble(name, src)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}
