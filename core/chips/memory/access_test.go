package memory

import (
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
)

// gadgetAIR is a table of one write-capable access per row: (addr, value, clk), the
// access at timestamp TS(clk, 0).
func gadgetAIR() (*air.AIR, *Access, [4]air.Column) {
	b := air.NewBuilder("gadget")
	cols := [4]air.Column{b.Main("addr"), b.Main("lo"), b.Main("hi"), b.Main("clk")}
	acc := NewAccess(b, "acc", true)
	acc.Constrain(b, cols[0].Cur, [2]air.Expr{cols[1].Cur, cols[2].Cur}, TS(cols[3].Cur, 0), b.Const(1), nil)
	return b.MustBuild(), acc, cols
}

// TestFutureReadRejected builds a chain of accesses to one word that balances the
// Memory bus but reads, at an earlier timestamp, the value written later: only the
// timestamp-order check can catch it, and it must.
func TestFutureReadRejected(t *testing.T) {
	a, acc, cols := gadgetAIR()
	type row struct {
		clk       uint64
		val, prev uint32
		prevTS    uint64
	}
	var words []Word
	build := func(rows []row) []chiptest.Table {
		rc := new(rangetable.Counter)
		m := air.NewTrace(len(a.Main), 2)
		for r, x := range rows {
			m[cols[0].Index][r] = field.New(9)
			m[cols[1].Index][r] = field.New(uint64(x.val))
			m[cols[3].Index][r] = field.New(x.clk)
			ts := trace.TS(x.clk, 0)
			acc.Fill(m, r, &trace.Access{Kind: trace.Write, Addr: 36, Before: x.prev, After: x.val, TS: ts, PrevTS: x.prevTS}, ts, rc)
		}
		// The memory table: word 9 from 0 to its final value.
		words = []Word{{Addr: 9, Init: 0, Final: rows[len(rows)-1].val, FinalTS: trace.TS(rows[len(rows)-1].clk, 0)}}
		return []chiptest.Table{{AIR: a, Main: m}, {AIR: AIR(), Main: Trace(words, rc)}, chiptest.RangeTable(rc)}
	}
	// Honest: clk 1 writes 5 (after 0 at ts 0), clk 2 reads 5.
	honest := build([]row{{clk: 1, val: 5, prev: 0, prevTS: 0}, {clk: 2, val: 5, prev: 5, prevTS: trace.TS(1, 0)}})
	chiptest.MustProve(t, honest, Messages(words))
	// Forged: clk 1 reads the 5 that clk 2 writes; clk 2's write follows the initial 0.
	// The chain init(0,0) → clk2 write → clk1 read → final balances the bus.
	forged := build([]row{{clk: 2, val: 5, prev: 0, prevTS: 0}, {clk: 1, val: 5, prev: 5, prevTS: trace.TS(2, 0)}})
	chiptest.MustReject(t, "read from the future", forged, Messages(words))
}
