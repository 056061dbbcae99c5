package main

import (
	"context"
	"os"
	"testing"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/machine"
	"github.com/oneiros-zk/oneiros/plugins/wasm/loader"
)

// The translation's source map names WebAssembly instructions and runtime code, and a
// profiled run of the SHA-256 example attributes every cycle to one of its labels.
func TestSourceMap(t *testing.T) {
	src, err := os.ReadFile("examples/c/sha256.wasm")
	if err != nil {
		t.Fatal(err)
	}
	l, err := loader.Load(src, loader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if l.Program.SourceMap == nil {
		t.Fatal("no source map")
	}
	prof, err := machine.ProfileRun(context.Background(), l.Program, exec.Options{Input: []byte("abc")})
	if err != nil {
		t.Fatal(err)
	}
	if n := prof.Unattributed(); n != 0 {
		t.Fatalf("%d of %d cycles have no label", n, prof.Cycles)
	}
	for _, want := range []string{"i32.xor", "i32.load", "local.set", "runtime:entry and instantiation"} {
		if prof.BySource[want] == 0 {
			t.Errorf("no cycles for %s: %v", want, prof.BySource)
		}
	}
	// local.set lowers to one normalized instruction or less (a fused store): about
	// one cycle each, as docs/wasm.md says.
	if n := prof.SourceExecutions["local.set"]; n == 0 || float64(prof.BySource["local.set"])/float64(n) > 1.5 {
		t.Errorf("local.set: %d cycles over %d executions", prof.BySource["local.set"], n)
	}
}
