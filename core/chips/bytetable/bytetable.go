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

// Ops are the byte operations with a table (Height rows) of their own, in the machine's
// order. OpRange's tuples are received by the range table (package rangetable), whose
// rows are the same pairs of bytes.
var Ops = [3]uint32{uint32(isa.AND), uint32(isa.OR), uint32(isa.XOR)}

// Height is the height of each op's table: one row per pair of bytes (x, y).
const Height = 1 << 16

// Columns of one op's table.
type Columns struct {
	X, Y, Z air.Column // preprocessed
	Mult    air.Column // how many times the row is looked up
}

// Name is the name of op's table: bytes_and, bytes_or or bytes_xor.
func Name(op uint32) string {
	switch op {
	case uint32(isa.AND):
		return "bytes_and"
	case uint32(isa.OR):
		return "bytes_or"
	case uint32(isa.XOR):
		return "bytes_xor"
	}
	panic(fmt.Sprintf("bytetable: op 0x%02x has no table of its own", op))
}

// AIR builds the AIR of op's table: it receives (op, x, y, z) on the Bitwise bus with
// multiplicity mult, op a constant, x, y and z preprocessed columns.
func AIR(op uint32) (*air.AIR, *Columns) {
	b := air.NewBuilder(Name(op))
	c := &Columns{X: b.Preprocessed("x"), Y: b.Preprocessed("y"), Z: b.Preprocessed("z"), Mult: b.Main("mult")}
	b.Receive("bitwise", bus.Bitwise, []air.Expr{b.Const(uint64(op)), c.X.Cur, c.Y.Cur, c.Z.Cur}, c.Mult.Cur)
	return b.MustBuild(), c
}

// Eval returns x op y for bytes x, y and op one of Ops or OpRange (0); it panics for
// another op (a chip asking for an op no table holds is a bug).
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
	panic(fmt.Sprintf("bytetable: op 0x%02x is not a byte operation", op))
}

// block is op's index in Ops.
func block(op uint32) int {
	for i, o := range Ops {
		if o == op {
			return i
		}
	}
	panic(fmt.Sprintf("bytetable: op 0x%02x has no table of its own", op))
}

// Row is the row of (x, y) in an op's table (and in the range table): x·2^8 + y.
func Row(x, y uint32) int { return int(x&0xff)<<8 | int(y&0xff) }

// Preprocessed returns the fixed columns of op's table: x, y and z = x op y.
func Preprocessed(op uint32) [][]field.Elem {
	block(op)
	cols := make([][]field.Elem, 3)
	for i := range cols {
		cols[i] = make([]field.Elem, Height)
	}
	for x := range uint32(256) {
		fx := field.New(uint64(x))
		for y := range uint32(256) {
			r := Row(x, y)
			cols[0][r] = fx
			cols[1][r] = field.New(uint64(y))
			cols[2][r] = field.New(uint64(Eval(op, x, y)))
		}
	}
	return cols
}

// Counter counts Bitwise lookups while other chips fill their traces: those of each op's
// table and the range checks of byte pairs (OpRange), which the range table answers.
// It is safe for concurrent use.
type Counter struct {
	n     [len(Ops)][Height]atomic.Uint32
	pairs [Height]atomic.Uint32
}

// Lookup records a lookup of (op, x, y, x op y) and returns x op y. The bytes are
// masked: a chip that asks for an out-of-range value makes a trace that cannot be proven.
func (c *Counter) Lookup(op, x, y uint32) uint32 {
	x, y = x&0xff, y&0xff
	if op == OpRange {
		c.pairs[Row(x, y)].Add(1)
		return 0
	}
	c.n[block(op)][Row(x, y)].Add(1)
	return Eval(op, x, y)
}

// Range records the range check of two bytes (a lookup of (OpRange, x, y, 0)).
func (c *Counter) Range(x, y uint32) { c.Lookup(OpRange, x, y) }

// RangeCount is the number of range checks of the bytes (v >> 8, v & 0xff), for the
// range table's row v.
func (c *Counter) RangeCount(v int) uint32 { return c.pairs[v].Load() }

// Trace returns the main column mult of op's table, or nil when nothing looked it up
// (the machine then leaves the table out of the proof).
func (c *Counter) Trace(op uint32) [][]field.Elem {
	n := &c.n[block(op)]
	m := make([]field.Elem, Height)
	used := false
	for r := range Height {
		if k := n[r].Load(); k != 0 {
			m[r] = field.New(uint64(k))
			used = true
		}
	}
	if !used {
		return nil
	}
	return [][]field.Elem{m}
}
