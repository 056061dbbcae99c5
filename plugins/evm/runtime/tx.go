package runtime

import (
	"github.com/oneiros-zk/oneiros/core/isa"
)

// op256 computes dst = x op y (absolute addresses, any of them equal) through gU6 and
// gU7; tmp is a scratch slot.
func (g *Gen) op256(n, sel uint32, dst, x, y uint32, tmp int32) {
	g.cpAbs(gU6, x, tmp)
	g.cpAbs(gU7, y, tmp)
	g.mov(tmp, i(gU6))
	g.ecall(n, tmp, i(sel))
	g.cpAbs(dst, gU7, tmp)
}

// cpAbs copies a 256-bit value between absolute addresses.
func (g *Gen) cpAbs(dst, src uint32, tmp int32) {
	for k := range int32(8) {
		g.lw(tmp, i(src), 4*k)
		g.sw(tmp, i(dst), 4*k)
	}
}

// setAbs sets the 256-bit value at an absolute address to the word in operand v.
func (g *Gen) setAbs(dst uint32, v isa.Operand, tmp int32) {
	g.mov(tmp, i(dst))
	g.ecall(isa.SysU256Set, tmp, v)
}

// ltAbs leaves in slot dst 1 when the value at x is below the one at y.
func (g *Gen) ltAbs(dst int32, x, y uint32) {
	g.op256(isa.SysU256Cmp, isa.U256Lt, gU7, x, y, dst)
	g.lw(dst, i(gU7), 0)
}

// Slots of the main frame (at frameBase; nested calls at routineFrame).
const (
	mIntr, mT, mT2, mT3, mGasLo, mGasHi, mStatus, mOutP, mOutLen = 8, 12, 16, 20, 24, 28, 32, 36, 40
	mTarget, mSnap, mPre, mUsedLo, mUsedHi, mAcct, mK, mN        = 44, 48, 52, 56, 60, 64, 68, 72
	mE, mKey                                                     = 76, 80
)

// main emits the program's entry: the transaction from validation to the public output.
func (g *Gen) main() {
	acctGet, setw, setu := g.acctGet(), g.setw(), g.setu()
	transfer, run, revert := g.transfer(), g.run(), g.revertTo()
	cc, touch := g.createCore(), g.touch()
	n := routineFrame
	invalid := g.label("tx.invalid")

	g.callR(acctGet, n, i(txSender))
	g.gstore(nest(0), gSender)
	g.callR(acctGet, n, i(txCoinbase))
	g.gstore(nest(0), gCoinbase)

	g.mark("main.intrinsic")
	// Intrinsic gas: 21000; 32000 and 2 a word of init code for a creation; 4 a zero
	// byte and 16 a non-zero byte of data; 2400 an address and 1900 a key of the access
	// list. The frontend bounds the data and the list so that it fits in a word.
	g.mov(mIntr, i(21000))
	g.gload(mN, txDataLen)
	g.gload(mT, txCreate)
	notCreate := g.label("tx.notcreate")
	g.beq(mT, i(0), notCreate)
	g.add(mIntr, s(mIntr), i(32000))
	g.add(mT, s(mN), i(31))
	g.srl(mT, s(mT), i(5))
	g.sll(mT, s(mT), i(1))
	g.add(mIntr, s(mIntr), s(mT))
	g.bind(notCreate)
	g.gload(mT2, txDataP)
	g.mov(mK, i(0))
	dataLoop, dataDone, zeroByte := g.label("tx.data"), g.label("tx.datadone"), g.label("tx.zerobyte")
	g.bind(dataLoop)
	g.bgeu(mK, s(mN), dataDone)
	g.add(mT, s(mT2), s(mK))
	g.lbu(mT, s(mT), 0)
	g.add(mK, s(mK), i(1))
	g.beq(mT, i(0), zeroByte)
	g.add(mIntr, s(mIntr), i(16))
	g.jmp(dataLoop)
	g.bind(zeroByte)
	g.add(mIntr, s(mIntr), i(4))
	g.jmp(dataLoop)
	g.bind(dataDone)
	// Access list entries: address (32 bytes), key count, keys (32 bytes each).
	g.gload(mT2, txALP)
	g.gload(mN, txALLen)
	alLoop, alDone := g.label("tx.al"), g.label("tx.aldone")
	g.bind(alLoop)
	g.beq(mN, i(0), alDone)
	g.lw(mT, s(mT2), 32)
	g.add(mIntr, s(mIntr), i(2400))
	g.mul(mT3, s(mT), i(1900))
	g.add(mIntr, s(mIntr), s(mT3))
	g.sll(mT, s(mT), i(5))
	g.add(mT2, s(mT2), s(mT))
	g.add(mT2, s(mT2), i(36))
	g.sub(mN, s(mN), i(1))
	g.jmp(alLoop)
	g.bind(alDone)

	g.mark("main.validity")
	// Validity: the gas limit covers the intrinsic gas and fits in the block.
	g.gload(mT, txGasLimHi)
	g.gload(mT2, txGasLimLo)
	limOK := g.label("tx.limok")
	g.bne(mT, i(0), limOK)
	g.bltu(mT2, s(mIntr), invalid)
	g.bind(limOK)
	blockOK := g.label("tx.blockok")
	for k := int32(2); k < 8; k++ {
		g.gload(mT3, txBlockGas+uint32(4*k))
		g.bne(mT3, i(0), blockOK)
	}
	g.gload(mT3, txBlockGas+4)
	g.bltu(mT3, s(mT), invalid)
	g.bne(mT3, s(mT), blockOK)
	g.gload(mT3, txBlockGas)
	g.bltu(mT3, s(mT2), invalid)
	g.bind(blockOK)
	// The nonce matches and is not the last one; the sender has no code (EIP-3607).
	g.gload(mAcct, gSender)
	g.lw(mT, s(mAcct), aNonceLo)
	g.gload(mT2, txNonceLo)
	g.bne(mT, s(mT2), invalid)
	g.lw(mT, s(mAcct), aNonceHi)
	g.gload(mT3, txNonceHi)
	g.bne(mT, s(mT3), invalid)
	g.and(mT, s(mT2), s(mT3))
	g.beq(mT, i(-1), invalid)
	g.lw(mT, s(mAcct), aCodeLen)
	g.bne(mT, i(0), invalid)
	// Init code at most 49152 bytes (EIP-3860).
	g.gload(mT, txCreate)
	noInitLimit := g.label("tx.noinitlimit")
	g.beq(mT, i(0), noInitLimit)
	g.gload(mT, txDataLen)
	g.bgeu(mT, i(maxInitCodeSize+1), invalid)
	g.bind(noInitLimit)
	g.mark("main.fees")
	// Fees: the cap is maxFeePerGas (type 2) or gasPrice and must reach the base fee;
	// the effective price is the base fee plus the tip min(maxPriorityFee, cap − base fee).
	g.gload(mT, txType)
	legacy, priced := g.label("tx.legacy"), g.label("tx.priced")
	g.bne(mT, i(2), legacy)
	g.ltAbs(mT, txMaxFee, txPrioFee)
	g.bne(mT, i(0), invalid)
	g.ltAbs(mT, txMaxFee, txBaseFee)
	g.bne(mT, i(0), invalid)
	g.cpAbs(txCap, txMaxFee, mT)
	g.op256(isa.SysU256Sub, 0, txTip, txMaxFee, txBaseFee, mT)
	g.ltAbs(mT, txPrioFee, txTip)
	tipSet := g.label("tx.tipset")
	g.beq(mT, i(0), tipSet)
	g.cpAbs(txTip, txPrioFee, mT)
	g.bind(tipSet)
	g.op256(isa.SysU256Add, 0, txEffPrice, txBaseFee, txTip, mT)
	g.jmp(priced)
	g.bind(legacy)
	g.ltAbs(mT, txGasPrice, txBaseFee)
	g.bne(mT, i(0), invalid)
	g.cpAbs(txCap, txGasPrice, mT)
	g.cpAbs(txEffPrice, txGasPrice, mT)
	g.op256(isa.SysU256Sub, 0, txTip, txGasPrice, txBaseFee, mT)
	g.bind(priced)
	// balance ≥ gasLimit·cap + value, with no overflow on the way.
	g.setAbs(txGasLimU, i(0), mT)
	g.gload(mT, txGasLimLo)
	g.gstore(mT, txGasLimU)
	g.gload(mT, txGasLimHi)
	g.gstore(mT, txGasLimU+4)
	noOverflow := g.label("tx.nooverflow")
	g.gload(mT, txGasLimLo)
	g.gload(mT2, txGasLimHi)
	g.or(mT, s(mT), s(mT2))
	g.beq(mT, i(0), noOverflow)
	g.setAbs(gU0, i(0), mT)
	g.u256At(isa.SysU256Unary, gU0, isa.U256Not, mT)
	g.op256(isa.SysU256Div, 0, gU0, gU0, txGasLimU, mT) // ⌊(2^256 − 1) / gasLimit⌋
	g.ltAbs(mT, gU0, txCap)
	g.bne(mT, i(0), invalid)
	g.bind(noOverflow)
	g.op256(isa.SysU256Mul, 0, gU0, txGasLimU, txCap, mT)
	g.op256(isa.SysU256Add, 0, gU1, gU0, txValue, mT)
	g.ltAbs(mT, gU1, gU0)
	g.bne(mT, i(0), invalid)
	g.copyTo(gU2, mAcct, aBal, mT)
	g.ltAbs(mT, gU2, gU1)
	g.bne(mT, i(0), invalid)

	g.mark("main.buy")
	// Buy the gas at the effective price.
	g.op256(isa.SysU256Mul, 0, gU0, txGasLimU, txEffPrice, mT)
	g.op256(isa.SysU256Sub, 0, gU2, gU2, gU0, mT)
	g.add(mT, s(mAcct), i(aBal))
	g.callR(setu, n, s(mT), i(gU2))
	// The sender, the coinbase (EIP-3651), the precompiles, the recipient and the
	// access list are warm from the start: the image's records say so.

	// The gas left after the intrinsic gas.
	g.gload(mGasLo, txGasLimLo)
	g.gload(mGasHi, txGasLimHi)
	g.sltu(mT, s(mGasLo), s(mIntr))
	g.sub(mGasLo, s(mGasLo), s(mIntr))
	g.sub(mGasHi, s(mGasHi), s(mT))
	g.gload(mAcct, gSender)
	g.mov(mOutLen, i(0))
	g.mov(mOutP, i(0))

	g.mark("main.exec")
	// A creation.
	call, executed := g.label("tx.call"), g.label("tx.executed")
	g.gload(mT, txCreate)
	g.beq(mT, i(0), call)
	g.createAddress(mAcct, mT, mT2, mT3, mK, mN)
	c := n
	g.mov(c+ccSelf, s(mAcct))
	g.mov(c+ccValP, i(txValue))
	g.mov(c+ccGasLo, s(mGasLo))
	g.mov(c+ccGasHi, s(mGasHi))
	g.gload(c+ccCodeP, txDataP)
	g.gload(c+ccCodeLen, txDataLen)
	g.gload(c+ccEntry, txToEntry)
	g.gload(c+ccJT, txToJT)
	g.mov(c+ccDepth, i(0))
	g.mov(c+ccMemB, i(memBase))
	g.mov(c+ccMyFP, i(frameBase+int64(n)))
	g.mov(c+ccAddrP, i(gU4))
	g.call(cc, c)
	g.mov(mStatus, s(c+ccStatus))
	g.mov(mGasLo, s(c+ccGasLo))
	g.mov(mGasHi, s(c+ccGasHi))
	g.mov(mOutP, s(c+ccOutP))
	g.mov(mOutLen, s(c+ccOutLen))
	g.gstore(c+ccTarget, gTxCreated)
	g.jmp(executed)

	// A message call.
	g.bind(call)
	g.lw(mT, s(mAcct), aNonceLo)
	g.add(mT, s(mT), i(1))
	g.add(mT2, s(mAcct), i(aNonceLo))
	g.callR(setw, n, s(mT2), s(mT))
	noCarry := g.label("tx.nocarry")
	g.bne(mT, i(0), noCarry)
	g.lw(mT, s(mAcct), aNonceHi)
	g.add(mT, s(mT), i(1))
	g.add(mT2, s(mAcct), i(aNonceHi))
	g.callR(setw, n, s(mT2), s(mT))
	g.bind(noCarry)
	g.callR(acctGet, n, i(txTo))
	g.mov(mTarget, s(nest(0)))
	g.gload(mSnap, gJTop)
	g.mov(mT, i(txTo))
	g.precompileCheck(mPre, mT, mT2)
	g.mov(mStatus, i(stSuccess))
	exists, nothing := g.label("tx.exists"), g.label("tx.nothing")
	g.lw(mT, s(mTarget), aExists)
	g.bne(mT, i(0), exists)
	g.bne(mPre, i(0), g.L("tx.create"))
	g.isZero256Abs(mT, txValue, mT2, mT3)
	g.bne(mT, i(0), executed)
	g.bind(g.L("tx.create"))
	g.add(mT, s(mTarget), i(aExists))
	g.callR(setw, n, s(mT), i(1))
	g.bind(exists)
	g.callR(transfer, n, s(mAcct), s(mTarget), i(txValue))
	notPre := g.label("tx.notpre")
	g.beq(mPre, i(0), notPre)
	g.gload(mT, txTo)
	g.gload(mT2, txDataP)
	g.gload(mT3, txDataLen)
	g.precompile(mT, mT2, mT3, mGasLo, mGasHi, mStatus, mOutP, mOutLen)
	g.jmp(nothing)
	g.bind(notPre)
	r := n
	g.lw(r+rEntry, s(mTarget), aEntry)
	g.lw(r+rCode, s(mTarget), aCodeP)
	g.lw(r+rCodeL, s(mTarget), aCodeLen)
	g.lw(r+rJT, s(mTarget), aJT)
	g.mov(r+rCaller, s(mAcct))
	g.mov(r+rSelf, s(mTarget))
	for k := range int32(8) {
		g.lw(r+rValue+4*k, i(txValue), 4*k)
	}
	g.mov(r+rGasLo, s(mGasLo))
	g.mov(r+rGasHi, s(mGasHi))
	g.gload(r+rCDP, txDataP)
	g.gload(r+rCDLen, txDataLen)
	g.mov(r+rStatic, i(0))
	g.mov(r+rDepth, i(0))
	g.mov(r+rMemB, i(memBase))
	g.mov(r+rMyFP, i(frameBase+int64(n)))
	g.call(run, r)
	g.mov(mStatus, s(r+rStatus))
	g.mov(mGasLo, s(r+rGasLo))
	g.mov(mGasHi, s(r+rGasHi))
	g.mov(mOutP, s(r+rOutP))
	g.mov(mOutLen, s(r+rOutLen))
	g.bind(nothing)
	g.beq(mStatus, i(stSuccess), executed)
	g.callR(revert, n, s(mSnap))
	g.bind(executed)

	g.mark("main.refund")
	// Refund (at most a fifth of the gas used, EIP-3529), then pay: the sender gets the
	// gas left back, the coinbase the tip on the gas used.
	g.gload(mUsedLo, txGasLimLo)
	g.gload(mUsedHi, txGasLimHi)
	g.sltu(mT, s(mUsedLo), s(mGasLo))
	g.sub(mUsedLo, s(mUsedLo), s(mGasLo))
	g.sub(mUsedHi, s(mUsedHi), s(mGasHi))
	g.sub(mUsedHi, s(mUsedHi), s(mT))
	g.setAbs(gU0, s(mUsedLo), mT)
	g.gstore(mUsedHi, gU0+4)
	g.setAbs(gU1, i(5), mT)
	g.u256At(isa.SysU256Div, gU0, 0, mT) // gU1 = used / 5
	g.gload(mT, gRefund)
	g.gload(mT2, gU1+4)
	refundSet := g.label("tx.refundset")
	g.bne(mT2, i(0), refundSet) // used/5 ≥ 2^32 > counter
	g.gload(mT2, gU1)
	g.bgeu(mT2, s(mT), refundSet)
	g.mov(mT, s(mT2))
	g.bind(refundSet)
	g.add(mGasLo, s(mGasLo), s(mT))
	g.sltu(mT2, s(mGasLo), s(mT))
	g.add(mGasHi, s(mGasHi), s(mT2))
	g.sltu(mT2, s(mUsedLo), s(mT))
	g.sub(mUsedLo, s(mUsedLo), s(mT))
	g.sub(mUsedHi, s(mUsedHi), s(mT2))
	// sender += gasLeft · price
	g.setAbs(gU0, s(mGasLo), mT)
	g.gstore(mGasHi, gU0+4)
	g.op256(isa.SysU256Mul, 0, gU0, gU0, txEffPrice, mT)
	g.copyTo(gU1, mAcct, aBal, mT)
	g.op256(isa.SysU256Add, 0, gU1, gU1, gU0, mT)
	g.add(mT, s(mAcct), i(aBal))
	g.callR(setu, n, s(mT), i(gU1))
	// coinbase += used · tip (created if missing, touched even for 0)
	g.gload(mAcct, gCoinbase)
	g.setAbs(gU0, s(mUsedLo), mT)
	g.gstore(mUsedHi, gU0+4)
	g.op256(isa.SysU256Mul, 0, gU0, gU0, txTip, mT)
	g.copyTo(gU1, mAcct, aBal, mT)
	g.op256(isa.SysU256Add, 0, gU1, gU1, gU0, mT)
	g.add(mT, s(mAcct), i(aBal))
	g.callR(setu, n, s(mT), i(gU1))
	g.add(mT, s(mAcct), i(aExists))
	g.callR(setw, n, s(mT), i(1))
	g.callR(touch, n, s(mAcct))
	g.mark("main.finalize")
	g.finalize()
	g.mark("main.output")
	g.output(false)
	g.halt(i(0))
	g.bind(invalid)
	g.output(true)
	g.halt(i(0))
}

// isZero256Abs leaves in slot dst 1 when the value at the absolute address p is 0.
func (g *Gen) isZero256Abs(dst int32, p uint32, t1, t2 int32) {
	g.mov(t1, i(p))
	g.isZero256(dst, t1, 0, t2)
}

// u256At runs a 256-bit syscall on operands at an absolute address.
func (g *Gen) u256At(n uint32, p uint32, sel uint32, tmp int32) {
	g.mov(tmp, i(p))
	g.ecall(n, tmp, i(sel))
}

// finalize deletes the self-destructed accounts (created in this transaction) and the
// touched empty ones (EIP-161), by clearing their exists flag.
func (g *Gen) finalize() {
	isEmpty := g.isEmpty()
	loop, next, del, done := g.label("fin.loop"), g.label("fin.next"), g.label("fin.del"), g.label("fin.done")
	g.gload(mAcct, gAcctList)
	g.bind(loop)
	g.beq(mAcct, i(0), done)
	g.lw(mT, s(mAcct), aDestruct)
	g.bne(mT, i(0), del)
	g.lw(mT, s(mAcct), aTouched)
	g.beq(mT, i(0), next)
	g.callR(isEmpty, routineFrame, s(mAcct))
	g.beq(nest(0), i(0), next)
	g.bind(del)
	g.mov(mT, i(0))
	g.sw(mT, s(mAcct), aExists)
	g.bind(next)
	g.lw(mAcct, s(mAcct), aListNext)
	g.jmp(loop)
	g.bind(done)
}
