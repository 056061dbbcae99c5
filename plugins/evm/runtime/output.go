package runtime

import (
	"github.com/oneiros-zk/oneiros/core/isa"
)

// The public output (sdk/evm documents the format): written word by word with the
// WRITE syscall at the end of the run.

// outWord writes the word in slot v.
func (g *Gen) outWord(v int32) { g.ecall(isa.SysWrite, v, i(4)) }

// outImm writes a constant word.
func (g *Gen) outImm(v uint32, tmp int32) {
	g.mov(tmp, i(v))
	g.outWord(tmp)
}

// outU256 writes the 256-bit value at [p]+off.
func (g *Gen) outU256(p int32, off int32, tmp int32) {
	for k := range int32(8) {
		g.lw(tmp, s(p), off+4*k)
		g.outWord(tmp)
	}
}

// outBytes writes a length and the bytes (ptr, ln), padded with zeros to a multiple of 4.
func (g *Gen) outBytes() isa.Label {
	return g.routine("outBytes", func() {
		const ptr, ln, v, sh = 8, 12, 64, 68
		g.outWord(ln)
		loop, tail, done := g.label("ob.loop"), g.label("ob.tail"), g.label("ob.done")
		g.bind(loop)
		g.bltu(ln, i(4), tail)
		g.lw(v, s(ptr), 0)
		g.outWord(v)
		g.add(ptr, s(ptr), i(4))
		g.sub(ln, s(ln), i(4))
		g.jmp(loop)
		g.bind(tail)
		g.beq(ln, i(0), done)
		// Keep the low ln bytes of the next word.
		g.lw(v, s(ptr), 0)
		g.sub(sh, i(4), s(ln))
		g.sll(sh, s(sh), i(3))
		g.sll(v, s(v), s(sh))
		g.srl(v, s(v), s(sh))
		g.outWord(v)
		g.bind(done)
		g.ret()
	})
}

// output writes the public output from the main frame; invalid writes that of a
// transaction that was not executed.
func (g *Gen) output(invalid bool) {
	outBytes := g.outBytes()
	n := routineFrame
	g.outImm(0x314D5645, mT) // "EVM1"
	if invalid {
		g.outImm(3, mT)
		g.outImm(0, mT)
		g.outImm(0, mT)
		g.outImm(0, mT) // no return data
		g.outImm(0, mT) // no logs
		g.outImm(0, mT) // no accounts
		return
	}
	g.outWord(mStatus)
	g.outWord(mUsedLo)
	g.outWord(mUsedHi)
	g.callR(outBytes, n, s(mOutP), s(mOutLen))
	// Logs.
	const rec, cnt, end = mT2, mT3, mN
	logs, logsDone := g.label("out.logs"), g.label("out.logsdone")
	g.mov(rec, i(logBase))
	g.gload(end, gLogTop)
	g.bind(logs)
	g.bgeu(rec, s(end), logsDone)
	g.outImm(1, mT)
	g.outU256(rec, 0, mT)
	g.lw(cnt, s(rec), 32)
	g.lw(mTarget, s(rec), 36) // data length
	g.outWord(cnt)
	g.add(rec, s(rec), i(40))
	topics, topicsDone := g.label("out.topics"), g.label("out.topicsdone")
	g.bind(topics)
	g.beq(cnt, i(0), topicsDone)
	g.outU256(rec, 0, mT)
	g.add(rec, s(rec), i(32))
	g.sub(cnt, s(cnt), i(1))
	g.jmp(topics)
	g.bind(topicsDone)
	g.callR(outBytes, n, s(rec), s(mTarget))
	g.add(rec, s(rec), s(mTarget))
	g.add(rec, s(rec), i(3))
	g.and(rec, s(rec), i(-4))
	g.jmp(logs)
	g.bind(logsDone)
	g.outImm(0, mT)
	// Accounts.
	const a = mAcct
	accts, acctsDone, next := g.label("out.accts"), g.label("out.acctsdone"), g.label("out.next")
	g.gload(a, gAcctList)
	g.bind(accts)
	g.beq(a, i(0), acctsDone)
	g.lw(mT, s(a), aExists)
	g.lw(mT2, s(a), aExisted)
	existsNow := g.label("out.existsnow")
	g.bne(mT, i(0), existsNow)
	g.beq(mT2, i(0), next)
	// Deleted.
	g.outImm(1, mT)
	g.outU256(a, aAddr, mT)
	g.outImm(1, mT)
	for range 10 {
		g.outImm(0, mT)
	}
	g.outImm(0, mT)
	g.jmp(next)
	g.bind(existsNow)
	// Changed? New, balance, nonce, code, or a slot.
	changed := g.label("out.changed")
	g.beq(mT2, i(0), changed)
	g.lw(mT, s(a), aCodeChg)
	g.bne(mT, i(0), changed)
	g.lw(mT, s(a), aNonceLo)
	g.lw(mT2, s(a), aOrigNLo)
	g.bne(mT, s(mT2), changed)
	g.lw(mT, s(a), aNonceHi)
	g.lw(mT2, s(a), aOrigNHi)
	g.bne(mT, s(mT2), changed)
	g.eq256(mT, a, aBal, a, aOrigBal, mT2, mT3)
	g.beq(mT, i(0), changed)
	slots, slotsNext := g.label("out.slots"), g.label("out.slotsnext")
	g.lw(mE, s(a), aSlots)
	g.bind(slots)
	g.beq(mE, i(0), next)
	g.eq256(mT, mE, sVal, mE, sOrig, mT2, mT3)
	g.beq(mT, i(0), changed)
	g.bind(slotsNext)
	g.lw(mE, s(mE), sAcctNext)
	g.jmp(slots)
	g.bind(changed)
	g.outImm(1, mT)
	g.outU256(a, aAddr, mT)
	g.lw(mT, s(a), aCodeChg)
	g.sll(mT, s(mT), i(1))
	g.outWord(mT)
	g.outU256(a, aBal, mT)
	g.lw(mT, s(a), aNonceLo)
	g.outWord(mT)
	g.lw(mT, s(a), aNonceHi)
	g.outWord(mT)
	noCode := g.label("out.nocode")
	g.lw(mT, s(a), aCodeChg)
	g.beq(mT, i(0), noCode)
	g.lw(mT, s(a), aCodeP)
	g.lw(mT2, s(a), aCodeLen)
	g.callR(outBytes, n, s(mT), s(mT2))
	g.bind(noCode)
	dslots, dnext, dend := g.label("out.dslots"), g.label("out.dnext"), g.label("out.dend")
	g.lw(mE, s(a), aSlots)
	g.bind(dslots)
	g.beq(mE, i(0), dend)
	g.eq256(mT, mE, sVal, mE, sOrig, mT2, mT3)
	g.bne(mT, i(0), dnext)
	g.outImm(1, mT)
	g.outU256(mE, sKey, mT)
	g.outU256(mE, sVal, mT)
	g.bind(dnext)
	g.lw(mE, s(mE), sAcctNext)
	g.jmp(dslots)
	g.bind(dend)
	g.outImm(0, mT)
	g.bind(next)
	g.lw(a, s(a), aListNext)
	g.jmp(accts)
	g.bind(acctsDone)
	g.outImm(0, mT)
}
