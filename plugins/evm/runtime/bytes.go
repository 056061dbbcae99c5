package runtime

import (
	"github.com/oneiros-zk/oneiros/core/isa"
)

// Gas, memory expansion, byte copies and Keccak-256.

func (g *Gen) charge() isa.Label {
	return g.routine("charge", func() {
		const fp, lo, hi, gl, gh, b = 8, 12, 16, 64, 68, 72
		ok := g.label("ch.ok")
		g.lw(gl, s(fp), fGasLo)
		g.lw(gh, s(fp), fGasHi)
		g.bltu(gh, s(hi), g.failAny)
		g.bne(gh, s(hi), ok)
		g.bltu(gl, s(lo), g.failAny)
		g.bind(ok)
		g.sltu(b, s(gl), s(lo))
		g.sub(gl, s(gl), s(lo))
		g.sub(gh, s(gh), s(hi))
		g.sub(gh, s(gh), s(b))
		g.sw(gl, s(fp), fGasLo)
		g.sw(gh, s(fp), fGasHi)
		g.ret()
	})
}

func (g *Gen) chargeUp(lo isa.Operand) {
	ok := g.label("cu.ok")
	g.bgeu(up(fGasLo), lo, ok)
	g.beq(up(fGasHi), i(0), g.failAny)
	g.sub(up(fGasHi), s(up(fGasHi)), i(1))
	g.bind(ok)
	g.sub(up(fGasLo), s(up(fGasLo)), lo)
}

const memCap = 1 << 30

func (g *Gen) mexp() isa.Label {
	charge, zero := g.charge(), g.zeroFill()
	return g.routine("mexp", func() {
		const fp, offP, lenP, n = 8, 12, 16, 20
		const off, ln, end, w, t, cur, lo, hi, lo2, hi2, c = 64, 68, 72, 76, 80, 84, 88, 92, 96, 100, 104
		haveLen, empty, sized := g.label("mx.havelen"), g.label("mx.empty"), g.label("mx.sized")
		g.mov(ln, s(n))
		g.beq(lenP, i(0), haveLen)
		g.isZero256(t, lenP, 0, w)
		g.bne(t, i(0), empty)
		g.high7Zero(t, lenP, 0, w)
		g.beq(t, i(0), g.failAny)
		g.lw(ln, s(lenP), 0)
		g.bind(haveLen)
		g.high7Zero(t, offP, 0, w)
		g.beq(t, i(0), g.failAny)
		g.lw(off, s(offP), 0)
		g.bgeu(off, i(memCap), g.failAny)
		g.bgeu(ln, i(memCap), g.failAny)
		g.add(end, s(off), s(ln))
		g.add(w, s(end), i(31))
		g.srl(w, s(w), i(5)) // new size in words
		g.lw(cur, s(fp), fMemSz)
		g.sll(t, s(w), i(5))
		g.bgeu(cur, s(t), sized)
		// cost(w) = 3w + w²/512, as 64 bits (hi, lo); the old cost likewise.
		cost := func(w, lo, hi int32) {
			g.mul(lo, s(w), s(w))
			g.mulhu(hi, s(w), s(w))
			g.srl(lo, s(lo), i(9))
			g.sll(c, s(hi), i(23))
			g.or(lo, s(lo), s(c))
			g.srl(hi, s(hi), i(9))
			g.mul(c, s(w), i(3))
			g.add(lo, s(lo), s(c))
			g.sltu(c, s(lo), s(c))
			g.add(hi, s(hi), s(c))
		}
		cost(w, lo, hi)
		g.srl(t, s(cur), i(5))
		cost(t, lo2, hi2)
		g.sltu(c, s(lo), s(lo2))
		g.sub(lo, s(lo), s(lo2))
		g.sub(hi, s(hi), s(hi2))
		g.sub(hi, s(hi), s(c))
		g.callR(charge, routineFrame, s(fp), s(lo), s(hi))
		// The new size must fit below memEnd (frames' memories are stacked).
		g.sll(t, s(w), i(5))
		g.lw(c, s(fp), fMemB)
		g.sub(lo, i(memEnd), s(c))
		g.bltu(lo, s(t), g.failAny)
		g.sw(t, s(fp), fMemSz)
		// Zero what earlier frames left between the old and the new end.
		g.add(lo, s(c), s(cur)) // old end
		g.add(hi, s(c), s(t))   // new end
		g.gload(c, gMemDirty)
		clip := g.label("mx.clip")
		g.bgeu(lo, s(c), sized)
		g.bltu(hi, s(c), clip)
		g.mov(hi, s(c))
		g.bind(clip)
		g.sub(hi, s(hi), s(lo))
		g.callR(zero, routineFrame, s(lo), s(hi))
		g.bind(sized)
		g.mov(arg(0), s(off))
		g.mov(arg(1), s(ln))
		g.ret()
		g.bind(empty)
		g.mov(arg(0), i(0))
		g.mov(arg(1), i(0))
		g.ret()
	})
}

func (g *Gen) zeroFill() isa.Label {
	return g.routine("zeroFill", func() {
		const dst, n, z, end = 8, 12, 64, 68
		loop, done := g.label("zf.loop"), g.label("zf.done")
		g.mov(z, i(0))
		g.add(end, s(dst), s(n))
		g.bind(loop)
		g.bgeu(dst, s(end), done)
		for k := range int32(8) {
			g.sw(z, s(dst), 4*k)
		}
		g.add(dst, s(dst), i(32))
		g.jmp(loop)
		g.bind(done)
		g.ret()
	})
}

func (g *Gen) copyBytes() isa.Label {
	return g.routine("copyBytes", func() {
		const dst, src, n, v, end = 8, 12, 16, 64, 68
		fwd, back := g.label("cb.fwd"), g.label("cb.back")
		// Backward when dst lies inside (src, src+n).
		g.bgeu(src, s(dst), fwd)
		g.add(end, s(src), s(n))
		g.bltu(dst, s(end), back)
		g.bind(fwd)
		{
			w32, w4, b1, done := g.label("cf.w32"), g.label("cf.w4"), g.label("cf.b1"), g.label("cf.done")
			g.bind(w32)
			g.bltu(n, i(32), w4)
			for k := range int32(8) {
				g.lw(v, s(src), 4*k)
				g.sw(v, s(dst), 4*k)
			}
			g.add(src, s(src), i(32))
			g.add(dst, s(dst), i(32))
			g.sub(n, s(n), i(32))
			g.jmp(w32)
			g.bind(w4)
			g.bltu(n, i(4), b1)
			g.lw(v, s(src), 0)
			g.sw(v, s(dst), 0)
			g.add(src, s(src), i(4))
			g.add(dst, s(dst), i(4))
			g.sub(n, s(n), i(4))
			g.jmp(w4)
			g.bind(b1)
			g.beq(n, i(0), done)
			g.lbu(v, s(src), 0)
			g.sb(v, s(dst), 0)
			g.add(src, s(src), i(1))
			g.add(dst, s(dst), i(1))
			g.sub(n, s(n), i(1))
			g.jmp(b1)
			g.bind(done)
			g.ret()
		}
		g.bind(back)
		{
			// From the end: src and dst point past the bytes left.
			g.add(src, s(src), s(n))
			g.add(dst, s(dst), s(n))
			w4, b1, done := g.label("cr.w4"), g.label("cr.b1"), g.label("cr.done")
			g.bind(w4)
			g.bltu(n, i(4), b1)
			g.lw(v, s(src), -4)
			g.sw(v, s(dst), -4)
			g.sub(src, s(src), i(4))
			g.sub(dst, s(dst), i(4))
			g.sub(n, s(n), i(4))
			g.jmp(w4)
			g.bind(b1)
			g.beq(n, i(0), done)
			g.lbu(v, s(src), -1)
			g.sb(v, s(dst), -1)
			g.sub(src, s(src), i(1))
			g.sub(dst, s(dst), i(1))
			g.sub(n, s(n), i(1))
			g.jmp(b1)
			g.bind(done)
			g.ret()
		}
	})
}

func (g *Gen) keccak() isa.Label {
	return g.routine("keccak", func() {
		const ptr, ln, out, v, w, nw, st, z, tgt = 8, 12, 16, 64, 68, 72, 76, 80, 84
		g.mov(st, i(gKeccak))
		g.mov(z, i(0))
		for j := range int32(50) {
			g.sw(z, i(gKeccak), 4*j)
		}
		// xorWord XORs message word j (4 bytes at ptr + 4j, any alignment) into the state.
		xorWord := func(j int32) {
			g.lw(v, s(ptr), 4*j)
			g.lw(w, i(gKeccak), 4*j)
			g.xor(w, s(w), s(v))
			g.sw(w, i(gKeccak), 4*j)
		}
		full, last, tail := g.label("kk.full"), g.label("kk.last"), g.label("kk.tail")
		// Full 136-byte blocks straight from the message.
		g.bind(full)
		g.bltu(ln, i(136), last)
		for j := range int32(34) {
			xorWord(j)
		}
		g.ecall(isa.SysKeccakF, st, i(0))
		g.add(ptr, s(ptr), i(136))
		g.sub(ln, s(ln), i(136))
		g.jmp(full)
		// The last block: its nw whole words through an unrolled run entered at word
		// nw − 1 (4 instructions a word, words in decreasing order)…
		g.bind(last)
		g.srl(nw, s(ln), i(2))
		g.beq(nw, i(0), tail)
		duff := g.label("kk.duff")
		g.b.Move(tgt, isa.LabelImm(duff))
		g.sub(v, i(34), s(nw))
		g.sll(v, s(v), i(2))
		g.add(tgt, s(tgt), s(v))
		g.jmpSlot(tgt)
		g.bind(duff)
		for j := int32(33); j >= 0; j-- {
			xorWord(j)
		}
		// …then the last 0 to 3 bytes with the padding's 0x01 after them, and its 0x80
		// at byte 135 (pad10*1).
		g.bind(tail)
		g.and(w, s(ln), i(3))
		g.sll(w, s(w), i(3)) // 8·(len mod 4)
		g.mov(v, i(0))
		noBytes := g.label("kk.nobytes")
		g.beq(w, i(0), noBytes)
		g.sll(tgt, s(nw), i(2))
		g.add(tgt, s(tgt), s(ptr))
		g.lw(v, s(tgt), 0)
		g.sll(tgt, i(1), s(w))
		g.sub(tgt, s(tgt), i(1))
		g.and(v, s(v), s(tgt))
		g.bind(noBytes)
		g.sll(tgt, i(1), s(w))
		g.xor(v, s(v), s(tgt))
		g.sll(tgt, s(nw), i(2))
		g.add(tgt, s(tgt), i(gKeccak))
		g.lw(w, s(tgt), 0)
		g.xor(w, s(w), s(v))
		g.sw(w, s(tgt), 0)
		g.lw(w, i(gKeccak), 132)
		g.xor(w, s(w), i(0x80000000))
		g.sw(w, i(gKeccak), 132)
		g.ecall(isa.SysKeccakF, st, i(0))
		for j := range int32(8) {
			g.lw(v, i(gKeccak), 4*j)
			g.sw(v, s(out), 4*j)
		}
		g.ecall(isa.SysU256Unary, out, i(isa.U256BSwap))
		g.ret()
	})
}
