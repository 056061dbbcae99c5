package translate

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/plugins/wasm/module"
	"github.com/oneiros-zk/oneiros/sdk/wide"
)

// Frame layout of a translated function (offsets from fp):
//
//	0, 4            return pc and caller's fp (written by CALL)
//	8 …             parameters, then locals (one word per i32/f32/ref, two per i64/f64);
//	                results are returned in the same place (from offset 8)
//	fixedEnd …      temporaries (numTemps words), then the memory's fast limit
//	stackBase …     the operand stack: stack position i lives at a fixed offset
//	frame           the frame's size: a callee's frame starts at fp + frame
const numTemps = 8

// fn translates one function.
type fn struct {
	s    *Store
	b    *isa.Builder
	inst *Instance
	m    *module.Module
	f    *module.Func
	fun  *Function
	mem  *Memory // the instance's memory, or nil
	// usesMem: the function loads or stores, so it keeps the memory's fast limit in a slot.
	usesMem bool

	localOff   []int32
	localType  []module.ValType
	temp       int32 // first temporary slot
	fast       int32 // slot caching the memory's fast limit
	stackBase  int32
	frame      int32
	resultWrds int

	stack []val
	pos   []int32
	virt  []int
	ctrls []ctl
	dead  int // nesting depth of skipped blocks inside unreachable code

	in      module.Instr
	next    *module.Instr // the instruction after in, if any
	skip    bool          // the next instruction was folded into this one
	slow    []func()      // out-of-line code, emitted after the body
	profile *profiler
	we      *wide.Emitter // 64-bit operations (sdk/wide), made on first use
}

func (c *fn) tmp(i int) int32 { return c.temp + 4*int32(i) }

func (c *fn) fail(format string, args ...any) error {
	return fmt.Errorf("%w: function %s at offset 0x%x: %s", ErrUnsupported, c.fun.Name, c.in.Off, fmt.Sprintf(format, args...))
}

// frameOf computes a function's frame size without translating it.
func frameOf(m *module.Module, f *module.Func) (locals []int32, fixedEnd, stackBase, frame int32) {
	t := m.Types[f.Type]
	off := int32(8)
	for _, p := range t.Params {
		locals = append(locals, off)
		off += 4 * int32(p.Words())
	}
	for _, l := range f.Locals {
		locals = append(locals, off)
		off += 4 * int32(l.Words())
	}
	rw := 0
	for _, r := range t.Results {
		rw += r.Words()
	}
	fixedEnd = max(off, 8+4*int32(rw))
	stackBase = fixedEnd + 4*numTemps + 4
	frame = stackBase + 4*int32(f.MaxStackWords)
	return
}

// translate emits the function's code at its label.
func (s *Store) translate(fun *Function) error {
	inst := fun.inst
	m := inst.Module
	f := &m.Funcs[fun.index]
	c := &fn{s: s, b: s.b, inst: inst, m: m, f: f, fun: fun, profile: s.profiler}
	if len(inst.Mems) > 0 {
		c.mem = inst.Mems[0]
	}
	s.b.Bind(fun.Label)
	if c.profile != nil {
		c.profile.open = false
	}
	if f.UsesFloat {
		c.in = module.Instr{Off: f.FloatOff, Op: f.FloatOp}
		if !s.opts.LenientFloat {
			return c.fail("unsupported instruction %s: floating point is not supported", f.FloatOp)
		}
		c.jumpTrap(TrapFloat)
		return nil
	}
	var fixedEnd int32
	c.localOff, fixedEnd, c.stackBase, c.frame = frameOf(m, f)
	c.localType = append(append([]module.ValType(nil), fun.Type.Params...), f.Locals...)
	c.temp = fixedEnd
	c.fast = fixedEnd + 4*numTemps
	for _, r := range fun.Type.Results {
		c.resultWrds += r.Words()
	}
	if int64(c.frame) > int64(s.opts.StackBytes)/4 {
		return c.fail("a frame of %d bytes does not fit the %d-byte stack", c.frame, s.opts.StackBytes)
	}
	if c.profile != nil {
		c.profile.begin(c)
	}
	c.b.SourceLabel("(function prologue)")
	c.prologue()
	c.ctrls = append(c.ctrls, ctl{op: module.OpEnd, label: s.b.NewLabel("return"), results: fun.Type.Results})
	body := f.Body
	for k := 0; k < len(body); k++ {
		c.in = body[k]
		c.next = nil
		if k+1 < len(body) {
			c.next = &body[k+1]
		}
		if c.profile != nil {
			c.profile.instr(c, k)
		}
		c.b.SourceLabel(c.in.Op.String())
		if err := c.instr(); err != nil {
			return err
		}
		if c.skip {
			c.skip = false
			k++
			if c.profile != nil {
				c.profile.instr(c, k)
			}
		}
		if c.profile != nil {
			c.profile.after(c, body[k].Op)
		}
	}
	if c.profile != nil {
		c.profile.close(c)
	}
	c.b.SourceLabel("(slow paths: memory growth, traps)")
	for _, f := range c.slow {
		f()
	}
	return nil
}

// prologue checks the call depth, zeroes the locals that may be read before they are
// written, and loads the memory's fast limit.
func (c *fn) prologue() {
	calls := false
	// A local needs zeroing unless its first use (in code order) is a local.set or
	// local.tee outside any block: every instruction after it is preceded by it.
	const (
		unseen = iota
		setFirst
		readFirst
	)
	first := make([]uint8, len(c.localType))
	depth := 0
	for _, in := range c.f.Body {
		switch {
		case in.Op == module.OpCall || in.Op == module.OpCallIndirect:
			calls = true
		case in.Op.IsLoad() || in.Op.IsStore():
			c.usesMem = true
		case in.Op == module.OpBlock || in.Op == module.OpLoop || in.Op == module.OpIf:
			depth++
		case in.Op == module.OpEnd:
			depth--
		case in.Op == module.OpLocalGet || in.Op == module.OpLocalSet || in.Op == module.OpLocalTee:
			if first[in.Y] == unseen {
				first[in.Y] = readFirst
				if in.Op != module.OpLocalGet && depth == 0 {
					first[in.Y] = setFirst
				}
			}
		}
	}
	c.usesMem = c.usesMem && c.mem != nil
	if calls {
		// Trap unless the caller's fp leaves room for this frame, a callee's frame and one more.
		limit := uint64(StackBase) + uint64(c.s.opts.StackBytes)
		need := uint64(c.frame) + 2*uint64(c.s.maxFrame())
		if need >= limit-StackBase {
			c.jumpTrap(TrapStackExhausted)
		} else {
			c.trapIf(isa.BGEU, isa.FrameCallerFP, imm(uint32(limit-need)), TrapStackExhausted)
		}
	}
	np := len(c.fun.Type.Params)
	for i := np; i < len(c.localType); i++ {
		if first[i] == readFirst {
			for w := 0; w < c.localType[i].Words(); w++ {
				c.mov(c.localOff[i]+4*int32(w), imm(0))
			}
		}
	}
	if c.usesMem {
		c.loadFast()
	}
}

func (c *fn) loadFast() { c.b.Load(isa.LW, c.fast, isa.Imm(0), int32(c.mem.Desc+memFast)) }

func (c *fn) cur() *ctl { return &c.ctrls[len(c.ctrls)-1] }

// instr translates one instruction.
func (c *fn) instr() error {
	in := c.in
	op := in.Op
	if c.cur().unreachable {
		// Skip unreachable code, keeping track of nesting to find where it ends.
		switch op {
		case module.OpBlock, module.OpLoop, module.OpIf:
			c.dead++
			return nil
		case module.OpElse:
			if c.dead > 0 {
				return nil
			}
		case module.OpEnd:
			if c.dead > 0 {
				c.dead--
				return nil
			}
		default:
			return nil
		}
	}
	switch {
	case op == module.OpNop:
	case op == module.OpUnreachable:
		c.jumpTrap(TrapUnreachable)
		c.setUnreachable()
	case op == module.OpBlock || op == module.OpLoop:
		ps, rs, _ := c.m.BlockType(int64(in.X))
		c.spillAll()
		k := ctl{op: op, base: len(c.stack) - len(ps), params: ps, results: rs, label: c.b.NewLabel(op.String())}
		if op == module.OpLoop {
			c.b.Bind(k.label)
		}
		c.ctrls = append(c.ctrls, k)
	case op == module.OpIf:
		ps, rs, _ := c.m.BlockType(int64(in.X))
		cond := c.pop()
		c.spillAll()
		k := ctl{op: op, base: len(c.stack) - len(ps), params: ps, results: rs, label: c.b.NewLabel("end"), elseLabel: c.b.NewLabel("else")}
		c.branchOn(cond, false, k.elseLabel)
		c.ctrls = append(c.ctrls, k)
	case op == module.OpElse:
		k := c.cur()
		if !k.unreachable {
			c.placeResults(k)
			c.b.Jump(k.label)
			k.targeted = true
		}
		c.b.Bind(k.elseLabel)
		k.hasElse = true
		k.unreachable = false
		c.resetStack(k.base, k.params)
	case op == module.OpEnd:
		return c.end()
	case op == module.OpBr:
		c.br(in.Y)
		c.setUnreachable()
	case op == module.OpBrIf:
		c.brIf(in.Y)
	case op == module.OpBrTable:
		c.brTable(c.f.Tables[in.Y])
		c.setUnreachable()
	case op == module.OpReturn:
		c.ret()
		c.setUnreachable()
	case op == module.OpCall:
		return c.call(c.inst.Funcs[in.Y])
	case op == module.OpCallIndirect:
		return c.callIndirect(c.m.Types[in.Y], c.inst.Tables[in.X])
	case op == module.OpDrop:
		c.pop()
	case op == module.OpSelect || op == module.OpSelectT:
		c.selectOp()
	case op == module.OpLocalGet:
		c.pushS(slotVal(c.localType[in.Y], c.localOff[in.Y]))
	case op == module.OpLocalSet || op == module.OpLocalTee:
		c.setLocal(in.Y, op == module.OpLocalTee)
	case op == module.OpGlobalGet:
		g := c.inst.Globals[in.Y]
		dst := c.dest(g.Type.Type)
		if g.Type.Type.Words() == 2 {
			c.b.Load(isa.LW, dst+4, isa.Imm(0), int32(g.Addr+4))
		}
		c.b.Load(isa.LW, dst, isa.Imm(0), int32(g.Addr))
	case op == module.OpGlobalSet:
		g := c.inst.Globals[in.Y]
		v := c.popS()
		for w := 0; w < v.words(); w++ {
			src := c.inSlot(v.w[w], c.tmp(w))
			c.b.Store(isa.SW, src, isa.Imm(0), int32(g.Addr+4*uint32(w)))
		}
	case op == module.OpI32Const:
		c.pushS(constVal(module.I32, in.X))
	case op == module.OpI64Const:
		c.pushS(constVal(module.I64, in.X))
	case op == module.OpF32Const:
		c.pushS(constVal(module.F32, in.X))
	case op == module.OpF64Const:
		c.pushS(constVal(module.F64, in.X))
	case op == module.OpRefNull:
		c.pushS(constVal(module.ValType(in.Y), 0))
	case op == module.OpRefFunc:
		c.pushS(constVal(module.FuncRef, uint64(c.s.descOf(c.inst.Funcs[in.Y]))))
	case op.IsLoad():
		c.load()
	case op.IsStore():
		c.store()
	case op == module.OpMemorySize:
		dst := c.dest(module.I32)
		c.b.Load(isa.LW, dst, isa.Imm(0), int32(c.mem.Desc+memPages))
	case op == module.OpMemoryGrow:
		c.memoryGrow()
	case op == module.OpMemoryInit, op == module.OpDataDrop, op == module.OpMemoryCopy, op == module.OpMemoryFill:
		c.bulkMemory()
	case op == module.OpTableGet, op == module.OpTableSet, op == module.OpTableSize, op == module.OpTableGrow,
		op == module.OpTableFill, op == module.OpTableCopy, op == module.OpTableInit, op == module.OpElemDrop:
		c.tableOp()
	default:
		return c.numeric()
	}
	return nil
}

// dest returns where an instruction whose result must be computed now (it may trap,
// or reads state that may change) puts it: the local of a following local.set or
// local.tee (folding it), else a new stack slot. The result is on the stack after.
func (c *fn) dest(t module.ValType) int32 {
	if n := c.next; n != nil && (n.Op == module.OpLocalSet || n.Op == module.OpLocalTee) && c.localType[n.Y] == t {
		off := c.localOff[n.Y]
		c.clobber(off, t.Words(), -1)
		c.skip = true
		if n.Op == module.OpLocalTee {
			c.pushS(slotVal(t, off))
		}
		return off
	}
	return c.pushSlot(t)
}

func (c *fn) setLocal(x uint32, tee bool) {
	v := c.pop()
	t := c.localType[x]
	off := c.localOff[x]
	c.clobber(off, t.Words(), -1)
	c.emitInto(v, off)
	if tee {
		c.pushS(slotVal(t, off))
	}
}
