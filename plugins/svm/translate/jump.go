package translate

import (
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/plugins/svm/sbpf"
	"github.com/oneiros-zk/oneiros/sdk/wide"
)

// val is an operand the translator can inspect: a slot or an immediate.
type val struct {
	imm bool
	v   uint32 // the immediate, or the slot offset
}

func (x val) op() isa.Operand {
	if x.imm {
		return I(x.v)
	}
	return S(int32(x.v))
}

func slotVal(off int32) val { return val{v: uint32(off)} }
func immVal(v uint32) val   { return val{imm: true, v: v} }

// jump lowers a conditional jump. 64-bit comparisons decide on the high words first and
// on the low words (always unsigned) when the high words are equal.
func (t *translator) jump(pc int) {
	in, o := t.ins[pc], t.ops[pc]
	taken := t.blk[pc+1+int(in.Off)]
	d := in.Dst
	var xl, xh val
	if o.Imm {
		xl = immVal(uint32(in.Imm))
		xh = immVal(0)
		if in.Imm < 0 {
			xh = immVal(0xffffffff)
		}
	} else {
		xl, xh = slotVal(regLo(in.Src)), slotVal(regHi(in.Src))
	}
	// Two 64-bit values whose high words are zero compare like their low words, the
	// signed conditions included (both are non-negative).
	narrow := o.Wide && t.zeroHigh(pc, d) && (o.Imm && in.Imm >= 0 || !o.Imm && t.zeroHigh(pc, in.Src))
	if !o.Wide || narrow {
		c := o.Cond
		if narrow {
			c = map[sbpf.Cond]sbpf.Cond{sbpf.CondSgt: sbpf.CondGt, sbpf.CondSge: sbpf.CondGe, sbpf.CondSlt: sbpf.CondLt,
				sbpf.CondSle: sbpf.CondLe}[c]
			if c == 0 {
				c = o.Cond
			}
		}
		if c == sbpf.CondSet {
			t.set(regLo(d), xl, taken)
		} else {
			t.cmp(c, regLo(d), xl, taken)
		}
		return
	}
	if o.Cond == sbpf.CondSet {
		t.set(regLo(d), xl, taken)
		t.set(regHi(d), xh, taken)
		return
	}
	// sdk/wide: the strict condition on the high words, their inequality, then the low
	// words unsigned.
	cond := map[sbpf.Cond]wide.Cond{sbpf.CondEq: wide.Eq, sbpf.CondNe: wide.Ne, sbpf.CondGt: wide.GtU, sbpf.CondGe: wide.GeU,
		sbpf.CondLt: wide.LtU, sbpf.CondLe: wide.LeU, sbpf.CondSgt: wide.GtS, sbpf.CondSge: wide.GeS, sbpf.CondSlt: wide.LtS,
		sbpf.CondSle: wide.LeS}[o.Cond]
	t.wide().BranchIf(cond, wide.Slots(regLo(d)), wide.Val{Lo: xl.word(), Hi: xh.word()}, taken)
}

func (x val) word() wide.Word {
	if x.imm {
		return wide.Imm(x.v)
	}
	return wide.Slot(int32(x.v))
}

// set branches to l when [a] & x is not zero.
func (t *translator) set(a int32, x val, l isa.Label) {
	switch {
	case x.imm && x.v == 0:
	case x.imm && x.v == 0xffffffff:
		t.b.Branch(isa.BNE, a, I(0), l)
	default:
		t.b.ALU(isa.AND, slotT0, S(a), x.op())
		t.b.Branch(isa.BNE, slotT0, I(0), l)
	}
}

// cmp branches to l when [a] c x holds on 32-bit words; the S conditions compare signed.
func (t *translator) cmp(c sbpf.Cond, a int32, x val, l isa.Label) {
	b := t.b
	lt, ge := isa.BLTU, isa.BGEU
	maxv := uint32(0xffffffff)
	switch c {
	case sbpf.CondSgt, sbpf.CondSge, sbpf.CondSlt, sbpf.CondSle:
		lt, ge = isa.BLT, isa.BGE
		maxv = 0x7fffffff
	}
	switch c {
	case sbpf.CondEq:
		b.Branch(isa.BEQ, a, x.op(), l)
	case sbpf.CondNe:
		b.Branch(isa.BNE, a, x.op(), l)
	case sbpf.CondGe, sbpf.CondSge:
		b.Branch(ge, a, x.op(), l)
	case sbpf.CondLt, sbpf.CondSlt:
		b.Branch(lt, a, x.op(), l)
	case sbpf.CondGt, sbpf.CondSgt: // a > x  ⟺  x < a  ⟺  a ≥ x+1
		switch {
		case !x.imm:
			b.Branch(lt, int32(x.v), S(a), l)
		case x.v != maxv:
			b.Branch(ge, a, I(x.v+1), l)
		}
	case sbpf.CondLe, sbpf.CondSle: // a ≤ x  ⟺  x ≥ a  ⟺  a < x+1
		switch {
		case !x.imm:
			b.Branch(ge, int32(x.v), S(a), l)
		case x.v != maxv:
			b.Branch(lt, a, I(x.v+1), l)
		default:
			b.Jump(l)
		}
	}
}

// call lowers call imm: a syscall, an internal call, or an unsupported instruction.
func (t *translator) call(pc int) {
	in := t.ins[pc]
	b := t.b
	t.checkBudget()
	if !t.v.StaticSyscalls() || in.Src == 0 {
		if sc, ok := t.opt.Syscalls[uint32(in.Imm)]; ok {
			b.Move(slotSRet, isa.LabelImm(t.blk[pc+1]))
			b.Jump(t.syscall(sc))
			return
		}
	}
	if target, ok := t.internalTarget(pc); ok {
		t.push(pc, t.saveSet(target))
		b.Jump(t.blk[target])
		return
	}
	if !t.v.StaticSyscalls() {
		if target, ok := t.exe.Functions[uint32(in.Imm)]; ok && (target < 0 || target >= t.n) {
			t.push(pc, 0xf)
			b.Jump(t.faultLabel(ErrCallOutsideTextSegment))
			return
		}
	}
	b.Jump(t.faultLabel(ErrUnsupportedInstruction))
}

// push saves the caller's frame on the shadow stack — the registers of r6..r9 in save
// (bits 0..3) that the callee may change, r10 and the return block — and moves r10 (and
// nfp) to the next frame; it faults when the call depth is exhausted.
func (t *translator) push(pc int, save uint8) {
	b := t.b
	b.Branch(isa.BGEU, slotSSP, I(shadowBase+(maxDepth-1)*shadowFrame), t.faultLabel(ErrCallDepthExceeded))
	for r := uint8(6); r <= 10; r++ {
		if r < 10 && save&(1<<(r-6)) == 0 {
			continue
		}
		off := int32(8 * (r - 6))
		b.Store(isa.SW, regLo(r), S(slotSSP), off)
		b.Store(isa.SW, regHi(r), S(slotSSP), off+4)
	}
	ret := t.labelWord(t.blk[pc+1])
	b.Store(isa.SW, ret, S(slotSSP), 40)
	b.ALU(isa.ADD, slotSSP, S(slotSSP), I(shadowFrame))
	if !t.v.ManualStackFrameBump() {
		step := uint32(stackFrame)
		if t.v.StackFrameGaps() {
			step *= 2
		}
		c := int32(slotT0)
		b.ALU(isa.ADD, regLo(10), S(regLo(10)), I(step))
		b.ALU(isa.SLTU, c, S(regLo(10)), I(step))
		b.ALU(isa.ADD, regHi(10), S(regHi(10)), S(c))
		if t.fastStk {
			b.ALU(isa.ADD, slotNFP, S(slotNFP), I(stackFrame))
		}
	}
}

// saveSet returns the registers of r6..r9 a call to target saves.
func (t *translator) saveSet(target int) uint8 {
	if s, ok := t.saves[target]; ok && !t.hasCallx {
		return s
	}
	return 0xf
}

// labelWord returns a slot holding the instruction index of l.
func (t *translator) labelWord(l isa.Label) int32 {
	if t.nextCon < constPoolEnd {
		s := t.nextCon
		t.nextCon += 4
		t.b.LabelWord(uint32(s), l)
		return s
	}
	t.b.Move(slotT1, isa.LabelImm(l))
	return slotT1
}

// exit returns from an internal call, or ends the program at depth 0.
func (t *translator) exit(pc int) {
	b := t.b
	t.checkBudget()
	b.Branch(isa.BEQ, slotSSP, I(shadowBase), t.helper("exit", t.emitExit))
	b.ALU(isa.SUB, slotSSP, S(slotSSP), I(shadowFrame))
	for r := uint8(6); r <= 10; r++ {
		if r < 10 && t.exitSave[pc]&(1<<(r-6)) == 0 {
			continue
		}
		off := int32(8 * (r - 6))
		b.Load(isa.LW, regLo(r), S(slotSSP), off)
		b.Load(isa.LW, regHi(r), S(slotSSP), off+4)
	}
	if t.fastStk {
		b.ALU(isa.SUB, slotNFP, S(slotNFP), I(stackFrame))
	}
	b.Load(isa.LW, slotT0, S(slotSSP), 40)
	b.JumpTo(S(slotT0))
}

// callx lowers call through a register: push a frame, then check that the target is in
// the text and jump through the callx table, charging the rest of the target's block.
func (t *translator) callx(pc int) {
	in := t.ins[pc]
	b := t.b
	r := uint8(sbpf.CallxReg(in, t.v))
	// Read the target before the push moves r10 (r is at most r9, but be exact).
	tl, th := int32(slotT4), int32(slotT5)
	b.Move(tl, S(regLo(r)))
	b.Move(th, S(regHi(r)))
	t.checkBudget()
	t.push(pc, 0xf)
	out := t.faultLabel(ErrCallOutsideTextSegment)
	tv := t.exe.TextVaddr
	c, dl, dh := int32(slotT0), int32(slotT1), int32(slotT2)
	b.ALU(isa.SLTU, c, S(tl), I(uint32(tv)))
	b.ALU(isa.SUB, dl, S(tl), I(uint32(tv)))
	b.ALU(isa.SUB, dh, S(th), I(uint32(tv>>32)))
	b.ALU(isa.SUB, dh, S(dh), S(c))
	b.Branch(isa.BNE, dh, I(0), out)
	b.Branch(isa.BGEU, dl, I(uint32(8*t.n)), out)
	b.ALU(isa.AND, dl, S(dl), I(0xfffffff8))
	b.Load(isa.LW, c, S(dl), callxTable+4)
	b.ALU(isa.SUB, slotRem, S(slotRem), S(c))
	b.Branch(isa.BLT, slotRem, I(0), t.faultLabel(ErrExceededMaxInstructions))
	b.Load(isa.LW, c, S(dl), callxTable)
	b.JumpTo(S(c))
}

// callxTable writes the table callx jumps through: for each instruction slot, the
// normalized index of its code and the cost of its block from there on.
func (t *translator) callxTable() {
	for pc := 0; pc < t.n; pc++ {
		a := uint32(callxTable + 8*pc)
		t.b.LabelWord(a, t.at[pc])
		c := uint32(t.cost[pc])
		if t.sec[pc] {
			c = 1
		}
		t.b.Words(a+4, c)
	}
}
