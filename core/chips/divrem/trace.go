package divrem

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
	case uint32(isa.DIV), uint32(isa.DIVU), uint32(isa.REM), uint32(isa.REMU):
		return true
	}
	return false
}

// col holds the column indices (the allocation is deterministic).
var col = newColumns(air.NewBuilder("divrem"))

// flags maps each op to its flag column.
var flags = map[uint32]air.Column{
	uint32(isa.DIV): col.IsDIV, uint32(isa.DIVU): col.IsDIVU, uint32(isa.REM): col.IsREM, uint32(isa.REMU): col.IsREMU,
}

// witness is what a row proves about x and y: the quotient and the remainder, with the
// sign bits of Q and R.
type witness struct {
	q, r    uint32
	sq, rho uint32
}

// divide returns the quotient and remainder of x by y with the semantics of op.
func divide(op, x, y uint32) witness {
	if op == uint32(isa.DIVU) || op == uint32(isa.REMU) {
		if y == 0 {
			return witness{q: 0xffffffff, r: x}
		}
		return witness{q: x / y, r: x % y}
	}
	// In 64 bits, −2^31 / −1 = 2^31 does not overflow: q = 2^31 with s_q = 0.
	X, Y := int64(int32(x)), int64(int32(y))
	Q, R := int64(-1), X
	if Y != 0 {
		Q, R = X/Y, X%Y
	}
	return witness{q: uint32(Q), r: uint32(R), sq: bit(Q < 0), rho: bit(R < 0)}
}

func bit(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}

// Trace fills the chip's trace from its events (the ops of Handles), padded to a power
// of two, and records its range and byte-table lookups. The quotient and remainder are
// computed from X and Y (an event whose Z disagrees leaves the ALU bus unbalanced).
func Trace(events []bus.ALUEvent, rc *rangetable.Counter, bc *bytetable.Counter) [][]field.Elem {
	return TraceRows(events, rc, bc, 0)
}

// TraceRows is Trace padded to at least rows rows (more padding rows, as Trace fills them).
func TraceRows(events []bus.ALUEvent, rc *rangetable.Counter, bc *bytetable.Counter, rows int) [][]field.Elem {
	return fillRows(events, rc, bc, func(e bus.ALUEvent) witness { return divide(e.Op, e.X, e.Y) }, rows)
}

// fill fills the rows with the witnesses wit gives; the carries, t and κ are solved
// from them (in the field where a bad witness leaves the integers).
func fill(events []bus.ALUEvent, rc *rangetable.Counter, bc *bytetable.Counter, wit func(bus.ALUEvent) witness) [][]field.Elem {
	return fillRows(events, rc, bc, wit, 0)
}

// fillRows is fill padded to at least rows rows (zero rows).
func fillRows(events []bus.ALUEvent, rc *rangetable.Counter, bc *bytetable.Counter, wit func(bus.ALUEvent) witness, rows int) [][]field.Elem {
	cols := air.NewTrace(Width, max(len(events), rows))
	set := func(c air.Column, r int, v int64) { cols[c.Index][r].SetInt64(v) }
	var inv16 field.Elem
	inv16.SetUint64(1 << 16)
	inv16.Inverse(&inv16)
	for row, e := range events {
		w := wit(e)
		signed := e.Op == uint32(isa.DIV) || e.Op == uint32(isa.REM)
		set(flags[e.Op], row, 1)
		var sx, sy int64
		if signed {
			sx, sy = int64(e.X>>31), int64(e.Y>>31)
			rc.U16(e.X >> 15 & 0xfffe) // 2·x_hi − 2^16·s_x
			rc.U16(e.Y >> 15 & 0xfffe)
		}
		set(col.SignX, row, sx)
		set(col.SignY, row, sy)
		set(col.SignQ, row, int64(w.sq))
		set(col.Rho, row, int64(w.rho))
		set(col.XLo, row, int64(e.X&0xffff))
		set(col.XHi, row, int64(e.X>>16))
		var qb, yb [8]int64 // sign-extended bytes
		for i := range 8 {
			qb[i], yb[i] = 255*int64(w.sq), 255*sy
			if i < 4 {
				qb[i], yb[i] = int64(w.q>>(8*i)&0xff), int64(e.Y>>(8*i)&0xff)
				set(col.Q[i], row, qb[i])
				set(col.Y[i], row, yb[i])
			}
		}
		bc.Range(uint32(yb[0]), uint32(yb[1]))
		bc.Range(uint32(yb[2]), uint32(yb[3]))
		bc.Range(uint32(qb[0]), uint32(qb[1]))
		bc.Range(uint32(qb[2]), uint32(qb[3]))
		rLo, rHi := int64(w.r&0xffff), int64(w.r>>16)
		set(col.RLo, row, rLo)
		set(col.RHi, row, rHi)
		rc.Word(w.r)

		// The carries of X = Q·Y + R.
		rLimb := [4]int64{rLo, rHi, 0xffff * int64(w.rho), 0xffff * int64(w.rho)}
		xLimb := [4]int64{int64(e.X & 0xffff), int64(e.X >> 16), 0xffff * sx, 0xffff * sx}
		var carry field.Elem
		for k := range 4 {
			s := rLimb[k] - xLimb[k]
			for i := range 8 {
				for j := range 8 {
					switch i + j {
					case 2 * k:
						s += qb[i] * yb[j]
					case 2*k + 1:
						s += qb[i] * yb[j] << 8
					}
				}
			}
			var v field.Elem
			v.SetInt64(s)
			carry.Add(&carry, &v).Mul(&carry, &inv16)
			cols[col.Carry[k].Index][row] = carry
			rc.U12(uint32(carry.Uint64()))
		}

		// (|Y| − 1) − |R| by limbs.
		yLo, yHi := int64(e.Y&0xffff), int64(e.Y>>16)
		yHatLo, yHatHi := yLo-1, yHi
		if sy == 1 {
			yHatLo, yHatHi = 0xffff-yLo, 0xffff-yHi
		}
		sigma := 2*sx - 1
		kappa := int64(0)
		switch lo := yHatLo + sigma*rLo; {
		case lo < 0:
			kappa = 1
		case lo >= 1<<16:
			kappa = -1
		}
		tLo := yHatLo + sigma*rLo + kappa<<16
		tHi := yHatHi + sigma*rHi - kappa - int64(w.rho)<<16
		set(col.Kappa, row, kappa)
		set(col.TLo, row, tLo)
		set(col.THi, row, tHi)
		if e.Y != 0 {
			set(col.NZ, row, 1)
			rc.U16(uint32(tLo))
			rc.U16(uint32(tHi))
			var inv field.Elem
			inv.SetInt64(yLo + yHi)
			inv.Inverse(&inv)
			cols[col.Inv.Index][row] = inv
		}
	}
	return cols
}
