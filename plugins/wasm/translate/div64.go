package translate

import (
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/plugins/wasm/module"
	"github.com/oneiros-zk/oneiros/sdk/wide"
)

// 64-bit division and remainder (sdk/wide): operands that fit 32 bits divide inline, the
// rest call a routine per operation: [8],[12] = a (lo, hi), [16],[20] = b; the result
// comes back in [8],[12].

var divOp64 = map[module.Opcode]wide.DivOp{
	module.OpI64DivU: wide.DivU, module.OpI64RemU: wide.RemU, module.OpI64DivS: wide.DivS, module.OpI64RemS: wide.RemS,
}

// divTraps: WebAssembly traps on a zero divisor, and on −2^63 / −1 for div_s only
// (rem_s gives 0).
func (s *Store) divTraps(op wide.DivOp) wide.Traps {
	t := wide.Traps{DivZero: s.trapLabel(TrapDivZero)}
	if op == wide.DivS {
		t.Overflow = s.trapLabel(TrapOverflow)
	}
	return t
}

// div64 translates the 64-bit divisions.
func (c *fn) div64(op module.Opcode, x, y sval) error {
	c.clobberFrom(c.frame) // the routine's frame: before the paths split
	dst := c.dest(module.I64)
	wop := divOp64[op]
	call := func(a, b wide.Val) wide.Val {
		r := c.helperCall(c.s.div64Routine(wop), opdOf(a.Lo), opdOf(a.Hi), opdOf(b.Lo), opdOf(b.Hi))
		return wide.Slots(r)
	}
	c.wide().Div(wop, wide.At(dst), x.wval(), y.wval(), c.s.divTraps(wop), call)
	return nil
}

func opdOf(w wide.Word) opd {
	if w.IsImm() {
		return imm(w.Value())
	}
	return slot(w.Off())
}

func (s *Store) div64Routine(op wide.DivOp) isa.Label {
	return s.routineLabel("i64."+op.String(), func(r *rb) {
		scratch := make([]int32, wide.RoutineScratch)
		for i := range scratch {
			scratch[i] = w(4 + i)
		}
		e := wide.New(r.b)
		e.DivRoutine(op, wide.At(w(0)), wide.At(w(2)), wide.At(w(0)), s.divTraps(op), scratch)
		r.b.Ret()
	})
}
