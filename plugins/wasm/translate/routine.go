package translate

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/isa"
)

// Runtime routines: normalized functions the translated code calls for the operations
// too long to inline (memory.grow, bulk memory, table instructions, 64-bit division).
// A routine is a leaf: arguments in its frame from offset 8, results there too, its own
// slots below routineFrame. Each is emitted once per store (per memory where the
// memory's addresses are immediates), after the functions.
const routineFrame = 128

type routine struct {
	label    isa.Label
	emit     func(r *rb)
	overhead bool // used by instantiation only: not WebAssembly code (for the profile)
}

// routineLabel returns the label of the routine named key, registering emit for it.
func (s *Store) routineLabel(key string, emit func(r *rb)) isa.Label {
	if r, ok := s.routines[key]; ok {
		return r.label
	}
	r := &routine{label: s.b.NewLabel(key), emit: emit}
	s.routines[key] = r
	s.routineOrder = append(s.routineOrder, key)
	return r.label
}

// emitRoutines emits every registered routine (routines may register others).
func (s *Store) emitRoutines() {
	for i := 0; i < len(s.routineOrder); i++ {
		r := s.routines[s.routineOrder[i]]
		start := s.b.PC()
		s.b.SourceLabel("runtime:" + s.routineOrder[i])
		s.b.Bind(r.label)
		r.emit(&rb{s: s, b: s.b})
		if r.overhead && s.profiler != nil {
			s.profiler.overhead(start, s.b.PC())
		}
	}
}

// rb is a small emitter for routine bodies: slot numbers are word indices from offset 8
// (w(0) = [8], the first argument).
type rb struct {
	s *Store
	b *isa.Builder
}

func w(i int) int32 { return 8 + 4*int32(i) }

func (r *rb) op(op isa.Opcode, d int32, x, y isa.Operand) { r.b.ALU(op, d, x, y) }
func (r *rb) mov(d int32, x isa.Operand)                  { r.b.Move(d, x) }
func (r *rb) label(n string) isa.Label                    { return r.b.NewLabel(n) }
func (r *rb) trap(op isa.Opcode, a int32, b isa.Operand, code TrapCode) {
	r.b.Branch(op, a, b, r.s.trapLabel(code))
}

// copyLoop copies n bytes (slot) from absolute address src (slot) to absolute dst
// (slot), forward four bytes at a time (unaligned words are fine), then byte by byte;
// or backward when backward is true (for overlapping moves to higher addresses).
func (r *rb) copyLoop(dst, src, n, t int32, dstOff int32) {
	words, bytes, done := r.label("copy.words"), r.label("copy.bytes"), r.label("copy.done")
	r.b.Bind(words)
	r.b.Branch(isa.BLTU, n, isa.Imm(4), bytes)
	r.b.Load(isa.LW, t, isa.Slot(src), 0)
	r.b.Store(isa.SW, t, isa.Slot(dst), dstOff)
	r.op(isa.ADD, src, isa.Slot(src), isa.Imm(4))
	r.op(isa.ADD, dst, isa.Slot(dst), isa.Imm(4))
	r.op(isa.SUB, n, isa.Slot(n), isa.Imm(4))
	r.b.Jump(words)
	r.b.Bind(bytes)
	r.b.Branch(isa.BEQ, n, isa.Imm(0), done)
	r.b.Load(isa.LBU, t, isa.Slot(src), 0)
	r.b.Store(isa.SB, t, isa.Slot(dst), dstOff)
	r.op(isa.ADD, src, isa.Slot(src), isa.Imm(1))
	r.op(isa.ADD, dst, isa.Slot(dst), isa.Imm(1))
	r.op(isa.SUB, n, isa.Slot(n), isa.Imm(1))
	r.b.Jump(bytes)
	r.b.Bind(done)
}

// copyBack copies n bytes backward: from the ends down.
func (r *rb) copyBack(dst, src, n, t int32, dstOff int32) {
	r.op(isa.ADD, src, isa.Slot(src), isa.Slot(n))
	r.op(isa.ADD, dst, isa.Slot(dst), isa.Slot(n))
	words, bytes, done := r.label("back.words"), r.label("back.bytes"), r.label("back.done")
	r.b.Bind(words)
	r.b.Branch(isa.BLTU, n, isa.Imm(4), bytes)
	r.op(isa.SUB, src, isa.Slot(src), isa.Imm(4))
	r.op(isa.SUB, dst, isa.Slot(dst), isa.Imm(4))
	r.b.Load(isa.LW, t, isa.Slot(src), 0)
	r.b.Store(isa.SW, t, isa.Slot(dst), dstOff)
	r.op(isa.SUB, n, isa.Slot(n), isa.Imm(4))
	r.b.Jump(words)
	r.b.Bind(bytes)
	r.b.Branch(isa.BEQ, n, isa.Imm(0), done)
	r.op(isa.SUB, src, isa.Slot(src), isa.Imm(1))
	r.op(isa.SUB, dst, isa.Slot(dst), isa.Imm(1))
	r.b.Load(isa.LBU, t, isa.Slot(src), 0)
	r.b.Store(isa.SB, t, isa.Slot(dst), dstOff)
	r.op(isa.SUB, n, isa.Slot(n), isa.Imm(1))
	r.b.Jump(bytes)
	r.b.Bind(done)
}

// inBounds traps with code unless [start] + [n] ≤ [limit] (all slots); t gets the end.
func (r *rb) inBounds(start, n, limit, t int32, code TrapCode) {
	r.op(isa.ADD, t, isa.Slot(start), isa.Slot(n))
	r.trap(isa.BLTU, t, isa.Slot(start), code) // wrapped past 2^32
	r.trap(isa.BLTU, limit, isa.Slot(t), code) // limit < end
}

// growRoutine: [8] = pages to add → [8] = the old size in pages, or −1.
func (s *Store) growRoutine(m *Memory) isa.Label {
	return s.routineLabel(fmt.Sprintf("memory.grow@%x", m.Desc), func(r *rb) {
		fail := r.label("grow.fail")
		fastZero := r.label("grow.small")
		set := r.label("grow.set")
		r.b.Load(isa.LW, w(1), isa.Imm(0), int32(m.Desc+memPages))
		r.op(isa.ADD, w(2), isa.Slot(w(1)), isa.Slot(w(0)))
		r.b.Branch(isa.BLTU, w(2), isa.Slot(w(1)), fail)
		r.b.Branch(isa.BGEU, w(2), isa.Imm(m.Cap+1), fail)
		r.b.Store(isa.SW, w(2), isa.Imm(0), int32(m.Desc+memPages))
		r.op(isa.SLL, w(3), isa.Slot(w(2)), isa.Imm(16))
		r.b.Store(isa.SW, w(3), isa.Imm(0), int32(m.Desc+memBytes))
		r.b.Branch(isa.BLTU, w(3), isa.Imm(FastWindow), fastZero)
		r.op(isa.SUB, w(4), isa.Slot(w(3)), isa.Imm(FastWindow))
		r.b.Jump(set)
		r.b.Bind(fastZero)
		r.mov(w(4), isa.Imm(0))
		r.b.Bind(set)
		r.b.Store(isa.SW, w(4), isa.Imm(0), int32(m.Desc+memFast))
		r.mov(w(0), isa.Slot(w(1)))
		r.b.Ret()
		r.b.Bind(fail)
		r.mov(w(0), isa.Imm(0xFFFFFFFF))
		r.b.Ret()
	})
}

// fillRoutine: memory.fill(d = [8], v = [12], n = [16]).
func (s *Store) fillRoutine(m *Memory) isa.Label {
	return s.routineLabel(fmt.Sprintf("memory.fill@%x", m.Desc), func(r *rb) {
		d, v, n := w(0), w(1), w(2)
		r.b.Load(isa.LW, w(4), isa.Imm(0), int32(m.Desc+memBytes))
		r.inBounds(d, n, w(4), w(3), TrapOutOfBounds)
		r.op(isa.AND, v, isa.Slot(v), isa.Imm(0xFF))
		r.op(isa.MUL, w(5), isa.Slot(v), isa.Imm(0x01010101))
		words, bytes, done := r.label("fill.words"), r.label("fill.bytes"), r.label("fill.done")
		r.b.Bind(words)
		r.b.Branch(isa.BLTU, n, isa.Imm(4), bytes)
		r.b.Store(isa.SW, w(5), isa.Slot(d), int32(m.Base))
		r.op(isa.ADD, d, isa.Slot(d), isa.Imm(4))
		r.op(isa.SUB, n, isa.Slot(n), isa.Imm(4))
		r.b.Jump(words)
		r.b.Bind(bytes)
		r.b.Branch(isa.BEQ, n, isa.Imm(0), done)
		r.b.Store(isa.SB, v, isa.Slot(d), int32(m.Base))
		r.op(isa.ADD, d, isa.Slot(d), isa.Imm(1))
		r.op(isa.SUB, n, isa.Slot(n), isa.Imm(1))
		r.b.Jump(bytes)
		r.b.Bind(done)
		r.b.Ret()
	})
}

// copyRoutine: memory.copy(d = [8], s = [12], n = [16]), overlapping moves allowed.
func (s *Store) copyRoutine(m *Memory) isa.Label {
	return s.routineLabel(fmt.Sprintf("memory.copy@%x", m.Desc), func(r *rb) {
		d, src, n := w(0), w(1), w(2)
		r.b.Load(isa.LW, w(4), isa.Imm(0), int32(m.Desc+memBytes))
		r.inBounds(d, n, w(4), w(3), TrapOutOfBounds)
		r.inBounds(src, n, w(4), w(3), TrapOutOfBounds)
		back := r.label("copy.back")
		r.mov(w(6), isa.Slot(src))
		r.op(isa.ADD, src, isa.Slot(src), isa.Imm(m.Base)) // the source as an absolute address
		r.b.Branch(isa.BLTU, w(6), isa.Slot(d), back)      // s < d: copy from the end
		r.copyLoop(d, src, n, w(5), int32(m.Base))
		r.b.Ret()
		r.b.Bind(back)
		r.copyBack(d, src, n, w(5), int32(m.Base))
		r.b.Ret()
	})
}

// initRoutine: memory.init(d = [8], s = [12], n = [16]) from the segment whose bytes are
// at [20] and whose current length is in the word at address [24].
func (s *Store) initRoutine(m *Memory) isa.Label {
	return s.routineLabel(fmt.Sprintf("memory.init@%x", m.Desc), func(r *rb) {
		d, src, n := w(0), w(1), w(2)
		r.b.Load(isa.LW, w(5), isa.Slot(w(4)), 0) // segment length
		r.inBounds(src, n, w(5), w(6), TrapOutOfBounds)
		r.b.Load(isa.LW, w(5), isa.Imm(0), int32(m.Desc+memBytes))
		r.inBounds(d, n, w(5), w(6), TrapOutOfBounds)
		r.op(isa.ADD, src, isa.Slot(src), isa.Slot(w(3)))
		r.copyLoop(d, src, n, w(7), int32(m.Base))
		r.b.Ret()
	})
}

// copyAbsRoutine copies [16] bytes from absolute [12] to absolute [8] (instantiation).
func (s *Store) copyAbsRoutine() isa.Label {
	l := s.routineLabel("copy.abs", func(r *rb) {
		r.copyLoop(w(0), w(1), w(2), w(5), 0)
		r.b.Ret()
	})
	s.routines["copy.abs"].overhead = true
	return l
}
