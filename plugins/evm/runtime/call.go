package runtime

import (
	"github.com/oneiros-zk/oneiros/core/isa"
)

// runFrame is rt_run's frame size; the new EVM frame follows it.
const runFrame int32 = 160

// Arguments of rt_run (slots of its frame).
const (
	rEntry  = 8  // normalized pc of the code (0: no code)
	rCode   = 12 // code bytes, length, jump table or bitmap
	rCodeL  = 16
	rJT     = 20
	rCaller = 24 // CALLER's account record
	rSelf   = 28 // ADDRESS's account record
	rGasLo  = 32 // gas given to the frame
	rGasHi  = 36
	rCDP    = 40 // call data
	rCDLen  = 44
	rStatic = 48
	rDepth  = 52
	rMemB   = 56 // memory base
	rValue  = 60 // u256 CALLVALUE (60 … 91)
	rMyFP   = 92 // rt_run's own fp (absolute)
	// Results.
	rStatus = 96
	rOutP   = 100
	rOutLen = 104
	// Locals.
	rSavedCur = 108
	rT        = 112
)

// run is rt_run: it runs code in a new EVM frame and reports how the frame ended, the
// gas it left (in rGasLo, rGasHi; 0 after an exceptional halt) and its output (empty
// after an exceptional halt). It neither reverts the journal nor moves the output.
func (g *Gen) run() isa.Label {
	return g.routine("run", func() {
		const c = runFrame // the new EVM frame
		noCode := g.label("run.nocode")
		g.beq(rEntry, i(0), noCode)
		g.mov(c+fCode, s(rCode))
		g.mov(c+fCodeLen, s(rCodeL))
		g.mov(c+fJT, s(rJT))
		g.mov(c+fCaller, s(rCaller))
		g.mov(c+fSelf, s(rSelf))
		g.mov(c+fGasLo, s(rGasLo))
		g.mov(c+fGasHi, s(rGasHi))
		g.mov(c+fCDP, s(rCDP))
		g.mov(c+fCDLen, s(rCDLen))
		g.mov(c+fStatic, s(rStatic))
		g.mov(c+fDepth, s(rDepth))
		g.mov(c+fMemB, s(rMemB))
		g.mov(c+fMemSz, i(0))
		g.mov(c+fZero, i(0))
		g.mov(c+fStatus, i(stSuccess))
		g.mov(c+fOutLen, i(0))
		g.mov(c+fOutP, i(0))
		for k := range int32(8) {
			g.mov(c+fValue+4*k, s(rValue+4*k))
		}
		g.add(c+fFP, s(rMyFP), i(c))
		g.mul(c+fStkBot, s(rDepth), i(stackSize))
		g.add(c+fStkBot, s(c+fStkBot), i(stackBase))
		g.add(c+fStkTop, s(c+fStkBot), i(stackSize))
		g.mov(c+fSP, s(c+fStkTop))
		g.gload(c+fRDP, gRDTop)
		g.mov(c+fRDLen, i(0))
		g.gload(rSavedCur, gCur)
		g.gstore(c+fFP, gCur)
		g.callSlot(rEntry, c)
		g.gstore(rSavedCur, gCur)
		// Everything the frame wrote in memory lies below its end.
		g.lw(rT, i(gMemDirty), 0)
		g.add(rT+4, s(c+fMemB), s(c+fMemSz))
		noRaise := g.label("run.noraise")
		g.bgeu(rT, s(rT+4), noRaise)
		g.gstore(rT+4, gMemDirty)
		g.bind(noRaise)
		g.mov(rStatus, s(c+fStatus))
		g.mov(rGasLo, s(c+fGasLo))
		g.mov(rGasHi, s(c+fGasHi))
		g.mov(rOutP, s(c+fOutP))
		g.mov(rOutLen, s(c+fOutLen))
		done := g.label("run.done")
		g.bne(rStatus, i(stHalt), done)
		g.mov(rGasLo, i(0))
		g.mov(rGasHi, i(0))
		g.mov(rOutLen, i(0))
		g.bind(done)
		g.ret()
		g.bind(noCode)
		g.mov(rStatus, i(stSuccess))
		g.mov(rOutLen, i(0))
		g.ret()
	})
}

// transfer(from, to, valuePtr) moves value from one account to the other (the caller
// checked the balance) and touches both; journaled.
func (g *Gen) transfer() isa.Label {
	setu, touch := g.setu(), g.touch()
	return g.routine("transfer", func() {
		const from, to, val = 8, 12, 16
		// SUB and ADD on (balance, value) laid out at gU5, gU6; the result replaces gU6.
		for k := range int32(8) {
			g.lw(64, s(from), aBal+4*k)
			g.sw(64, i(gU5), 4*k)
			g.lw(64, s(val), 4*k)
			g.sw(64, i(gU6), 4*k)
		}
		g.mov(68, i(gU5))
		g.ecall(isa.SysU256Sub, 68, i(0)) // gU6 = balance − value
		g.add(72, s(from), i(aBal))
		g.callR(setu, routineFrame, s(72), i(gU6))
		for k := range int32(8) {
			g.lw(64, s(to), aBal+4*k)
			g.sw(64, i(gU5), 4*k)
			g.lw(64, s(val), 4*k)
			g.sw(64, i(gU6), 4*k)
		}
		g.ecall(isa.SysU256Add, 68, i(0)) // gU6 = balance + value
		g.add(72, s(to), i(aBal))
		g.callR(setu, routineFrame, s(72), i(gU6))
		g.callR(touch, routineFrame, s(from))
		g.callR(touch, routineFrame, s(to))
		g.ret()
	})
}

// Kinds of message calls (in T0 when calling opCall).
const (
	kCall         = 0
	kCallCode     = 1
	kDelegateCall = 2
	kStaticCall   = 3
)

// gasAvail computes, into (lo, hi), all but one 64th of the 64-bit gas (gl, gh): the
// most a frame may pass on (EIP-150). t is scratch.
func (g *Gen) gasAvail(lo, hi, gl, gh, t int32) {
	g.srl(lo, s(gl), i(6))
	g.sll(t, s(gh), i(26))
	g.or(lo, s(lo), s(t))
	g.srl(hi, s(gh), i(6)) // (hi, lo) = gas / 64
	g.sltu(t, s(gl), s(lo))
	g.sub(lo, s(gl), s(lo))
	g.sub(hi, s(gh), s(hi))
	g.sub(hi, s(hi), s(t))
}

// precompileCheck leaves in slot dst 1 when the 256-bit address at [ptr] is a
// precompile (0x01 … 0x0a), else 0; t is scratch.
func (g *Gen) precompileCheck(dst, ptr, t int32) {
	no, done := g.label("pc.no"), g.label("pc.done")
	for k := int32(1); k < 5; k++ {
		g.lw(t, s(ptr), 4*k)
		g.bne(t, i(0), no)
	}
	g.lw(t, s(ptr), 0)
	g.sub(t, s(t), i(1))
	g.sltu(dst, s(t), i(10))
	g.jmp(done)
	g.bind(no)
	g.mov(dst, i(0))
	g.bind(done)
}

// opCall is CALL, CALLCODE, DELEGATECALL and STATICCALL (the kind in the EVM frame's
// T0): gas, memory, the callee's gas (EIP-150, the stipend), depth and balance
// checks, the value transfer, the run, the journal's revert on failure, the return data
// and the result pushed.
func (g *Gen) opCall() isa.Label {
	mexp, acctGet, warm, isEmpty := g.mexp(), g.acctGet(), g.warmAcct(), g.isEmpty()
	setw, transfer, touch, run, revert, copyB := g.setw(), g.transfer(), g.touch(), g.run(), g.revertTo(), g.copyBytes()
	return g.routine("opCall", func() {
		const (
			kind, sp, valP, argsP, target, res, hasVal, evmfp = 8, 12, 16, 20, 24, 28, 32, 36
			argsOff, argsLen, retOff, retLen                  = 40, 44, 48, 52
			cgLo, cgHi, avLo, avHi, tt, snap, pre, outP       = 56, 60, 64, 68, 72, 76, 80, 84
			outLen, status, gLo, gHi, t2                      = 88, 92, 96, 100, 104
		)
		n := routineFrame // nested frame
		g.mov(kind, s(up(t(0))))
		g.mov(sp, s(up(fSP)))
		g.mov(evmfp, s(up(fFP)))
		g.mov(hasVal, i(0))
		g.mov(valP, i(0))
		g.add(argsP, s(sp), i(64))
		noValue := g.label("call.novalue")
		g.bgeu(kind, i(kDelegateCall), noValue)
		g.add(valP, s(sp), i(64))
		g.add(argsP, s(sp), i(96))
		g.isZero256(hasVal, valP, 0, tt)
		g.xor(hasVal, s(hasVal), i(1))
		g.bne(kind, i(kCall), noValue)
		g.beq(hasVal, i(0), noValue)
		g.bne(up(fStatic), i(0), g.failAny)
		g.bind(noValue)
		// Memory for the arguments and for the result.
		g.add(tt, s(argsP), i(32))
		g.callR(mexp, n, s(evmfp), s(argsP), s(tt), i(0))
		g.mov(argsOff, s(nest(0)))
		g.mov(argsLen, s(nest(1)))
		g.add(tt, s(argsP), i(64))
		g.add(t2, s(argsP), i(96))
		g.callR(mexp, n, s(evmfp), s(tt), s(t2), i(0))
		g.mov(retOff, s(nest(0)))
		g.mov(retLen, s(nest(1)))
		// The target: warm or cold, value and new-account costs.
		g.add(tt, s(sp), i(32))
		g.callR(acctGet, n, s(tt))
		g.mov(target, s(nest(0)))
		g.callR(warm, n, s(target))
		warmOK := g.label("call.warm")
		g.beq(nest(0), i(0), warmOK)
		g.chargeUp(i(2500))
		g.bind(warmOK)
		noValCost := g.label("call.novalcost")
		g.beq(hasVal, i(0), noValCost)
		g.chargeUp(i(9000))
		g.bne(kind, i(kCall), noValCost)
		g.callR(isEmpty, n, s(target))
		g.beq(nest(0), i(0), noValCost)
		g.chargeUp(i(25000))
		g.bind(noValCost)
		// The callee's gas: min(requested, all but 1/64 of what is left).
		g.gasAvail(avLo, avHi, up(fGasLo), up(fGasHi), tt)
		g.lw(cgLo, s(sp), 0)
		g.lw(cgHi, s(sp), 4)
		big := g.label("call.big")
		for k := int32(2); k < 8; k++ {
			g.lw(tt, s(sp), 4*k)
			g.bne(tt, i(0), big)
		}
		useReq := g.label("call.usereq")
		g.bltu(cgHi, s(avHi), useReq)
		g.bne(cgHi, s(avHi), big)
		g.bltu(cgLo, s(avLo), useReq)
		g.bind(big)
		g.mov(cgLo, s(avLo))
		g.mov(cgHi, s(avHi))
		g.bind(useReq)
		// Take it from the caller (it fits: it is at most what is left).
		g.sltu(tt, s(up(fGasLo)), s(cgLo))
		g.sub(up(fGasLo), s(up(fGasLo)), s(cgLo))
		g.sub(up(fGasHi), s(up(fGasHi)), s(cgHi))
		g.sub(up(fGasHi), s(up(fGasHi)), s(tt))
		noStipend := g.label("call.nostipend")
		g.beq(hasVal, i(0), noStipend)
		g.add(cgLo, s(cgLo), i(2300))
		g.sltu(tt, s(cgLo), i(2300))
		g.add(cgHi, s(cgHi), s(tt))
		g.bind(noStipend)
		// Pop the arguments; the result goes where the last one was.
		g.add(res, s(argsP), i(96))
		g.mov(up(fSP), s(res))
		// The caller's return data is gone.
		g.mov(up(fRDLen), i(0))
		g.gstore(up(fRDP), gRDTop)
		failed := g.label("call.failed") // result 0, the callee's gas back
		g.bgeu(up(fDepth), i(1024), failed)
		g.beq(hasVal, i(0), g.L("call.balok"))
		// balance(self) < value?
		for k := range int32(8) {
			g.lw(tt, s(up(fSelf)), aBal+4*k)
			g.sw(tt, i(gU0), 4*k)
			g.lw(tt, s(valP), 4*k)
			g.sw(tt, i(gU1), 4*k)
		}
		g.mov(tt, i(gU0))
		g.ecall(isa.SysU256Cmp, tt, i(isa.U256Lt))
		g.lw(tt, i(gU1), 0)
		g.bne(tt, i(0), failed)
		g.bind(g.L("call.balok"))
		g.gload(snap, gJTop)
		g.add(tt, s(sp), i(32))
		g.precompileCheck(pre, tt, t2)
		// CALL creates a missing target, except with no value (then nothing happens).
		transferred := g.label("call.transferred")
		g.bne(kind, i(kCall), g.L("call.notcall"))
		g.lw(tt, s(target), aExists)
		exists := g.label("call.exists")
		g.bne(tt, i(0), exists)
		g.bne(pre, i(0), g.L("call.create"))
		g.beq(hasVal, i(0), g.L("call.nothing"))
		g.bind(g.L("call.create"))
		g.add(tt, s(target), i(aExists))
		g.callR(setw, n, s(tt), i(1))
		g.bind(exists)
		g.mov(tt, s(valP))
		zeroVal := g.label("call.zeroval")
		g.beq(hasVal, i(0), zeroVal)
		g.callR(transfer, n, s(up(fSelf)), s(target), s(tt))
		g.jmp(transferred)
		g.bind(zeroVal)
		g.callR(touch, n, s(up(fSelf)))
		g.callR(touch, n, s(target))
		g.jmp(transferred)
		g.bind(g.L("call.notcall"))
		notCallCode := g.label("call.notcallcode")
		g.bne(kind, i(kCallCode), notCallCode)
		g.beq(hasVal, i(0), transferred)
		g.callR(transfer, n, s(up(fSelf)), s(up(fSelf)), s(valP))
		g.jmp(transferred)
		g.bind(notCallCode)
		g.bne(kind, i(kStaticCall), transferred)
		g.callR(touch, n, s(target))
		g.bind(transferred)
		// Run the precompile or the target's code.
		ran := g.label("call.ran")
		notPre := g.label("call.notpre")
		g.beq(pre, i(0), notPre)
		g.lw(tt, s(sp), 32)
		g.mov(t2, s(up(fMemB)))
		g.add(t2, s(t2), s(argsOff))
		g.precompile(tt, t2, argsLen, cgLo, cgHi, status, outP, outLen)
		g.mov(gLo, s(cgLo))
		g.mov(gHi, s(cgHi))
		g.jmp(ran)
		g.bind(notPre)
		r := n // rt_run's frame
		g.lw(r+rEntry, s(target), aEntry)
		g.lw(r+rCode, s(target), aCodeP)
		g.lw(r+rCodeL, s(target), aCodeLen)
		g.lw(r+rJT, s(target), aJT)
		g.mov(r+rCaller, s(up(fSelf)))
		g.mov(r+rSelf, s(target))
		for k := range int32(8) {
			g.mov(r+rValue+4*k, i(0))
		}
		isDelegate, valueSet := g.label("call.isdelegate"), g.label("call.valueset")
		g.beq(kind, i(kDelegateCall), isDelegate)
		g.beq(valP, i(0), valueSet)
		for k := range int32(8) {
			g.lw(r+rValue+4*k, s(valP), 4*k)
		}
		g.bne(kind, i(kCallCode), valueSet)
		g.mov(r+rSelf, s(up(fSelf)))
		g.jmp(valueSet)
		g.bind(isDelegate)
		g.mov(r+rCaller, s(up(fCaller)))
		g.mov(r+rSelf, s(up(fSelf)))
		for k := range int32(8) {
			g.mov(r+rValue+4*k, s(up(fValue+4*k)))
		}
		g.bind(valueSet)
		g.mov(r+rGasLo, s(cgLo))
		g.mov(r+rGasHi, s(cgHi))
		g.add(r+rCDP, s(up(fMemB)), s(argsOff))
		g.mov(r+rCDLen, s(argsLen))
		g.eq(tt, s(kind), i(kStaticCall))
		g.or(r+rStatic, s(up(fStatic)), s(tt))
		g.add(r+rDepth, s(up(fDepth)), i(1))
		g.add(r+rMemB, s(up(fMemB)), s(up(fMemSz)))
		g.add(r+rMyFP, s(evmfp), i(frameSize+routineFrame))
		g.call(run, r)
		g.mov(status, s(r+rStatus))
		g.mov(gLo, s(r+rGasLo))
		g.mov(gHi, s(r+rGasHi))
		g.mov(outP, s(r+rOutP))
		g.mov(outLen, s(r+rOutLen))
		g.bind(ran)
		kept := g.label("call.kept")
		g.beq(status, i(stSuccess), kept)
		g.callR(revert, n, s(snap))
		g.bind(kept)
		// The callee's gas comes back.
		g.add(up(fGasLo), s(up(fGasLo)), s(gLo))
		g.sltu(tt, s(up(fGasLo)), s(gLo))
		g.add(up(fGasHi), s(up(fGasHi)), s(gHi))
		g.add(up(fGasHi), s(up(fGasHi)), s(tt))
		// Return data: to the caller's buffer, then min(retLen, len) bytes to memory.
		g.add(tt, s(up(fRDP)), s(outLen))
		g.bgeu(tt, i(rdEnd), g.resourceTrap)
		g.callR(copyB, n, s(up(fRDP)), s(outP), s(outLen))
		g.mov(up(fRDLen), s(outLen))
		g.add(tt, s(up(fRDP)), s(outLen))
		g.gstore(tt, gRDTop)
		g.mov(tt, s(outLen))
		short := g.label("call.short")
		g.bltu(tt, s(retLen), short)
		g.mov(tt, s(retLen))
		g.bind(short)
		g.add(t2, s(up(fMemB)), s(retOff))
		g.callR(copyB, n, s(t2), s(up(fRDP)), s(tt))
		g.eq(tt, s(status), i(stSuccess))
		g.ecall(isa.SysU256Set, res, s(tt))
		g.ret()
		// Nothing to run (a call to a missing account without value): success.
		g.bind(g.L("call.nothing"))
		g.mov(status, i(stSuccess))
		g.mov(gLo, s(cgLo))
		g.mov(gHi, s(cgHi))
		g.mov(outLen, i(0))
		g.jmp(ran)
		// Depth or balance: result 0, the callee's gas back, no return data.
		g.bind(failed)
		g.mov(status, i(stRevert))
		g.mov(gLo, s(cgLo))
		g.mov(gHi, s(cgHi))
		g.mov(outLen, i(0))
		g.gload(snap, gJTop)
		g.jmp(ran)
	})
}

// precompile runs the precompiled contract whose address's low word is in slot addr on
// the input (inP, inLen) with the gas (gl, gh), which it reduces; it sets status and
// the output (outP, outLen). Only the identity (0x04) is implemented: the others end
// the run with TRAP 0xEC00 + address (not an EVM outcome; see docs/evm.md).
func (g *Gen) precompile(addr, inP, inLen, gl, gh, status, outP, outLen int32) {
	notID, done, oog := g.label("pre.notid"), g.label("pre.done"), g.label("pre.oog")
	const c = 200 // scratch slots 200 … 208 of the calling routine
	g.bne(addr, i(4), notID)
	g.add(c, s(inLen), i(31))
	g.srl(c, s(c), i(5))
	g.mul(c, s(c), i(3))
	g.add(c, s(c), i(15))
	ok := g.label("pre.ok")
	g.bne(gh, i(0), ok)
	g.bltu(gl, s(c), oog)
	g.bind(ok)
	g.sltu(c+4, s(gl), s(c))
	g.sub(gl, s(gl), s(c))
	g.sub(gh, s(gh), s(c+4))
	g.mov(status, i(stSuccess))
	g.mov(outP, s(inP))
	g.mov(outLen, s(inLen))
	g.jmp(done)
	g.bind(oog)
	g.mov(status, i(stHalt))
	g.mov(gl, i(0))
	g.mov(gh, i(0))
	g.mov(outLen, i(0))
	g.jmp(done)
	g.bind(notID)
	g.add(c, s(addr), i(0xEC00))
	g.trap(s(c))
	g.bind(done)
}
