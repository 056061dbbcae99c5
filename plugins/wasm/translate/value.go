package translate

import (
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/plugins/wasm/module"
)

// opd is one word of a value: a frame slot [fp+v] or an immediate v.
type opd struct {
	imm bool
	v   uint32
}

func slot(off int32) opd { return opd{v: uint32(off)} }
func imm(v uint32) opd   { return opd{imm: true, v: v} }

func (o opd) isa() isa.Operand {
	if o.imm {
		return isa.Imm(o.v)
	}
	return isa.Slot(int32(o.v))
}

func (o opd) off() int32 { return int32(o.v) }

func (o opd) is(off int32) bool { return !o.imm && int32(o.v) == off }

// sval is a value whose words are operands: immediates, a local's slots, a stack
// position's slots, or a callee frame's result slots.
type sval struct {
	t module.ValType
	w [2]opd // lo, hi (hi for two-word types only)
}

func (v sval) words() int { return v.t.Words() }

// reads reports whether v reads any of the nwords slots from off.
func (v sval) reads(off int32, nwords int) bool {
	for i := 0; i < v.words(); i++ {
		if w := v.w[i]; !w.imm && w.off() >= off && w.off() < off+4*int32(nwords) {
			return true
		}
	}
	return false
}

func (v sval) isConst() bool {
	return v.w[0].imm && (v.words() == 1 || v.w[1].imm)
}

func (v sval) u64() uint64 {
	if v.words() == 2 {
		return uint64(v.w[0].v) | uint64(v.w[1].v)<<32
	}
	return uint64(v.w[0].v)
}

func constVal(t module.ValType, bits uint64) sval {
	v := sval{t: t}
	v.w[0] = imm(uint32(bits))
	if t.Words() == 2 {
		v.w[1] = imm(uint32(bits >> 32))
	}
	return v
}

func slotVal(t module.ValType, off int32) sval {
	v := sval{t: t}
	v.w[0] = slot(off)
	if t.Words() == 2 {
		v.w[1] = slot(off + 4)
	}
	return v
}

// val is an operand-stack entry: a simple value, or a pending pure operation on simple
// values, computed only when its result is needed (then straight into where it goes:
// a local, a callee's parameter slot, or its own stack slot).
type val struct {
	sval         // the value (simple) or the result type (pending)
	pending bool // op applied to args is the value
	op      module.Opcode
	nargs   int
	args    [3]sval
}

func simple(v sval) val { return val{sval: v} }

func (v *val) reads(off int32, nwords int) bool {
	if !v.pending {
		return v.sval.reads(off, nwords)
	}
	for i := 0; i < v.nargs; i++ {
		if v.args[i].reads(off, nwords) {
			return true
		}
	}
	return false
}

// readsFrom reports whether v reads a slot at or above off.
func (v *val) readsFrom(off int32) bool { return v.reads(off, 1<<28) }
