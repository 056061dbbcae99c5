package runtime

import (
	"github.com/oneiros-zk/oneiros/core/isa"
)

// Memory opcodes: MLOAD, MSTORE, MSTORE8, CALLDATALOAD, the copies (CALLDATACOPY, CODECOPY,
// RETURNDATACOPY, EXTCODECOPY, MCOPY), SHA3, LOG0 … LOG4, RETURN and REVERT.

func (g *Gen) inMemory(n int64, fast isa.Label) {
	slow := g.label("im.slow")
	g.high7Zero(oT, oSP, 0, oT2)
	g.beq(oT, i(0), slow)
	g.lw(oA, s(oSP), 0)
	g.add(oT, s(oA), i(n))
	g.bltu(oT, s(oA), slow)
	g.bgeu(up(fMemSz), s(oT), fast)
	g.bind(slow)
}

func (g *Gen) opMload() isa.Label {
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

func (g *Gen) opMstore() isa.Label {
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

func (g *Gen) opMstore8() isa.Label {
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

// eq256 leaves in slot dst 1 when the 256-bit values at [p]+po and [q]+qo are equal.

// opSstore charges EIP-2200/2929/3529 gas and refunds and stores the value.

// accessAcct looks up the account whose address is the stack item at [sp]+off into

// slot oA and charges the cold surcharge (2500 above the 100 charged statically).

func (g *Gen) opCallDataLoad() isa.Label {
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

func (g *Gen) zeroBytes() isa.Label {
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

func (g *Gen) opCopy() isa.Label {
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

func (g *Gen) opSha3() isa.Label {
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

func (g *Gen) opLog() isa.Label {
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

func (g *Gen) opReturn() isa.Label {
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
