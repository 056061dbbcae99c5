package bytetable

import (
	"fmt"
	"sync/atomic"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
)

// OpRange is the Bitwise op of a byte-pair range check: (OpRange, x, y, 0) is a row for
// all bytes x, y. No ISA opcode is 0, so it never collides with AND, OR or XOR.
const OpRange = 0

// Ops are the table's operations, one block of 2^16 rows each, in row order.
var Ops = [4]uint32{uint32(isa.AND), uint32(isa.OR), uint32(isa.XOR), OpRange}

// Height is the table's fixed height: one row per (op, x, y).
const Height = len(Ops) << 16

// Columns of the byte table.
type Columns struct {
	Op, X, Y, Z air.Column // preprocessed
	Mult        air.Column // how many times the row is looked up
}

// AIR builds the byte table's AIR.
func AIR() (*air.AIR, *Columns) {
	b := air.NewBuilder("bytes")
	c := &Columns{
		Op: b.Preprocessed("op"), X: b.Preprocessed("x"), Y: b.Preprocessed("y"), Z: b.Preprocessed("z"),
		Mult: b.Main("mult"),
	}
	b.Receive("bitwise", bus.Bitwise, []air.Expr{c.Op.Cur, c.X.Cur, c.Y.Cur, c.Z.Cur}, c.Mult.Cur)
	return b.MustBuild(), c
}

// Eval returns x op y for bytes x, y and op one of Ops; it panics for another op (a
// chip asking for an op the table does not hold is a bug).
func Eval(op, x, y uint32) uint32 {
	switch op {
	case uint32(isa.AND):
		return x & y
	case uint32(isa.OR):
		return x | y
	case uint32(isa.XOR):
		return x ^ y
	case OpRange:
		return 0
	}
	panic(fmt.Sprintf("bytetable: op 0x%02x is not in the table", op))
}

func block(op uint32) int {
	for i, o := range Ops {
		if o == op {
			return i
		}
	}
	panic(fmt.Sprintf("bytetable: op 0x%02x is not in the table", op))
}

// Row is the table row of (op, x, y): the op's block, then x·2^8 + y.
func Row(op, x, y uint32) int { return block(op)<<16 | int(x&0xff)<<8 | int(y&0xff) }

// Preprocessed returns the fixed columns: op, x, y, z.
func Preprocessed() [][]field.Elem {
	cols := make([][]field.Elem, 4)
	for i := range cols {
		cols[i] = make([]field.Elem, Height)
	}
	for _, op := range Ops {
		o := field.New(uint64(op))
		for x := range uint32(256) {
			for y := range uint32(256) {
				r := Row(op, x, y)
				cols[0][r] = o
				cols[1][r] = field.New(uint64(x))
				cols[2][r] = field.New(uint64(y))
				cols[3][r] = field.New(uint64(Eval(op, x, y)))
			}
		}
	}
	return cols
}

// Counter counts byte-table lookups while other chips fill their traces. It is safe for
// concurrent use.
type Counter struct {
	n [Height]atomic.Uint32
}

// Lookup records a lookup of (op, x, y, x op y) and returns x op y. The bytes are
// masked: a chip that asks for an out-of-range value makes a trace that cannot be proven.
func (c *Counter) Lookup(op, x, y uint32) uint32 {
	x, y = x&0xff, y&0xff
	c.n[Row(op, x, y)].Add(1)
	return Eval(op, x, y)
}

// Range records the range check of two bytes (a lookup of (OpRange, x, y, 0)).
func (c *Counter) Range(x, y uint32) { c.Lookup(OpRange, x, y) }

// Trace returns the main column mult.
func (c *Counter) Trace() [][]field.Elem {
	m := make([]field.Elem, Height)
	for r := range Height {
		m[r] = field.New(uint64(c.n[r].Load()))
	}
	return [][]field.Elem{m}
}
