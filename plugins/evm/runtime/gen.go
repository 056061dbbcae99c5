package runtime

import (
	"github.com/oneiros-zk/oneiros/core/isa"
)

// routineFrame is the frame size of every runtime routine: arguments and results at
// slots 8, 12, …, locals above them, and a nested call's frame at fp + routineFrame.
const routineFrame int32 = 256

// arg returns the slot of argument or result k of a routine (in its own frame).
func arg(k int32) int32 { return 8 + 4*k }

// nest returns the slot of argument k of a routine called from the current one.
func nest(k int32) int32 { return routineFrame + arg(k) }

// Gen generates the normalized program of one transaction: the runtime (written once,
// shared by every contract), the translated contracts and the memory image.
type Gen struct {
	asm
	rt map[string]isa.Label // runtime routines by name
	// failAny ends the current EVM frame with an exceptional halt from any routine
	// (through gCur); excFrame does it from code running in the EVM frame itself.
	failAny, excFrame isa.Label
	// resourceTrap ends the run when the runtime's regions overflow (trapResources).
	resourceTrap isa.Label
	// interpEntry runs the code of an account that has no translation (code deployed
	// during the transaction, init code of CREATE); interpDispatch is its loop.
	interpEntry, interpDispatch isa.Label
	emitted                     map[string]bool
	pending                     []func()
	named                       map[string]isa.Label
	// starts holds the first pc of each routine (for cycle statistics).
	starts map[uint32]string
}

// L returns the label named name, the same one at every call (for forward references
// inside one routine; names are unique across the runtime).
func (g *Gen) L(name string) isa.Label {
	l, ok := g.named[name]
	if !ok {
		l = g.label(name)
		g.named[name] = l
	}
	return l
}

func newGen() *Gen {
	g := &Gen{asm: asm{b: isa.NewBuilder()}, rt: map[string]isa.Label{}, emitted: map[string]bool{}, named: map[string]isa.Label{}, starts: map[uint32]string{}}
	g.failAny = g.label("failAny")
	g.excFrame = g.label("excFrame")
	g.resourceTrap = g.label("resourceTrap")
	g.interpEntry = g.label("interpEntry")
	g.interpDispatch = g.label("interpDispatch")
	g.b.SourceLabel("runtime:entry")
	return g
}

// routine returns the label of runtime routine name, scheduling its body (emitted once,
// after the code that first refers to it).
func (g *Gen) routine(name string, body func()) isa.Label {
	l, ok := g.rt[name]
	if !ok {
		l = g.label(name)
		g.rt[name] = l
		g.pending = append(g.pending, func() {
			g.mark(name)
			g.bind(l)
			body()
		})
	}
	return l
}

// mark starts the code of a runtime routine or transaction step: its name in the
// cycle statistics (starts) and in the program's source map ("runtime:" + name).
func (g *Gen) mark(name string) {
	g.starts[g.b.PC()] = name
	g.b.SourceLabel("runtime:" + name)
}

// flush emits every scheduled routine body (bodies may schedule more).
func (g *Gen) flush() {
	for len(g.pending) > 0 {
		f := g.pending[0]
		g.pending = g.pending[1:]
		f()
	}
}

// callR calls a routine with its frame at fp + base after writing its arguments.
func (g *Gen) callR(l isa.Label, base int32, args ...isa.Operand) {
	for k, a := range args {
		g.mov(base+arg(int32(k)), a)
	}
	g.call(l, base)
}

// failBlocks emits the two shared exit blocks.
func (g *Gen) failBlocks() {
	// From a routine at any depth: gCur is the EVM frame; copy its return linkage into
	// this frame's and return, which resumes the code that called the EVM frame.
	g.bind(g.failAny)
	g.gload(8, gCur)
	g.mov(12, i(stHalt))
	g.sw(12, s(8), fStatus)
	g.lw(0, s(8), 0)
	g.lw(4, s(8), 4)
	g.ret()
	// From the EVM frame.
	g.bind(g.excFrame)
	g.mov(fStatus, i(stHalt))
	g.ret()
	g.bind(g.resourceTrap)
	g.trap(i(trapResources))
}

// leaveFrom returns from the EVM frame out of a top-level routine (one called from the
// EVM frame with frame offset frameSize), after the caller set the frame's status.
func (g *Gen) leaveFrom() {
	g.mov(0, s(up(0)))
	g.mov(4, s(up(4)))
	g.ret()
}
