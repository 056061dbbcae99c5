package mul

import (
	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/bytetable"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
)

// Handles reports whether the chip proves ALU op.
func Handles(op uint32) bool {
	switch op {
	case uint32(isa.MUL), uint32(isa.MULH), uint32(isa.MULHU), uint32(isa.MULHSU):
		return true
	}
	return false
}

// col holds the column indices (the allocation is deterministic).
var col = newColumns(air.NewBuilder("mul"))

// Trace fills the chip's trace from its events (the ops of Handles), padded to a power
// of two, and records its range and byte-table lookups. The result word is each event's
// Z; the rest of the row is computed from X and Y.
func Trace(events []bus.ALUEvent, rc *rangetable.Counter, bc *bytetable.Counter) [][]field.Elem {
	return TraceRows(events, rc, bc, 0)
}

// TraceRows is Trace padded to at least rows rows (more padding rows, as Trace fills them).
func TraceRows(events []bus.ALUEvent, rc *rangetable.Counter, bc *bytetable.Counter, rows int) [][]field.Elem {
	cols := air.NewTrace(Width, max(len(events), rows))
	set := func(c air.Column, r int, v uint64) { cols[c.Index][r] = field.New(v) }
	for r, e := range events {
		sx, sy := uint64(e.X>>31), uint64(e.Y>>31)
		var ex, ey uint64 // sign-extension bytes
		var flag air.Column
		switch e.Op {
		case uint32(isa.MUL):
			flag = col.IsMUL
		case uint32(isa.MULH):
			flag, ex, ey = col.IsMULH, 255*sx, 255*sy
		case uint32(isa.MULHU):
			flag = col.IsMULHU
		default:
			flag, ex = col.IsMULHSU, 255*sx
		}
		set(flag, r, 1)
		var xb, yb [8]uint64
		for i := range 8 {
			xb[i], yb[i] = ex, ey
			if i < 4 {
				xb[i], yb[i] = uint64(e.X>>(8*i)&0xff), uint64(e.Y>>(8*i)&0xff)
				set(col.X[i], r, xb[i])
				set(col.Y[i], r, yb[i])
			}
		}
		set(col.SignX, r, sx)
		set(col.SignY, r, sy)
		bc.Range(uint32(xb[0]), uint32(xb[1]))
		bc.Range(uint32(xb[2]), uint32(xb[3]))
		bc.Range(uint32(yb[0]), uint32(yb[1]))
		bc.Range(uint32(yb[2]), uint32(yb[3]))
		bc.Range(uint32(2*xb[3]-256*sx), uint32(2*yb[3]-256*sy))

		// The product limbs and the carries of the limb equations.
		var limb [4]uint64
		var carry uint64
		for k := range 4 {
			s := carry
			for i := range 8 {
				for j := range 8 {
					switch i + j {
					case 2 * k:
						s += xb[i] * yb[j]
					case 2*k + 1:
						s += xb[i] * yb[j] << 8
					}
				}
			}
			limb[k], carry = s&0xffff, s>>16
			set(col.Carry[k], r, carry)
			rc.U12(uint32(carry))
		}
		z, w := [2]uint64{uint64(e.Z & 0xffff), uint64(e.Z >> 16)}, [2]uint64{limb[2], limb[3]}
		if e.Op != uint32(isa.MUL) {
			w = [2]uint64{limb[0], limb[1]}
		}
		set(col.ZLo, r, z[0])
		set(col.ZHi, r, z[1])
		set(col.WLo, r, w[0])
		set(col.WHi, r, w[1])
		for _, v := range []uint64{z[0], z[1], w[0], w[1]} {
			rc.U16(uint32(v))
		}
	}
	return cols
}
