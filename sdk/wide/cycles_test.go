package wide_test

import (
	"testing"

	"github.com/oneiros-zk/oneiros/sdk/wide"
)

// cyclesOf returns the cycles body takes on one case (a, b): a one-case loop's cycles
// less an empty one's.
func cyclesOf(t *testing.T, a, b uint64, body func(p *prog)) uint64 {
	t.Helper()
	ps := [][2]uint64{{a, b}}
	p := newProg(ps)
	p.loop(func() { body(p) })
	_, n := p.run(t)
	q := newProg(ps)
	q.loop(func() {})
	_, base := q.run(t)
	return n - base
}

// TestCycles checks the cycles the package's doc quotes (and a frontend's docs build on)
// against the operations' real cost on core/exec: the operands in slots apart from the
// destination, and a 64-bit division on each path.
func TestCycles(t *testing.T) {
	const big, neg = 0x1234_5678_9ABC_DEF0, 0xFFFF_FFFF_FFFF_FFF3
	for _, c := range []struct {
		name string
		a, b uint64
		max  uint64
		emit func(e *wide.Emitter)
	}{
		{"add", big, big, 4, func(e *wide.Emitter) { e.Add(dD, vA, vB) }},
		{"add hi=0", big, big, 3, func(e *wide.Emitter) { e.Add(dD, vA, wide.Val{Lo: wide.Slot(slotB), Hi: wide.Imm(0)}) }},
		{"sub", big, big, 4, func(e *wide.Emitter) { e.Sub(dD, vA, vB) }},
		{"mul", big, big, 6, func(e *wide.Emitter) { e.Mul(dD, vA, vB) }},
		{"mul hi=0", big, big, 4, func(e *wide.Emitter) { e.Mul(dD, vA, wide.Val{Lo: wide.Slot(slotB), Hi: wide.Imm(0)}) }},
		{"mulhu", big, big, 21, func(e *wide.Emitter) { e.MulHU(dD, vA, vB) }},
		{"mulhs", neg, neg, 31, func(e *wide.Emitter) { e.MulHS(dD, vA, vB) }},
		{"shl 5", big, 0, 4, func(e *wide.Emitter) { e.Shift(wide.Shl, dD, vA, wide.Imm(5)) }},
		{"shl 40", big, 0, 2, func(e *wide.Emitter) { e.Shift(wide.Shl, dD, vA, wide.Imm(40)) }},
		{"shr_s k<32", big, 5, 9, func(e *wide.Emitter) { e.Shift(wide.ShrS, dD, vA, wide.Slot(slotB)) }},
		{"shr_s k≥32", big, 40, 4, func(e *wide.Emitter) { e.Shift(wide.ShrS, dD, vA, wide.Slot(slotB)) }},
		{"rotl k", big, 5, 14, func(e *wide.Emitter) { e.Rotl(dD, vA, wide.Slot(slotB)) }},
		{"rotr k", big, 5, 16, func(e *wide.Emitter) { e.Rotr(dD, vA, wide.Slot(slotB)) }},
		{"rotl 5", big, 0, 6, func(e *wide.Emitter) { e.Rotl(dD, vA, wide.Imm(5)) }},
		{"cmp eq", big, big, 3, func(e *wide.Emitter) { e.Cmp(wide.Eq, slotD, vA, vB) }},
		{"cmp lt_s", big, big, 5, func(e *wide.Emitter) { e.Cmp(wide.LtS, slotD, vA, vB) }},
		{"cmp ge_u", big, big, 6, func(e *wide.Emitter) { e.Cmp(wide.GeU, slotD, vA, vB) }},
		{"eqz", big, 0, 2, func(e *wide.Emitter) { e.Eqz(slotD, vA) }},
		{"clz", 1, 0, 27, func(e *wide.Emitter) { e.Clz(dD, vA) }},
		{"ctz", 1 << 40, 0, 19, func(e *wide.Emitter) { e.Ctz(dD, vA) }},
		{"popcnt", big, 0, 26, func(e *wide.Emitter) { e.Popcnt(dD, vA) }},
	} {
		n := cyclesOf(t, c.a, c.b, func(p *prog) { c.emit(p.e) })
		t.Logf("%-12s %3d cycles", c.name, n)
		if n > c.max {
			t.Errorf("%s: %d cycles, the doc quotes %d", c.name, n, c.max)
		}
	}
	// Divisions with both traps, the routine's result in its first operand's slots, called
	// with 6 cycles of moves, a return address and two jumps.
	for _, c := range []struct {
		name string
		op   wide.DivOp
		a, b uint64
		max  uint64
	}{
		{"div_u 32/32", wide.DivU, 1000000, 7, 6},
		{"div_s 32/32", wide.DivS, neg, 7, 9},
		{"div_u 64/16", wide.DivU, big, 1000, 31},
		{"div_u 64/32", wide.DivU, big, 0x8765_4321, 70},
		{"div_u 64/64", wide.DivU, big, 0x1_2345_6789, 96},
		{"rem_s 64/64", wide.RemS, neg - big, neg, 51},
		{"div_s 64/64", wide.DivS, big, 0xF000_0000_0000_0001, 101},
	} {
		n := cyclesOf(t, c.a, c.b, func(p *prog) {
			p.e.Div(c.op, dD, vA, vB, p.traps, p.divCall(c.op, p.traps, false))
		})
		t.Logf("%-12s %3d cycles", c.name, n)
		if n > c.max {
			t.Errorf("%s: %d cycles, the doc quotes %d", c.name, n, c.max)
		}
	}
}
