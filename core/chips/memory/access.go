package memory

import (
	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
)

// TSMul is the number of timestamps per cycle (trace.SlotsPerCycle).
const TSMul = trace.SlotsPerCycle

// TS is the timestamp expression of slot in the cycle whose number is clk.
func TS(clk air.Expr, slot int64) air.Expr { return clk.AddC(1).MulC(TSMul).AddC(slot) }

// Access is the column group of one memory access made by a chip: the previous
// timestamp of the word, the limbs of ts − prev_ts − 1 (16 + 12 bits), and, for an
// access that may write, the word's previous value.
type Access struct {
	Name           string
	PrevTS         air.Column
	DLo, DHi       air.Column
	PrevLo, PrevHi air.Column // only when Write
	Write          bool
}

// NewAccess allocates the columns of an access named name. write says whether the
// access may change the word (then its previous value gets columns of its own).
func NewAccess(b *air.Builder, name string, write bool) *Access {
	a := &Access{
		Name:   name,
		PrevTS: b.Main(name + ".prev_ts"),
		DLo:    b.Main(name + ".dts_lo"),
		DHi:    b.Main(name + ".dts_hi"),
		Write:  write,
	}
	if write {
		a.PrevLo = b.Main(name + ".prev_lo")
		a.PrevHi = b.Main(name + ".prev_hi")
	}
	return a
}

// Constrain adds the access to the memory argument: with multiplicity mult it receives
// (addr, prev, prev_ts) and sends (addr, val, ts); prev is val for a read-only access.
// It also proves prev_ts < ts where the access happens: ts − prev_ts − 1 = dts_lo +
// 2^16·dts_hi on every row, with dts_lo a 16-bit and dts_hi a 12-bit value wherever
// mult is 1 (rows without an access fill prev_ts = ts − 1). readOnly, when not nil, is a boolean expression that forces
// prev = val on the rows where it is 1 (for a write-capable access that only reads).
func (a *Access) Constrain(b *air.Builder, addr air.Expr, val [2]air.Expr, ts, mult air.Expr, readOnly *air.Expr) {
	prev := val
	if a.Write {
		prev = [2]air.Expr{a.PrevLo.Cur, a.PrevHi.Cur}
		if readOnly != nil {
			b.Assert(a.Name+".read_keeps_lo", readOnly.Mul(a.PrevLo.Cur.Sub(val[0])))
			b.Assert(a.Name+".read_keeps_hi", readOnly.Mul(a.PrevHi.Cur.Sub(val[1])))
		}
	}
	b.Receive(a.Name+".prev", bus.Memory, []air.Expr{addr, prev[0], prev[1], a.PrevTS.Cur}, mult)
	b.Send(a.Name+".next", bus.Memory, []air.Expr{addr, val[0], val[1], ts}, mult)
	b.Assert(a.Name+".ts_order", ts.Sub(a.PrevTS.Cur).AddC(-1).Sub(a.DLo.Cur).Sub(a.DHi.Cur.MulC(1<<16)))
	// The limbs are range-checked only where the access happens: elsewhere they carry no
	// meaning, and padding rows send nothing (which keeps every bus's total number of
	// messages far below p).
	b.Send(a.Name+".dts_lo_range", bus.U16, []air.Expr{a.DLo.Cur}, mult)
	b.Send(a.Name+".dts_hi_range", bus.U12, []air.Expr{a.DHi.Cur}, mult)
}

// Fill writes the access's columns on row r from a record's access (nil for a row
// without this access, whose timestamp is ts) and counts its range lookups.
func (a *Access) Fill(cols [][]field.Elem, r int, acc *trace.Access, ts uint64, rc *rangetable.Counter) {
	prevTS := ts - 1
	if acc != nil {
		prevTS = acc.PrevTS
		ts = acc.TS
		if a.Write {
			cols[a.PrevLo.Index][r] = field.New(uint64(acc.Before & 0xffff))
			cols[a.PrevHi.Index][r] = field.New(uint64(acc.Before >> 16))
		}
	}
	d := ts - prevTS - 1
	cols[a.PrevTS.Index][r] = field.New(prevTS)
	cols[a.DLo.Index][r] = field.New(d & 0xffff)
	cols[a.DHi.Index][r] = field.New(d >> 16)
	if acc != nil {
		rc.U16(uint32(d & 0xffff))
		rc.U12(uint32(d >> 16))
	}
}
