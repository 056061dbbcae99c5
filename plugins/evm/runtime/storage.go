package runtime

import (
	"github.com/oneiros-zk/oneiros/core/isa"
)

// Storage and transient storage: SLOAD, SSTORE (EIP-2200, EIP-2929 and EIP-3529 gas and
// refunds), TLOAD and TSTORE.

// slotLookup calls slotGet for the key at [keyP] of the executing account, in storage or
// transient storage, with mode 0 (find), 1 or 2 (add when missing).
func (g *Gen) slotLookup(keyP int32, transient bool, mode int64) {
	slotGet := g.slotGet()
	table, mask := int64(storBuckets), int64(nStorBuckets-1)
	if transient {
		table, mask = tstBuckets, nTstBuckets-1
	}
	g.callR(slotGet, routineFrame, s(up(fSelf)), s(keyP), i(table), i(mask), i(mode))
}

func (g *Gen) opSload() isa.Label {
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

func (g *Gen) eq256(dst, p, po, q, qo, t1, t2 int32) {
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

func (g *Gen) opSstore() isa.Label {
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

func (g *Gen) opTload() isa.Label {
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

func (g *Gen) opTstore() isa.Label {
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
