package cpu

import (
	"context"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/proving/air/airtest"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// table runs a small program and returns its CPU table and public values.
func table(t *testing.T) ([][]field.Elem, []field.Elem) {
	t.Helper()
	p, err := isa.Assemble("t.s", []byte(".fp 0x1000\nmain: add [8], 5, 7\n add [12], [8], [8]\n halt [12]\n"))
	if err != nil {
		t.Fatal(err)
	}
	var recs []trace.Record
	res, err := exec.Run(context.Background(), p, exec.Options{Sink: func(r *trace.Record) error {
		recs = append(recs, *r.Clone())
		return nil
	}})
	if err != nil || res.ExitStatus != isa.StatusHalted {
		t.Fatalf("run: %v %v", err, res.Trap)
	}
	return Trace(recs, new(rangetable.Counter)), Publics(p.Entry, p.FP, res.Cycles, hash.Digest{}, 0, 0)
}

func TestValid(t *testing.T) {
	main, pub := table(t)
	if err := airtest.Check(AIR(), main, nil, pub); err != nil {
		t.Fatal(err)
	}
}

// TestPaddingAccessRejected turns each operand-access flag on in a padding row (after
// the HALT): the row would read or write memory with free columns, a message on the
// Memory bus from a row that is no cycle of the run.
func TestPaddingAccessRejected(t *testing.T) {
	for _, f := range []struct {
		name string
		col  int
	}{{"b_read", col.BRead.Index}, {"c_read", col.CRead.Index}, {"a_read", col.ARead.Index}, {"a_write", col.AWrite.Index}} {
		main, pub := table(t)
		r := len(main[0]) - 1
		if !main[col.IsReal.Index][r].IsZero() {
			t.Fatal("the last row must be padding")
		}
		main[f.col][r] = field.New(1)
		if err := airtest.Check(AIR(), main, nil, pub); err == nil {
			t.Errorf("a padding row with %s set satisfies the CPU's constraints", f.name)
		}
	}
}
