package runtime

import (
	"github.com/oneiros-zk/oneiros/core/isa"
)

// Top-level routines of the opcodes too long to inline. Each is called from the EVM
// frame with frame offset frameSize (so up(f) reaches field f of the frame), finds its
// operands on the EVM stack, leaves its result there and updates the stack pointer.
// Arguments beyond the stack (a kind, a count) are in the frame's scratch word T0.
// The static part of each opcode's gas was charged by the code that called it.

// Common locals of the op routines.

const (
	oSP, oFP, oT, oT2, oT3, oT4, oT5, oT6 = 8, 12, 16, 20, 24, 28, 32, 36
	oA, oB, oC, oD, oE, oF                = 40, 44, 48, 52, 56, 60
)

// prologue loads the stack pointer and the EVM frame's fp.

func (g *Gen) prologue() {
	g.mov(oSP, s(up(fSP)))
	g.mov(oFP, s(up(fFP)))
}

// pushWords copies the 256-bit value at [src]+off over the stack item at [sp]+dOff.

func (g *Gen) copy256(dst int32, dOff int32, src int32, sOff int32, tmp int32) {
	for k := range int32(8) {
		g.lw(tmp, s(src), sOff+4*k)
		g.sw(tmp, s(dst), dOff+4*k)
	}
}

// inMemory jumps to fast with the offset (the 256-bit stack item at [sp]) in slot oA

// when the n bytes there lie inside the frame's memory, so that no expansion is due.

func (g *Gen) accessAcct(off int32) { g.accessAcctCold(off, 2500) }

// accessAcctCold is accessAcct with the surcharge of a cold account given

// (SELFDESTRUCT's static gas has no warm part: it pays all 2600).

func (g *Gen) accessAcctCold(off int32, cold int64) {
	acctGet, warm := g.acctGet(), g.warmAcct()
	g.add(oT, s(oSP), i(int64(off)))
	g.callR(acctGet, routineFrame, s(oT))
	g.mov(oA, s(nest(0)))
	g.callR(warm, routineFrame, s(oA))
	ok := g.label("acc.warm")
	g.beq(nest(0), i(0), ok)
	g.chargeUp(i(cold))
	g.bind(ok)
}

func (g *Gen) opBalance() isa.Label {
	return g.routine("opBalance", func() {
		g.prologue()
		g.accessAcct(0)
		g.copy256(oSP, 0, oA, aBal, oT)
		g.ret()
	})
}

func (g *Gen) opExtCodeSize() isa.Label {
	return g.routine("opExtCodeSize", func() {
		g.prologue()
		g.accessAcct(0)
		g.lw(oT, s(oA), aCodeLen)
		g.ecall(isa.SysU256Set, oSP, s(oT))
		g.ret()
	})
}

func (g *Gen) opExtCodeHash() isa.Label {
	isEmpty := g.isEmpty()
	return g.routine("opExtCodeHash", func() {
		g.prologue()
		g.accessAcct(0)
		g.callR(isEmpty, routineFrame, s(oA))
		empty := g.label("ech.empty")
		g.bne(nest(0), i(0), empty)
		g.copy256(oSP, 0, oA, aHash, oT)
		g.ret()
		g.bind(empty)
		g.ecall(isa.SysU256Set, oSP, i(0))
		g.ret()
	})
}

const (
	cpCallData   = 0
	cpCode       = 1
	cpReturnData = 2
	cpExtCode    = 3
	cpMcopy      = 4
)

// zeroBytes(dst, n) zeroes n bytes at any address.

func (g *Gen) opExp() isa.Label {
	return g.routine("opExp", func() {
		const top, w, bits, nb, idx, bit, started, p = oA, oB, oC, oD, oE, oF, 64, 68
		g.prologue()
		// The exponent's top non-zero word.
		g.add(oT, s(oSP), i(32))
		g.mov(top, i(7))
		find, found, zero := g.label("exp.find"), g.label("exp.found"), g.label("exp.zero")
		g.bind(find)
		g.sll(oT2, s(top), i(2))
		g.add(oT2, s(oT2), s(oT))
		g.lw(w, s(oT2), 0)
		g.bne(w, i(0), found)
		g.beq(top, i(0), zero)
		g.sub(top, s(top), i(1))
		g.jmp(find)
		g.bind(found)
		// Bytes of the exponent: 4·top + bytes of w.
		g.mov(nb, i(0))
		g.mov(oT2, s(w))
		cnt, counted := g.label("exp.cnt"), g.label("exp.counted")
		g.bind(cnt)
		g.beq(oT2, i(0), counted)
		g.srl(oT2, s(oT2), i(8))
		g.add(nb, s(nb), i(1))
		g.jmp(cnt)
		g.bind(counted)
		g.sll(oT2, s(top), i(2))
		g.add(nb, s(nb), s(oT2))
		g.mul(oT2, s(nb), i(50))
		g.chargeUp(s(oT2))
		// R = 1, base at gU4, exponent at gU5.
		g.mov(p, i(gU2))
		g.ecall(isa.SysU256Set, p, i(1))
		g.copyTo(gU4, oSP, 0, oT2)
		g.copyTo(gU5, oSP, 32, oT2)
		g.mov(p, i(gU1))
		g.mov(started, i(0))
		g.mov(idx, s(top))
		wordLoop, bitLoop, nextBit, nextWord, done := g.label("exp.word"), g.label("exp.bit"), g.label("exp.nextbit"), g.label("exp.nextword"), g.label("exp.done")
		g.bind(wordLoop)
		g.sll(oT2, s(idx), i(2))
		g.lw(w, s(oT2), gU5)
		g.mov(bit, i(31))
		g.bind(bitLoop)
		noSq := g.label("exp.nosq")
		g.beq(started, i(0), noSq)
		g.ecall(isa.SysU256Copy, p, i(32)) // T = R
		g.ecall(isa.SysU256Mul, p, i(0))   // R = T·R
		g.bind(noSq)
		g.srl(oT2, s(w), s(bit))
		g.and(oT2, s(oT2), i(1))
		g.beq(oT2, i(0), nextBit)
		g.ecall(isa.SysU256Copy, p, i(96)) // T = base
		g.ecall(isa.SysU256Mul, p, i(0))   // R = base·R
		g.mov(started, i(1))
		g.bind(nextBit)
		g.beq(bit, i(0), nextWord)
		g.sub(bit, s(bit), i(1))
		g.jmp(bitLoop)
		g.bind(nextWord)
		g.beq(idx, i(0), done)
		g.sub(idx, s(idx), i(1))
		g.jmp(wordLoop)
		g.bind(done)
		g.copyFrom(oSP, 32, gU2, oT2)
		g.add(up(fSP), s(oSP), i(32))
		g.ret()
		// x^0 = 1.
		g.bind(zero)
		g.add(oT2, s(oSP), i(32))
		g.ecall(isa.SysU256Set, oT2, i(1))
		g.add(up(fSP), s(oSP), i(32))
		g.ret()
	})
}

// copyTo copies the 256-bit value at [src]+off to the absolute address dst.

func (g *Gen) copyTo(dst uint32, src int32, off int32, tmp int32) {
	for k := range int32(8) {
		g.lw(tmp, s(src), off+4*k)
		g.sw(tmp, i(int64(dst)), 4*k)
	}
}

// copyFrom copies the 256-bit value at the absolute address src to [dst]+off.

func (g *Gen) copyFrom(dst int32, off int32, src uint32, tmp int32) {
	for k := range int32(8) {
		g.lw(tmp, i(int64(src)), 4*k)
		g.sw(tmp, s(dst), off+4*k)
	}
}

func (g *Gen) opSignExtend() isa.Label {
	return g.routine("opSignExtend", func() {
		const bitpos, wi, j, addr, w, mask, fill = oA, oB, oC, oD, oE, oF, 64
		g.prologue()
		done := g.label("sx.done")
		g.high7Zero(oT, oSP, 0, oT2)
		g.beq(oT, i(0), done)
		g.lw(oT, s(oSP), 0)
		g.bgeu(oT, i(31), done)
		g.sll(bitpos, s(oT), i(3))
		g.add(bitpos, s(bitpos), i(7))
		g.srl(wi, s(bitpos), i(5))
		g.and(j, s(bitpos), i(31))
		g.sll(addr, s(wi), i(2))
		g.add(addr, s(addr), s(oSP))
		g.lw(w, s(addr), 32)
		g.sll(mask, i(2), s(j))
		g.sub(mask, s(mask), i(1)) // bits 0 … j (all ones for j = 31)
		g.srl(oT, s(w), s(j))
		g.and(oT, s(oT), i(1))
		neg, stored := g.label("sx.neg"), g.label("sx.stored")
		g.bne(oT, i(0), neg)
		g.and(w, s(w), s(mask))
		g.mov(fill, i(0))
		g.jmp(stored)
		g.bind(neg)
		g.xor(oT, s(mask), i(-1))
		g.or(w, s(w), s(oT))
		g.mov(fill, i(-1))
		g.bind(stored)
		g.sw(w, s(addr), 32)
		fillLoop := g.label("sx.fill")
		g.bind(fillLoop)
		g.add(wi, s(wi), i(1))
		g.add(addr, s(addr), i(4))
		g.bgeu(wi, i(8), done)
		g.sw(fill, s(addr), 32)
		g.jmp(fillLoop)
		g.bind(done)
		g.add(up(fSP), s(oSP), i(32))
		g.ret()
	})
}

func (g *Gen) opByte() isa.Label {
	return g.routine("opByte", func() {
		g.prologue()
		zero, set := g.label("byte.zero"), g.label("byte.set")
		g.high7Zero(oT, oSP, 0, oT2)
		g.beq(oT, i(0), zero)
		g.lw(oT, s(oSP), 0)
		g.bgeu(oT, i(32), zero)
		g.sub(oT, i(31), s(oT)) // little-endian byte index
		g.srl(oA, s(oT), i(2))
		g.sll(oA, s(oA), i(2))
		g.add(oA, s(oA), s(oSP))
		g.lw(oB, s(oA), 32)
		g.and(oT, s(oT), i(3))
		g.sll(oT, s(oT), i(3))
		g.srl(oB, s(oB), s(oT))
		g.and(oB, s(oB), i(0xff))
		g.jmp(set)
		g.bind(zero)
		g.mov(oB, i(0))
		g.bind(set)
		g.add(oT, s(oSP), i(32))
		g.ecall(isa.SysU256Set, oT, s(oB))
		g.add(up(fSP), s(oSP), i(32))
		g.ret()
	})
}

func (g *Gen) opBlockHash() isa.Label {
	return g.routine("opBlockHash", func() {
		g.prologue()
		zero, loop, found := g.label("bh.zero"), g.label("bh.loop"), g.label("bh.found")
		g.high7Zero(oT, oSP, 0, oT2)
		g.beq(oT, i(0), zero)
		g.gload(oT2, txNumHi)
		g.bne(oT2, i(0), zero)
		g.lw(oA, s(oSP), 0)
		g.gload(oB, txNumLo)
		g.bgeu(oA, s(oB), zero) // not before the current block
		g.sub(oT, s(oB), s(oA))
		g.bgeu(oT, i(257), zero)
		g.gload(oC, txBHP)
		g.gload(oD, txBHLen)
		g.bind(loop)
		g.beq(oD, i(0), zero)
		g.lw(oT, s(oC), 0)
		g.beq(oT, s(oA), found)
		g.add(oC, s(oC), i(36))
		g.sub(oD, s(oD), i(1))
		g.jmp(loop)
		g.bind(found)
		g.copy256(oSP, 0, oC, 4, oT)
		g.ret()
		g.bind(zero)
		g.ecall(isa.SysU256Set, oSP, i(0))
		g.ret()
	})
}

// opLog is LOG0 … LOG4 (the topic count in T0). A log record in the log area is the

// address (32 bytes), the topic count, the data length, the topics and the data padded

// to 4 bytes.

func (g *Gen) opSelfDestruct() isa.Label {
	isEmpty, setw, setu, transfer := g.isEmpty(), g.setw(), g.setu(), g.transfer()
	return g.routine("opSelfDestruct", func() {
		g.prologue()
		g.bne(up(fStatic), i(0), g.failAny)
		g.accessAcctCold(0, 2600)
		g.mov(oB, s(up(fSelf)))
		g.isZero256(oT, oB, aBal, oT2)
		noNew := g.label("sd.nonew")
		g.bne(oT, i(0), noNew)
		g.callR(isEmpty, routineFrame, s(oA))
		g.beq(nest(0), i(0), noNew)
		g.chargeUp(i(25000))
		g.bind(noNew)
		g.add(oT, s(oA), i(aExists))
		g.callR(setw, routineFrame, s(oT), i(1))
		g.copyTo(gU3, oB, aBal, oT)
		g.callR(transfer, routineFrame, s(oB), s(oA), i(gU3))
		g.lw(oT, s(oB), aCreated)
		kept := g.label("sd.kept")
		g.beq(oT, i(0), kept)
		g.add(oT, s(oB), i(aDestruct))
		g.callR(setw, routineFrame, s(oT), i(1))
		g.mov(oT, i(gU3))
		g.ecall(isa.SysU256Set, oT, i(0))
		g.add(oT, s(oB), i(aBal))
		g.callR(setu, routineFrame, s(oT), i(gU3))
		g.bind(kept)
		g.mov(up(fStatus), i(stSuccess))
		g.mov(up(fOutLen), i(0))
		g.leaveFrom()
	})
}

// neg256 negates the 256-bit value at [p] in place (two's complement), through gU0, gU1.

func (g *Gen) neg256(p, tmp int32) {
	g.setAbs(gU0, i(0), tmp)
	g.copyTo(gU1, p, 0, tmp)
	g.u256At(isa.SysU256Sub, gU0, 0, tmp)
	g.copyFrom(p, 0, gU1, tmp)
}

// opSDiv is SDIV and SMOD (T0: 0 or 1): the unsigned division of the magnitudes, then

// the sign (of x·y for SDIV, of x for SMOD). y = 0 gives 0; −2^255 / −1 wraps to −2^255.

func (g *Gen) opSDiv() isa.Label {
	return g.routine("opSDiv", func() {
		const kind, sx, sy, y = oA, oB, oC, oD
		g.prologue()
		g.mov(kind, s(up(t(0))))
		g.add(y, s(oSP), i(32))
		g.lw(sx, s(oSP), 28)
		g.srl(sx, s(sx), i(31))
		g.lw(sy, s(oSP), 60)
		g.srl(sy, s(sy), i(31))
		px, py := g.label("sd.px"), g.label("sd.py")
		g.beq(sx, i(0), px)
		g.neg256(oSP, oT)
		g.bind(px)
		g.beq(sy, i(0), py)
		g.neg256(y, oT)
		g.bind(py)
		isMod, signed := g.label("sd.mod"), g.label("sd.signed")
		g.bne(kind, i(0), isMod)
		g.ecall(isa.SysU256Div, oSP, i(0))
		g.xor(sx, s(sx), s(sy))
		g.jmp(signed)
		g.bind(isMod)
		g.ecall(isa.SysU256Mod, oSP, i(0))
		g.bind(signed)
		done := g.label("sd.done")
		g.beq(sx, i(0), done)
		g.neg256(y, oT)
		g.bind(done)
		g.mov(up(fSP), s(y))
		g.ret()
	})
}
