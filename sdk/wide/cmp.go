package wide

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/isa"
)

// Cond is a 64-bit comparison.
type Cond uint8

// The comparisons: S signed, U unsigned.
const (
	Eq Cond = iota
	Ne
	LtS
	LtU
	LeS
	LeU
	GtS
	GtU
	GeS
	GeU
)

var condNames = [...]string{"eq", "ne", "lt_s", "lt_u", "le_s", "le_u", "gt_s", "gt_u", "ge_s", "ge_u"}

func (c Cond) String() string {
	if int(c) < len(condNames) {
		return condNames[c]
	}
	return fmt.Sprintf("cond(%d)", uint8(c))
}

// Not returns the negated condition (lt ↔ ge, le ↔ gt, eq ↔ ne).
func (c Cond) Not() Cond {
	return [...]Cond{Eq: Ne, Ne: Eq, LtS: GeS, LtU: GeU, LeS: GtS, LeU: GtU, GtS: LeS, GtU: LeU, GeS: LtS, GeU: LtU}[c]
}

// Eval evaluates the condition on two 64-bit values.
func (c Cond) Eval(a, b uint64) bool {
	switch c {
	case Eq:
		return a == b
	case Ne:
		return a != b
	case LtS:
		return int64(a) < int64(b)
	case LtU:
		return a < b
	case LeS:
		return int64(a) <= int64(b)
	case LeU:
		return a <= b
	case GtS:
		return int64(a) > int64(b)
	case GtU:
		return a > b
	case GeS:
		return int64(a) >= int64(b)
	case GeU:
		return a >= b
	}
	return false
}

// swapped normalizes gt and ge to lt and le on swapped operands.
func (c Cond) swapped() (Cond, bool) {
	switch c {
	case GtS, GtU, GeS, GeU:
		return c - 4, true
	}
	return c, false
}

func (c Cond) signed() bool { return c == LtS || c == LeS || c == GtS || c == GeS }

// Eqz emits [d] = (a == 0) as 0 or 1; 2 cycles.
func (e *Emitter) Eqz(d int32, a Val) {
	e.alu(isa.OR, d, a.Lo, a.Hi)
	e.alu(isa.EQ, d, Slot(d), Imm(0))
}

// Cmp emits [d] = (a c b) as 0 or 1: the high words decide unless they are equal, then
// the low words (unsigned). 3 cycles for eq and ne, 5 for lt and gt, 6 for le and ge.
// Uses 3 temps.
func (e *Emitter) Cmp(c Cond, d int32, a, b Val) {
	switch c {
	case Eq, Ne:
		op, join := isa.EQ, isa.AND
		if c == Ne {
			op, join = isa.NE, isa.OR
		}
		t := e.tmp(0)
		e.alu(op, t, a.Hi, b.Hi)
		e.alu(op, d, a.Lo, b.Lo)
		e.alu(join, d, Slot(d), Slot(t))
		return
	}
	x, y := a, b
	c, swap := c.swapped()
	if swap {
		x, y = b, a
	}
	hiOp := isa.SLTU
	if c.signed() {
		hiOp = isa.SLT
	}
	t0, t1, t2 := e.tmp(0), e.tmp(1), e.tmp(2)
	e.alu(hiOp, t0, x.Hi, y.Hi)
	e.alu(isa.EQ, t1, x.Hi, y.Hi)
	if c == LtS || c == LtU {
		e.alu(isa.SLTU, t2, x.Lo, y.Lo)
	} else { // lo ≤: !(y.lo < x.lo)
		e.alu(isa.SLTU, t2, y.Lo, x.Lo)
		e.alu(isa.XOR, t2, Slot(t2), Imm(1))
	}
	e.alu(isa.AND, t1, Slot(t1), Slot(t2))
	e.alu(isa.OR, d, Slot(t0), Slot(t1))
}

// BranchIf emits "if a c b goto l": at most three branches (the high words strictly,
// their inequality, then the low words unsigned); eq and ne take two, low words first. Immediates may
// stand anywhere ([Emitter.Branch]). No temps.
func (e *Emitter) BranchIf(c Cond, a, b Val, l isa.Label) {
	switch c {
	case Eq: // the low words first: values that differ mostly differ there
		skip := e.B.NewLabel("eq.skip")
		e.Branch(isa.BNE, a.Lo, b.Lo, skip)
		e.Branch(isa.BEQ, a.Hi, b.Hi, l)
		e.B.Bind(skip)
		return
	case Ne:
		e.Branch(isa.BNE, a.Lo, b.Lo, l)
		e.Branch(isa.BNE, a.Hi, b.Hi, l)
		return
	}
	x, y := a, b
	c, swap := c.swapped()
	if swap {
		x, y = b, a
	}
	hiLt := isa.BLTU
	if c.signed() {
		hiLt = isa.BLT
	}
	skip := e.B.NewLabel("cmp.skip")
	// x.hi < y.hi → true; x.hi ≠ y.hi → false; else compare the low words unsigned.
	e.Branch(hiLt, x.Hi, y.Hi, l)
	e.Branch(isa.BNE, x.Hi, y.Hi, skip)
	if c == LtS || c == LtU {
		e.Branch(isa.BLTU, x.Lo, y.Lo, l)
	} else { // x.lo ≤ y.lo ⇔ y.lo ≥ x.lo
		e.Branch(isa.BGEU, y.Lo, x.Lo, l)
	}
	e.B.Bind(skip)
}
