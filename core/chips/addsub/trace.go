package addsub

import (
	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/field"
)

// Handles reports whether the chip proves ALU op.
func Handles(op uint32) bool { return op == uint32(isa.ADD) || op == uint32(isa.SUB) }

// Trace fills the chip's trace from its events (ops ADD and SUB), padded to a power of
// two, and records its range lookups.
func Trace(events []bus.ALUEvent, rc *rangetable.Counter) [][]field.Elem {
	n := 1
	for n < len(events) {
		n *= 2
	}
	cols := make([][]field.Elem, Width)
	for i := range cols {
		cols[i] = make([]field.Elem, n)
	}
	set := func(c, r int, v uint32) { cols[c][r] = field.New(uint64(v)) }
	for r, e := range events {
		var s, y uint32 = e.X, e.Y // s + y = res
		isAdd := e.Op == uint32(isa.ADD)
		if isAdd {
			set(0, r, 1)
		} else {
			set(1, r, 1)
			s = e.Z
		}
		set(2, r, e.X&0xffff)
		set(3, r, e.X>>16)
		set(4, r, e.Y&0xffff)
		set(5, r, e.Y>>16)
		set(6, r, e.Z&0xffff)
		set(7, r, e.Z>>16)
		lo := s&0xffff + y&0xffff
		c0 := lo >> 16
		hi := s>>16 + y>>16 + c0
		set(8, r, c0)
		set(9, r, hi>>16)
		rc.U16(e.Z & 0xffff)
		rc.U16(e.Z >> 16)
	}
	return cols
}
