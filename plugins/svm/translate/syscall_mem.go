package translate

import (
	"github.com/oneiros-zk/oneiros/core/isa"
)

// writeOut appends [n] bytes at normalized address [addr] to the public output.
func (t *translator) writeOut(addr, n int32) {
	t.b.Move(slotWPtr, S(addr))
	t.b.Move(slotWLen, S(n))
	t.writeBytes()
}

// writeBytes calls the output writer on [WPtr] (a normalized address) and [WLen] bytes.
func (t *translator) writeBytes() {
	b := t.b
	back := b.NewLabel("written")
	b.Move(slotWRet, isa.LabelImm(back))
	b.Jump(t.helper("write bytes", t.emitWriteBytes))
	b.Bind(back)
}

func (t *translator) emitWriteBytes() {
	b := t.b
	w := int32(slotCMask)
	loop, tail, done := b.NewLabel("write word"), b.NewLabel("write tail"), b.NewLabel("write done")
	b.Bind(loop)
	b.Branch(isa.BLTU, slotWLen, I(4), tail)
	b.Load(isa.LW, w, S(slotWPtr), 0)
	t.write(w)
	b.ALU(isa.ADD, slotWPtr, S(slotWPtr), I(4))
	b.ALU(isa.SUB, slotWLen, S(slotWLen), I(4))
	b.Jump(loop)
	b.Bind(tail)
	b.Branch(isa.BEQ, slotWLen, I(0), done)
	b.Load(isa.LW, w, S(slotWPtr), 0)
	b.Ecall(isa.SysWrite, w, S(slotWLen))
	b.Bind(done)
	b.JumpTo(S(slotWRet))
}

// copyMem copies [n] bytes from normalized address [src] to [dst]; backward copies from
// the end (for overlapping moves to higher addresses).
func (t *translator) copyMem(dst, src, n isa.Operand, backward bool) {
	b := t.b
	b.Move(slotC0, dst)
	b.Move(slotC1, src)
	b.Move(slotC2, n)
	back := b.NewLabel("copied")
	b.Move(slotCRet, isa.LabelImm(back))
	if backward {
		b.Jump(t.helper("copy backward", t.emitCopyBackward))
	} else {
		b.Jump(t.helper("copy forward", t.emitCopyForward))
	}
	b.Bind(back)
}

func (t *translator) emitCopyForward() {
	b := t.b
	d, s, n, w := int32(slotC0), int32(slotC1), int32(slotC2), int32(slotC3)
	l16, l4, l1, done := b.NewLabel("copy 16"), b.NewLabel("copy 4"), b.NewLabel("copy 1"), b.NewLabel("copy done")
	b.Bind(l16)
	b.Branch(isa.BLTU, n, I(16), l4)
	for k := int32(0); k < 16; k += 4 {
		b.Load(isa.LW, w, S(s), k)
		b.Store(isa.SW, w, S(d), k)
	}
	b.ALU(isa.ADD, d, S(d), I(16))
	b.ALU(isa.ADD, s, S(s), I(16))
	b.ALU(isa.SUB, n, S(n), I(16))
	b.Jump(l16)
	b.Bind(l4)
	b.Branch(isa.BLTU, n, I(4), l1)
	b.Load(isa.LW, w, S(s), 0)
	b.Store(isa.SW, w, S(d), 0)
	b.ALU(isa.ADD, d, S(d), I(4))
	b.ALU(isa.ADD, s, S(s), I(4))
	b.ALU(isa.SUB, n, S(n), I(4))
	b.Jump(l4)
	b.Bind(l1)
	b.Branch(isa.BEQ, n, I(0), done)
	b.Load(isa.LBU, w, S(s), 0)
	b.Store(isa.SB, w, S(d), 0)
	b.ALU(isa.ADD, d, S(d), I(1))
	b.ALU(isa.ADD, s, S(s), I(1))
	b.ALU(isa.SUB, n, S(n), I(1))
	b.Jump(l1)
	b.Bind(done)
	b.JumpTo(S(slotCRet))
}

func (t *translator) emitCopyBackward() {
	b := t.b
	d, s, n, w := int32(slotC0), int32(slotC1), int32(slotC2), int32(slotC3)
	b.ALU(isa.ADD, d, S(d), S(n))
	b.ALU(isa.ADD, s, S(s), S(n))
	l4, l1, done := b.NewLabel("copy back 4"), b.NewLabel("copy back 1"), b.NewLabel("copy back done")
	b.Bind(l4)
	b.Branch(isa.BLTU, n, I(4), l1)
	b.ALU(isa.SUB, d, S(d), I(4))
	b.ALU(isa.SUB, s, S(s), I(4))
	b.Load(isa.LW, w, S(s), 0)
	b.Store(isa.SW, w, S(d), 0)
	b.ALU(isa.SUB, n, S(n), I(4))
	b.Jump(l4)
	b.Bind(l1)
	b.Branch(isa.BEQ, n, I(0), done)
	b.ALU(isa.SUB, d, S(d), I(1))
	b.ALU(isa.SUB, s, S(s), I(1))
	b.Load(isa.LBU, w, S(s), 0)
	b.Store(isa.SB, w, S(d), 0)
	b.ALU(isa.SUB, n, S(n), I(1))
	b.Jump(l1)
	b.Bind(done)
	b.JumpTo(S(slotCRet))
}

// emitMemmove: sol_memmove_(dst, src, n) and sol_memcpy_ (which also refuses
// overlapping ranges). Both cost max(10, n / 250).
func (t *translator) emitMemmove(checkOverlap bool) {
	b := t.b
	t.length64(regHi(3))
	n := regLo(3)
	t.chargeMemOp(n)
	if checkOverlap {
		// |src - dst| as a 64-bit value must be at least n.
		c, ml, mh := s(0), s(1), s(2)
		b.ALU(isa.SLTU, c, S(regLo(2)), S(regLo(1)))
		b.ALU(isa.SUB, ml, S(regLo(2)), S(regLo(1)))
		b.ALU(isa.SUB, mh, S(regHi(2)), S(regHi(1)))
		b.ALU(isa.SUB, mh, S(mh), S(c))
		pos := b.NewLabel("src ≥ dst")
		b.Branch(isa.BGE, mh, I(0), pos)
		b.ALU(isa.SLTU, c, I(0), S(ml))
		b.ALU(isa.SUB, ml, I(0), S(ml))
		b.ALU(isa.SUB, mh, I(0), S(mh))
		b.ALU(isa.SUB, mh, S(mh), S(c))
		b.Bind(pos)
		fine := b.NewLabel("no overlap")
		b.Branch(isa.BNE, mh, I(0), fine)
		b.Branch(isa.BLTU, ml, S(n), t.faultLabel(ErrCopyOverlapping))
		b.Bind(fine)
	}
	done := b.NewLabel("moved")
	b.Branch(isa.BEQ, n, I(0), done)
	dst, src := s(3), s(4)
	t.mapArg(dst, regLo(1), regHi(1), S(n), true)
	t.mapArg(src, regLo(2), regHi(2), S(n), false)
	if checkOverlap {
		t.copyMem(S(dst), S(src), S(n), false)
	} else {
		fwd, moved := b.NewLabel("forward"), b.NewLabel("direction done")
		b.Branch(isa.BGEU, src, S(dst), fwd)
		t.copyMem(S(dst), S(src), S(n), true)
		b.Jump(moved)
		b.Bind(fwd)
		t.copyMem(S(dst), S(src), S(n), false)
		b.Bind(moved)
	}
	b.Bind(done)
	t.ret0()
}

// emitMemset: sol_memset_(dst, c, n).
func (t *translator) emitMemset() {
	b := t.b
	t.length64(regHi(3))
	n := regLo(3)
	t.chargeMemOp(n)
	done := b.NewLabel("set")
	b.Branch(isa.BEQ, n, I(0), done)
	p, k, w := s(0), s(1), s(2)
	t.mapArg(p, regLo(1), regHi(1), S(n), true)
	b.ALU(isa.AND, w, S(regLo(2)), I(0xff))
	b.ALU(isa.MUL, w, S(w), I(0x01010101))
	b.Move(k, S(n))
	l4, l1 := b.NewLabel("set 4"), b.NewLabel("set 1")
	b.Bind(l4)
	b.Branch(isa.BLTU, k, I(4), l1)
	b.Store(isa.SW, w, S(p), 0)
	b.ALU(isa.ADD, p, S(p), I(4))
	b.ALU(isa.SUB, k, S(k), I(4))
	b.Jump(l4)
	b.Bind(l1)
	b.Branch(isa.BEQ, k, I(0), done)
	b.Store(isa.SB, w, S(p), 0)
	b.ALU(isa.ADD, p, S(p), I(1))
	b.ALU(isa.SUB, k, S(k), I(1))
	b.Jump(l1)
	b.Bind(done)
	t.ret0()
}

// emitMemcmp: sol_memcmp_(a, b, n, result) writes the difference of the first differing
// bytes (as an i32) to result, or 0.
func (t *translator) emitMemcmp() {
	b := t.b
	t.length64(regHi(3))
	n := regLo(3)
	t.chargeMemOp(n)
	pa, pb, po, k, x, y := s(0), s(1), s(2), s(3), s(4), s(5)
	empty := b.NewLabel("nothing to map")
	b.Branch(isa.BEQ, n, I(0), empty)
	t.mapArg(pa, regLo(1), regHi(1), S(n), false)
	t.mapArg(pb, regLo(2), regHi(2), S(n), false)
	b.Bind(empty)
	t.mapArg(po, regLo(4), regHi(4), I(4), true)
	t.aligned(regLo(4), 4)
	b.Move(k, S(n))
	b.Move(x, I(0))
	b.Move(y, I(0))
	words, bytes, differ, done := b.NewLabel("cmp 4"), b.NewLabel("cmp 1"), b.NewLabel("differ"), b.NewLabel("compared")
	b.Bind(words)
	b.Branch(isa.BLTU, k, I(4), bytes)
	b.Load(isa.LW, x, S(pa), 0)
	b.Load(isa.LW, y, S(pb), 0)
	b.Branch(isa.BNE, x, S(y), bytes)
	b.ALU(isa.ADD, pa, S(pa), I(4))
	b.ALU(isa.ADD, pb, S(pb), I(4))
	b.ALU(isa.SUB, k, S(k), I(4))
	b.Jump(words)
	b.Bind(bytes)
	b.Move(x, I(0))
	b.Move(y, I(0))
	b.Branch(isa.BEQ, k, I(0), done)
	b.Load(isa.LBU, x, S(pa), 0)
	b.Load(isa.LBU, y, S(pb), 0)
	b.Branch(isa.BNE, x, S(y), differ)
	b.ALU(isa.ADD, pa, S(pa), I(1))
	b.ALU(isa.ADD, pb, S(pb), I(1))
	b.ALU(isa.SUB, k, S(k), I(1))
	b.Jump(bytes)
	b.Bind(differ)
	b.Bind(done)
	b.ALU(isa.SUB, x, S(x), S(y))
	b.Store(isa.SW, x, S(po), 0)
	t.ret0()
}

// emitHash: sol_sha256 and sol_keccak256(slices, n, result). Costs 85, plus max(10,
// len / 2) per slice; at most 20000 slices.
func (t *translator) emitHash(keccak bool) {
	b := t.b
	b.Branch(isa.BNE, regHi(2), I(0), t.faultLabel(ErrTooManySlices))
	b.Branch(isa.BGEU, regLo(2), I(maxSlices+1), t.faultLabel(ErrTooManySlices))
	t.charge(costSha256Base)
	res, arr, i, p, ln, c := s(0), s(1), s(2), s(3), s(4), s(5)
	t.mapArg(res, regLo(3), regHi(3), I(32), true)
	t.hashInit(keccak)
	none := b.NewLabel("no slices")
	b.Branch(isa.BEQ, regLo(2), I(0), none)
	b.ALU(isa.SLL, c, S(regLo(2)), I(4))
	t.mapArg(arr, regLo(1), regHi(1), S(c), false)
	t.aligned(regLo(1), 8)
	loop := b.NewLabel("hash slice")
	b.Move(i, I(0))
	b.Move(p, S(arr))
	b.Bind(loop)
	b.Branch(isa.BEQ, i, S(regLo(2)), none)
	b.Load(isa.LW, ln, S(p), 8)
	b.Load(isa.LW, c, S(p), 12)
	b.Branch(isa.BNE, c, I(0), t.faultLabel(ErrAccessViolation))
	skip := b.NewLabel("empty slice")
	b.Branch(isa.BEQ, ln, I(0), skip)
	b.Load(isa.LW, s(6), S(p), 0)
	b.Load(isa.LW, s(7), S(p), 4)
	t.mapArg(s(8), s(6), s(7), S(ln), false)
	b.Bind(skip)
	b.ALU(isa.SRL, c, S(ln), I(1))
	big := b.NewLabel("long slice")
	b.Branch(isa.BGEU, c, I(costMemOpBase), big)
	b.Move(c, I(costMemOpBase))
	b.Bind(big)
	t.chargeSlot(c)
	t.hashAbsorb(keccak, s(8), ln)
	b.ALU(isa.ADD, p, S(p), I(16))
	b.ALU(isa.ADD, i, S(i), I(1))
	b.Jump(loop)
	b.Bind(none)
	t.hashFinal(keccak, res)
	t.ret0()
}

// Hash state slots: bytes in the block (SHA-256) or the rate (Keccak), total length.
const (
	slotHashN   = slotS0 + 4*10
	slotHashLen = slotS0 + 4*11
	slotHashPtr = slotS0 + 4*12
	slotHashRem = slotS0 + 4*13
)

func (t *translator) hashInit(keccak bool) {
	b := t.b
	b.Move(slotHashN, I(0))
	b.Move(slotHashLen, I(0))
	if keccak {
		for k := int32(0); k < 200; k += 4 {
			b.Move(keccakState+k, I(0))
		}
		return
	}
	t.copyMem(I(shaState), I(sha256IV), I(32), false)
}

// hashAbsorb feeds [n] bytes at normalized address [p] to the hash.
func (t *translator) hashAbsorb(keccak bool, p, n int32) {
	b := t.b
	b.Move(slotHashPtr, S(p))
	b.Move(slotHashRem, S(n))
	back := b.NewLabel("absorbed")
	b.Move(slotHRet, isa.LabelImm(back))
	if keccak {
		b.Jump(t.helper("keccak absorb", t.emitKeccakAbsorb))
	} else {
		b.Jump(t.helper("sha256 absorb", t.emitShaAbsorb))
	}
	b.Bind(back)
}

func (t *translator) emitShaAbsorb() {
	b := t.b
	take, c := int32(slotD0), int32(slotD1)
	loop, done, room := b.NewLabel("sha absorb"), b.NewLabel("sha absorbed"), b.NewLabel("sha room")
	b.Bind(loop)
	b.Branch(isa.BEQ, slotHashRem, I(0), done)
	b.ALU(isa.SUB, take, I(64), S(slotHashN))
	b.Branch(isa.BGEU, slotHashRem, S(take), room)
	b.Move(take, S(slotHashRem))
	b.Bind(room)
	b.ALU(isa.ADD, c, S(slotHashN), I(shaBlock))
	t.copyMem(S(c), S(slotHashPtr), S(take), false)
	b.ALU(isa.ADD, slotHashN, S(slotHashN), S(take))
	b.ALU(isa.ADD, slotHashPtr, S(slotHashPtr), S(take))
	b.ALU(isa.SUB, slotHashRem, S(slotHashRem), S(take))
	b.ALU(isa.ADD, slotHashLen, S(slotHashLen), S(take))
	b.Branch(isa.BNE, slotHashN, I(64), loop)
	t.compress()
	b.Move(slotHashN, I(0))
	b.Jump(loop)
	b.Bind(done)
	b.JumpTo(S(slotHRet))
}

// compress runs SHA-256's compression on the state and the block.
func (t *translator) compress() {
	st, _ := t.constant(shaState)
	t.b.Ecall(isa.SysSHA256Compress, st, I(shaBlock))
}

func (t *translator) emitKeccakAbsorb() {
	b := t.b
	x, y, a := int32(slotD0), int32(slotD1), int32(slotD2)
	loop, bytes, done, full := b.NewLabel("keccak absorb"), b.NewLabel("keccak byte"), b.NewLabel("keccak absorbed"), b.NewLabel("keccak full")
	next := b.NewLabel("keccak next")
	b.Bind(loop)
	b.Branch(isa.BEQ, slotHashRem, I(0), done)
	// Whole words while the rate position is word aligned.
	b.Branch(isa.BLTU, slotHashRem, I(4), bytes)
	b.ALU(isa.AND, x, S(slotHashN), I(3))
	b.Branch(isa.BNE, x, I(0), bytes)
	b.ALU(isa.ADD, a, S(slotHashN), I(keccakState))
	b.Load(isa.LW, x, S(slotHashPtr), 0)
	b.Load(isa.LW, y, S(a), 0)
	b.ALU(isa.XOR, y, S(y), S(x))
	b.Store(isa.SW, y, S(a), 0)
	b.ALU(isa.ADD, slotHashN, S(slotHashN), I(4))
	b.ALU(isa.ADD, slotHashPtr, S(slotHashPtr), I(4))
	b.ALU(isa.SUB, slotHashRem, S(slotHashRem), I(4))
	b.Jump(next)
	b.Bind(bytes)
	b.ALU(isa.ADD, a, S(slotHashN), I(keccakState))
	b.Load(isa.LBU, x, S(slotHashPtr), 0)
	b.Load(isa.LBU, y, S(a), 0)
	b.ALU(isa.XOR, y, S(y), S(x))
	b.Store(isa.SB, y, S(a), 0)
	b.ALU(isa.ADD, slotHashN, S(slotHashN), I(1))
	b.ALU(isa.ADD, slotHashPtr, S(slotHashPtr), I(1))
	b.ALU(isa.SUB, slotHashRem, S(slotHashRem), I(1))
	b.Bind(next)
	b.Branch(isa.BEQ, slotHashN, I(136), full)
	b.Jump(loop)
	b.Bind(full)
	t.keccakF()
	b.Move(slotHashN, I(0))
	b.Jump(loop)
	b.Bind(done)
	b.JumpTo(S(slotHRet))
}

func (t *translator) keccakF() {
	st, _ := t.constant(keccakState)
	t.b.Ecall(isa.SysKeccakF, st, I(0))
}

// hashFinal pads, finishes the hash and writes the 32-byte digest to normalized
// address [res].
func (t *translator) hashFinal(keccak bool, res int32) {
	b := t.b
	x, a := int32(slotD0), int32(slotD1)
	if keccak {
		b.ALU(isa.ADD, a, S(slotHashN), I(keccakState))
		b.Load(isa.LBU, x, S(a), 0)
		b.ALU(isa.XOR, x, S(x), I(0x01))
		b.Store(isa.SB, x, S(a), 0)
		b.Load(isa.LBU, x, I(keccakState+135), 0)
		b.ALU(isa.XOR, x, S(x), I(0x80))
		b.Store(isa.SB, x, I(keccakState+135), 0)
		t.keccakF()
		t.copyMem(S(res), I(keccakState), I(32), false)
		return
	}
	// 0x80, zeros to 56 (compressing a full block first if needed), the bit length.
	b.ALU(isa.ADD, a, S(slotHashN), I(shaBlock))
	b.Move(x, I(0x80))
	b.Store(isa.SB, x, S(a), 0)
	b.ALU(isa.ADD, slotHashN, S(slotHashN), I(1))
	zero := func(upto uint32) {
		loop, done := b.NewLabel("pad"), b.NewLabel("padded")
		b.Bind(loop)
		b.Branch(isa.BGEU, slotHashN, I(upto), done)
		b.ALU(isa.ADD, a, S(slotHashN), I(shaBlock))
		b.Store(isa.SB, slotZero, S(a), 0)
		b.ALU(isa.ADD, slotHashN, S(slotHashN), I(1))
		b.Jump(loop)
		b.Bind(done)
	}
	fits := b.NewLabel("length fits")
	b.Branch(isa.BLTU, slotHashN, I(57), fits)
	zero(64)
	t.compress()
	b.Move(slotHashN, I(0))
	b.Bind(fits)
	zero(56)
	b.ALU(isa.SRL, x, S(slotHashLen), I(29))
	t.bswap32(x, x)
	b.Store(isa.SW, x, I(shaBlock), 56)
	b.ALU(isa.SLL, x, S(slotHashLen), I(3))
	t.bswap32(x, x)
	b.Store(isa.SW, x, I(shaBlock), 60)
	t.compress()
	t.copyMem(S(res), I(shaState), I(32), false)
}

// emitSetReturnData: sol_set_return_data(data, len) costs len / 250 + 100; at most 1024
// bytes.
func (t *translator) emitSetReturnData() {
	b := t.b
	t.length64(regHi(2))
	n, c, p := regLo(2), s(0), s(1)
	b.ALU(isa.DIVU, c, S(n), I(bytesPerUnit))
	b.ALU(isa.ADD, c, S(c), I(costSyscallBase))
	t.chargeSlot(c)
	b.Branch(isa.BGEU, n, I(maxReturn+1), t.faultLabel(ErrReturnDataTooLarge))
	empty := b.NewLabel("no return data")
	b.Branch(isa.BEQ, n, I(0), empty)
	t.mapArg(p, regLo(1), regHi(1), S(n), false)
	t.copyMem(I(returnData), S(p), S(n), false)
	b.Bind(empty)
	b.Move(slotRetN, S(n))
	b.Move(slotRetSet, I(1))
	t.ret0()
}

// emitGetReturnData: sol_get_return_data(data, len, program_id) copies up to len bytes of
// the return data and its program id, and returns the data's full length.
func (t *translator) emitGetReturnData() {
	b := t.b
	t.charge(costSyscallBase)
	n, c, p, q := s(0), s(1), s(2), s(3)
	b.Move(n, S(slotRetN))
	short := b.NewLabel("whole data")
	b.Branch(isa.BNE, regHi(2), I(0), short)
	b.Branch(isa.BGEU, regLo(2), S(n), short)
	b.Move(n, S(regLo(2)))
	b.Bind(short)
	done := b.NewLabel("got return data")
	b.Branch(isa.BEQ, n, I(0), done)
	b.ALU(isa.ADD, c, S(n), I(32))
	b.ALU(isa.DIVU, c, S(c), I(bytesPerUnit))
	t.chargeSlot(c)
	t.mapArg(p, regLo(1), regHi(1), S(n), true)
	t.copyMem(S(p), I(returnData), S(n), false)
	t.mapArg(q, regLo(3), regHi(3), I(32), true)
	// The two destinations must not overlap.
	apart := b.NewLabel("apart")
	after := b.NewLabel("id after data")
	b.Branch(isa.BGEU, q, S(p), after)
	b.ALU(isa.ADD, c, S(q), I(32))
	b.Branch(isa.BGEU, p, S(c), apart)
	b.Jump(t.faultLabel(ErrCopyOverlapping))
	b.Bind(after)
	b.ALU(isa.ADD, c, S(p), S(n))
	b.Branch(isa.BLTU, q, S(c), t.faultLabel(ErrCopyOverlapping))
	b.Bind(apart)
	t.copyMem(S(q), S(t.programIDSlot()), I(32), false)
	b.Bind(done)
	b.Move(regLo(0), S(slotRetN))
	b.Move(regHi(0), I(0))
	b.JumpTo(S(slotSRet))
}

// programIDSlot holds the normalized address of the program id (or of 32 zero bytes).
func (t *translator) programIDSlot() int32 { return slotProgID }

// utf8 faults with ErrInvalidString unless the [n] bytes at normalized address [p] are
// valid UTF-8.
func (t *translator) utf8(p, n int32) {
	b := t.b
	b.Move(slotU0, S(p))
	b.Move(slotU1, S(n))
	back := b.NewLabel("valid UTF-8")
	b.Move(slotURet, isa.LabelImm(back))
	b.Jump(t.helper("utf8", t.emitUTF8))
	b.Bind(back)
}

func (t *translator) emitUTF8() {
	b := t.b
	p, n, c, lo, hi := int32(slotU0), int32(slotU1), int32(slotU2), int32(slotU3), int32(slotU4)
	bad := t.faultLabel(ErrInvalidString)
	loop, ok := b.NewLabel("utf8 next"), b.NewLabel("utf8 ok")
	ascii, two, three, four := b.NewLabel("ascii"), b.NewLabel("two"), b.NewLabel("three"), b.NewLabel("four")
	b.Bind(loop)
	b.Branch(isa.BEQ, n, I(0), ok)
	b.Load(isa.LBU, c, S(p), 0)
	b.Branch(isa.BLTU, c, I(0x80), ascii)
	b.Branch(isa.BLTU, c, I(0xc2), bad)
	b.Branch(isa.BLTU, c, I(0xe0), two)
	b.Branch(isa.BLTU, c, I(0xf0), three)
	b.Branch(isa.BLTU, c, I(0xf5), four)
	b.Jump(bad)
	b.Bind(ascii)
	b.ALU(isa.ADD, p, S(p), I(1))
	b.ALU(isa.SUB, n, S(n), I(1))
	b.Jump(loop)
	// cont checks byte k of the sequence against [lo, hi].
	cont := func(k int32, withRange bool) {
		b.Load(isa.LBU, c, S(p), k)
		if withRange {
			b.Branch(isa.BLTU, c, S(lo), bad)
			b.Branch(isa.BLTU, hi, S(c), bad)
		} else {
			b.Branch(isa.BLTU, c, I(0x80), bad)
			b.Branch(isa.BGEU, c, I(0xc0), bad)
		}
	}
	advance := func(k uint32) {
		b.ALU(isa.ADD, p, S(p), I(k))
		b.ALU(isa.SUB, n, S(n), I(k))
		b.Jump(loop)
	}
	b.Bind(two)
	b.Branch(isa.BLTU, n, I(2), bad)
	cont(1, false)
	advance(2)
	for _, seq := range []struct {
		l                 isa.Label
		k                 uint32
		lowLead, highLead uint32
		low, high         uint32
	}{{three, 3, 0xe0, 0xed, 0xa0, 0x9f}, {four, 4, 0xf0, 0xf4, 0x90, 0x8f}} {
		b.Bind(seq.l)
		b.Branch(isa.BLTU, n, I(seq.k), bad)
		b.Move(lo, I(0x80))
		b.Move(hi, I(0xbf))
		notLow, notHigh := b.NewLabel("not low lead"), b.NewLabel("not high lead")
		b.Branch(isa.BNE, c, I(seq.lowLead), notLow)
		b.Move(lo, I(seq.low))
		b.Bind(notLow)
		b.Branch(isa.BNE, c, I(seq.highLead), notHigh)
		b.Move(hi, I(seq.high))
		b.Bind(notHigh)
		cont(1, true)
		for k := int32(2); k < int32(seq.k); k++ {
			cont(k, false)
		}
		advance(seq.k)
	}
	b.Bind(ok)
	b.JumpTo(S(slotURet))
}
