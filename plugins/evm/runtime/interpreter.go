package runtime

import (
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/plugins/evm/container"
)

// Interpreter emits the interpreter, which runs the code that exists only at run time
// (CREATE's init code, code deployed during the transaction) and every account the
// translation left without an entry: its entry (which builds the code's JUMPDEST map
// when the frame has none), the dispatch loop through a 256-entry handler table, and
// one handler per opcode with the same body as translated code. Call it, or
// [Gen.NoInterpreter], once, after the contracts.
func (g *Gen) Interpreter() {
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
	g.emitOp(container.STOP, m)
	for op := range 256 {
		o := container.Info(byte(op))
		h := g.label("h." + o.Name)
		g.bind(h)
		g.b.LabelWord(interpTable+4*uint32(op), h)
		g.checkStack(o.Pops, o.Pushes-o.Pops)
		g.chargeStatic(o.Gas)
		g.emitOp(byte(op), m)
		if !o.Terminates {
			g.add(fIPC, s(fIPC), i(1))
			g.jmp(g.interpDispatch)
		}
	}
}

// analyze builds the JUMPDEST map of the frame's code (a byte per code byte, 1 at a
// JUMPDEST) in the heap and stores it in fJT.
func (g *Gen) analyze() isa.Label {
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
		g.bne(op, i(container.JUMPDEST), notPush)
		g.add(t1, s(bm), s(pc))
		g.mov(op, i(1))
		g.sb(op, s(t1), 0)
		g.jmp(next)
		g.bind(notPush)
		g.bltu(op, i(container.PUSH1), next)
		g.bgeu(op, i(container.PUSH32+1), next)
		g.sub(op, s(op), i(container.PUSH0))
		g.add(pc, s(pc), s(op))
		g.bind(next)
		g.add(pc, s(pc), i(1))
		g.jmp(loop)
		g.bind(done)
		g.ret()
	})
}

// NoInterpreter stands in for [Gen.Interpreter] when no code can be made at run time
// (nothing in the transaction can CREATE): code deployed by a creation transaction is
// never run within it, so the interpreter's entry traps.
func (g *Gen) NoInterpreter() {
	g.bind(g.interpEntry)
	g.bind(g.interpDispatch)
	g.trap(i(0xEC01))
}
