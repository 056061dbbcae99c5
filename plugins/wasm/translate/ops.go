package translate

import (
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/plugins/wasm/module"
)

// pure reports whether a numeric opcode is computed lazily (it cannot trap and reads
// nothing but its operands).
func pure(op module.Opcode) bool {
	switch {
	case op >= module.OpI32Eqz && op <= module.OpI64GeU:
		return true
	case op >= module.OpI32Clz && op <= module.OpI32Mul, op >= module.OpI32And && op <= module.OpI32Rotr:
		return true
	case op >= module.OpI64Clz && op <= module.OpI64Mul, op >= module.OpI64And && op <= module.OpI64Rotr:
		return true
	case op == module.OpI64ExtendI32S, op >= module.OpI32Extend8S && op <= module.OpI64Extend32S, op == module.OpRefIsNull:
		return true
	}
	return false
}

func isCompare(op module.Opcode) bool { return op >= module.OpI32Eqz && op <= module.OpI64GeU }

func resultType(op module.Opcode) module.ValType {
	switch {
	case isCompare(op), op == module.OpRefIsNull:
		return module.I32
	case op >= module.OpI32Clz && op <= module.OpI32Rotr, op == module.OpI32Extend8S, op == module.OpI32Extend16S, op == module.OpI32WrapI64:
		return module.I32
	}
	return module.I64
}

func arity(op module.Opcode) int {
	switch op {
	case module.OpI32Eqz, module.OpI64Eqz, module.OpI32Clz, module.OpI32Ctz, module.OpI32Popcnt,
		module.OpI64Clz, module.OpI64Ctz, module.OpI64Popcnt, module.OpI64ExtendI32S, module.OpI64ExtendI32U,
		module.OpI32WrapI64, module.OpI32Extend8S, module.OpI32Extend16S, module.OpI64Extend8S,
		module.OpI64Extend16S, module.OpI64Extend32S, module.OpRefIsNull:
		return 1
	}
	return 2
}

// numeric translates the numeric instructions.
func (c *fn) numeric() error {
	op := c.in.Op
	switch op {
	case module.OpI32WrapI64:
		v := c.popS()
		c.pushS(sval{t: module.I32, w: [2]opd{v.w[0]}})
		return nil
	case module.OpI64ExtendI32U:
		v := c.popS()
		c.pushS(sval{t: module.I64, w: [2]opd{v.w[0], imm(0)}})
		return nil
	case module.OpI32DivS, module.OpI32DivU, module.OpI32RemS, module.OpI32RemU:
		y := c.popS()
		x := c.popS()
		c.div32(op, x, y, c.dest(module.I32))
		return nil
	case module.OpI64DivS, module.OpI64DivU, module.OpI64RemS, module.OpI64RemU:
		y := c.popS()
		x := c.popS()
		return c.div64(op, x, y)
	}
	if !pure(op) {
		return c.fail("unsupported instruction %s", op)
	}
	n := arity(op)
	v := val{pending: true, op: op, nargs: n}
	for i := n - 1; i >= 0; i-- {
		v.args[i] = c.popS()
	}
	v.t = resultType(op)
	c.push(v)
	return nil
}

// lower emits the code of a pending operation, writing its result to the slots from dst.
// An argument's slots are either exactly dst's or disjoint from them.
func (c *fn) lower(v *val, dst int32) {
	a, b := v.args[0], v.args[1]
	a0, b0 := a.w[0], b.w[0]
	switch op := v.op; op {
	case module.OpI32Eqz:
		c.alu(isa.EQ, dst, a0, imm(0))
	case module.OpRefIsNull:
		c.alu(isa.EQ, dst, a0, imm(0))
	case module.OpI32Eq:
		c.alu(isa.EQ, dst, a0, b0)
	case module.OpI32Ne:
		c.alu(isa.NE, dst, a0, b0)
	case module.OpI32LtS:
		c.alu(isa.SLT, dst, a0, b0)
	case module.OpI32LtU:
		c.alu(isa.SLTU, dst, a0, b0)
	case module.OpI32GtS:
		c.alu(isa.SLT, dst, b0, a0)
	case module.OpI32GtU:
		c.alu(isa.SLTU, dst, b0, a0)
	case module.OpI32LeS:
		c.alu(isa.SLT, dst, b0, a0)
		c.alu(isa.XOR, dst, slot(dst), imm(1))
	case module.OpI32LeU:
		c.alu(isa.SLTU, dst, b0, a0)
		c.alu(isa.XOR, dst, slot(dst), imm(1))
	case module.OpI32GeS:
		c.alu(isa.SLT, dst, a0, b0)
		c.alu(isa.XOR, dst, slot(dst), imm(1))
	case module.OpI32GeU:
		c.alu(isa.SLTU, dst, a0, b0)
		c.alu(isa.XOR, dst, slot(dst), imm(1))
	case module.OpI32Add:
		c.alu(isa.ADD, dst, a0, b0)
	case module.OpI32Sub:
		c.alu(isa.SUB, dst, a0, b0)
	case module.OpI32Mul:
		c.alu(isa.MUL, dst, a0, b0)
	case module.OpI32And:
		c.alu(isa.AND, dst, a0, b0)
	case module.OpI32Or:
		c.alu(isa.OR, dst, a0, b0)
	case module.OpI32Xor:
		c.alu(isa.XOR, dst, a0, b0)
	case module.OpI32Shl:
		c.alu(isa.SLL, dst, a0, b0)
	case module.OpI32ShrS:
		c.alu(isa.SRA, dst, a0, b0)
	case module.OpI32ShrU:
		c.alu(isa.SRL, dst, a0, b0)
	case module.OpI32Rotl:
		c.rot32(dst, a0, b0, true)
	case module.OpI32Rotr:
		c.rot32(dst, a0, b0, false)
	case module.OpI32Clz:
		c.wide().Clz32(dst, a0.word())
	case module.OpI32Ctz:
		c.wide().Ctz32(dst, a0.word())
	case module.OpI32Popcnt:
		c.wide().Popcnt32(dst, a0.word())
	case module.OpI32Extend8S:
		c.alu(isa.SLL, dst, a0, imm(24))
		c.alu(isa.SRA, dst, slot(dst), imm(24))
	case module.OpI32Extend16S:
		c.alu(isa.SLL, dst, a0, imm(16))
		c.alu(isa.SRA, dst, slot(dst), imm(16))
	case module.OpI64ExtendI32S:
		c.alu(isa.SRA, dst+4, a0, imm(31))
		c.mov(dst, a0)
	case module.OpI64Extend8S:
		c.alu(isa.SLL, dst, a0, imm(24))
		c.alu(isa.SRA, dst, slot(dst), imm(24))
		c.alu(isa.SRA, dst+4, slot(dst), imm(31))
	case module.OpI64Extend16S:
		c.alu(isa.SLL, dst, a0, imm(16))
		c.alu(isa.SRA, dst, slot(dst), imm(16))
		c.alu(isa.SRA, dst+4, slot(dst), imm(31))
	case module.OpI64Extend32S:
		c.alu(isa.SRA, dst+4, a0, imm(31))
		c.mov(dst, a0)
	default:
		c.lower64(v, dst)
	}
}

// rot32 rotates x left (or right) by k.
func (c *fn) rot32(dst int32, x, k opd, left bool) {
	sh1, sh2 := isa.SLL, isa.SRL
	if !left {
		sh1, sh2 = isa.SRL, isa.SLL
	}
	t0, t1 := c.tmp(0), c.tmp(1)
	if k.imm {
		r := k.v & 31
		if r == 0 {
			c.mov(dst, x)
			return
		}
		c.alu(sh1, t0, x, imm(r))
		c.alu(sh2, t1, x, imm(32-r))
		c.alu(isa.OR, dst, slot(t0), slot(t1))
		return
	}
	c.alu(sh1, t0, x, k)
	c.alu(isa.SUB, t1, imm(0), k) // −k ≡ 32−k (mod 32); k ≡ 0 gives x | x
	c.alu(sh2, t1, x, slot(t1))
	c.alu(isa.OR, dst, slot(t0), slot(t1))
}

// div32 translates the i32 divisions and remainders (they trap, so run now).
func (c *fn) div32(op module.Opcode, x, y sval, dst int32) {
	var aop isa.Opcode
	signed := false
	switch op {
	case module.OpI32DivS:
		aop, signed = isa.DIV, true
	case module.OpI32DivU:
		aop = isa.DIVU
	case module.OpI32RemS:
		aop = isa.REM
	case module.OpI32RemU:
		aop = isa.REMU
	}
	xw, yw := x.w[0], y.w[0]
	if yw.imm {
		switch {
		case yw.v == 0:
			c.jumpTrap(TrapDivZero)
			return
		case yw.v == 0xFFFFFFFF && signed:
			if xw.imm {
				if xw.v == 0x80000000 {
					c.jumpTrap(TrapOverflow)
					return
				}
			} else {
				c.trapIf(isa.BEQ, xw.off(), imm(0x80000000), TrapOverflow)
			}
		}
	} else {
		c.trapIf(isa.BEQ, yw.off(), imm(0), TrapDivZero)
		if signed {
			if xw.imm {
				if xw.v == 0x80000000 {
					c.trapIf(isa.BEQ, yw.off(), imm(0xFFFFFFFF), TrapOverflow)
				}
			} else {
				ok := c.b.NewLabel("div.ok")
				c.b.Branch(isa.BNE, yw.off(), isa.Imm(0xFFFFFFFF), ok)
				c.trapIf(isa.BEQ, xw.off(), imm(0x80000000), TrapOverflow)
				c.b.Bind(ok)
			}
		}
	}
	c.alu(aop, dst, xw, yw)
}

// branchOn emits a branch to l taken when cond is non-zero (whenTrue) or zero.
// A pending comparison becomes a compare-and-branch.
func (c *fn) branchOn(cond val, whenTrue bool, l isa.Label) {
	if cond.pending && !isCompare(cond.op) {
		cond = c.condInTemp(cond)
	}
	if !cond.pending {
		w := cond.w[0]
		if w.imm {
			if (w.v != 0) == whenTrue {
				c.b.Jump(l)
			}
			return
		}
		if whenTrue {
			c.b.Branch(isa.BNE, w.off(), isa.Imm(0), l)
		} else {
			c.b.Branch(isa.BEQ, w.off(), isa.Imm(0), l)
		}
		return
	}
	op := cond.op
	if !whenTrue {
		op = negate(op)
	}
	a, b := cond.args[0], cond.args[1]
	if op == module.OpI32Eqz || op == negEqz32 {
		b = constVal(module.I32, 0)
		if op == module.OpI32Eqz {
			op = module.OpI32Eq
		} else {
			op = module.OpI32Ne
		}
	}
	if op == module.OpI64Eqz || op == negEqz64 {
		t := c.tmp(numTemps - 2)
		c.alu(isa.OR, t, a.w[0], a.w[1])
		if op == module.OpI64Eqz {
			c.b.Branch(isa.BEQ, t, isa.Imm(0), l)
		} else {
			c.b.Branch(isa.BNE, t, isa.Imm(0), l)
		}
		return
	}
	if op >= module.OpI32Eq && op <= module.OpI32GeU {
		c.cmpBranch(op, a.w[0], b.w[0], l)
		return
	}
	c.cmpBranch64(op, a, b, l)
}

// Pseudo-opcodes for negated eqz (x ≠ 0), used only inside branchOn.
const (
	negEqz32 module.Opcode = 0xFF00
	negEqz64 module.Opcode = 0xFF01
)

func negate(op module.Opcode) module.Opcode {
	switch op {
	case module.OpI32Eqz:
		return negEqz32
	case module.OpI64Eqz:
		return negEqz64
	case negEqz32:
		return module.OpI32Eqz
	case negEqz64:
		return module.OpI64Eqz
	}
	// eq↔ne, lt↔ge, gt↔le (both widths): the table order is eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u.
	base := module.OpI32Eq
	if op >= module.OpI64Eq {
		base = module.OpI64Eq
	}
	switch op - base {
	case 0:
		return base + 1
	case 1:
		return base
	case 2, 3: // lt → ge
		return op + 6
	case 8, 9: // ge → lt
		return op - 6
	case 4, 5: // gt → le
		return op + 2
	case 6, 7: // le → gt
		return op - 2
	}
	return op
}

// cmpBranch emits "if x op y goto l" for a 32-bit comparison opcode (i32.eq … i32.ge_u).
func (c *fn) cmpBranch(op module.Opcode, x, y opd, l isa.Label) {
	var bop isa.Opcode
	swap := false
	switch op {
	case module.OpI32Eq:
		bop = isa.BEQ
	case module.OpI32Ne:
		bop = isa.BNE
	case module.OpI32LtS:
		bop = isa.BLT
	case module.OpI32LtU:
		bop = isa.BLTU
	case module.OpI32GeS:
		bop = isa.BGE
	case module.OpI32GeU:
		bop = isa.BGEU
	case module.OpI32GtS:
		bop, swap = isa.BLT, true
	case module.OpI32GtU:
		bop, swap = isa.BLTU, true
	case module.OpI32LeS:
		bop, swap = isa.BGE, true
	case module.OpI32LeU:
		bop, swap = isa.BGEU, true
	}
	if swap {
		x, y = y, x
	}
	c.branch(bop, x, y, l)
}

// branch emits "if x bop y goto l" for any operands (sdk/wide's Branch: an immediate
// first operand moves to the other side, two immediates decide here).
func (c *fn) branch(bop isa.Opcode, x, y opd, l isa.Label) {
	c.wide().Branch(bop, x.word(), y.word(), l)
}
