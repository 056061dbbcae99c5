package lower

import (
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/plugins/svm/sbpf"
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

// wideHelper lowers the 64-bit division, remainder and high-multiply instructions
// through shared helpers: operands in D0..D3, results in D4..D7.
func (t *translator) wideHelper(pc int) {
	in, o := t.ins[pc], t.ops[pc]
	b := t.b
	d := in.Dst
	xl, xh := t.operand(pc)
	if !o.Imm && (o.Kind == sbpf.KDiv || o.Kind == sbpf.KMod || o.Kind == sbpf.KSdiv || o.Kind == sbpf.KSrem) {
		nz := b.NewLabel("divisor not zero")
		b.Branch(isa.BNE, regHi(in.Src), I(0), nz)
		b.Branch(isa.BEQ, regLo(in.Src), I(0), t.faultLabel(ErrDivideByZero))
		b.Bind(nz)
	}
	if o.Kind == sbpf.KSdiv || o.Kind == sbpf.KSrem {
		// MIN / -1 overflows.
		fine := b.NewLabel("no overflow")
		b.Branch(isa.BNE, regHi(d), I(0x80000000), fine)
		b.Branch(isa.BNE, regLo(d), I(0), fine)
		if o.Imm {
			if in.Imm == -1 {
				b.Jump(t.faultLabel(ErrDivideOverflow))
			}
		} else {
			b.Branch(isa.BNE, regHi(in.Src), I(0xffffffff), fine)
			b.Branch(isa.BEQ, regLo(in.Src), I(0xffffffff), t.faultLabel(ErrDivideOverflow))
		}
		b.Bind(fine)
	}
	b.Move(slotD0, S(regLo(d)))
	b.Move(slotD1, S(regHi(d)))
	b.Move(slotD2, xl)
	b.Move(slotD3, xh)
	back := b.NewLabel("helper done")
	b.Move(slotHRet, isa.LabelImm(back))
	var h isa.Label
	lo, hi := int32(slotD4), int32(slotD5)
	switch o.Kind {
	case sbpf.KDiv:
		h = t.helper("udivmod64", t.emitUdivmod)
	case sbpf.KMod:
		h = t.helper("udivmod64", t.emitUdivmod)
		lo, hi = slotD6, slotD7
	case sbpf.KSdiv:
		h = t.helper("sdivmod64", t.emitSdivmod)
	case sbpf.KSrem:
		h = t.helper("sdivmod64", t.emitSdivmod)
		lo, hi = slotD6, slotD7
	case sbpf.KUhmul:
		h = t.helper("uhmul64", func() { t.emitMulh(false) })
	case sbpf.KShmul:
		h = t.helper("shmul64", func() { t.emitMulh(true) })
	}
	b.Jump(h)
	b.Bind(back)
	b.Move(regLo(d), S(lo))
	b.Move(regHi(d), S(hi))
}

// emitUdivmod: (D1:D0) / (D3:D2) → quotient D5:D4, remainder D7:D6 (divisor not zero).
func (t *translator) emitUdivmod() {
	t.udivmodBody()
	t.b.JumpTo(S(slotHRet))
}

// udivmodBody is the unsigned 64-bit division, falling through at the end.
func (t *translator) udivmodBody() {
	b := t.b
	nl, nh, dl, dh := int32(slotD0), int32(slotD1), int32(slotD2), int32(slotD3)
	ql, qh, rl, rh := int32(slotD4), int32(slotD5), int32(slotD6), int32(slotD7)
	c, i := int32(slotH0), int32(slotH1)
	done := b.NewLabel("division done")
	wide, digits := b.NewLabel("64-bit division"), b.NewLabel("16-bit digits")
	// Both operands fit a word: one division.
	b.Branch(isa.BNE, nh, I(0), digits)
	b.Branch(isa.BNE, dh, I(0), digits)
	b.ALU(isa.DIVU, ql, S(nl), S(dl))
	b.ALU(isa.REMU, rl, S(nl), S(dl))
	b.Move(qh, I(0))
	b.Move(rh, I(0))
	b.Jump(done)
	// A divisor below 2^16: schoolbook division by 16-bit digits, each step one DIVU.
	b.Bind(digits)
	b.Branch(isa.BNE, dh, I(0), wide)
	b.Branch(isa.BGEU, dl, I(1<<16), wide)
	b.Move(rl, I(0))
	cur := int32(slotH2)
	for k, src := range []struct {
		w     int32
		shift uint32
	}{{nh, 16}, {nh, 0}, {nl, 16}, {nl, 0}} {
		b.ALU(isa.SRL, cur, S(src.w), I(src.shift))
		b.ALU(isa.AND, cur, S(cur), I(0xffff))
		b.ALU(isa.SLL, c, S(rl), I(16))
		b.ALU(isa.OR, cur, S(cur), S(c))
		b.ALU(isa.DIVU, c, S(cur), S(dl))
		b.ALU(isa.REMU, rl, S(cur), S(dl))
		q := qh
		if k >= 2 {
			q = ql
		}
		if k%2 == 0 {
			b.ALU(isa.SLL, q, S(c), I(16))
		} else {
			b.ALU(isa.OR, q, S(q), S(c))
		}
	}
	b.Move(rh, I(0))
	b.Jump(done)
	// Anything else: restoring division, one quotient bit per step.
	b.Bind(wide)
	b.Move(ql, I(0))
	b.Move(qh, I(0))
	b.Move(rl, I(0))
	b.Move(rh, I(0))
	b.Move(i, I(64))
	loop, skip, sub := b.NewLabel("divide step"), b.NewLabel("no subtract"), b.NewLabel("subtract")
	b.Bind(loop)
	b.ALU(isa.SRL, c, S(rl), I(31))
	b.ALU(isa.SLL, rh, S(rh), I(1))
	b.ALU(isa.OR, rh, S(rh), S(c))
	b.ALU(isa.SRL, c, S(nh), I(31))
	b.ALU(isa.SLL, rl, S(rl), I(1))
	b.ALU(isa.OR, rl, S(rl), S(c))
	b.ALU(isa.SRL, c, S(nl), I(31))
	b.ALU(isa.SLL, nh, S(nh), I(1))
	b.ALU(isa.OR, nh, S(nh), S(c))
	b.ALU(isa.SLL, nl, S(nl), I(1))
	b.ALU(isa.SRL, c, S(ql), I(31))
	b.ALU(isa.SLL, qh, S(qh), I(1))
	b.ALU(isa.OR, qh, S(qh), S(c))
	b.ALU(isa.SLL, ql, S(ql), I(1))
	b.Branch(isa.BLTU, rh, S(dh), skip)
	b.Branch(isa.BNE, rh, S(dh), sub)
	b.Branch(isa.BLTU, rl, S(dl), skip)
	b.Bind(sub)
	b.ALU(isa.SLTU, c, S(rl), S(dl))
	b.ALU(isa.SUB, rl, S(rl), S(dl))
	b.ALU(isa.SUB, rh, S(rh), S(dh))
	b.ALU(isa.SUB, rh, S(rh), S(c))
	b.ALU(isa.OR, ql, S(ql), I(1))
	b.Bind(skip)
	b.ALU(isa.SUB, i, S(i), I(1))
	b.Branch(isa.BNE, i, I(0), loop)
	b.Bind(done)
}

// emitSdivmod: signed 64-bit division truncating toward zero (no MIN / -1, no zero
// divisor): the unsigned division of the magnitudes, then the signs.
func (t *translator) emitSdivmod() {
	b := t.b
	nl, nh, dl, dh := int32(slotD0), int32(slotD1), int32(slotD2), int32(slotD3)
	ql, qh, rl, rh := int32(slotD4), int32(slotD5), int32(slotD6), int32(slotD7)
	sn, sd := int32(slotH3), int32(slotH4)
	b.ALU(isa.SRL, sn, S(nh), I(31))
	b.ALU(isa.SRL, sd, S(dh), I(31))
	t.negIf(sn, nl, nh)
	t.negIf(sd, dl, dh)
	t.udivmodBody()
	b.ALU(isa.XOR, sd, S(sd), S(sn))
	t.negIf(sd, ql, qh)
	t.negIf(sn, rl, rh)
	b.JumpTo(S(slotHRet))
}

// negIf negates the 64-bit value (hi:lo) when [flag] is 1.
func (t *translator) negIf(flag, lo, hi int32) {
	b := t.b
	skip := b.NewLabel("positive")
	b.Branch(isa.BEQ, flag, I(0), skip)
	c := int32(slotH5)
	b.ALU(isa.SLTU, c, I(0), S(lo))
	b.ALU(isa.SUB, lo, I(0), S(lo))
	b.ALU(isa.SUB, hi, I(0), S(hi))
	b.ALU(isa.SUB, hi, S(hi), S(c))
	b.Bind(skip)
}

// emitMulh: the high 64 bits of (D1:D0) × (D3:D2) → D5:D4, unsigned or signed.
func (t *translator) emitMulh(signed bool) {
	b := t.b
	a0, a1, b0, b1 := int32(slotD0), int32(slotD1), int32(slotD2), int32(slotD3)
	rl, rh := int32(slotD4), int32(slotD5)
	m, x, c, u := int32(slotH0), int32(slotH1), int32(slotH2), int32(slotH3)
	b.ALU(isa.MULHU, m, S(a0), S(b0))
	b.ALU(isa.MUL, x, S(a0), S(b1))
	b.ALU(isa.ADD, m, S(m), S(x))
	b.ALU(isa.SLTU, c, S(m), S(x))
	b.ALU(isa.MUL, x, S(a1), S(b0))
	b.ALU(isa.ADD, m, S(m), S(x))
	b.ALU(isa.SLTU, u, S(m), S(x))
	b.ALU(isa.ADD, c, S(c), S(u))
	b.ALU(isa.MUL, rl, S(a1), S(b1))
	b.ALU(isa.MULHU, rh, S(a1), S(b1))
	for _, p := range [][2]int32{{a0, b1}, {a1, b0}} {
		b.ALU(isa.MULHU, x, S(p[0]), S(p[1]))
		b.ALU(isa.ADD, rl, S(rl), S(x))
		b.ALU(isa.SLTU, u, S(rl), S(x))
		b.ALU(isa.ADD, rh, S(rh), S(u))
	}
	b.ALU(isa.ADD, rl, S(rl), S(c))
	b.ALU(isa.SLTU, u, S(rl), S(c))
	b.ALU(isa.ADD, rh, S(rh), S(u))
	if signed {
		// hi_signed = hi_unsigned - (a < 0 ? b : 0) - (b < 0 ? a : 0)
		for _, p := range [][4]int32{{a1, b0, b1}, {b1, a0, a1}} {
			skip := b.NewLabel("non-negative")
			b.Branch(isa.BGE, p[0], I(0), skip)
			b.ALU(isa.SLTU, u, S(rl), S(p[1]))
			b.ALU(isa.SUB, rl, S(rl), S(p[1]))
			b.ALU(isa.SUB, rh, S(rh), S(p[2]))
			b.ALU(isa.SUB, rh, S(rh), S(u))
			b.Bind(skip)
		}
	}
	b.JumpTo(S(slotHRet))
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
