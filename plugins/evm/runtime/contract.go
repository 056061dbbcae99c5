package runtime

import (
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/plugins/evm/container"
)

// New starts the program of one transaction: the transaction's own code (validity,
// buying gas, the call or creation, the refund, the payments, the output) and the exit
// blocks every EVM frame shares. The contracts' code follows ([Gen.Contract]), then the
// interpreter ([Gen.Interpreter] or [Gen.NoInterpreter]), then [Gen.Program].
func New() *Gen {
	g := newGen()
	g.b.SetFP(frameBase)
	g.main()
	g.failBlocks()
	return g
}

// Builder is the builder the program is emitted into: a translator binds its labels,
// source labels and jump-table words there.
func (g *Gen) Builder() *isa.Builder { return g.b }

// Halt is the label that ends the running EVM frame with an exceptional halt (a bad
// jump destination, a failed check); code of the frame itself may jump to it.
func (g *Gen) Halt() isa.Label { return g.excFrame }

// Routines maps the first pc of each runtime routine and transaction step to its name
// (the cycle statistics attribute cycles outside any EVM instruction with it).
func (g *Gen) Routines() map[uint32]string { return g.starts }

// Segment emits the checks at the start of a straight-line segment of translated code:
// the stack must hold need items and have room for grow more, and the frame must have
// gas for the segment's static cost, which is charged. Any failure halts the frame.
func (g *Gen) Segment(need, grow int, gas uint32) {
	g.checkStack(need, grow)
	g.chargeStatic(gas)
}

// Contract emits the code of one contract translated ahead of time: the bodies of its
// opcodes, with its EVM pcs and push data known. Its dynamic jumps go through its jump
// table (a word per code byte at jt: the normalized pc of the JUMPDEST there, or 0),
// which the translator fills.
type Contract struct {
	g *Gen
	m *mode
}

// Contract starts a contract of codeLen bytes whose jump table is at jt.
func (g *Gen) Contract(codeLen int, jt uint32) *Contract {
	m := &mode{jt: jt, codeN: codeLen}
	m.jumpTo = func(src int32) {
		g.bgeu(src, i(codeLen), g.excFrame)
		g.sll(t(2), s(src), i(2))
		g.lw(t(2), s(t(2)), int32(jt))
		g.beq(t(2), i(0), g.excFrame)
		g.jmpSlot(t(2))
	}
	return &Contract{g: g, m: m}
}

// Op emits the body of the instruction op at EVM pc (imm: its PUSH data); its segment
// checked the stack and charged the static gas.
func (c *Contract) Op(pc int, op byte, imm []byte) {
	c.m.pc, c.m.imm = pc, imm
	c.g.emitOp(op, c.m)
}

// Jump emits JUMP to a destination known when translating (a PUSH before it).
func (c *Contract) Jump(target isa.Label) { c.g.jmp(target) }

// JumpI emits JUMPI to a destination known when translating: it pops the condition and
// jumps when it is not zero.
func (c *Contract) JumpI(target isa.Label) {
	g := c.g
	g.ecall(isa.SysU256Unary, fSP, i(isa.U256IsZero))
	g.lw(t(0), s(fSP), 0)
	g.add(fSP, s(fSP), i(32))
	g.beq(t(0), i(0), target)
}

// ConstOffset emits the instruction PUSH at EVM pc (push data imm, whose value v is
// below 2^24) fused with the next one, op: MLOAD, MSTORE or CALLDATALOAD at the
// constant offset v copy the 32 bytes directly when they lie inside memory (or the call
// data), and run as the two instructions otherwise. It emits nothing and reports false
// for any other op.
func (c *Contract) ConstOffset(pc int, imm []byte, v int64, op byte) bool {
	c.m.pc, c.m.imm = pc, imm
	return c.g.fuseConstOffset(op, v, imm, c.m)
}

// fuseConstOffset emits PUSH v followed by op (MLOAD, MSTORE or CALLDATALOAD) with the
// constant offset v: a direct copy when the 32 bytes lie inside memory (or the call
// data), else the PUSH and the op's routine. It reports false for other ops.
func (g *Gen) fuseConstOffset(op byte, v int64, imm []byte, m *mode) bool {
	var bound int32
	switch op {
	case 0x51, 0x52:
		bound = fMemSz
	case 0x35:
		bound = fCDLen
	default:
		return false
	}
	slow, done := g.label("fuse.slow"), g.label("fuse.done")
	g.bltu(bound, i(v+32), slow)
	off := int32(v)
	switch op {
	case 0x51: // MLOAD
		g.sub(fSP, s(fSP), i(32))
		for k := range int32(8) {
			g.lw(t(0), s(fMemB), off+4*k)
			g.sw(t(0), s(fSP), 4*k)
		}
		g.ecall(isa.SysU256Unary, fSP, i(isa.U256BSwap))
	case 0x52: // MSTORE
		g.ecall(isa.SysU256Unary, fSP, i(isa.U256BSwap))
		for k := range int32(8) {
			g.lw(t(0), s(fSP), 4*k)
			g.sw(t(0), s(fMemB), off+4*k)
		}
		g.add(fSP, s(fSP), i(32))
	case 0x35: // CALLDATALOAD
		g.sub(fSP, s(fSP), i(32))
		for k := range int32(8) {
			g.lw(t(0), s(fCDP), off+4*k)
			g.sw(t(0), s(fSP), 4*k)
		}
		g.ecall(isa.SysU256Unary, fSP, i(isa.U256BSwap))
	}
	g.jmp(done)
	g.bind(slow)
	m.imm = imm
	g.emitOp(byte(container.PUSH0+len(imm)), m)
	g.emitOp(op, m)
	g.bind(done)
	return true
}
