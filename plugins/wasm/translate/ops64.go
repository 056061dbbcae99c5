package translate

import (
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/plugins/wasm/module"
	"github.com/oneiros-zk/oneiros/sdk/wide"
)

// i64 values are two words, lo and hi; package sdk/wide lowers the 64-bit operations
// to 32-bit sequences, shared with the other 64-bit frontends. Arguments occupy either
// exactly the destination's slots or none of them, which its aliasing rules allow.

// word is o as a word of sdk/wide.
func (o opd) word() wide.Word {
	if o.imm {
		return wide.Imm(o.v)
	}
	return wide.Slot(o.off())
}

// wval is the i64 value v for sdk/wide.
func (v sval) wval() wide.Val { return wide.Val{Lo: v.w[0].word(), Hi: v.w[1].word()} }

// wide returns the function's emitter of 64-bit operations over its temporaries.
func (c *fn) wide() *wide.Emitter {
	if c.we == nil {
		t := make([]int32, numTemps)
		for i := range t {
			t[i] = c.tmp(i)
		}
		c.we = wide.New(c.b, t...)
	}
	return c.we
}

// cond64 maps the i64 comparisons to sdk/wide's conditions.
var cond64 = map[module.Opcode]wide.Cond{
	module.OpI64Eq: wide.Eq, module.OpI64Ne: wide.Ne, module.OpI64LtS: wide.LtS, module.OpI64LtU: wide.LtU,
	module.OpI64GtS: wide.GtS, module.OpI64GtU: wide.GtU, module.OpI64LeS: wide.LeS, module.OpI64LeU: wide.LeU,
	module.OpI64GeS: wide.GeS, module.OpI64GeU: wide.GeU,
}

func (c *fn) lower64(v *val, dst int32) {
	a, b := v.args[0].wval(), v.args[1].wval()
	d := wide.At(dst)
	e := c.wide()
	switch op := v.op; op {
	case module.OpI64Add:
		e.Add(d, a, b)
	case module.OpI64Sub:
		e.Sub(d, a, b)
	case module.OpI64Mul:
		e.Mul(d, a, b)
	case module.OpI64And:
		e.And(d, a, b)
	case module.OpI64Or:
		e.Or(d, a, b)
	case module.OpI64Xor:
		e.Xor(d, a, b)
	case module.OpI64Eqz:
		e.Eqz(dst, a)
	case module.OpI64Shl:
		e.Shift(wide.Shl, d, a, b.Lo)
	case module.OpI64ShrS:
		e.Shift(wide.ShrS, d, a, b.Lo)
	case module.OpI64ShrU:
		e.Shift(wide.ShrU, d, a, b.Lo)
	case module.OpI64Rotl:
		e.Rotl(d, a, b.Lo)
	case module.OpI64Rotr:
		e.Rotr(d, a, b.Lo)
	case module.OpI64Clz:
		e.Clz(d, a)
	case module.OpI64Ctz:
		e.Ctz(d, a)
	case module.OpI64Popcnt:
		e.Popcnt(d, a)
	default:
		cond, ok := cond64[op]
		if !ok {
			panic("translate: no lowering for " + op.String())
		}
		e.Cmp(cond, dst, a, b)
	}
}

// cmpBranch64 emits "if a op b goto l" for a 64-bit comparison.
func (c *fn) cmpBranch64(op module.Opcode, a, b sval, l isa.Label) {
	c.wide().BranchIf(cond64[op], a.wval(), b.wval(), l)
}
