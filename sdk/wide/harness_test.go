package wide_test

import (
	"context"
	"encoding/binary"
	"math/rand/v2"
	"testing"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/sdk/wide"
)

// The frame of a test program (fp = frameFP): the operands, the destination, the loop
// pointer, the emitter's temps and the division routine's slots.
const (
	frameFP = 0x1000
	slotA   = 8  // a: 8, 12
	slotB   = 16 // b: 16, 20
	slotD   = 24 // d: 24, 28
	slotP   = 32 // pointer into the operand table
	slotS   = 36 // status of the case: 0, or which trap
	slotRet = 40 // return pc of the division routines
	slotRA  = 48 // routine arguments and result: 48..68
	tempsAt = 80
	scratch = 128
	table   = 0x10_0000 // the operand pairs, 16 bytes each
)

// Statuses a case writes before its result.
const (
	statusOK       = 0
	statusDivZero  = 1
	statusOverflow = 2
)

func temps() []int32 {
	t := make([]int32, wide.Temps)
	for i := range t {
		t[i] = tempsAt + 4*int32(i)
	}
	return t
}

// edges are the values every operation is tried on, in every pair.
var edges = func() []uint64 {
	v := []uint64{0, 1, 2, 3, 7, 10, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF,
		0x1_0000_0000, 0x1_0000_0001, 0x1_FFFF_FFFF, 0x1234_5678_90AB_CDEF, 0x7FFF_FFFF_FFFF_FFFF,
		0x8000_0000_0000_0000, 0x8000_0000_0000_0001, 0xFFFF_FFFF_0000_0000, 0xFFFF_0000_FFFF_0000,
		0xFFFF_FFFF_8000_0000, 0xFFFF_FFFF_7FFF_FFFF}
	for _, k := range []int{4, 16, 31, 33, 47, 62} {
		v = append(v, 1<<k)
	}
	for _, n := range []int64{-1, -2, -7, -0x10000, -(1 << 32)} {
		v = append(v, uint64(n))
	}
	return v
}()

// pairs returns every pair of edges and n random pairs (some with shortened operands,
// to reach the division's 32- and 16-bit paths).
func pairs(seed uint64, n int) [][2]uint64 {
	var ps [][2]uint64
	for _, a := range edges {
		for _, b := range edges {
			ps = append(ps, [2]uint64{a, b})
		}
	}
	r := rand.New(rand.NewPCG(seed, 1))
	for i := 0; i < n; i++ {
		a, b := r.Uint64(), r.Uint64()
		switch i % 6 {
		case 1:
			b >>= r.IntN(64)
		case 2:
			a >>= r.IntN(64)
		case 3:
			b &= 0xFFFF
		case 4:
			a, b = uint64(int64(int32(a))), uint64(int64(int32(b)))
		case 5:
			b = uint64(-int64(b >> r.IntN(64)))
		}
		ps = append(ps, [2]uint64{a, b})
	}
	return ps
}

// prog builds test programs: a loop over the operand table per block, each case writing
// its status and its result (two words) to the output.
type prog struct {
	b     *isa.Builder
	e     *wide.Emitter
	traps wide.Traps
	next  isa.Label // the current loop's next case (trap stubs go there)
	ps    [][2]uint64
	later []func() // routines the current loop calls, emitted after it
}

func newProg(ps [][2]uint64) *prog {
	b := isa.NewBuilder()
	b.SetFP(frameFP)
	p := &prog{b: b, e: wide.New(b, temps()...), ps: ps}
	for i, pr := range ps {
		b.Words(table+16*uint32(i), uint32(pr[0]), uint32(pr[0]>>32), uint32(pr[1]), uint32(pr[1]>>32))
	}
	return p
}

// loop emits one pass over the table: body computes the case from a (slots A) and b
// (slots B) and leaves the result in the slots D.
func (p *prog) loop(body func()) {
	b := p.b
	top, next, end := b.NewLabel("top"), b.NewLabel("next"), b.NewLabel("end")
	p.next = next
	zero, over := b.NewLabel("divzero"), b.NewLabel("overflow")
	p.traps = wide.Traps{DivZero: zero, Overflow: over}
	b.Move(slotP, isa.Imm(table))
	b.Bind(top)
	b.Branch(isa.BGEU, slotP, isa.Imm(table+16*uint32(len(p.ps))), end)
	for i := int32(0); i < 4; i++ {
		b.Load(isa.LW, slotA+4*i, isa.Slot(slotP), 4*i)
	}
	b.Move(slotS, isa.Imm(statusOK))
	b.Move(slotD, isa.Imm(0xBAD0BAD0)) // a result never written shows
	b.Move(slotD+4, isa.Imm(0xBAD0BAD0))
	body()
	b.Bind(next)
	for _, s := range []int32{slotS, slotD, slotD + 4} {
		b.Ecall(isa.SysWrite, s, isa.Imm(4))
	}
	b.ALU(isa.ADD, slotP, isa.Slot(slotP), isa.Imm(16))
	b.Jump(top)
	for _, t := range []struct {
		l isa.Label
		s uint32
	}{{zero, statusDivZero}, {over, statusOverflow}} {
		b.Bind(t.l)
		b.Move(slotS, isa.Imm(t.s))
		b.Move(slotD, isa.Imm(0))
		b.Move(slotD+4, isa.Imm(0))
		b.Jump(next)
	}
	for _, f := range p.later {
		f()
	}
	p.later = nil
	b.Bind(end)
}

// divCall returns a call convention for [wide.Emitter.Div]: the operands go to the
// routine's slots, the routine (emitted after the loop) returns through slotRet, and the
// result is at res: the first operand's slots, or slots of its own.
func (p *prog) divCall(op wide.DivOp, traps wide.Traps, resOwn bool) func(a, b wide.Val) wide.Val {
	ra, rb, res := wide.At(slotRA), wide.At(slotRA+8), wide.At(slotRA)
	if resOwn {
		res = wide.At(slotRA + 16)
	}
	l := p.b.NewLabel("div routine")
	p.later = append(p.later, func() {
		p.b.Bind(l)
		sc := make([]int32, wide.RoutineScratch)
		for i := range sc {
			sc[i] = scratch + 4*int32(i)
		}
		p.e.DivRoutine(op, ra, rb, res, traps, sc)
		p.b.JumpTo(isa.Slot(slotRet))
	})
	return func(a, b wide.Val) wide.Val {
		p.e.Copy(ra, a)
		p.e.Copy(rb, b)
		back := p.b.NewLabel("back")
		p.b.Move(slotRet, isa.LabelImm(back))
		p.b.Jump(l)
		p.b.Bind(back)
		return res.Val()
	}
}

// result is what a case wrote.
type result struct {
	status uint32
	v      uint64
}

// run halts the program, runs it on core/exec and returns the cases' results.
func (p *prog) run(t *testing.T) ([]result, uint64) {
	t.Helper()
	p.b.Halt(isa.Imm(0))
	pr, err := p.b.Program()
	if err != nil {
		t.Fatal(err)
	}
	res, err := exec.Run(context.Background(), pr, exec.Options{Limits: exec.Limits{MaxCycles: 1 << 32}})
	if err != nil || res.Trap != nil {
		t.Fatal(err, res.Trap)
	}
	out := res.Output
	var rs []result
	for len(out) >= 12 {
		rs = append(rs, result{binary.LittleEndian.Uint32(out), binary.LittleEndian.Uint64(out[4:])})
		out = out[12:]
	}
	return rs, res.Cycles
}
