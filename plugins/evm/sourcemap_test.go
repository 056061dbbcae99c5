package main

import (
	"context"
	"os"
	"testing"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/machine"
)

// Load hands the host a source map that names EVM opcodes and runtime routines, and a
// profiled run of the ERC-20 transfer attributes every cycle to one of its labels.
func TestSourceMap(t *testing.T) {
	src, err := os.ReadFile("../../examples/evm/token_transfer.json")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := translator{}.Translate(src, "token_transfer.json")
	if err != nil {
		t.Fatal(err)
	}
	if tr.Program.SourceMap == nil {
		t.Fatal("no source map")
	}
	prof, err := machine.ProfileRun(context.Background(), tr.Program, exec.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := prof.Unattributed(); n != 0 {
		t.Fatalf("%d of %d cycles have no label", n, prof.Cycles)
	}
	for _, want := range []string{"PUSH1", "JUMP", "runtime:main.intrinsic", "(segment checks: stack, static gas)"} {
		if prof.BySource[want] == 0 {
			t.Errorf("no cycles for %s: %v", want, prof.BySource)
		}
	}
	if prof.SourceExecutions["PUSH1"] == 0 {
		t.Errorf("PUSH1 never entered: %v", prof.SourceExecutions)
	}
}
