package main

import (
	"github.com/oneiros-zk/oneiros/core/isa"
)

// The runtime's helper routines: hash tables of accounts and storage, the journal, gas,
// memory expansion, byte copies and Keccak-256. Each takes its arguments in slots
// arg(0), arg(1), … of its frame and leaves its results there; locals live in slots
// 64 … 252.

// hashFold mixes the word in slot h into a bucket index below mask+1 (in slot h), with
// shifts sh1 and sh2; tmp is a scratch slot. acctHash and storHash are its Go twins.
func (g *gen) hashFold(h, tmp int32, sh1, sh2 int64, mask int64) {
	g.srl(tmp, s(h), i(sh1))
	g.xor(tmp, s(tmp), s(h))
	g.srl(h, s(h), i(sh2))
	g.xor(h, s(h), s(tmp))
	g.and(h, s(h), i(mask))
}

// acctHash is the bucket of an address (words a[0..4], least significant first).
func acctHash(a [5]uint32) uint32 {
	h := a[0] ^ a[1] ^ a[2] ^ a[3] ^ a[4]
	t := h>>10 ^ h
	h = h>>20 ^ t
	return h & (nAcctBuckets - 1)
}

// storHash is the bucket of (account record, key words k[0..7]).
func storHash(acct uint32, k [8]uint32, mask uint32) uint32 {
	h := acct >> 8
	for _, w := range k {
		h ^= w
	}
	t := h>>12 ^ h
	h = h>>24 ^ t
	return h & mask
}

// acctFind(addrPtr) → record or 0, bucket address. The address is the 5 low words of
// the 256-bit value at addrPtr.
func (g *gen) acctFind() isa.Label {
	return g.routine("acctFind", func() {
		for k := range int32(5) {
			g.lw(64+4*k, s(arg(0)), 4*k)
		}
		g.xor(88, s(64), s(68))
		g.xor(88, s(88), s(72))
		g.xor(88, s(88), s(76))
		g.xor(88, s(88), s(80))
		g.hashFold(88, 92, 10, 20, nAcctBuckets-1)
		g.sll(88, s(88), i(2))
		g.add(arg(1), s(88), i(acctBuckets))
		g.lw(96, s(arg(1)), 0)
		loop, next, miss := g.label("af.loop"), g.label("af.next"), g.label("af.miss")
		g.bind(loop)
		g.beq(96, i(0), miss)
		for k := range int32(5) {
			g.lw(100, s(96), aAddr+4*k)
			g.bne(100, s(64+4*k), next)
		}
		g.mov(arg(0), s(96))
		g.ret()
		g.bind(next)
		g.lw(96, s(96), aNext)
		g.jmp(loop)
		g.bind(miss)
		g.mov(arg(0), i(0))
		g.ret()
	})
}

// alloc bumps the heap by n bytes (a multiple of 4) into slot dst; tmp is scratch.
func (g *gen) alloc(dst, tmp int32, n isa.Operand) {
	g.gload(dst, gHeap)
	g.add(tmp, s(dst), n)
	g.bgeu(tmp, i(heapEnd), g.resourceTrap)
	g.gstore(tmp, gHeap)
}

// trapResources is the exit of a run whose runtime structures (heap, journal, logs,
// return data) outgrow their regions: TRAP 0xEC02. Only transactions with far more gas
// than a block holds get there; it is a limit of this frontend, not an EVM outcome.
const trapResources = 0xEC02

// acctGet(addrPtr) → record, adding a record for a non-existent account when missing
// (exists 0, cold, no code, the empty code hash).
func (g *gen) acctGet() isa.Label {
	find := g.acctFind()
	return g.routine("acctGet", func() {
		g.callR(find, routineFrame, s(arg(0)))
		found := g.label("ag.found")
		g.bne(nest(0), i(0), found)
		g.alloc(64, 68, i(aSize))
		for k := range int32(5) {
			g.lw(68, s(arg(0)), 4*k)
			g.sw(68, s(64), aAddr+4*k)
		}
		for k := range int32(8) {
			g.lw(68, i(gKEmpty), 4*k)
			g.sw(68, s(64), aHash+4*k)
		}
		g.lw(68, s(nest(1)), 0) // the bucket's head
		g.sw(68, s(64), aNext)
		g.sw(64, s(nest(1)), 0)
		g.gload(68, gAcctList)
		g.sw(68, s(64), aListNext)
		g.gstore(64, gAcctList)
		g.mov(arg(0), s(64))
		g.ret()
		g.bind(found)
		g.mov(arg(0), s(nest(0)))
		g.ret()
	})
}

// slotGet(acct, keyPtr, table, mask, mode) → entry or 0. mode 0 only finds; mode 1
// adds a missing storage entry (value and original 0, cold) to the table and to the
// account's list; mode 2 adds a missing transient entry (not listed).
func (g *gen) slotGet() isa.Label {
	return g.routine("slotGet", func() {
		const acct, keyP, table, mask, mode = 8, 12, 16, 20, 24
		const key, h, tmp, bucket, e, w = 64, 96, 100, 104, 108, 112
		for k := range int32(8) {
			g.lw(key+4*k, s(keyP), 4*k)
		}
		g.srl(h, s(acct), i(8))
		for k := range int32(8) {
			g.xor(h, s(h), s(key+4*k))
		}
		g.srl(tmp, s(h), i(12))
		g.xor(tmp, s(tmp), s(h))
		g.srl(h, s(h), i(24))
		g.xor(h, s(h), s(tmp))
		g.and(h, s(h), s(mask))
		g.sll(h, s(h), i(2))
		g.add(bucket, s(h), s(table))
		g.lw(e, s(bucket), 0)
		loop, next, miss, none := g.label("sg.loop"), g.label("sg.next"), g.label("sg.miss"), g.label("sg.none")
		g.bind(loop)
		g.beq(e, i(0), miss)
		g.lw(w, s(e), sAcct)
		g.bne(w, s(acct), next)
		for k := range int32(8) {
			g.lw(w, s(e), sKey+4*k)
			g.bne(w, s(key+4*k), next)
		}
		g.mov(arg(0), s(e))
		g.ret()
		g.bind(next)
		g.lw(e, s(e), sNext)
		g.jmp(loop)
		g.bind(miss)
		g.beq(mode, i(0), none)
		g.alloc(e, tmp, i(sSize))
		g.sw(acct, s(e), sAcct)
		for k := range int32(8) {
			g.sw(key+4*k, s(e), sKey+4*k)
		}
		g.lw(w, s(bucket), 0)
		g.sw(w, s(e), sNext)
		g.sw(e, s(bucket), 0)
		noList := g.label("sg.nolist")
		g.bne(mode, i(1), noList)
		g.lw(w, s(acct), aSlots)
		g.sw(w, s(e), sAcctNext)
		g.sw(e, s(acct), aSlots)
		g.bind(noList)
		g.mov(arg(0), s(e))
		g.ret()
		g.bind(none)
		g.mov(arg(0), i(0))
		g.ret()
	})
}

// Journal entries, pushed at gJTop: a word is [old, addr]; a 256-bit value is
// [old0 … old7, addr+1]. revertTo pops them back to a snapshot (a former gJTop).

// jw(addr) journals the word at addr.
func (g *gen) jw() isa.Label {
	return g.routine("jw", func() {
		g.lw(64, s(arg(0)), 0)
		g.gload(68, gJTop)
		g.bgeu(68, i(journalEnd-64), g.resourceTrap)
		g.sw(64, s(68), 0)
		g.sw(arg(0), s(68), 4)
		g.add(68, s(68), i(8))
		g.gstore(68, gJTop)
		g.ret()
	})
}

// ju(addr) journals the 256-bit value at addr.
func (g *gen) ju() isa.Label {
	return g.routine("ju", func() {
		g.gload(68, gJTop)
		g.bgeu(68, i(journalEnd-64), g.resourceTrap)
		for k := range int32(8) {
			g.lw(64, s(arg(0)), 4*k)
			g.sw(64, s(68), 4*k)
		}
		g.add(64, s(arg(0)), i(1))
		g.sw(64, s(68), 32)
		g.add(68, s(68), i(36))
		g.gstore(68, gJTop)
		g.ret()
	})
}

// setw(addr, v) sets the word at addr to v, journaling the old word when it changes.
func (g *gen) setw() isa.Label {
	jw := g.jw()
	return g.routine("setw", func() {
		same := g.label("sw.same")
		g.lw(64, s(arg(0)), 0)
		g.beq(64, s(arg(1)), same)
		g.callR(jw, routineFrame, s(arg(0)))
		g.sw(arg(1), s(arg(0)), 0)
		g.bind(same)
		g.ret()
	})
}

// setu(dst, src) sets the 256-bit value at dst to the one at src, journaled.
func (g *gen) setu() isa.Label {
	ju := g.ju()
	return g.routine("setu", func() {
		g.callR(ju, routineFrame, s(arg(0)))
		for k := range int32(8) {
			g.lw(64, s(arg(1)), 4*k)
			g.sw(64, s(arg(0)), 4*k)
		}
		g.ret()
	})
}

// revertTo(snapshot) undoes the journal back to snapshot.
func (g *gen) revertTo() isa.Label {
	return g.routine("revertTo", func() {
		const snap, top, a, v = 8, 64, 68, 72
		loop, wide, done := g.label("rv.loop"), g.label("rv.wide"), g.label("rv.done")
		g.gload(top, gJTop)
		g.bind(loop)
		g.bgeu(snap, s(top), done)
		g.lw(a, s(top), -4)
		g.and(v, s(a), i(1))
		g.bne(v, i(0), wide)
		g.lw(v, s(top), -8)
		g.sw(v, s(a), 0)
		g.sub(top, s(top), i(8))
		g.jmp(loop)
		g.bind(wide)
		g.sub(a, s(a), i(1))
		for k := range int32(8) {
			g.lw(v, s(top), -36+4*k)
			g.sw(v, s(a), 4*k)
		}
		g.sub(top, s(top), i(36))
		g.jmp(loop)
		g.bind(done)
		g.gstore(top, gJTop)
		g.ret()
	})
}

// touch(acct) marks an account touched (journaled).
func (g *gen) touch() isa.Label {
	setw := g.setw()
	return g.routine("touch", func() {
		g.add(64, s(arg(0)), i(aTouched))
		g.callR(setw, routineFrame, s(64), i(1))
		g.ret()
	})
}

// warm(acct) → 1 if the account was cold (it is warm now, journaled), else 0.
func (g *gen) warmAcct() isa.Label {
	setw := g.setw()
	return g.routine("warmAcct", func() {
		cold := g.label("wa.cold")
		g.lw(64, s(arg(0)), aWarm)
		g.beq(64, i(0), cold)
		g.mov(arg(0), i(0))
		g.ret()
		g.bind(cold)
		g.add(64, s(arg(0)), i(aWarm))
		g.callR(setw, routineFrame, s(64), i(1))
		g.mov(arg(0), i(1))
		g.ret()
	})
}

// isZero256 leaves in slot dst 1 if the 256-bit value at [ptr]+off is 0, else 0; tmp
// is scratch.
func (g *gen) isZero256(dst, ptr int32, off int32, tmp int32) {
	g.lw(dst, s(ptr), off)
	for k := int32(1); k < 8; k++ {
		g.lw(tmp, s(ptr), off+4*k)
		g.or(dst, s(dst), s(tmp))
	}
	g.eq(dst, s(dst), i(0))
}

// high7Zero leaves in slot dst 1 if words 1…7 of the 256-bit value at [ptr]+off are 0.
func (g *gen) high7Zero(dst, ptr int32, off int32, tmp int32) {
	g.lw(dst, s(ptr), off+4)
	for k := int32(2); k < 8; k++ {
		g.lw(tmp, s(ptr), off+4*k)
		g.or(dst, s(dst), s(tmp))
	}
	g.eq(dst, s(dst), i(0))
}

// isEmpty(acct) → 1 when the account is empty in EIP-161's sense (nonce 0, balance 0,
// no code) or does not exist.
func (g *gen) isEmpty() isa.Label {
	return g.routine("isEmpty", func() {
		no, yes := g.label("ie.no"), g.label("ie.yes")
		g.lw(64, s(arg(0)), aExists)
		g.beq(64, i(0), yes)
		g.lw(64, s(arg(0)), aNonceLo)
		g.bne(64, i(0), no)
		g.lw(64, s(arg(0)), aNonceHi)
		g.bne(64, i(0), no)
		g.lw(64, s(arg(0)), aCodeLen)
		g.bne(64, i(0), no)
		g.isZero256(64, arg(0), aBal, 68)
		g.beq(64, i(0), no)
		g.bind(yes)
		g.mov(arg(0), i(1))
		g.ret()
		g.bind(no)
		g.mov(arg(0), i(0))
		g.ret()
	})
}

// charge(evmfp, lo, hi) takes hi·2^32 + lo gas from the EVM frame at evmfp, or ends it
// with an exceptional halt (out of gas).
func (g *gen) charge() isa.Label {
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

// chargeUp takes the gas in operand lo (below 2^32) from the EVM frame of a top-level
// routine, or fails the frame.
func (g *gen) chargeUp(lo isa.Operand) {
	ok := g.label("cu.ok")
	g.bgeu(up(fGasLo), lo, ok)
	g.beq(up(fGasHi), i(0), g.failAny)
	g.sub(up(fGasHi), s(up(fGasHi)), i(1))
	g.bind(ok)
	g.sub(up(fGasLo), s(up(fGasLo)), lo)
}

// memCap bounds EVM memory: expanding past it costs more than 2^41 gas, which no
// transaction has (it fails as out of gas).
const memCap = 1 << 30

// mexp(evmfp, offPtr, lenPtr, n) expands the memory of the EVM frame at evmfp to cover
// the range at the 256-bit offset at offPtr with the 256-bit length at lenPtr (or the
// constant length n when lenPtr is 0), charging its gas, and returns the offset and the
// length as words. A zero length expands nothing (the offset may then be anything: it
// returns 0). An offset or length that does not fit, or gas that runs out, fails the
// frame.
func (g *gen) mexp() isa.Label {
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

// zeroFill(dst, n) zeroes n bytes at dst; both are multiples of 32.
func (g *gen) zeroFill() isa.Label {
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

// copyBytes(dst, src, n) copies n bytes like memmove (overlap allowed).
func (g *gen) copyBytes() isa.Label {
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

// keccak(ptr, len, out) writes keccak256 of the len bytes at ptr to the 256-bit value at
// out (the hash read as a big-endian number, so its limbs are the reversed bytes).
func (g *gen) keccak() isa.Label {
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
