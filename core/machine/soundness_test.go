package machine

import (
	"context"
	"errors"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// TestJumpTargetAbovePRejected forges a run in which an indirect jump to p + 3
// (p = 2^31 − 2^24 + 1, the field's modulus) lands on pc 3. The executor traps there
// (invalid pc): the forged run must not prove.
func TestJumpTargetAbovePRejected(t *testing.T) {
	const pPlus3 = 0x7f000004
	p := assemble(t, ".fp 0x1000\nmain: add [8], 0x7f000000, 4\n jmp [8]\n halt 1\n halt 7\n")
	res, recs, err := Execute(context.Background(), p, exec.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitStatus != isa.StatusInvalidPC || len(recs) != 2 || recs[1].NextPC != pPlus3 {
		t.Fatalf("the executor must jump to p+3 and trap: %s after %d records", res.ExitStatus, len(recs))
	}
	// The forged continuation: the jump "goes" to pc 3 (p + 3 in the field), which halts with 7.
	recs[1].NextPC = 3
	halt := trace.Record{Clk: 2, PC: 3, FP: 0x1000, NextPC: 3, NextFP: 0x1000, Inst: p.Code[3], B: 7}
	forged := append(recs, halt)
	st := &Statement{Program: p, Status: isa.StatusHalted, ExitCode: 7, Cycles: 3}
	e, err := hemera.New(chiptest.Params)
	if err != nil {
		t.Fatal(err)
	}
	m := New(e)
	keys, err := m.Setup(p)
	if err != nil {
		t.Fatal(err)
	}
	proof, err := m.Prove(keys, st, forged)
	if err != nil {
		t.Logf("prover refused: %v", err)
		return
	}
	if err := m.Verify(keys.VK, st, proof); !errors.Is(err, stark.ErrInvalidProof) {
		t.Fatalf("a jump to p+3 proven as a jump to 3: %v", err)
	}
}
