package runtime

import (
	"github.com/oneiros-zk/oneiros/core/isa"
)

// The runtime's helper routines: hash tables of accounts and storage, the journal, gas,
// memory expansion, byte copies and Keccak-256. Each takes its arguments in slots
// arg(0), arg(1), … of its frame and leaves its results there; locals live in slots
// 64 … 252.

// hashFold mixes the word in slot h into a bucket index below mask+1 (in slot h), with

// shifts sh1 and sh2; tmp is a scratch slot. acctHash and storHash are its Go twins.

func (g *Gen) hashFold(h, tmp int32, sh1, sh2 int64, mask int64) {
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

func (g *Gen) acctFind() isa.Label {
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

func (g *Gen) alloc(dst, tmp int32, n isa.Operand) {
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

func (g *Gen) acctGet() isa.Label {
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

func (g *Gen) slotGet() isa.Label {
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

func (g *Gen) jw() isa.Label {
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

func (g *Gen) ju() isa.Label {
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

func (g *Gen) setw() isa.Label {
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

func (g *Gen) setu() isa.Label {
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

func (g *Gen) revertTo() isa.Label {
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

func (g *Gen) touch() isa.Label {
	setw := g.setw()
	return g.routine("touch", func() {
		g.add(64, s(arg(0)), i(aTouched))
		g.callR(setw, routineFrame, s(64), i(1))
		g.ret()
	})
}

// warm(acct) → 1 if the account was cold (it is warm now, journaled), else 0.

func (g *Gen) warmAcct() isa.Label {
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

func (g *Gen) isZero256(dst, ptr int32, off int32, tmp int32) {
	g.lw(dst, s(ptr), off)
	for k := int32(1); k < 8; k++ {
		g.lw(tmp, s(ptr), off+4*k)
		g.or(dst, s(dst), s(tmp))
	}
	g.eq(dst, s(dst), i(0))
}

// high7Zero leaves in slot dst 1 if words 1…7 of the 256-bit value at [ptr]+off are 0.

func (g *Gen) high7Zero(dst, ptr int32, off int32, tmp int32) {
	g.lw(dst, s(ptr), off+4)
	for k := int32(2); k < 8; k++ {
		g.lw(tmp, s(ptr), off+4*k)
		g.or(dst, s(dst), s(tmp))
	}
	g.eq(dst, s(dst), i(0))
}

// isEmpty(acct) → 1 when the account is empty in EIP-161's sense (nonce 0, balance 0,

// no code) or does not exist.

func (g *Gen) isEmpty() isa.Label {
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

// chargeUp takes the gas in operand lo (below 2^32) from the EVM frame of a top-level

// routine, or fails the frame.

// memCap bounds EVM memory: expanding past it costs more than 2^41 gas, which no

// transaction has (it fails as out of gas).

// mexp(evmfp, offPtr, lenPtr, n) expands the memory of the EVM frame at evmfp to cover

// the range at the 256-bit offset at offPtr with the 256-bit length at lenPtr (or the

// constant length n when lenPtr is 0), charging its gas, and returns the offset and the

// length as words. A zero length expands nothing (the offset may then be anything: it

// returns 0). An offset or length that does not fit, or gas that runs out, fails the

// frame.

// zeroFill(dst, n) zeroes n bytes at dst; both are multiples of 32.

// copyBytes(dst, src, n) copies n bytes like memmove (overlap allowed).

// keccak(ptr, len, out) writes keccak256 of the len bytes at ptr to the 256-bit value at

// out (the hash read as a big-endian number, so its limbs are the reversed bytes).
