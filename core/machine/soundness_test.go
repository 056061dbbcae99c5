package machine

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
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
	st := withInputDigest(&Statement{Program: p, Status: isa.StatusHalted, ExitCode: 7, Cycles: 3})
	m, keys := testKeys(t, p)
	proof, err := m.Prove(keys, st, forged)
	if err != nil {
		t.Logf("prover refused: %v", err)
		return
	}
	if err := m.Verify(keys.VK, st, proof); !errors.Is(err, stark.ErrInvalidProof) {
		t.Fatalf("a jump to p+3 proven as a jump to 3: %v", err)
	}
}

// forge proves a forged statement from the given records, skipping the prover's checks
// of the statement, and expects the verifier to reject the proof with
// stark.ErrInvalidProof (or the prover to fail on tables that cannot be built).
func forge(t *testing.T, p *isa.Program, st *Statement, recs []trace.Record, what string) {
	t.Helper()
	forgeEvents(t, p, st, recs, nil, what)
}

// forgeEvents is forge with the events the tables are built from altered by alter
// (nil: none): a cheating prover that builds its tables from something other than the
// records.
func forgeEvents(t *testing.T, p *isa.Program, st *Statement, recs []trace.Record, alter func(*events), what string) {
	t.Helper()
	m, keys := testKeys(t, p)
	ev := collect(withInputDigest(st).Program, recs)
	if alter != nil {
		alter(ev)
	}
	proof, _, err := m.proveEvents(keys, st, recs, ev, time.Now())
	if err != nil {
		// The prover does not check constraints: a forged witness must reach the verifier.
		t.Fatalf("%s: the prover failed before the verifier could reject: %v", what, err)
	}
	err = m.Verify(keys.VK, st, proof)
	if !errors.Is(err, stark.ErrInvalidProof) {
		t.Fatalf("%s: the forged statement verifies (%v)", what, err)
	}
	t.Logf("rejected: %v", err)
}

// TestInputLenAbovePRejected forges a statement whose input length is p + 5
// (p = 2^31 − 2^24 + 1) from a run on 5 bytes of input: the I/O chip sees input_len as
// a field element, p + 5 ≡ 5, so INPUT_LEN answering 5 would "prove" a run on an input
// of p + 5 bytes, where the executor answers p + 5.
func TestInputLenAbovePRejected(t *testing.T) {
	const pPlus5 = 0x7f000006
	p := assemble(t, ".fp 0x1000\nmain: ecall input_len, [8]\n halt [8]\n")
	res, recs, err := Execute(context.Background(), p, exec.Options{Input: []byte{1, 2, 3, 4, 5}})
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitStatus != isa.StatusHalted || res.ExitCode != 5 {
		t.Fatalf("the executor must halt with 5: %s, %d", res.ExitStatus, res.ExitCode)
	}
	// With an input of p + 5 bytes the executor halts with p + 5; the forged statement
	// claims that input length and the exit code 5. Its public values are the honest
	// run's (p + 5 ≡ 5), so the honest proof is the forgery, and the prover must refuse it too.
	st := &Statement{Program: p, Status: isa.StatusHalted, ExitCode: 5, Cycles: 2, InputLen: pPlus5, Input: []byte{1, 2, 3, 4, 5}}
	r := newRun(t, ".fp 0x1000\nmain: ecall input_len, [8]\n halt [8]\n", []byte{1, 2, 3, 4, 5})
	if err := r.m.Verify(r.keys.VK, st, r.prove(t)); !errors.Is(err, stark.ErrInvalidProof) {
		t.Fatalf("an input of p+5 bytes proven with INPUT_LEN = 5: %v", err)
	}
	forge(t, p, st, recs, "an input of p+5 bytes proven with INPUT_LEN = 5")
}

// TestBranchTargetAbovePRejected forges a run in which a taken branch to p + 3 lands on
// pc 3 (the executor traps there: invalid pc); only taken targets are range-checked, and
// this one must be.
func TestBranchTargetAbovePRejected(t *testing.T) {
	const pPlus3 = 0x7f000004
	p := assemble(t, ".fp 0x1000\nmain: mov [8], 2\n beq [8], 2, 0x7f000004\n halt 1\n halt 7\n")
	res, recs, err := Execute(context.Background(), p, exec.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitStatus != isa.StatusInvalidPC || len(recs) != 2 || recs[1].NextPC != pPlus3 {
		t.Fatalf("the executor must branch to p+3 and trap: %s after %d records", res.ExitStatus, len(recs))
	}
	recs[1].NextPC = 3
	halt := trace.Record{Clk: 2, PC: 3, FP: 0x1000, NextPC: 3, NextFP: 0x1000, Inst: p.Code[3], B: 7}
	st := &Statement{Program: p, Status: isa.StatusHalted, ExitCode: 7, Cycles: 3}
	forge(t, p, st, append(recs, halt), "a taken branch to p+3 proven as a branch to 3")
}

// TestInvalidProgramRejected forges a run of a program that the executor refuses to run:
// its ADD reads the slot [fp−6], an offset that is not a multiple of 4 (an invalid
// instruction). The ROM decodes the offset as −6/4 = −1 word, so the run of the valid
// program reading [fp−4] would prove it.
func TestInvalidProgramRejected(t *testing.T) {
	valid := assemble(t, ".fp 0x1000\n.data 0xffc\n.word 9\n.text\nmain: add [8], [fp-4], 5\n halt [8]\n")
	_, recs, err := Execute(context.Background(), valid, exec.Options{})
	if err != nil {
		t.Fatal(err)
	}
	bad := valid.Clone()
	bad.Code[0].B = uint32(0xfffffffa) // −6
	if _, err := exec.Run(context.Background(), bad, exec.Options{}); !errors.Is(err, isa.ErrProgram) {
		t.Fatalf("the executor must refuse the program: %v", err)
	}
	recs[0].Inst = bad.Code[0]
	st := &Statement{Program: bad, Status: isa.StatusHalted, ExitCode: 14, Cycles: 2}
	forge(t, bad, st, recs, "a run of an invalid program")
}
