package rangetable

import (
	"sync/atomic"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/bytetable"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
)

// Height is the table's fixed height: one row per 16-bit value.
const Height = 1 << 16

// Columns of the range table.
type Columns struct {
	Value, IsU12, IsU8 air.Column // preprocessed
	Hi, Lo             air.Column // preprocessed: value's bytes, value = 2^8·hi + lo
	M16, M12, M8       air.Column // multiplicities
	Pair               air.Column // multiplicity of the byte pair (hi, lo)'s range check
}

// AIR builds the range table's AIR.
func AIR() (*air.AIR, *Columns) {
	b := air.NewBuilder("range")
	c := &Columns{
		Value: b.Preprocessed("value"),
		IsU12: b.Preprocessed("is_u12"),
		IsU8:  b.Preprocessed("is_u8"),
		Hi:    b.Preprocessed("hi"),
		Lo:    b.Preprocessed("lo"),
		M16:   b.Main("m16"),
		M12:   b.Main("m12"),
		M8:    b.Main("m8"),
		Pair:  b.Main("pair"),
	}
	b.Receive("u16", bus.U16, []air.Expr{c.Value.Cur}, c.M16.Cur)
	b.Receive("u12", bus.U12, []air.Expr{c.Value.Cur}, c.M12.Cur.Mul(c.IsU12.Cur))
	b.Receive("u8", bus.U8, []air.Expr{c.Value.Cur}, c.M8.Cur.Mul(c.IsU8.Cur))
	b.Receive("byte_pair", bus.Bitwise, []air.Expr{b.Const(bytetable.OpRange), c.Hi.Cur, c.Lo.Cur, b.Const(0)}, c.Pair.Cur)
	return b.MustBuild(), c
}

// Preprocessed returns the fixed columns: value, is_u12, is_u8, hi, lo.
func Preprocessed() [][]field.Elem {
	cols := make([][]field.Elem, 5)
	for i := range cols {
		cols[i] = make([]field.Elem, Height)
	}
	one := field.New(1)
	for v := range Height {
		cols[0][v] = field.New(uint64(v))
		if v < 1<<12 {
			cols[1][v] = one
		}
		if v < 1<<8 {
			cols[2][v] = one
		}
		cols[3][v] = field.New(uint64(v >> 8))
		cols[4][v] = field.New(uint64(v & 0xff))
	}
	return cols
}

// Counter counts range lookups while other chips fill their traces. It is safe for
// concurrent use.
type Counter struct {
	u16, u12, u8 [Height]atomic.Uint32
}

// U16 records a lookup of v < 2^16 (the value is masked: a chip that asks for an
// out-of-range value makes a trace the prover cannot prove).
func (c *Counter) U16(v uint32) { c.u16[v&0xffff].Add(1) }

// U12 records a lookup of v < 2^12.
func (c *Counter) U12(v uint32) { c.u12[v&0xfff].Add(1) }

// U8 records a lookup of v < 2^8.
func (c *Counter) U8(v uint32) { c.u8[v&0xff].Add(1) }

// Word records the two 16-bit limbs of a word.
func (c *Counter) Word(w uint32) { c.U16(w & 0xffff); c.U16(w >> 16) }

// Trace returns the main columns m16, m12, m8 and pair, the byte pairs' range checks
// counted by bc (none when bc is nil).
func (c *Counter) Trace(bc *bytetable.Counter) [][]field.Elem {
	cols := make([][]field.Elem, 4)
	for i := range cols {
		cols[i] = make([]field.Elem, Height)
	}
	for v := range Height {
		cols[0][v] = field.New(uint64(c.u16[v].Load()))
		cols[1][v] = field.New(uint64(c.u12[v].Load()))
		cols[2][v] = field.New(uint64(c.u8[v].Load()))
		if bc != nil {
			cols[3][v] = field.New(uint64(bc.RangeCount(v)))
		}
	}
	return cols
}
