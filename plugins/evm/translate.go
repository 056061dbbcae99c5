package main

import (
	"github.com/oneiros-zk/oneiros/core/isa"
)

// instr is one decoded EVM instruction.
type instr struct {
	pc  int
	op  byte
	imm []byte // PUSH data, zero-padded past the end of the code
}

// decode splits code into instructions.
func decode(code []byte) []instr {
	var out []instr
	for pc := 0; pc < len(code); {
		op := code[pc]
		in := instr{pc: pc, op: op}
		n := 1
		if op >= opPUSH1 && op <= opPUSH32 {
			k := int(op) - opPUSH0
			in.imm = make([]byte, k)
			copy(in.imm, code[min(pc+1, len(code)):min(pc+1+k, len(code))])
			n += k
		}
		out = append(out, in)
		pc += n
	}
	return out
}

// translation is a contract translated to normalized code.
type translation struct {
	entry isa.Label
	jt    uint32 // jump table: a word per code byte, the pc of a JUMPDEST or 0
	// pcs maps each normalized instruction range to the EVM opcode it implements (for
	// the cycle statistics): starts[k] is the first normalized pc of evmOps[k].
	starts []uint32
	evmOps []byte
	end    uint32 // the pc after the contract's code
}

// translate emits code for one contract. Its jump table is placed at jt (4 bytes per
// code byte) in the image by the caller from the returned labels.
func (g *gen) translate(code []byte, jt uint32) *translation {
	ins := decode(code)
	tr := &translation{entry: g.label("contract"), jt: jt}
	dest := map[int]isa.Label{}
	for _, in := range ins {
		if in.op == opJUMPDEST {
			l := g.label("jumpdest")
			dest[in.pc] = l
			g.b.LabelWord(jt+4*uint32(in.pc), l)
		}
	}
	m := &mode{jt: jt, codeN: len(code)}
	m.jumpTo = func(src int32) {
		g.bgeu(src, i(len(code)), g.excFrame)
		g.sll(t(2), s(src), i(2))
		g.lw(t(2), s(t(2)), int32(jt))
		g.beq(t(2), i(0), g.excFrame)
		g.jmpSlot(t(2))
	}
	staticTarget := func(v []byte) isa.Label {
		var d uint64
		for _, b := range v {
			if d > 1<<40 {
				return g.excFrame
			}
			d = d<<8 | uint64(b)
		}
		if l, ok := dest[int(d)]; ok && d < uint64(len(code)) {
			return l
		}
		return g.excFrame
	}
	g.bind(tr.entry)
	live := true
	for k := 0; k < len(ins); {
		in := ins[k]
		if in.op == opJUMPDEST {
			g.bind(dest[in.pc])
			live = true
		}
		if !live {
			k++
			continue
		}
		// The segment: up to an op that ends one, or before the next JUMPDEST.
		end := k
		var gas uint32
		rel, need, grow := 0, 0, 0
		for ; end < len(ins); end++ {
			if end > k && ins[end].op == opJUMPDEST {
				break
			}
			o := &ops[ins[end].op]
			gas += o.gas
			need = max(need, o.pops-rel)
			rel += o.pushes - o.pops
			grow = max(grow, rel)
			if o.terminates || o.endsSegment {
				end++
				break
			}
		}
		segStart := g.b.PC() // the segment's checks count as its first op's cycles
		g.b.SourceLabel("(segment checks: stack, static gas)")
		g.checkStack(need, grow)
		g.chargeStatic(gas)
		for first := true; k < end; k, first = k+1, false {
			in := ins[k]
			if first {
				tr.starts = append(tr.starts, segStart)
			} else {
				tr.starts = append(tr.starts, g.b.PC())
			}
			tr.evmOps = append(tr.evmOps, in.op)
			g.b.SourceLabel(ops[in.op].name)
			m.pc, m.imm = in.pc, in.imm
			// PUSH then JUMP or JUMPI: a static jump.
			if in.op >= opPUSH1 && in.op <= opPUSH32 && k+1 < end && (ins[k+1].op == opJUMP || ins[k+1].op == opJUMPI) {
				target := staticTarget(in.imm)
				k++
				tr.starts = append(tr.starts, g.b.PC())
				tr.evmOps = append(tr.evmOps, ins[k].op)
				if ins[k].op == opJUMP {
					g.jmp(target)
				} else {
					g.ecall(isa.SysU256Unary, fSP, i(isa.U256IsZero))
					g.lw(t(0), s(fSP), 0)
					g.add(fSP, s(fSP), i(32))
					g.beq(t(0), i(0), target)
				}
				continue
			}
			// PUSH then MLOAD, MSTORE or CALLDATALOAD: a constant offset, copied
			// directly when it lies inside memory (or the call data).
			if in.op >= opPUSH0 && in.op <= opPUSH32 && k+1 < end {
				if v, ok := smallImm(in.imm); ok && g.fuseConstOffset(ins[k+1].op, v, in.imm, m) {
					k++
					tr.starts = append(tr.starts, tr.starts[len(tr.starts)-1])
					tr.evmOps = append(tr.evmOps, ins[k].op)
					continue
				}
			}
			g.emitOp(in.op, m)
		}
		last := &ops[ins[end-1].op]
		live = !last.terminates
	}
	if live { // running off the end is STOP
		tr.starts = append(tr.starts, g.b.PC())
		tr.evmOps = append(tr.evmOps, opSTOP)
		g.emitOp(opSTOP, m)
	}
	tr.end = g.b.PC()
	return tr
}

// interpreter emits the interpreter: its entry (which builds the code's JUMPDEST map
// when the frame has none), the dispatch loop and one handler per opcode.
func (g *gen) interpreter() {
	analyze := g.analyze()
	m := &mode{interp: true}
	m.jumpTo = func(src int32) {
		g.bgeu(src, s(fCodeLen), g.excFrame)
		g.add(t(2), s(fJT), s(src))
		g.lbu(t(2), s(t(2)), 0)
		g.beq(t(2), i(0), g.excFrame)
		g.mov(fIPC, s(src))
		g.jmp(g.interpDispatch)
	}
	g.bind(g.interpEntry)
	have := g.label("in.have")
	g.bne(fJT, i(0), have)
	g.call(analyze, frameSize)
	g.bind(have)
	g.mov(fIPC, i(0))
	g.bind(g.interpDispatch)
	stop := g.label("in.stop")
	g.bgeu(fIPC, s(fCodeLen), stop)
	g.add(t(0), s(fCode), s(fIPC))
	g.lbu(fOp, s(t(0)), 0)
	g.sll(t(0), s(fOp), i(2))
	g.lw(t(0), s(t(0)), int32(interpTable))
	g.jmpSlot(t(0))
	g.bind(stop)
	g.emitOp(opSTOP, m)
	for op := range 256 {
		o := &ops[op]
		h := g.label("h." + o.name)
		g.bind(h)
		g.b.LabelWord(interpTable+4*uint32(op), h)
		g.checkStack(o.pops, o.pushes-o.pops)
		g.chargeStatic(o.gas)
		g.emitOp(byte(op), m)
		if !o.terminates {
			g.add(fIPC, s(fIPC), i(1))
			g.jmp(g.interpDispatch)
		}
	}
}

// analyze builds the JUMPDEST map of the frame's code (a byte per code byte, 1 at a
// JUMPDEST) in the heap and stores it in fJT.
func (g *gen) analyze() isa.Label {
	return g.routine("analyze", func() {
		const bm, pc, n, c, op, t1 = 64, 68, 72, 76, 80, 84
		g.mov(n, s(up(fCodeLen)))
		g.mov(c, s(up(fCode)))
		g.add(t1, s(n), i(4))
		g.and(t1, s(t1), i(-4))
		g.alloc(bm, op, s(t1))
		g.mov(up(fJT), s(bm))
		g.mov(pc, i(0))
		loop, next, notPush, done := g.label("an.loop"), g.label("an.next"), g.label("an.notpush"), g.label("an.done")
		g.bind(loop)
		g.bgeu(pc, s(n), done)
		g.add(t1, s(c), s(pc))
		g.lbu(op, s(t1), 0)
		g.bne(op, i(opJUMPDEST), notPush)
		g.add(t1, s(bm), s(pc))
		g.mov(op, i(1))
		g.sb(op, s(t1), 0)
		g.jmp(next)
		g.bind(notPush)
		g.bltu(op, i(opPUSH1), next)
		g.bgeu(op, i(opPUSH32+1), next)
		g.sub(op, s(op), i(opPUSH0))
		g.add(pc, s(pc), s(op))
		g.bind(next)
		g.add(pc, s(pc), i(1))
		g.jmp(loop)
		g.bind(done)
		g.ret()
	})
}

// smallImm returns a PUSH value below 2^24.
func smallImm(imm []byte) (int64, bool) {
	var v int64
	for _, b := range imm {
		v = v<<8 | int64(b)
		if v >= 1<<24 {
			return 0, false
		}
	}
	return v, true
}

// fuseConstOffset emits PUSH v followed by op (MLOAD, MSTORE or CALLDATALOAD) with the
// constant offset v: a direct copy when the 32 bytes lie inside memory (or the call
// data), else the PUSH and the op's routine. It reports false for other ops.
func (g *gen) fuseConstOffset(op byte, v int64, imm []byte, m *mode) bool {
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
	g.emitOp(byte(opPUSH0+len(imm)), m)
	g.emitOp(op, m)
	g.bind(done)
	return true
}
