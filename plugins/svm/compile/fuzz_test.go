package compile

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/plugins/svm/container"
)

// FuzzCompile: any source either is refused or compiles to a valid normalized program
// that runs to a result (a halt, a trap or a limit) on the executor, never a crash.
func FuzzCompile(f *testing.F) {
	for _, dir := range []string{"../../../../shared/conformance/svm/elf/programs", "../examples"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.so"))
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b, []byte{})
			}
		}
	}
	in, _ := os.ReadFile("../examples/counter.in")
	if so, err := os.ReadFile("../examples/counter.so"); err == nil {
		f.Add(so, in)
	}
	text := []byte{0xb7, 0, 0, 0, 1, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0}
	f.Add((&container.Container{Text: text, Input: []byte{1, 2, 3}}).Encode(), []byte{})
	f.Add((&container.Container{Text: text, TextVersion: 2, Boundaries: []uint32{1, 3}}).Encode(), []byte{9, 9})
	f.Fuzz(func(t *testing.T, src, input []byte) {
		res, err := Compile(src)
		if err != nil {
			return
		}
		if err := res.Program.Validate(); err != nil {
			t.Fatalf("invalid program: %v", err)
		}
		if _, err := exec.Run(context.Background(), res.Program, exec.Options{Input: input,
			Limits: exec.Limits{MaxCycles: 1 << 16, MaxMemoryBytes: 1 << 26, MaxOutputBytes: 1 << 16}}); err != nil {
			t.Fatalf("run: %v", err)
		}
	})
}
