package exec_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
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

func assemble(tb testing.TB, src string) *isa.Program {
	tb.Helper()
	p, err := isa.Assemble("test.s", []byte(src))
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// run executes p twice, with and without records, checks that both runs agree and that
// the records pass trace.Checker, and returns the result and the records.
func run(tb testing.TB, p *isa.Program, opts exec.Options) (*exec.Result, []*trace.Record) {
	tb.Helper()
	var recs []*trace.Record
	chk := trace.NewChecker(p)
	with := opts
	with.Sink = func(r *trace.Record) error {
		if err := chk.Check(r); err != nil {
			tb.Error(err)
		}
		recs = append(recs, r.Clone())
		return nil
	}
	res, err := exec.Run(context.Background(), p, with)
	if err != nil {
		tb.Fatalf("run with records: %v", err)
	}
	bare, err := exec.Run(context.Background(), p, opts)
	if err != nil {
		tb.Fatalf("run without records: %v", err)
	}
	if bare.ExitStatus != res.ExitStatus || bare.ExitCode != res.ExitCode || bare.Cycles != res.Cycles ||
		bare.TouchedPages != res.TouchedPages || !slices.Equal(bare.Output, res.Output) || bare.PC != res.PC || bare.FP != res.FP {
		tb.Fatalf("records change the run: with %+v, without %+v", res, bare)
	}
	if uint64(len(recs)) != res.Cycles {
		tb.Fatalf("%d records for %d cycles", len(recs), res.Cycles)
	}
	return res, recs
}

// wantHalt fails unless res halted with code.
func wantHalt(tb testing.TB, res *exec.Result, code uint32) {
	tb.Helper()
	if res.ExitStatus != isa.StatusHalted || res.ExitCode != code || res.Trap != nil {
		tb.Fatalf("status %v code %d trap %v, want halted with %d", res.ExitStatus, res.ExitCode, res.Trap, code)
	}
}
