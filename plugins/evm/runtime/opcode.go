package runtime

import (
	"github.com/oneiros-zk/oneiros/core/isa"
)

// mode says how an opcode's body is emitted: for a contract translated ahead of time
// (the EVM pc and push data are known) or for the interpreter (they are read at run
// time from fIPC and the code).
type mode struct {
	interp bool
	pc     int    // translated: the opcode's EVM pc
	imm    []byte // translated: PUSH data (zero-padded)
	jt     uint32 // translated: the contract's jump table
	codeN  int    // translated: code length
	// jumpTo emits the jump to the EVM destination whose low word is in slot src
	// (checked: words 1…7 zero by the caller); an invalid one halts the frame.
	jumpTo func(src int32)
}

// binaryU256 are the opcodes that are one 256-bit syscall on the stack pointer, with
// their syscall, selector and the number of stack items they consume net.
var binaryU256 = map[byte]struct {
	n, sel uint32
	pop    int32
}{
	0x01: {isa.SysU256Add, 0, 1}, 0x02: {isa.SysU256Mul, 0, 1}, 0x03: {isa.SysU256Sub, 0, 1},
	0x04: {isa.SysU256Div, 0, 1}, 0x06: {isa.SysU256Mod, 0, 1},
	0x08: {isa.SysU256AddMod, 0, 2}, 0x09: {isa.SysU256MulMod, 0, 2},
	0x10: {isa.SysU256Cmp, isa.U256Lt, 1}, 0x11: {isa.SysU256Cmp, isa.U256Gt, 1},
	0x12: {isa.SysU256Cmp, isa.U256SLt, 1}, 0x13: {isa.SysU256Cmp, isa.U256SGt, 1},
	0x14: {isa.SysU256Cmp, isa.U256Eq, 1}, 0x15: {isa.SysU256Unary, isa.U256IsZero, 0},
	0x16: {isa.SysU256Bit, isa.U256And, 1}, 0x17: {isa.SysU256Bit, isa.U256Or, 1},
	0x18: {isa.SysU256Bit, isa.U256Xor, 1}, 0x19: {isa.SysU256Unary, isa.U256Not, 0},
	0x1b: {isa.SysU256Shift, isa.U256Shl, 1}, 0x1c: {isa.SysU256Shift, isa.U256Shr, 1},
	0x1d: {isa.SysU256Shift, isa.U256Sar, 1},
}

// pushAbs pushes the 256-bit value at an absolute address.
func (g *Gen) pushAbs(addr uint32) {
	g.sub(fSP, s(fSP), i(32))
	for k := range int32(8) {
		g.lw(t(0), i(addr), 4*k)
		g.sw(t(0), s(fSP), 4*k)
	}
}

// pushSlot pushes the word in slot f, zero-extended.
func (g *Gen) pushSlot(f int32) {
	g.sub(fSP, s(fSP), i(32))
	g.ecall(isa.SysU256Set, fSP, s(f))
}

// pushAcctAddr pushes the address of the account record in slot f.
func (g *Gen) pushAcctAddr(f int32) {
	g.sub(fSP, s(fSP), i(32))
	g.ecall(isa.SysU256Set, fSP, i(0))
	for k := range int32(5) {
		g.lw(t(0), s(f), aAddr+4*k)
		g.sw(t(0), s(fSP), 4*k)
	}
}

// callOp calls a top-level op routine, with T0 = arg when arg ≥ 0.
func (g *Gen) callOp(l isa.Label, arg int64) {
	if arg >= 0 {
		g.mov(t(0), i(arg))
	}
	g.call(l, frameSize)
}

// chargeStatic charges a constant from the EVM frame's gas or halts it.
func (g *Gen) chargeStatic(c uint32) {
	if c == 0 {
		return
	}
	ok := g.label("gas.ok")
	g.bgeu(fGasLo, i(c), ok)
	g.beq(fGasHi, i(0), g.excFrame)
	g.sub(fGasHi, s(fGasHi), i(1))
	g.bind(ok)
	g.sub(fGasLo, s(fGasLo), i(c))
}

// checkStack halts the frame unless the stack holds need items and room for grow more.
func (g *Gen) checkStack(need, grow int) {
	if need > 0 {
		g.add(t(0), s(fSP), i(32*need))
		g.bltu(fStkTop, s(t(0)), g.excFrame)
	}
	if grow > 0 {
		g.sub(t(0), s(fSP), i(32*grow))
		g.bltu(t(0), s(fStkBot), g.excFrame)
	}
}

// dynJump emits a jump to the destination at [fSP]+off (a 256-bit value): words 1…7
// must be 0, then m.jumpTo checks it. Slots T1, T2 are used.
func (g *Gen) dynJump(m *mode, base int32, off int32) {
	g.lw(t(1), s(base), off+4)
	for k := int32(2); k < 8; k++ {
		g.lw(t(2), s(base), off+4*k)
		g.or(t(1), s(t(1)), s(t(2)))
	}
	g.bne(t(1), i(0), g.excFrame)
	g.lw(t(1), s(base), off)
	m.jumpTo(t(1))
}

// emitOp emits the body of opcode op (its stack and static gas were checked).
func (g *Gen) emitOp(op byte, m *mode) {
	if b, ok := binaryU256[op]; ok {
		g.ecall(b.n, fSP, i(b.sel))
		if b.pop > 0 {
			g.add(fSP, s(fSP), i(32*b.pop))
		}
		return
	}
	switch {
	case op >= 0x60 && op <= 0x7f:
		if m.interp {
			g.callOp(g.ipush(), int64(op-0x5f))
			return
		}
		var w [8]uint32
		for k, b := range m.imm {
			bit := 8 * (len(m.imm) - 1 - k)
			w[bit/32] |= uint32(b) << (bit % 32)
		}
		g.sub(fSP, s(fSP), i(32))
		g.ecall(isa.SysU256Set, fSP, i(w[0]))
		for k := 1; k < 8; k++ {
			if w[k] != 0 {
				g.mov(t(0), i(w[k]))
				g.sw(t(0), s(fSP), int32(4*k))
			}
		}
		return
	case op >= 0x80 && op <= 0x8f:
		g.sub(fSP, s(fSP), i(32))
		g.ecall(isa.SysU256Copy, fSP, i(32*(int(op)-0x7f)))
		return
	case op >= 0x90 && op <= 0x9f:
		g.ecall(isa.SysU256Swap, fSP, i(32*(int(op)-0x8f)))
		return
	case op >= 0xa0 && op <= 0xa4:
		g.callOp(g.opLog(), int64(op-0xa0))
		return
	}
	switch op {
	case 0x00: // STOP
		g.mov(fStatus, i(stSuccess))
		g.mov(fOutLen, i(0))
		g.ret()
	case 0x05:
		g.callOp(g.opSDiv(), 0)
	case 0x07:
		g.callOp(g.opSDiv(), 1)
	case 0x0a:
		g.callOp(g.opExp(), -1)
	case 0x0b:
		g.callOp(g.opSignExtend(), -1)
	case 0x1a:
		g.callOp(g.opByte(), -1)
	case 0x20:
		g.callOp(g.opSha3(), -1)
	case 0x30:
		g.pushAcctAddr(fSelf)
	case 0x31:
		g.callOp(g.opBalance(), -1)
	case 0x32:
		g.pushAbs(txSender)
	case 0x33:
		g.pushAcctAddr(fCaller)
	case 0x34:
		g.sub(fSP, s(fSP), i(32))
		for k := range int32(8) {
			g.sw(fValue+4*k, s(fSP), 4*k)
		}
	case 0x35:
		g.callOp(g.opCallDataLoad(), -1)
	case 0x36:
		g.pushSlot(fCDLen)
	case 0x37:
		g.callOp(g.opCopy(), cpCallData)
	case 0x38:
		g.pushSlot(fCodeLen)
	case 0x39:
		g.callOp(g.opCopy(), cpCode)
	case 0x3a:
		g.pushAbs(txEffPrice)
	case 0x3b:
		g.callOp(g.opExtCodeSize(), -1)
	case 0x3c:
		g.callOp(g.opCopy(), cpExtCode)
	case 0x3d:
		g.pushSlot(fRDLen)
	case 0x3e:
		g.callOp(g.opCopy(), cpReturnData)
	case 0x3f:
		g.callOp(g.opExtCodeHash(), -1)
	case 0x40:
		g.callOp(g.opBlockHash(), -1)
	case 0x41:
		g.pushAbs(txCoinbase)
	case 0x42:
		g.pushAbs(txTimestamp)
	case 0x43:
		g.pushAbs(txNumber)
	case 0x44:
		g.pushAbs(txRandom)
	case 0x45:
		g.pushAbs(txBlockGas)
	case 0x46:
		g.pushAbs(txChainID)
	case 0x47:
		g.sub(fSP, s(fSP), i(32))
		for k := range int32(8) {
			g.lw(t(0), s(fSelf), aBal+4*k)
			g.sw(t(0), s(fSP), 4*k)
		}
	case 0x48:
		g.pushAbs(txBaseFee)
	case 0x49: // BLOBHASH: no blobs in these transactions
		g.ecall(isa.SysU256Set, fSP, i(0))
	case 0x4a:
		g.pushAbs(txBlobFee)
	case 0x50:
		g.add(fSP, s(fSP), i(32))
	case 0x51:
		g.callOp(g.opMload(), -1)
	case 0x52:
		g.callOp(g.opMstore(), -1)
	case 0x53:
		g.callOp(g.opMstore8(), -1)
	case 0x54:
		g.callOp(g.opSload(), -1)
	case 0x55:
		g.callOp(g.opSstore(), -1)
	case 0x56: // JUMP
		g.mov(t(3), s(fSP))
		g.add(fSP, s(fSP), i(32))
		g.dynJump(m, t(3), 0)
	case 0x57: // JUMPI
		fall := g.label("jumpi.fall")
		g.mov(t(3), s(fSP))
		g.add(t(0), s(fSP), i(32))
		g.ecall(isa.SysU256Unary, t(0), i(isa.U256IsZero))
		g.lw(t(0), s(t(3)), 32)
		g.add(fSP, s(fSP), i(64))
		g.bne(t(0), i(0), fall)
		g.dynJump(m, t(3), 0)
		g.bind(fall)
	case 0x58: // PC
		if m.interp {
			g.pushSlot(fIPC)
		} else {
			g.sub(fSP, s(fSP), i(32))
			g.ecall(isa.SysU256Set, fSP, i(m.pc))
		}
	case 0x59:
		g.pushSlot(fMemSz)
	case 0x5a: // GAS
		g.sub(fSP, s(fSP), i(32))
		g.ecall(isa.SysU256Set, fSP, s(fGasLo))
		g.sw(fGasHi, s(fSP), 4)
	case 0x5b: // JUMPDEST
	case 0x5c:
		g.callOp(g.opTload(), -1)
	case 0x5d:
		g.callOp(g.opTstore(), -1)
	case 0x5e:
		g.callOp(g.opCopy(), cpMcopy)
	case 0x5f:
		g.sub(fSP, s(fSP), i(32))
		g.ecall(isa.SysU256Set, fSP, i(0))
	case 0xf0:
		g.callOp(g.opCreate(), 0)
	case 0xf5:
		g.callOp(g.opCreate(), 1)
	case 0xf1:
		g.callOp(g.opCall(), kCall)
	case 0xf2:
		g.callOp(g.opCall(), kCallCode)
	case 0xf4:
		g.callOp(g.opCall(), kDelegateCall)
	case 0xfa:
		g.callOp(g.opCall(), kStaticCall)
	case 0xf3:
		g.callOp(g.opReturn(), stSuccess)
	case 0xfd:
		g.callOp(g.opReturn(), stRevert)
	case 0xff:
		g.callOp(g.opSelfDestruct(), -1)
	default: // INVALID and undefined opcodes
		g.jmp(g.excFrame)
	}
}

// ipush is PUSH1 … PUSH32 for the interpreter (n in T0): the n bytes after fIPC,
// zero-padded past the end of the code; it advances fIPC past them.
func (g *Gen) ipush() isa.Label {
	copyB := g.copyBytes()
	return g.routine("ipush", func() {
		const n, sp, src, avail = 64, 68, 72, 76
		g.mov(n, s(up(t(0))))
		g.sub(sp, s(up(fSP)), i(32))
		g.mov(up(fSP), s(sp))
		g.ecall(isa.SysU256Set, sp, i(0))
		g.add(src, s(up(fIPC)), i(1))
		g.mov(avail, i(0))
		none := g.label("ip.none")
		g.bgeu(src, s(up(fCodeLen)), none)
		g.sub(avail, s(up(fCodeLen)), s(src))
		fits := g.label("ip.fits")
		g.bltu(avail, s(n), fits)
		g.mov(avail, s(n))
		g.bind(fits)
		g.add(src, s(src), s(up(fCode)))
		g.add(80, s(sp), i(32))
		g.sub(80, s(80), s(n))
		g.callR(copyB, routineFrame, s(80), s(src), s(avail))
		g.ecall(isa.SysU256Unary, sp, i(isa.U256BSwap))
		g.bind(none)
		g.add(up(fIPC), s(up(fIPC)), s(n))
		g.ret()
	})
}
