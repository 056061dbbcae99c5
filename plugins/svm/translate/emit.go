package translate

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/plugins/svm/sbpf"
	"github.com/oneiros-zk/oneiros/sdk/wide"
)

// S is a slot operand, I an immediate one.
func S(off int32) isa.Operand { return isa.Slot(off) }
func I(v uint32) isa.Operand  { return isa.Imm(v) }

// emit produces the whole program: prologue, the translated text, the stubs of slow paths
// and faults, the runtime helpers and the image.
func (t *translator) emit() {
	b := t.b
	t.blk = make([]isa.Label, t.n+1)
	t.at = make([]isa.Label, t.n+1)
	for pc := 0; pc <= t.n; pc++ {
		t.blk[pc] = b.NewLabel(fmt.Sprintf("block %d", pc))
		t.at[pc] = b.NewLabel(fmt.Sprintf("insn %d", pc))
	}
	b.SourceLabel("(prologue: input copy)")
	t.prologue()
	b.Jump(t.blk[t.exe.Entry])
	textStart := b.PC()
	for pc := 0; pc < t.n; pc++ {
		if t.sec[pc] {
			continue
		}
		if t.head[pc] {
			b.Bind(t.blk[pc])
			b.SourceLabel("(compute-unit metering)")
			t.meter(t.cost[pc], t.loop[pc])
		}
		b.Bind(t.at[pc])
		start := b.PC()
		b.SourceLabel(mnemonic(t.ops[pc]))
		t.insn(pc)
		t.origin(start, pc)
	}
	b.Bind(t.blk[t.n])
	b.Bind(t.at[t.n])
	b.Jump(t.faultLabel(ErrExecutionOverrun))
	// The second slot of an lddw is opcode 0: reaching it (through callx) is an
	// unsupported instruction.
	for pc := 0; pc < t.n; pc++ {
		if t.sec[pc] {
			b.Bind(t.blk[pc])
			b.Bind(t.at[pc])
		}
	}
	b.Jump(t.faultLabel(ErrUnsupportedInstruction))
	t.mark(textStart, PartSBPF)
	// Slow paths, helpers and routines may add more of each other.
	for len(t.deferred) > 0 {
		d := t.deferred[0]
		t.deferred = t.deferred[1:]
		start := b.PC()
		b.SourceLabel(d.part.label())
		d.emit()
		t.mark(start, d.part)
	}
	t.emitFaults()
	if t.hasCallx {
		t.callxTable()
	}
	t.imageSegments()
	b.SetFP(0)
	b.SetEntryPC(0)
}

// origin records that the code from start to the current end comes from sBPF pc.
func (t *translator) origin(start uint32, pc int) {
	for len(t.info.Origin) < int(t.b.PC()) {
		t.info.Origin = append(t.info.Origin, -1)
	}
	for i := start; i < t.b.PC(); i++ {
		t.info.Origin[i] = int32(pc)
	}
}

// meter charges a block's cost. The budget itself is checked where a run could
// otherwise go on without bound or make its effects visible: at loop heads (the targets
// of backward jumps), before calls, syscalls and exits. A run therefore faults exactly
// when the reference VM's meter would have run out before its exit, while most blocks
// pay one normalized instruction for metering.
func (t *translator) meter(cost int, check bool) {
	if t.info.Meters == nil {
		t.info.Meters = map[uint32]uint32{}
	}
	t.info.Meters[t.b.PC()] = uint32(cost)
	t.b.ALU(isa.SUB, slotRem, S(slotRem), I(uint32(cost)))
	if check {
		t.checkBudget()
	}
}

// checkBudget faults when the budget is exhausted.
func (t *translator) checkBudget() {
	t.b.Branch(isa.BLT, slotRem, I(0), t.faultLabel(ErrExceededMaxInstructions))
}

// deferred is code emitted after the text: a slow path, a helper or a routine.
type deferred struct {
	emit func()
	part Part
}

// later queues code of the given part to emit after the text.
func (t *translator) later(part Part, f func()) { t.deferred = append(t.deferred, deferred{f, part}) }

// mark records that the code from start to the current end is of the given part.
func (t *translator) mark(start uint32, part Part) {
	if end := t.b.PC(); end > start {
		t.info.Ranges = append(t.info.Ranges, Range{Start: start, End: end, Part: part})
	}
}

// insn translates the instruction at pc.
func (t *translator) insn(pc int) {
	t.pc = pc
	in, o := t.ins[pc], t.ops[pc]
	switch o.Kind {
	case sbpf.KLoad, sbpf.KStore:
		t.memory(pc)
	case sbpf.KJa:
		t.b.Jump(t.blk[pc+1+int(in.Off)])
	case sbpf.KJump:
		t.jump(pc)
	case sbpf.KCall:
		t.call(pc)
	case sbpf.KCallx:
		t.callx(pc)
	case sbpf.KExit:
		t.exit(pc)
	case sbpf.KLddw:
		t.b.Move(regLo(in.Dst), I(uint32(in.Imm)))
		if hi := uint32(t.ins[pc+1].Imm); hi != 0 || !t.zeroHigh(pc, in.Dst) {
			t.b.Move(regHi(in.Dst), I(hi))
		}
	case sbpf.KHor:
		t.b.ALU(isa.OR, regHi(in.Dst), S(regHi(in.Dst)), I(uint32(in.Imm)))
	default:
		if o.Wide {
			t.alu64(pc)
		} else {
			t.alu32(pc)
		}
	}
}

// operand returns the low and high words of the operand x of an ALU instruction.
func (t *translator) operand(pc int) (lo, hi isa.Operand) {
	in, o := t.ins[pc], t.ops[pc]
	if !o.Imm {
		return S(regLo(in.Src)), S(regHi(in.Src))
	}
	v := uint32(in.Imm)
	h := uint32(0)
	if in.Imm < 0 && !o.ImmZext {
		h = 0xffffffff
	}
	return I(v), I(h)
}

// ext writes the high word of a 32-bit result (nothing when it is zero already).
func (t *translator) ext(d uint8, sext bool) {
	if !sext && t.zeroHigh(t.pc, d) {
		return
	}
	if sext {
		t.b.ALU(isa.SRA, regHi(d), S(regLo(d)), I(31))
	} else {
		t.b.Move(regHi(d), I(0))
	}
}

// alu32 lowers the 32-bit ALU and PQR instructions.
func (t *translator) alu32(pc int) {
	in, o := t.ins[pc], t.ops[pc]
	b := t.b
	d := in.Dst
	dl := regLo(d)
	x, _ := t.operand(pc)
	simple := map[sbpf.Kind]isa.Opcode{sbpf.KAdd: isa.ADD, sbpf.KSub: isa.SUB, sbpf.KMul: isa.MUL,
		sbpf.KOr: isa.OR, sbpf.KAnd: isa.AND, sbpf.KXor: isa.XOR, sbpf.KLsh: isa.SLL, sbpf.KRsh: isa.SRL, sbpf.KArsh: isa.SRA}
	if op, ok := simple[o.Kind]; ok {
		b.ALU(op, dl, S(dl), x)
		t.ext(d, o.Sext32)
		return
	}
	switch o.Kind {
	case sbpf.KSubRev:
		b.ALU(isa.SUB, dl, x, S(dl))
		t.ext(d, o.Sext32)
	case sbpf.KDiv, sbpf.KMod:
		if !o.Imm {
			b.Branch(isa.BEQ, regLo(in.Src), I(0), t.faultLabel(ErrDivideByZero))
		}
		op := isa.DIVU
		if o.Kind == sbpf.KMod {
			op = isa.REMU
		}
		b.ALU(op, dl, S(dl), x)
		t.ext(d, false)
	case sbpf.KSdiv, sbpf.KSrem:
		if !o.Imm {
			b.Branch(isa.BEQ, regLo(in.Src), I(0), t.faultLabel(ErrDivideByZero))
		}
		// MIN / -1 overflows.
		skip := b.NewLabel("no overflow")
		if o.Imm {
			if in.Imm == -1 {
				b.Branch(isa.BEQ, dl, I(0x80000000), t.faultLabel(ErrDivideOverflow))
			}
		} else {
			b.Branch(isa.BNE, dl, I(0x80000000), skip)
			b.Branch(isa.BEQ, regLo(in.Src), I(0xffffffff), t.faultLabel(ErrDivideOverflow))
		}
		b.Bind(skip)
		op := isa.DIV
		if o.Kind == sbpf.KSrem {
			op = isa.REM
		}
		b.ALU(op, dl, S(dl), x)
		t.ext(d, false)
	case sbpf.KNeg:
		b.ALU(isa.SUB, dl, I(0), S(dl))
		t.ext(d, false)
	case sbpf.KMov:
		if o.Imm || in.Src != d {
			b.Move(dl, x)
		}
		t.ext(d, o.Sext32)
	case sbpf.KLe:
		switch in.Imm {
		case 16:
			b.ALU(isa.AND, dl, S(dl), I(0xffff))
			t.ext(d, false)
		case 32:
			t.ext(d, false)
		}
	case sbpf.KBe:
		switch in.Imm {
		case 16:
			b.ALU(isa.SRL, slotT0, S(dl), I(8))
			b.ALU(isa.AND, slotT0, S(slotT0), I(0xff))
			b.ALU(isa.AND, slotT1, S(dl), I(0xff))
			b.ALU(isa.SLL, slotT1, S(slotT1), I(8))
			b.ALU(isa.OR, dl, S(slotT0), S(slotT1))
			t.ext(d, false)
		case 32:
			t.bswap32(dl, dl)
			t.ext(d, false)
		case 64:
			t.bswap32(slotT2, dl)
			t.bswap32(dl, regHi(d))
			b.Move(regHi(d), S(slotT2))
		}
	default:
		panic(fmt.Sprintf("translate: 32-bit kind %d", o.Kind))
	}
}

// bswap32 writes the byte-reversed word of [src] to [dst] (T0, T1 are scratch).
func (t *translator) bswap32(dst, src int32) {
	b := t.b
	b.ALU(isa.SLL, slotT0, S(src), I(24))
	b.ALU(isa.SRL, slotT1, S(src), I(24))
	b.ALU(isa.OR, slotT0, S(slotT0), S(slotT1))
	b.ALU(isa.AND, slotT1, S(src), I(0xff00))
	b.ALU(isa.SLL, slotT1, S(slotT1), I(8))
	b.ALU(isa.OR, slotT0, S(slotT0), S(slotT1))
	b.ALU(isa.SRL, slotT1, S(src), I(8))
	b.ALU(isa.AND, slotT1, S(slotT1), I(0xff00))
	b.ALU(isa.OR, dst, S(slotT0), S(slotT1))
}

// alu64 lowers the 64-bit ALU and PQR instructions through sdk/wide: the destination
// register is also the first operand (x op= y), a high word the analysis proves zero is
// passed as the immediate 0.
func (t *translator) alu64(pc int) {
	in, o := t.ins[pc], t.ops[pc]
	b := t.b
	d := in.Dst
	dl, dh := regLo(d), regHi(d)
	xl, xh := t.operand(pc)
	same := !o.Imm && in.Src == d
	e := t.wide()
	dst := wide.Dst{Lo: dl, Hi: dh}
	a, x := t.wval(pc, d), t.xval(pc)
	switch o.Kind {
	case sbpf.KAdd:
		if !(o.Imm && in.Imm == 0) {
			e.Add(dst, a, x)
		}
	case sbpf.KSub:
		if !(o.Imm && in.Imm == 0) {
			e.Sub(dst, a, x)
		}
	case sbpf.KSubRev:
		e.Sub(dst, x, a)
	case sbpf.KMul:
		e.Mul(dst, a, x)
	case sbpf.KOr, sbpf.KAnd, sbpf.KXor:
		if same {
			if o.Kind == sbpf.KXor {
				b.Move(dl, I(0))
				b.Move(dh, I(0))
			}
			return
		}
		if t.zeroHigh(pc, d) && (xh == I(0) || !o.Imm && t.zeroHigh(pc, in.Src)) {
			// both high words are zero, and so is the result's
			op := map[sbpf.Kind]isa.Opcode{sbpf.KOr: isa.OR, sbpf.KAnd: isa.AND, sbpf.KXor: isa.XOR}[o.Kind]
			b.ALU(op, dl, S(dl), xl)
			return
		}
		switch o.Kind {
		case sbpf.KOr:
			e.Or(dst, a, x)
		case sbpf.KAnd:
			e.And(dst, a, x)
		default:
			e.Xor(dst, a, x)
		}
	case sbpf.KLsh, sbpf.KRsh, sbpf.KArsh:
		s := map[sbpf.Kind]wide.Shift{sbpf.KLsh: wide.Shl, sbpf.KRsh: wide.ShrU, sbpf.KArsh: wide.ShrS}[o.Kind]
		k := wide.Slot(regLo(in.Src))
		if o.Imm {
			k = wide.Imm(uint32(in.Imm) & 63)
		}
		e.Shift(s, dst, wide.Slots(dl), k)
	case sbpf.KNeg:
		e.Neg(dst, wide.Slots(dl))
	case sbpf.KMov:
		if same {
			return
		}
		b.Move(dl, xl)
		if t.zeroHigh(pc, d) && (xh == I(0) || !o.Imm && t.zeroHigh(pc, in.Src)) {
			return
		}
		b.Move(dh, xh)
	case sbpf.KDiv, sbpf.KMod, sbpf.KSdiv, sbpf.KSrem, sbpf.KUhmul, sbpf.KShmul:
		t.wideHelper(pc)
	default:
		panic(fmt.Sprintf("translate: 64-bit kind %d", o.Kind))
	}
}

// wide returns the emitter of 64-bit operations over the instruction temporaries T0..T7.
func (t *translator) wide() *wide.Emitter {
	if t.we == nil {
		t.we = wide.New(t.b, slotT0, slotT1, slotT2, slotT3, slotT4, slotT5, slotT6, slotT7)
	}
	return t.we
}

// wval is register r before pc as a value: its high word the immediate 0 where the
// analysis proves it zero.
func (t *translator) wval(pc int, r uint8) wide.Val {
	v := wide.Slots(regLo(r))
	if t.zeroHigh(pc, r) {
		v.Hi = wide.Imm(0)
	}
	return v
}

// xval is the operand x of the ALU instruction at pc as a value.
func (t *translator) xval(pc int) wide.Val {
	in, o := t.ins[pc], t.ops[pc]
	if !o.Imm {
		return t.wval(pc, in.Src)
	}
	v := uint32(in.Imm)
	h := uint32(0)
	if in.Imm < 0 && !o.ImmZext {
		h = 0xffffffff
	}
	return wide.Val{Lo: wide.Imm(v), Hi: wide.Imm(h)}
}
