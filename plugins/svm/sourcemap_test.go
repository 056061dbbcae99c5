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
	prog, m := res.Program, res.Program.SourceMap
	if m == nil {
		t.Fatal("no source map")
	}
	if err := m.Validate(len(prog.Code)); err != nil {
		t.Fatal(err)
	}
	_, recs, err := machine.Execute(context.Background(), prog, exec.Options{Input: in})
	if err != nil {
		t.Fatal(err)
	}
	prof := machine.NewProfile()
	prof.SetSourceMap(m, len(prog.Code))
	for i := range recs {
		prof.Add(&recs[i])
	}
	var sum uint64
	for _, c := range prof.BySource {
		sum += c
	}
	if sum != prof.Cycles || prof.BySource["(no source)"] != 0 || prof.BySource["other"] != 0 {
		t.Fatalf("%d of %d cycles attributed: %v", sum, prof.Cycles, prof.BySource)
	}
	for _, want := range []string{"ldxdw", "mov64", "(prologue: input copy)", "(compute-unit metering)", "exit"} {
		if prof.BySource[want] == 0 {
			t.Errorf("no cycles for %s: %v", want, prof.BySource)
		}
	}
}
