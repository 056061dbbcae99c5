package machine

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/oneiros-zk/oneiros/core/chips/bytetable"
	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// andProgram computes 0xf0 AND 0x3c and halts with it (0x30).
const andProgram = ".fp 0x1000\nmain: and [8], 0xf0, 0x3c\n halt [8]\n"

// cheatingMachine is the machine on the chip tests' parameters with the byte table of op
// replaced: its trace built by trace (nil: left out) and, when prep is set, its fixed
// columns too (a proving key the verifier did not set up).
func cheatingMachine(t *testing.T, op uint32, trace func(*events) ([][]field.Elem, error), prep func(*isa.Program) [][]field.Elem) *Machine {
	t.Helper()
	e, err := hemera.New(chiptest.Params)
	if err != nil {
		t.Fatal(err)
	}
	m := New(e)
	for i := range m.chips {
		if m.chips[i].name == bytetable.Name(op) {
			m.chips[i].trace = trace
			if prep != nil {
				m.chips[i].prep = prep
			}
			return m
		}
	}
	t.Fatalf("no table %s", bytetable.Name(op))
	return nil
}

// TestByteTablesOnlyWhenUsed: a run leaves out the byte tables of the ops it does not look
// up (and keeps those it does), and its proof verifies.
func TestByteTablesOnlyWhenUsed(t *testing.T) {
	r := newRun(t, andProgram, nil)
	proof, rep, err := r.m.ProveReport(r.keys, r.st, r.recs)
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range bytetable.Ops {
		if got, want := rep.Rows[bytetable.Name(op)], map[bool]int{true: bytetable.Height}[op == uint32(isa.AND)]; got != want {
			t.Errorf("%s: %d rows, want %d", bytetable.Name(op), got, want)
		}
	}
	if err := r.m.Verify(r.keys.VK, r.st, proof); err != nil {
		t.Fatal(err)
	}
}

// TestAbsentByteTableRejected: the cheating prover sends the run's AND lookups and leaves
// the AND table out of the proof, its multiplicities dropped or credited to the same
// bytes' rows of the XOR table; everything else is the honest prover's (every
// commitment consistent, every other bus balanced). No table receives (AND, …): the
// verifier must reject.
func TestAbsentByteTableRejected(t *testing.T) {
	and := uint32(isa.AND)
	for _, c := range []struct {
		what string
		op   uint32 // the table replaced
		tr   func(*events) ([][]field.Elem, error)
	}{
		{"AND table left out", and, func(*events) ([][]field.Elem, error) { return nil, nil }},
		{"AND table left out, its counts on the XOR table", uint32(isa.XOR), func(ev *events) ([][]field.Elem, error) {
			return ev.bc.Trace(and), nil
		}},
	} {
		m := cheatingMachine(t, c.op, c.tr, nil)
		if c.op != and { // the AND table goes too
			for i := range m.chips {
				if m.chips[i].name == bytetable.Name(and) {
					m.chips[i].trace = func(*events) ([][]field.Elem, error) { return nil, nil }
				}
			}
		}
		r := newRun(t, andProgram, nil)
		keys, err := m.Setup(r.st.Program)
		if err != nil {
			t.Fatal(err)
		}
		proof, _, err := m.proveReport(keys, r.st, r.recs)
		if err != nil {
			t.Fatalf("%s: the prover failed before the verifier could reject: %v", c.what, err)
		}
		if proof.Proof.LogN[tableIndex(t, m, bytetable.Name(and))] != stark.Absent {
			t.Fatalf("%s: the AND table is in the proof", c.what)
		}
		// The honest verifier: its keys are the cheater's (no fixed column changed).
		var se *stark.Error
		if err := r.m.Verify(r.keys.VK, r.st, proof); !errors.As(err, &se) || se.Check != "bus" {
			t.Fatalf("%s: %v", c.what, err)
		}
		t.Logf("%s: rejected: %v", c.what, se)
	}
}

// TestForgedByteTableRowRejected: the cheating prover claims 0xf0 AND 0x3c = 0x31 (the
// run halts with it) and proves it against an AND table whose row (0xf0, 0x3c) says
// 0x31. The proof is complete against the forged table's keys; the verifier's keys fix
// the true table, and it must reject.
func TestForgedByteTableRowRejected(t *testing.T) {
	p := assemble(t, andProgram)
	_, recs, err := Execute(context.Background(), p, exec.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].A != 0x30 || recs[1].B != 0x30 {
		t.Fatalf("the run: %d records, AND gives %#x, HALT %#x", len(recs), recs[0].A, recs[1].B)
	}
	const forged = 0x31
	recs[0].A = forged
	setWord := func(r *trace.Record, before bool) {
		for i := range r.Accesses {
			if a := &r.Accesses[i]; a.Addr == 0x1000+8 {
				a.After = forged
				if before {
					a.Before = forged
				}
			}
		}
	}
	setWord(&recs[0], false)
	recs[1].B = forged
	setWord(&recs[1], true)
	st := withInputDigest(&Statement{Program: p, Status: isa.StatusHalted, ExitCode: forged, Cycles: 2})

	and := uint32(isa.AND)
	cheat := cheatingMachine(t, and, func(ev *events) ([][]field.Elem, error) { return ev.bc.Trace(and), nil },
		func(*isa.Program) [][]field.Elem {
			cols := bytetable.Preprocessed(and)
			cols[2][bytetable.Row(0xf0, 0x3c)] = field.New(forged)
			return cols
		})
	ckeys, err := cheat.setup(p) // not Setup: its cache knows the machine by its AIRs, and these are the honest ones
	if err != nil {
		t.Fatal(err)
	}
	proof, _, err := cheat.proveEvents(ckeys, st, recs, collect(p, recs), time.Now())
	if err != nil {
		t.Fatalf("the prover failed before the verifier could reject: %v", err)
	}
	if err := cheat.Verify(ckeys.VK, st, proof); err != nil {
		t.Fatalf("the forgery is not complete against the forged table (the test shows nothing): %v", err)
	}
	m, keys := testKeys(t, p)
	if err := m.Verify(keys.VK, st, proof); !errors.Is(err, stark.ErrInvalidProof) {
		t.Fatalf("0xf0 AND 0x3c = 0x31 proven: %v", err)
	}
	t.Logf("rejected: %v", m.Verify(keys.VK, st, proof))
}

func tableIndex(t *testing.T, m *Machine, name string) int {
	t.Helper()
	for i, c := range m.chips {
		if c.name == name {
			return i
		}
	}
	t.Fatalf("no table %s", name)
	return -1
}
