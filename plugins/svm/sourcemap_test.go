package main

import (
	"context"
	"os"
	"testing"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/machine"
	"github.com/oneiros-zk/oneiros/plugins/svm/compile"
)

// The lowering's source map names sBPF operations and runtime code, and a profiled run
// of the counter example attributes every cycle to one of its labels.
func TestSourceMap(t *testing.T) {
	so, err := os.ReadFile("examples/counter.so")
	if err != nil {
		t.Fatal(err)
	}
	in, err := os.ReadFile("examples/counter.in")
	if err != nil {
		t.Fatal(err)
	}
	res, err := compile.Compile(so)
	if err != nil {
		t.Fatal(err)
	}
	if res.Program.SourceMap == nil {
		t.Fatal("no source map")
	}
	prof, err := machine.ProfileRun(context.Background(), res.Program, exec.Options{Input: in})
	if err != nil {
		t.Fatal(err)
	}
	if n := prof.Unattributed(); n != 0 || prof.BySource["other"] != 0 {
		t.Fatalf("%d of %d cycles have no label: %v", n, prof.Cycles, prof.BySource)
	}
	for _, want := range []string{"ldxdw", "mov64", "(prologue: input copy)", "(compute-unit metering)", "exit"} {
		if prof.BySource[want] == 0 {
			t.Errorf("no cycles for %s: %v", want, prof.BySource)
		}
	}
}
