package wide_test

import (
	"fmt"
	"math/bits"
	"testing"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/sdk/wide"
)

const lo32 = 0xFFFF_FFFF

// shape is how a case's operands and destination are laid out: apart, sharing slots
// (as the aliasing rules allow), or with immediate words.
type shape struct {
	name  string
	setup func(p *prog) (d wide.Dst, a, b wide.Val)
	in    func(a, b uint64) (uint64, uint64) // the operands the operation sees
}

func same(a, b uint64) (uint64, uint64) { return a, b }

var (
	dD = wide.At(slotD)
	vA = wide.Slots(slotA)
	vB = wide.Slots(slotB)
	vD = wide.Slots(slotD)
)

var shapes = []shape{
	{"apart", func(p *prog) (wide.Dst, wide.Val, wide.Val) { return dD, vA, vB }, same},
	{"d=a", func(p *prog) (wide.Dst, wide.Val, wide.Val) { p.e.Copy(dD, vA); return dD, vD, vB }, same},
	{"d=b", func(p *prog) (wide.Dst, wide.Val, wide.Val) { p.e.Copy(dD, vB); return dD, vA, vD }, same},
	{"d=a=b", func(p *prog) (wide.Dst, wide.Val, wide.Val) { p.e.Copy(dD, vA); return dD, vD, vD },
		func(a, b uint64) (uint64, uint64) { return a, a }},
	{"a.hi=0", func(p *prog) (wide.Dst, wide.Val, wide.Val) {
		return dD, wide.Val{Lo: wide.Slot(slotA), Hi: wide.Imm(0)}, vB
	},
		func(a, b uint64) (uint64, uint64) { return a & lo32, b }},
	{"b.hi=0", func(p *prog) (wide.Dst, wide.Val, wide.Val) {
		return dD, vA, wide.Val{Lo: wide.Slot(slotB), Hi: wide.Imm(0)}
	},
		func(a, b uint64) (uint64, uint64) { return a, b & lo32 }},
	{"d=a,a.hi=0", func(p *prog) (wide.Dst, wide.Val, wide.Val) {
		p.e.Mov(slotD, wide.Slot(slotA))
		return dD, wide.Val{Lo: wide.Slot(slotD), Hi: wide.Imm(0)}, vB
	}, func(a, b uint64) (uint64, uint64) { return a & lo32, b }},
	{"d=a,b.hi=0", func(p *prog) (wide.Dst, wide.Val, wide.Val) {
		p.e.Copy(dD, vA)
		return dD, vD, wide.Val{Lo: wide.Slot(slotB), Hi: wide.Imm(0)}
	}, func(a, b uint64) (uint64, uint64) { return a, b & lo32 }},
}

// constShapes put an immediate c in one operand; the table's a (or b) is the other.
func constShapes(c uint64) []shape {
	k := wide.Const(c)
	return []shape{
		{fmt.Sprintf("b=%#x", c), func(p *prog) (wide.Dst, wide.Val, wide.Val) { return dD, vA, k },
			func(a, b uint64) (uint64, uint64) { return a, c }},
		{fmt.Sprintf("d=a,b=%#x", c), func(p *prog) (wide.Dst, wide.Val, wide.Val) { p.e.Copy(dD, vA); return dD, vD, k },
			func(a, b uint64) (uint64, uint64) { return a, c }},
		{fmt.Sprintf("a=%#x", c), func(p *prog) (wide.Dst, wide.Val, wide.Val) { return dD, k, vB },
			func(a, b uint64) (uint64, uint64) { return c, b }},
	}
}

// op is an operation under test and its reference in Go.
type op struct {
	name   string
	emit   func(e *wide.Emitter, d wide.Dst, a, b wide.Val)
	ref    func(a, b uint64) uint64
	apart  bool     // the destination must not share slots with the operands (MulH)
	consts []uint64 // the immediates tried (default: edges)
}

func shiftRef(s wide.Shift) func(a, b uint64) uint64 {
	return func(a, b uint64) uint64 {
		k := b & 63
		switch s {
		case wide.Shl:
			return a << k
		case wide.ShrU:
			return a >> k
		}
		return uint64(int64(a) >> k)
	}
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

var amounts = func() []uint64 {
	var v []uint64
	for k := uint64(0); k < 70; k++ {
		v = append(v, k)
	}
	return append(v, 100, 0x7FFFFFFF, 0xFFFFFFFF, 0x1_0000_0001)
}()

func ops() []op {
	o := []op{
		{name: "add", emit: (*wide.Emitter).Add, ref: func(a, b uint64) uint64 { return a + b }},
		{name: "sub", emit: (*wide.Emitter).Sub, ref: func(a, b uint64) uint64 { return a - b }},
		{name: "mul", emit: (*wide.Emitter).Mul, ref: func(a, b uint64) uint64 { return a * b }},
		{name: "and", emit: (*wide.Emitter).And, ref: func(a, b uint64) uint64 { return a & b }},
		{name: "or", emit: (*wide.Emitter).Or, ref: func(a, b uint64) uint64 { return a | b }},
		{name: "xor", emit: (*wide.Emitter).Xor, ref: func(a, b uint64) uint64 { return a ^ b }},
		{name: "mulhu", emit: (*wide.Emitter).MulHU, apart: true, ref: func(a, b uint64) uint64 { h, _ := bits.Mul64(a, b); return h }},
		{name: "mulhs", emit: (*wide.Emitter).MulHS, apart: true, ref: func(a, b uint64) uint64 {
			h, _ := bits.Mul64(a, b)
			if int64(a) < 0 {
				h -= b
			}
			if int64(b) < 0 {
				h -= a
			}
			return h
		}},
		{name: "neg", emit: func(e *wide.Emitter, d wide.Dst, a, _ wide.Val) { e.Neg(d, a) }, ref: func(a, _ uint64) uint64 { return -a }},
		{name: "clz", emit: func(e *wide.Emitter, d wide.Dst, a, _ wide.Val) { e.Clz(d, a) }, ref: func(a, _ uint64) uint64 { return uint64(bits.LeadingZeros64(a)) }},
		{name: "ctz", emit: func(e *wide.Emitter, d wide.Dst, a, _ wide.Val) { e.Ctz(d, a) }, ref: func(a, _ uint64) uint64 { return uint64(bits.TrailingZeros64(a)) }},
		{name: "popcnt", emit: func(e *wide.Emitter, d wide.Dst, a, _ wide.Val) { e.Popcnt(d, a) }, ref: func(a, _ uint64) uint64 { return uint64(bits.OnesCount64(a)) }},
		{name: "eqz", emit: func(e *wide.Emitter, d wide.Dst, a, _ wide.Val) { e.Eqz(d.Lo, a); e.Mov(d.Hi, wide.Imm(0)) }, ref: func(a, _ uint64) uint64 { return b2u(a == 0) }},
		{name: "rotl", consts: amounts, emit: func(e *wide.Emitter, d wide.Dst, a, b wide.Val) { e.Rotl(d, a, b.Lo) },
			ref: func(a, b uint64) uint64 { return bits.RotateLeft64(a, int(b&63)) }},
		{name: "rotr", consts: amounts, emit: func(e *wide.Emitter, d wide.Dst, a, b wide.Val) { e.Rotr(d, a, b.Lo) },
			ref: func(a, b uint64) uint64 { return bits.RotateLeft64(a, -int(b&63)) }},
	}
	for _, s := range []struct {
		name string
		s    wide.Shift
	}{{"shl", wide.Shl}, {"shr_u", wide.ShrU}, {"shr_s", wide.ShrS}} {
		o = append(o, op{name: s.name, consts: amounts, ref: shiftRef(s.s),
			emit: func(e *wide.Emitter, d wide.Dst, a, b wide.Val) { e.Shift(s.s, d, a, b.Lo) }})
	}
	for c := wide.Eq; c <= wide.GeU; c++ {
		o = append(o, op{name: "cmp." + c.String(), ref: func(a, b uint64) uint64 { return b2u(c.Eval(a, b)) },
			emit: func(e *wide.Emitter, d wide.Dst, a, b wide.Val) { e.Cmp(c, d.Lo, a, b); e.Mov(d.Hi, wide.Imm(0)) }})
		o = append(o, op{name: "branch." + c.String(), ref: func(a, b uint64) uint64 { return b2u(c.Eval(a, b)) },
			emit: func(e *wide.Emitter, d wide.Dst, a, b wide.Val) {
				yes, done := e.B.NewLabel("yes"), e.B.NewLabel("done")
				e.BranchIf(c, a, b, yes)
				e.Mov(d.Lo, wide.Imm(0))
				e.B.Jump(done)
				e.B.Bind(yes)
				e.Mov(d.Lo, wide.Imm(1))
				e.B.Bind(done)
				e.Mov(d.Hi, wide.Imm(0))
			}})
	}
	return o
}

// runShapes runs every case of ps through each shape and checks the results.
func runShapes(t *testing.T, ps [][2]uint64, shs []shape, body func(p *prog, sh shape), want func(sh shape, a, b uint64) result) {
	t.Helper()
	p := newProg(ps)
	for _, sh := range shs {
		p.loop(func() { body(p, sh) })
	}
	got, _ := p.run(t)
	if len(got) != len(shs)*len(ps) {
		t.Fatalf("%d results, want %d", len(got), len(shs)*len(ps))
	}
	bad := 0
	for i, sh := range shs {
		for j, pr := range ps {
			a, b := sh.in(pr[0], pr[1])
			if w, g := want(sh, a, b), got[i*len(ps)+j]; g != w && bad < 10 {
				bad++
				t.Errorf("%s (a = %#x, b = %#x): status %d, %#x; want status %d, %#x", sh.name, a, b, g.status, g.v, w.status, w.v)
			}
		}
	}
}

// singles are the operands of the constant shapes: every edge and random values.
func singles() [][2]uint64 {
	ps := pairs(7, 60)[len(edges)*len(edges):]
	for i, v := range edges {
		ps = append(ps, [2]uint64{v, edges[(i*7+3)%len(edges)]})
	}
	return ps
}

// TestOps checks every operation but division against Go's 64-bit arithmetic, on every
// pair of edge values and random pairs, in every shape, then with an immediate operand.
func TestOps(t *testing.T) {
	for _, o := range ops() {
		t.Run(o.name, func(t *testing.T) {
			shs := shapes
			if o.apart {
				shs = shs[:1]
			}
			body := func(p *prog, sh shape) {
				d, a, b := sh.setup(p)
				o.emit(p.e, d, a, b)
			}
			want := func(_ shape, a, b uint64) result { return result{statusOK, o.ref(a, b)} }
			runShapes(t, pairs(1, 400), shs, body, want)
			consts := o.consts
			if consts == nil {
				consts = edges
			}
			var cs []shape
			for _, c := range consts {
				for _, sh := range constShapes(c) {
					if o.apart && sh.name[0] == 'd' {
						continue
					}
					cs = append(cs, sh)
				}
			}
			runShapes(t, singles(), cs, body, want)
		})
	}
}

// divRef is what a division gives, or the trap it takes.
func divRef(op wide.DivOp, traps wide.Traps, a, b uint64) result {
	none := isa.Label{}
	if b == 0 {
		if traps.DivZero != none {
			return result{statusDivZero, 0}
		}
		if op.Rem() {
			return result{statusOK, a}
		}
		return result{statusOK, ^uint64(0)}
	}
	if op.Signed() && a == 1<<63 && b == ^uint64(0) {
		if traps.Overflow != none {
			return result{statusOverflow, 0}
		}
		if op.Rem() {
			return result{statusOK, 0}
		}
		return result{statusOK, a}
	}
	switch op {
	case wide.DivU:
		return result{statusOK, a / b}
	case wide.RemU:
		return result{statusOK, a % b}
	case wide.DivS:
		return result{statusOK, uint64(int64(a) / int64(b))}
	}
	return result{statusOK, uint64(int64(a) % int64(b))}
}

// TestDiv checks the divisions (the inline 32-bit path and the routine) against Go, with
// each choice of traps: both (WebAssembly's div_s, sBPF), the zero divisor only
// (WebAssembly's rem_s), none (RISC-V's results); the routine's result in its first
// operand's slots or in slots of its own.
func TestDiv(t *testing.T) {
	for _, op := range []wide.DivOp{wide.DivU, wide.RemU, wide.DivS, wide.RemS} {
		for _, cfg := range []struct {
			name       string
			zero, over bool
			resOwn     bool
		}{{"traps", true, true, false}, {"zero-trap", true, false, true}, {"riscv", false, false, true}, {"riscv-in-place", false, false, false}} {
			t.Run(op.String()+"/"+cfg.name, func(t *testing.T) {
				traps := func(p *prog) wide.Traps {
					var tr wide.Traps
					if cfg.zero {
						tr.DivZero = p.traps.DivZero
					}
					if cfg.over {
						tr.Overflow = p.traps.Overflow
					}
					return tr
				}
				body := func(p *prog, sh shape) {
					d, a, b := sh.setup(p)
					tr := traps(p)
					p.e.Div(op, d, a, b, tr, p.divCall(op, tr, cfg.resOwn))
				}
				want := func(_ shape, a, b uint64) result {
					var tr wide.Traps
					if cfg.zero {
						tr.DivZero = isa.NewBuilder().NewLabel("z")
					}
					if cfg.over {
						tr.Overflow = isa.NewBuilder().NewLabel("o")
					}
					return divRef(op, tr, a, b)
				}
				runShapes(t, pairs(2, 600), shapes, body, want)
				var cs []shape
				for _, c := range edges {
					cs = append(cs, constShapes(c)...)
				}
				runShapes(t, singles(), cs, body, want)
			})
		}
	}
}
