package translate

import (
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/plugins/svm/sbpf"
	"github.com/oneiros-zk/oneiros/sdk/wide"
)

// Division and wide-multiply helper slots.
const (
	slotD0 = 0x180 + 4*iota
	slotD1
	slotD2
	slotD3
	slotD4
	slotD5
	slotD6
	slotD7
)

// prologue writes the output's magic and, in Solana mode, copies the input tape into the
// input region and sets the region's length and fast-path limits.
func (t *translator) prologue() {
	b := t.b
	t.writeConst(OutputMagic)
	if !t.opt.InputFromTape {
		return
	}
	n := int32(slotInLen)
	if t.opt.Accounts {
		t.expandInput()
	} else {
		t.copyInput()
	}
	// limit_k = n - k + 1 when n ≥ k, else 0; and for the planned positive offsets d,
	// limit_k - d when that is positive, else 0.
	c := int32(slotT3)
	limit := func(slot int32, sub uint32) {
		b.ALU(isa.SLTU, c, S(n), I(sub+1))
		b.ALU(isa.SUB, c, S(c), I(1))
		b.ALU(isa.SUB, slot, S(n), I(sub))
		b.ALU(isa.AND, slot, S(slot), S(c))
	}
	for i, k := range []uint32{1, 2, 4, 8} {
		limit(slotLim+int32(4*i), k-1)
	}
	for _, key := range sortedPairs(t.dynLims) {
		limit(t.dynLims[key], uint32(key[0]-1+key[1]))
	}
}

// copyInput copies the whole private input tape into the input region.
func (t *translator) copyInput() {
	b := t.b
	n, p, w := int32(slotInLen), int32(slotT0), int32(slotT1)
	b.Ecall(isa.SysInputLen, n, I(0))
	b.Branch(isa.BGEU, n, I(regionWin+1), t.faultLabel(ErrInvalidLength))
	b.Move(regionTable+16*4+4, S(n))
	rem := int32(slotT2)
	b.Move(rem, S(n))
	b.Move(p, I(regionBase[4]))
	loop, tail, done := b.NewLabel("copy 32"), b.NewLabel("copy tail"), b.NewLabel("copied")
	b.Bind(loop)
	b.Branch(isa.BLTU, rem, I(32), tail)
	for i := int32(0); i < 32; i += 4 {
		b.Ecall(isa.SysRead, w, I(0))
		b.Store(isa.SW, w, S(p), i)
	}
	b.ALU(isa.ADD, p, S(p), I(32))
	b.ALU(isa.SUB, rem, S(rem), I(32))
	b.Jump(loop)
	b.Bind(tail)
	b.Branch(isa.BEQ, rem, I(0), done)
	b.Ecall(isa.SysRead, w, I(0))
	b.Store(isa.SW, w, S(p), 0)
	b.ALU(isa.ADD, p, S(p), I(4))
	b.Branch(isa.BLTU, rem, I(5), done)
	b.ALU(isa.SUB, rem, S(rem), I(4))
	b.Jump(tail)
	b.Bind(done)
}

// writeConst appends a constant word to the public output.
func (t *translator) writeConst(v uint32) {
	s, ok := t.constant(v)
	if !ok {
		s = slotT7
		t.b.Move(s, I(v))
	}
	t.b.Ecall(isa.SysWrite, s, I(4))
}

// write appends the 4 bytes of a slot to the public output.
func (t *translator) write(slot int32) { t.b.Ecall(isa.SysWrite, slot, I(4)) }

// faultLabel returns the label of a stub that ends the run with error code code.
func (t *translator) faultLabel(code uint32) isa.Label {
	if l, ok := t.fault[code]; ok {
		return l
	}
	l := t.b.NewLabel("fault")
	t.fault[code] = l
	return l
}

// emitFaults emits the fault stubs and the routine that writes the exit record of a
// faulting run and traps with its code.
func (t *translator) emitFaults() {
	b := t.b
	if len(t.fault) == 0 {
		return
	}
	routine := b.NewLabel("fault routine")
	for _, code := range sortedKeys(t.fault) {
		b.Bind(t.fault[code])
		b.Move(slotErr, I(code))
		b.Jump(routine)
	}
	b.Bind(routine)
	ok := b.NewLabel("units clamped")
	b.Branch(isa.BGE, slotRem, I(0), ok)
	b.Move(slotRem, I(0))
	b.Bind(ok)
	t.exitRecord(S(slotErr))
	b.Trap(S(slotErr))
}

// emitExit is the end of a run at depth 0: the exit record (and the accounts), then HALT.
func (t *translator) emitExit() {
	b := t.b
	if t.opt.Accounts {
		t.emitAccounts(0)
	}
	t.exitRecord(I(0))
	t.emitReturnData()
	if t.opt.Accounts {
		t.emitAccounts(1)
	}
	b.Halt(I(0))
}

// exitRecord writes the exit record: status, units consumed, r0 and, when asked, r0..r11.
func (t *translator) exitRecord(status isa.Operand) {
	b := t.b
	t.writeConst(TagExit)
	if status.IsImm() {
		t.writeConst(0)
	} else {
		t.write(slotErr)
	}
	b.ALU(isa.SUB, slotT0, I(uint32(t.opt.Budget)), S(slotRem))
	t.write(slotT0)
	t.write(slotZero)
	t.write(regLo(0))
	t.write(regHi(0))
	if t.opt.DumpRegisters {
		for r := uint8(0); r < 12; r++ {
			t.write(regLo(r))
			t.write(regHi(r))
		}
	}
}

// wideHelper lowers the 64-bit division, remainder and high-multiply instructions.
// Divisions (sdk/wide) divide operands that fit 32 bits inline and call a routine per
// operation for the rest: operands in D0..D3, the result in D4, D5; sBPF faults on a zero
// divisor, and on −2^63 / −1 for sdiv and srem alike. The high multiplies are helpers.
func (t *translator) wideHelper(pc int) {
	in, o := t.ins[pc], t.ops[pc]
	b := t.b
	d := in.Dst
	e := t.wide()
	dst := wide.Dst{Lo: regLo(d), Hi: regHi(d)}
	a, x := t.wval(pc, d), t.xval(pc)
	call := func(name string, body func()) func(a, x wide.Val) wide.Val {
		return func(a, x wide.Val) wide.Val {
			e.Copy(wide.At(slotD0), a)
			e.Copy(wide.At(slotD2), x)
			back := b.NewLabel("helper done")
			b.Move(slotHRet, isa.LabelImm(back))
			b.Jump(t.helper(name, body))
			b.Bind(back)
			return wide.Slots(slotD4)
		}
	}
	switch o.Kind {
	case sbpf.KUhmul, sbpf.KShmul:
		signed := o.Kind == sbpf.KShmul
		name := map[bool]string{false: "uhmul64", true: "shmul64"}[signed]
		e.Copy(dst, call(name, func() {
			if signed {
				e.MulHS(wide.At(slotD4), wide.Slots(slotD0), wide.Slots(slotD2))
			} else {
				e.MulHU(wide.At(slotD4), wide.Slots(slotD0), wide.Slots(slotD2))
			}
			b.JumpTo(S(slotHRet))
		})(a, x))
		return
	}
	op := map[sbpf.Kind]wide.DivOp{sbpf.KDiv: wide.DivU, sbpf.KMod: wide.RemU, sbpf.KSdiv: wide.DivS, sbpf.KSrem: wide.RemS}[o.Kind]
	traps := wide.Traps{DivZero: t.faultLabel(ErrDivideByZero), Overflow: t.faultLabel(ErrDivideOverflow)}
	e.Div(op, dst, a, x, traps, call("div64."+op.String(), func() {
		// The routine's scratch: the instruction temporaries, the helper slots and the
		// syscall locals (none of them live across a division).
		scratch := []int32{slotT0, slotT1, slotT2, slotT3, slotT4, slotT5, slotT6, slotT7,
			slotH0, slotH1, slotH2, slotH3, slotH4, slotH5, slotH6, slotH7}
		for i := 0; len(scratch) < wide.RoutineScratch; i++ {
			scratch = append(scratch, s(i))
		}
		e.DivRoutine(op, wide.At(slotD0), wide.At(slotD2), wide.At(slotD4), traps, scratch)
		b.JumpTo(S(slotHRet))
	}))
}

func sortedPairs(m map[[2]int32]int32) [][2]int32 {
	keys := make([][2]int32, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && m[keys[j]] < m[keys[j-1]]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

func sortedKeys(m map[uint32]isa.Label) []uint32 {
	keys := make([]uint32, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}
