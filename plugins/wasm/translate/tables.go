package translate

import "github.com/oneiros-zk/oneiros/core/isa"

// Table routines. A table at address A holds its size at A and entry i at A + 4 + 4i.

// tableGetRoutine: [8] = index, [12] = table address → [8] = the entry.
func (s *Store) tableGetRoutine() isa.Label {
	return s.routineLabel("table.get", func(r *rb) {
		r.b.Load(isa.LW, w(2), isa.Slot(w(1)), 0)
		r.trap(isa.BGEU, w(0), isa.Slot(w(2)), TrapTableOutOfBounds)
		r.op(isa.SLL, w(3), isa.Slot(w(0)), isa.Imm(2))
		r.op(isa.ADD, w(3), isa.Slot(w(3)), isa.Slot(w(1)))
		r.b.Load(isa.LW, w(0), isa.Slot(w(3)), 4)
		r.b.Ret()
	})
}

// tableSetRoutine: [8] = index, [12] = value, [16] = table address.
func (s *Store) tableSetRoutine() isa.Label {
	return s.routineLabel("table.set", func(r *rb) {
		r.b.Load(isa.LW, w(3), isa.Slot(w(2)), 0)
		r.trap(isa.BGEU, w(0), isa.Slot(w(3)), TrapTableOutOfBounds)
		r.op(isa.SLL, w(4), isa.Slot(w(0)), isa.Imm(2))
		r.op(isa.ADD, w(4), isa.Slot(w(4)), isa.Slot(w(2)))
		r.b.Store(isa.SW, w(1), isa.Slot(w(4)), 4)
		r.b.Ret()
	})
}

// tableGrowRoutine: [8] = init value, [12] = entries to add, [16] = table address,
// [20] = capacity → [8] = the old size, or −1.
func (s *Store) tableGrowRoutine() isa.Label {
	return s.routineLabel("table.grow", func(r *rb) {
		fail, loop, done := r.label("tgrow.fail"), r.label("tgrow.loop"), r.label("tgrow.done")
		r.b.Load(isa.LW, w(4), isa.Slot(w(2)), 0)
		r.op(isa.ADD, w(5), isa.Slot(w(4)), isa.Slot(w(1)))
		r.b.Branch(isa.BLTU, w(5), isa.Slot(w(4)), fail)
		r.b.Branch(isa.BLTU, w(3), isa.Slot(w(5)), fail)
		r.b.Store(isa.SW, w(5), isa.Slot(w(2)), 0)
		r.mov(w(6), isa.Slot(w(4)))
		r.b.Bind(loop)
		r.b.Branch(isa.BGEU, w(6), isa.Slot(w(5)), done)
		r.op(isa.SLL, w(7), isa.Slot(w(6)), isa.Imm(2))
		r.op(isa.ADD, w(7), isa.Slot(w(7)), isa.Slot(w(2)))
		r.b.Store(isa.SW, w(0), isa.Slot(w(7)), 4)
		r.op(isa.ADD, w(6), isa.Slot(w(6)), isa.Imm(1))
		r.b.Jump(loop)
		r.b.Bind(done)
		r.mov(w(0), isa.Slot(w(4)))
		r.b.Ret()
		r.b.Bind(fail)
		r.mov(w(0), isa.Imm(0xFFFFFFFF))
		r.b.Ret()
	})
}

// tableFillRoutine: [8] = start, [12] = value, [16] = count, [20] = table address.
func (s *Store) tableFillRoutine() isa.Label {
	return s.routineLabel("table.fill", func(r *rb) {
		loop, done := r.label("tfill.loop"), r.label("tfill.done")
		r.b.Load(isa.LW, w(4), isa.Slot(w(3)), 0)
		r.inBounds(w(0), w(2), w(4), w(5), TrapTableOutOfBounds)
		r.b.Bind(loop)
		r.b.Branch(isa.BEQ, w(2), isa.Imm(0), done)
		r.op(isa.SLL, w(6), isa.Slot(w(0)), isa.Imm(2))
		r.op(isa.ADD, w(6), isa.Slot(w(6)), isa.Slot(w(3)))
		r.b.Store(isa.SW, w(1), isa.Slot(w(6)), 4)
		r.op(isa.ADD, w(0), isa.Slot(w(0)), isa.Imm(1))
		r.op(isa.SUB, w(2), isa.Slot(w(2)), isa.Imm(1))
		r.b.Jump(loop)
		r.b.Bind(done)
		r.b.Ret()
	})
}

// tableCopyRoutine: [8] = destination, [12] = source, [16] = count, [20] = destination
// table address, [24] = source table address.
func (s *Store) tableCopyRoutine() isa.Label {
	return s.routineLabel("table.copy", func(r *rb) {
		d, src, n := w(0), w(1), w(2)
		r.b.Load(isa.LW, w(5), isa.Slot(w(3)), 0)
		r.inBounds(d, n, w(5), w(6), TrapTableOutOfBounds)
		r.b.Load(isa.LW, w(5), isa.Slot(w(4)), 0)
		r.inBounds(src, n, w(5), w(6), TrapTableOutOfBounds)
		r.absEntry(d, w(3))
		r.absEntry(src, w(4))
		r.op(isa.SLL, n, isa.Slot(n), isa.Imm(2))
		back := r.label("tcopy.back")
		r.b.Branch(isa.BLTU, src, isa.Slot(d), back)
		r.copyLoop(d, src, n, w(7), 0)
		r.b.Ret()
		r.b.Bind(back)
		r.copyBack(d, src, n, w(7), 0)
		r.b.Ret()
	})
}

// tableInitRoutine: [8] = destination, [12] = source index, [16] = count, [20] = table
// address, [24] = segment entries' address, [28] = address of the segment's length.
func (s *Store) tableInitRoutine() isa.Label {
	return s.routineLabel("table.init", func(r *rb) {
		d, src, n := w(0), w(1), w(2)
		r.b.Load(isa.LW, w(7), isa.Slot(w(5)), 0)
		r.inBounds(src, n, w(7), w(8), TrapTableOutOfBounds)
		r.b.Load(isa.LW, w(7), isa.Slot(w(3)), 0)
		r.inBounds(d, n, w(7), w(8), TrapTableOutOfBounds)
		r.absEntry(d, w(3))
		r.op(isa.SLL, src, isa.Slot(src), isa.Imm(2))
		r.op(isa.ADD, src, isa.Slot(src), isa.Slot(w(4)))
		r.op(isa.SLL, n, isa.Slot(n), isa.Imm(2))
		r.copyLoop(d, src, n, w(7), 0)
		r.b.Ret()
	})
}

// absEntry turns the entry index in slot i into the entry's address in the table at [t].
func (r *rb) absEntry(i, t int32) {
	r.op(isa.SLL, i, isa.Slot(i), isa.Imm(2))
	r.op(isa.ADD, i, isa.Slot(i), isa.Slot(t))
	r.op(isa.ADD, i, isa.Slot(i), isa.Imm(4))
}
