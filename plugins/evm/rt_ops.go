package main

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
func (g *gen) prologue() {
	g.mov(oSP, s(up(fSP)))
	g.mov(oFP, s(up(fFP)))
}

// pushWords copies the 256-bit value at [src]+off over the stack item at [sp]+dOff.
func (g *gen) copy256(dst int32, dOff int32, src int32, sOff int32, tmp int32) {
	for k := range int32(8) {
		g.lw(tmp, s(src), sOff+4*k)
		g.sw(tmp, s(dst), dOff+4*k)
	}
}

// inMemory jumps to fast with the offset (the 256-bit stack item at [sp]) in slot oA
// when the n bytes there lie inside the frame's memory, so that no expansion is due.
func (g *gen) inMemory(n int64, fast isa.Label) {
	slow := g.label("im.slow")
	g.high7Zero(oT, oSP, 0, oT2)
	g.beq(oT, i(0), slow)
	g.lw(oA, s(oSP), 0)
	g.add(oT, s(oA), i(n))
	g.bltu(oT, s(oA), slow)
	g.bgeu(up(fMemSz), s(oT), fast)
	g.bind(slow)
}

func (g *gen) opMload() isa.Label {
	mexp := g.mexp()
	return g.routine("opMload", func() {
		g.prologue()
		fast := g.label("ml.fast")
		g.inMemory(32, fast)
		g.callR(mexp, routineFrame, s(oFP), s(oSP), i(0), i(32))
		g.mov(oA, s(nest(0)))
		g.bind(fast)
		g.add(oT, s(up(fMemB)), s(oA))
		g.copy256(oSP, 0, oT, 0, oT2)
		g.ecall(isa.SysU256Unary, oSP, i(isa.U256BSwap))
		g.ret()
	})
}

func (g *gen) opMstore() isa.Label {
	mexp := g.mexp()
	return g.routine("opMstore", func() {
		g.prologue()
		fast := g.label("ms.fast")
		g.inMemory(32, fast)
		g.callR(mexp, routineFrame, s(oFP), s(oSP), i(0), i(32))
		g.mov(oA, s(nest(0)))
		g.bind(fast)
		g.add(oT, s(up(fMemB)), s(oA))
		g.add(oT2, s(oSP), i(32))
		g.ecall(isa.SysU256Unary, oT2, i(isa.U256BSwap))
		g.copy256(oT, 0, oT2, 0, oT3)
		g.add(up(fSP), s(oSP), i(64))
		g.ret()
	})
}

func (g *gen) opMstore8() isa.Label {
	mexp := g.mexp()
	return g.routine("opMstore8", func() {
		g.prologue()
		g.callR(mexp, routineFrame, s(oFP), s(oSP), i(0), i(1))
		g.add(oT, s(up(fMemB)), s(nest(0)))
		g.lw(oT2, s(oSP), 32)
		g.sb(oT2, s(oT), 0)
		g.add(up(fSP), s(oSP), i(64))
		g.ret()
	})
}

// storeArgs are slotGet's arguments for storage or transient storage.
func (g *gen) slotLookup(keyP int32, transient bool, mode int64) {
	slotGet := g.slotGet()
	table, mask := int64(storBuckets), int64(nStorBuckets-1)
	if transient {
		table, mask = tstBuckets, nTstBuckets-1
	}
	g.callR(slotGet, routineFrame, s(up(fSelf)), s(keyP), i(table), i(mask), i(mode))
}

func (g *gen) opSload() isa.Label {
	setw := g.setw()
	return g.routine("opSload", func() {
		g.prologue()
		g.slotLookup(oSP, false, 1)
		g.mov(oA, s(nest(0)))
		g.lw(oT, s(oA), sWarm)
		warm := g.label("sload.warm")
		g.bne(oT, i(0), warm)
		g.chargeUp(i(2000))
		g.add(oT, s(oA), i(sWarm))
		g.callR(setw, routineFrame, s(oT), i(1))
		g.bind(warm)
		g.copy256(oSP, 0, oA, sVal, oT)
		g.ret()
	})
}

// eq256 leaves in slot dst 1 when the 256-bit values at [p]+po and [q]+qo are equal.
func (g *gen) eq256(dst, p, po, q, qo, t1, t2 int32) {
	ne, done := g.label("eq.ne"), g.label("eq.done")
	for k := range int32(8) {
		g.lw(t1, s(p), po+4*k)
		g.lw(t2, s(q), qo+4*k)
		g.bne(t1, s(t2), ne)
	}
	g.mov(dst, i(1))
	g.jmp(done)
	g.bind(ne)
	g.mov(dst, i(0))
	g.bind(done)
}

// opSstore charges EIP-2200/2929/3529 gas and refunds and stores the value.
func (g *gen) opSstore() isa.Label {
	setw, setu := g.setw(), g.setu()
	return g.routine("opSstore", func() {
		const e, cost, refund, curNew, origCur, origZero, curZero, newZero, origNew = oA, oB, oC, oD, oE, oF, 64, 68, 72
		g.prologue()
		g.bne(up(fStatic), i(0), g.failAny)
		stipOK := g.label("ss.stipok")
		g.bne(up(fGasHi), i(0), stipOK)
		g.bgeu(up(fGasLo), i(2301), stipOK)
		g.jmp(g.failAny)
		g.bind(stipOK)
		g.slotLookup(oSP, false, 1)
		g.mov(e, s(nest(0)))
		g.mov(cost, i(0))
		g.lw(oT, s(e), sWarm)
		warm := g.label("ss.warm")
		g.bne(oT, i(0), warm)
		g.mov(cost, i(2100))
		g.add(oT, s(e), i(sWarm))
		g.callR(setw, routineFrame, s(oT), i(1))
		g.bind(warm)
		g.gload(refund, gRefund)
		charged, dirty, noop := g.label("ss.charged"), g.label("ss.dirty"), g.label("ss.noop")
		g.eq256(curNew, e, sVal, oSP, 32, oT, oT2)
		g.bne(curNew, i(0), noop)
		g.eq256(origCur, e, sOrig, e, sVal, oT, oT2)
		g.beq(origCur, i(0), dirty)
		// Clean slot: original = current ≠ new.
		fresh := g.label("ss.fresh")
		g.isZero256(origZero, e, sOrig, oT)
		g.bne(origZero, i(0), fresh)
		g.add(cost, s(cost), i(2900))
		g.isZero256(newZero, oSP, 32, oT)
		g.beq(newZero, i(0), charged)
		g.add(refund, s(refund), i(4800))
		g.jmp(charged)
		g.bind(fresh)
		g.add(cost, s(cost), i(20000))
		g.jmp(charged)
		// Dirty slot: original ≠ current ≠ new.
		g.bind(dirty)
		g.add(cost, s(cost), i(100))
		g.isZero256(origZero, e, sOrig, oT)
		origZ := g.label("ss.origz")
		g.bne(origZero, i(0), origZ)
		g.isZero256(curZero, e, sVal, oT)
		curNZ := g.label("ss.curnz")
		g.beq(curZero, i(0), curNZ)
		g.sub(refund, s(refund), i(4800))
		g.jmp(origZ)
		g.bind(curNZ)
		g.isZero256(newZero, oSP, 32, oT)
		g.beq(newZero, i(0), origZ)
		g.add(refund, s(refund), i(4800))
		g.bind(origZ)
		g.eq256(origNew, e, sOrig, oSP, 32, oT, oT2)
		g.beq(origNew, i(0), charged)
		nz := g.label("ss.restorenz")
		g.beq(origZero, i(0), nz)
		g.add(refund, s(refund), i(19900))
		g.jmp(charged)
		g.bind(nz)
		g.add(refund, s(refund), i(2800))
		g.jmp(charged)
		g.bind(noop)
		g.add(cost, s(cost), i(100))
		g.bind(charged)
		g.chargeUp(s(cost))
		g.callR(setw, routineFrame, i(gRefund), s(refund))
		done := g.label("ss.done")
		g.bne(curNew, i(0), done)
		g.add(oT, s(e), i(sVal))
		g.add(oT2, s(oSP), i(32))
		g.callR(setu, routineFrame, s(oT), s(oT2))
		g.bind(done)
		g.add(up(fSP), s(oSP), i(64))
		g.ret()
	})
}

func (g *gen) opTload() isa.Label {
	return g.routine("opTload", func() {
		g.prologue()
		g.slotLookup(oSP, true, 0)
		missing := g.label("tl.missing")
		g.beq(nest(0), i(0), missing)
		g.mov(oA, s(nest(0)))
		g.copy256(oSP, 0, oA, sVal, oT)
		g.ret()
		g.bind(missing)
		g.ecall(isa.SysU256Set, oSP, i(0))
		g.ret()
	})
}

func (g *gen) opTstore() isa.Label {
	setu := g.setu()
	return g.routine("opTstore", func() {
		g.prologue()
		g.bne(up(fStatic), i(0), g.failAny)
		g.slotLookup(oSP, true, 2)
		g.add(oT, s(nest(0)), i(sVal))
		g.add(oT2, s(oSP), i(32))
		g.callR(setu, routineFrame, s(oT), s(oT2))
		g.add(up(fSP), s(oSP), i(64))
		g.ret()
	})
}

// accessAcct looks up the account whose address is the stack item at [sp]+off into
// slot oA and charges the cold surcharge (2500 above the 100 charged statically).
func (g *gen) accessAcct(off int32) { g.accessAcctCold(off, 2500) }

// accessAcctCold is accessAcct with the surcharge of a cold account given
// (SELFDESTRUCT's static gas has no warm part: it pays all 2600).
func (g *gen) accessAcctCold(off int32, cold int64) {
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

func (g *gen) opBalance() isa.Label {
	return g.routine("opBalance", func() {
		g.prologue()
		g.accessAcct(0)
		g.copy256(oSP, 0, oA, aBal, oT)
		g.ret()
	})
}

func (g *gen) opExtCodeSize() isa.Label {
	return g.routine("opExtCodeSize", func() {
		g.prologue()
		g.accessAcct(0)
		g.lw(oT, s(oA), aCodeLen)
		g.ecall(isa.SysU256Set, oSP, s(oT))
		g.ret()
	})
}

func (g *gen) opExtCodeHash() isa.Label {
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

func (g *gen) opCallDataLoad() isa.Label {
	copyB := g.copyBytes()
	return g.routine("opCallDataLoad", func() {
		g.prologue()
		g.high7Zero(oT, oSP, 0, oT2)
		g.lw(oA, s(oSP), 0)
		g.ecall(isa.SysU256Set, oSP, i(0))
		done := g.label("cdl.done")
		g.beq(oT, i(0), done)
		g.bgeu(oA, s(up(fCDLen)), done)
		g.sub(oB, s(up(fCDLen)), s(oA))
		short := g.label("cdl.short")
		g.bltu(oB, i(32), short)
		g.mov(oB, i(32))
		g.bind(short)
		g.add(oC, s(up(fCDP)), s(oA))
		g.callR(copyB, routineFrame, s(oSP), s(oC), s(oB))
		g.ecall(isa.SysU256Unary, oSP, i(isa.U256BSwap))
		g.bind(done)
		g.ret()
	})
}

// Kinds of opCopy (in T0).
const (
	cpCallData   = 0
	cpCode       = 1
	cpReturnData = 2
	cpExtCode    = 3
	cpMcopy      = 4
)

// zeroBytes(dst, n) zeroes n bytes at any address.
func (g *gen) zeroBytes() isa.Label {
	return g.routine("zeroBytes", func() {
		const dst, n, z = 8, 12, 64
		w, b, done := g.label("zb.w"), g.label("zb.b"), g.label("zb.done")
		g.mov(z, i(0))
		g.bind(w)
		g.bltu(n, i(4), b)
		g.sw(z, s(dst), 0)
		g.add(dst, s(dst), i(4))
		g.sub(n, s(n), i(4))
		g.jmp(w)
		g.bind(b)
		g.beq(n, i(0), done)
		g.sb(z, s(dst), 0)
		g.add(dst, s(dst), i(1))
		g.sub(n, s(n), i(1))
		g.jmp(b)
		g.bind(done)
		g.ret()
	})
}

// opCopy is CALLDATACOPY, CODECOPY, RETURNDATACOPY, EXTCODECOPY and MCOPY.
func (g *gen) opCopy() isa.Label {
	mexp, copyB, zeroB := g.mexp(), g.copyBytes(), g.zeroBytes()
	return g.routine("opCopy", func() {
		const kind, args, dOff, ln, src, avail, srcOff, n = 64, 68, 72, 76, 80, 84, 88, 92
		g.prologue()
		g.mov(kind, s(up(t(0))))
		g.mov(args, s(oSP))
		notExt := g.label("cp.notext")
		g.bne(kind, i(cpExtCode), notExt)
		g.accessAcct(0)
		g.add(args, s(oSP), i(32))
		g.bind(notExt)
		// args: dest offset, source offset, length.
		g.add(oT, s(args), i(64))
		g.callR(mexp, routineFrame, s(oFP), s(args), s(oT), i(0))
		g.mov(dOff, s(nest(0)))
		g.mov(ln, s(nest(1)))
		notM := g.label("cp.notmcopy")
		g.bne(kind, i(cpMcopy), notM)
		g.add(oT, s(args), i(32))
		g.add(oT2, s(args), i(64))
		g.callR(mexp, routineFrame, s(oFP), s(oT), s(oT2), i(0))
		g.bind(notM)
		// 3 gas per word.
		g.add(oT, s(ln), i(31))
		g.srl(oT, s(oT), i(5))
		g.mul(oT, s(oT), i(3))
		g.chargeUp(s(oT))
		// The source and what it holds.
		srcSet := g.label("cp.srcset")
		g.mov(src, s(up(fCDP)))
		g.mov(avail, s(up(fCDLen)))
		g.beq(kind, i(cpCallData), srcSet)
		g.mov(src, s(up(fCode)))
		g.mov(avail, s(up(fCodeLen)))
		g.beq(kind, i(cpCode), srcSet)
		g.mov(src, s(up(fRDP)))
		g.mov(avail, s(up(fRDLen)))
		g.beq(kind, i(cpReturnData), srcSet)
		g.lw(src, s(oA), aCodeP)
		g.lw(avail, s(oA), aCodeLen)
		g.beq(kind, i(cpExtCode), srcSet)
		g.mov(src, s(up(fMemB)))
		g.mov(avail, i(memCap))
		g.bind(srcSet)
		// RETURNDATACOPY past the end of the return data fails the frame.
		notRD := g.label("cp.notrd")
		g.bne(kind, i(cpReturnData), notRD)
		g.high7Zero(oT, args, 32, oT2)
		g.beq(oT, i(0), g.failAny)
		g.lw(oT, s(args), 32)
		g.add(oT2, s(oT), s(ln))
		g.bltu(oT2, s(oT), g.failAny)
		g.bltu(avail, s(oT2), g.failAny)
		g.bind(notRD)
		done := g.label("cp.done")
		g.beq(ln, i(0), done)
		// n = min(length, avail − source offset), 0 past the end.
		g.mov(n, i(0))
		g.high7Zero(oT, args, 32, oT2)
		noSrc := g.label("cp.nosrc")
		g.beq(oT, i(0), noSrc)
		g.lw(srcOff, s(args), 32)
		g.bgeu(srcOff, s(avail), noSrc)
		g.sub(n, s(avail), s(srcOff))
		fits := g.label("cp.fits")
		g.bltu(n, s(ln), fits)
		g.mov(n, s(ln))
		g.bind(fits)
		g.add(src, s(src), s(srcOff))
		g.add(oT, s(up(fMemB)), s(dOff))
		g.callR(copyB, routineFrame, s(oT), s(src), s(n))
		g.bind(noSrc)
		g.add(oT, s(up(fMemB)), s(dOff))
		g.add(oT, s(oT), s(n))
		g.sub(oT2, s(ln), s(n))
		g.callR(zeroB, routineFrame, s(oT), s(oT2))
		g.bind(done)
		g.add(up(fSP), s(args), i(96))
		g.ret()
	})
}

func (g *gen) opSha3() isa.Label {
	mexp, keccak := g.mexp(), g.keccak()
	return g.routine("opSha3", func() {
		g.prologue()
		g.add(oT, s(oSP), i(32))
		g.callR(mexp, routineFrame, s(oFP), s(oSP), s(oT), i(0))
		g.mov(oA, s(nest(0)))
		g.mov(oB, s(nest(1)))
		g.add(oT, s(oB), i(31))
		g.srl(oT, s(oT), i(5))
		g.mul(oT, s(oT), i(6))
		g.chargeUp(s(oT))
		g.add(oT, s(up(fMemB)), s(oA))
		g.add(oT2, s(oSP), i(32))
		g.callR(keccak, routineFrame, s(oT), s(oB), s(oT2))
		g.add(up(fSP), s(oSP), i(32))
		g.ret()
	})
}

// opExp is EXP: 50 gas per byte of the exponent, then square and multiply with
// u256_mul on T (gU1), R (gU2) and the base (gU4 = gU1 + 96).
func (g *gen) opExp() isa.Label {
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
func (g *gen) copyTo(dst uint32, src int32, off int32, tmp int32) {
	for k := range int32(8) {
		g.lw(tmp, s(src), off+4*k)
		g.sw(tmp, i(int64(dst)), 4*k)
	}
}

// copyFrom copies the 256-bit value at the absolute address src to [dst]+off.
func (g *gen) copyFrom(dst int32, off int32, src uint32, tmp int32) {
	for k := range int32(8) {
		g.lw(tmp, i(int64(src)), 4*k)
		g.sw(tmp, s(dst), off+4*k)
	}
}

func (g *gen) opSignExtend() isa.Label {
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

func (g *gen) opByte() isa.Label {
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

func (g *gen) opBlockHash() isa.Label {
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
func (g *gen) opLog() isa.Label {
	mexp, charge, jw, copyB := g.mexp(), g.charge(), g.jw(), g.copyBytes()
	return g.routine("opLog", func() {
		const n, off, ln, rec, k = oA, oB, oC, oD, oE
		g.prologue()
		g.bne(up(fStatic), i(0), g.failAny)
		g.mov(n, s(up(t(0))))
		g.add(oT, s(oSP), i(32))
		g.callR(mexp, routineFrame, s(oFP), s(oSP), s(oT), i(0))
		g.mov(off, s(nest(0)))
		g.mov(ln, s(nest(1)))
		g.sll(oT, s(ln), i(3))
		g.srl(oT2, s(ln), i(29))
		g.callR(charge, routineFrame, s(oFP), s(oT), s(oT2))
		g.callR(jw, routineFrame, i(gLogTop))
		g.gload(rec, gLogTop)
		// The record must fit in the log area.
		g.add(oT, s(ln), i(40+4*32+3))
		g.sub(oT2, i(logEnd), s(rec))
		g.bltu(oT2, s(oT), g.resourceTrap)
		g.copy256(rec, 0, up(fSelf), aAddr, oT)
		g.sw(n, s(rec), 32)
		g.sw(ln, s(rec), 36)
		g.add(rec, s(rec), i(40))
		g.mov(k, i(0))
		g.add(oT3, s(oSP), i(64))
		topics, tdone := g.label("log.topics"), g.label("log.tdone")
		g.bind(topics)
		g.bgeu(k, s(n), tdone)
		g.copy256(rec, 0, oT3, 0, oT)
		g.add(rec, s(rec), i(32))
		g.add(oT3, s(oT3), i(32))
		g.add(k, s(k), i(1))
		g.jmp(topics)
		g.bind(tdone)
		g.add(oT, s(up(fMemB)), s(off))
		g.callR(copyB, routineFrame, s(rec), s(oT), s(ln))
		g.add(rec, s(rec), s(ln))
		g.add(rec, s(rec), i(3))
		g.and(rec, s(rec), i(-4))
		g.gstore(rec, gLogTop)
		g.mov(up(fSP), s(oT3))
		g.ret()
	})
}

// opReturn is RETURN and REVERT (T0: 0 or 1): the frame's output and status, then it
// leaves the frame.
func (g *gen) opReturn() isa.Label {
	mexp := g.mexp()
	return g.routine("opReturn", func() {
		g.prologue()
		g.add(oT, s(oSP), i(32))
		g.callR(mexp, routineFrame, s(oFP), s(oSP), s(oT), i(0))
		g.add(up(fOutP), s(up(fMemB)), s(nest(0)))
		g.mov(up(fOutLen), s(nest(1)))
		g.mov(up(fStatus), s(up(t(0))))
		g.leaveFrom()
	})
}

func (g *gen) opSelfDestruct() isa.Label {
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
func (g *gen) neg256(p, tmp int32) {
	g.setAbs(gU0, i(0), tmp)
	g.copyTo(gU1, p, 0, tmp)
	g.u256At(isa.SysU256Sub, gU0, 0, tmp)
	g.copyFrom(p, 0, gU1, tmp)
}

// opSDiv is SDIV and SMOD (T0: 0 or 1): the unsigned division of the magnitudes, then
// the sign (of x·y for SDIV, of x for SMOD). y = 0 gives 0; −2^255 / −1 wraps to −2^255.
func (g *gen) opSDiv() isa.Label {
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

// opShift is SHL, SHR and SAR (T0: 0, 1, 2): a multiplication or a division by 2^s,
// built in place of the shift amount s; SAR of a negative value complements around it.
func (g *gen) opShift() isa.Label {
	return g.routine("opShift", func() {
		const kind, y, w, neg = oA, oB, oC, oD
		g.prologue()
		g.mov(kind, s(up(t(0))))
		g.add(y, s(oSP), i(32))
		g.mov(neg, i(0))
		notSar := g.label("sh.notsar")
		g.bne(kind, i(2), notSar)
		g.lw(neg, s(oSP), 60)
		g.srl(neg, s(neg), i(31))
		g.bind(notSar)
		big, done := g.label("sh.big"), g.label("sh.done")
		g.high7Zero(oT, oSP, 0, oT2)
		g.beq(oT, i(0), big)
		g.lw(oT, s(oSP), 0)
		g.bgeu(oT, i(256), big)
		// 2^s at [sp]: word s/32 holds 1 << s%32.
		g.ecall(isa.SysU256Set, oSP, i(0))
		g.srl(w, s(oT), i(5))
		g.sll(w, s(w), i(2))
		g.add(w, s(w), s(oSP))
		g.and(oT, s(oT), i(31))
		g.sll(oT2, i(1), s(oT))
		g.sw(oT2, s(w), 0)
		isRight := g.label("sh.right")
		g.bne(kind, i(0), isRight)
		g.ecall(isa.SysU256Mul, oSP, i(0))
		g.jmp(done)
		g.bind(isRight)
		g.ecall(isa.SysU256Swap, oSP, i(32))
		noNot := g.label("sh.nonot")
		g.beq(neg, i(0), noNot)
		g.ecall(isa.SysU256Unary, oSP, i(isa.U256Not))
		g.bind(noNot)
		g.ecall(isa.SysU256Div, oSP, i(0))
		g.beq(neg, i(0), done)
		g.ecall(isa.SysU256Unary, y, i(isa.U256Not))
		g.jmp(done)
		// s ≥ 256: 0, or all ones for SAR of a negative value.
		g.bind(big)
		g.ecall(isa.SysU256Set, y, i(0))
		g.beq(neg, i(0), done)
		g.ecall(isa.SysU256Unary, y, i(isa.U256Not))
		g.bind(done)
		g.mov(up(fSP), s(y))
		g.ret()
	})
}
