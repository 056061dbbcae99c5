package machine

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/core/aggregate"
	chipinput "github.com/oneiros-zk/oneiros/core/chips/input"
	"github.com/oneiros-zk/oneiros/core/chips/output"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	ir "github.com/oneiros-zk/oneiros/proving/recursion"
	"github.com/oneiros-zk/oneiros/proving/recursion/verifier"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// The review of the zkVM's leaf (leaf.go) from the attacker's side: the leaf derives a
// segment's statement from boundary cells, and a prover chooses those cells. These
// tests check that the derivation is the native verifier's on every boundary state the
// native check admits, and that the leaf refuses every other one.

// leafStatementProgram is the leaf's boundary checks and statement derivation alone
// (leafBuilder.statement, as LeafProgram emits it) for a shape of the given finality
// and hook table: its inputs are start, end and consts (base elements), its public
// outputs the statement — every table's public values in the machine's order, then
// each public message's multiplicity and tuple.
func leafStatementProgram(m *Machine, final, hooks bool) *ir.Program {
	b := ir.NewBuilder()
	S := b.InputBases(StateLen)
	E := b.InputBases(StateLen)
	C := b.InputBases(ConstsLen)
	l := &leafBuilder{b: b, zero: b.ConstBase(field.Elem{}), one: b.ConstBase(field.New(1))}
	st := l.statement(m, LeafShape{LogN: make([]int, len(m.chips)), Final: final}, S, E, C, hooks)
	for _, p := range st.Publics {
		for _, x := range p {
			b.Public(x)
		}
	}
	for i := range st.Tuples {
		b.Public(st.Mult[i])
		for _, x := range st.Tuples[i] {
			b.Public(x)
		}
	}
	return b.Program()
}

// nativeStatement is the native verifier's statement of a view, flattened as
// leafStatementProgram's publics.
func nativeStatement(m *Machine, v *segmentView) []field.Elem {
	var out []field.Elem
	for _, p := range v.publics(m) {
		out = append(out, p...)
	}
	for _, msg := range v.messages() {
		out = append(out, msg.Mult)
		out = append(out, msg.Tuple...)
	}
	return out
}

// leafCase is a boundary state a prover may name: the leaf's cells, the native view
// they stand for, and whether that view is one the native verifier checks a STARK
// against (its check passes, and the leaf's own bound on the run's cycles holds).
type leafCase struct {
	final, hooks bool
	S, E, C      []field.Elem
	v            *segmentView
	admissible   bool
	what         string
}

func randState(rng *rand.Rand) (s [hash.Width]field.Elem) {
	for i := range s {
		s[i] = field.New(rng.Uint64N(field.Modulus))
	}
	return s
}

func randDigest(rng *rand.Rand) (d hash.Digest) {
	s := randState(rng)
	copy(d[:], s[:])
	return d
}

func randInState(rng *rand.Rand) (s chipinput.State) {
	s.Sponge = randState(rng)
	d := randDigest(rng)
	copy(s.Carry[:], d[:])
	return s
}

// pick returns one of the values, at random.
func pick[T any](rng *rand.Rand, vs ...T) T { return vs[rng.IntN(len(vs))] }

// below returns a value of 0 … n−1 near an edge or at random (n > 0).
func nearEdges(rng *rand.Rand, n uint64) uint64 {
	switch rng.IntN(6) {
	case 0:
		return 0
	case 1:
		return n - 1
	case 2:
		return min(n-1, 16*rng.Uint64N(n/16+1))
	case 3:
		return min(n-1, 16*rng.Uint64N(n/16+1)+pick(rng, uint64(1), 15, 16, 17))
	default:
		return rng.Uint64N(n)
	}
}

// lim is the aggregation's bound on every count the leaf compares (Aggregatable).
const lim = 1 << countBits

// genLeafCase draws a boundary state: mostly a start that a chain of leaves from the
// run's initial state can reach (counts below lim), sometimes one past lim; an end near
// every edge of the native check and of lim (and past them, including values that wrap
// modulo p).
func genLeafCase(rng *rand.Rand) *leafCase {
	p := uint64(field.Modulus)
	c := &leafCase{final: rng.IntN(2) == 0}
	codeLen := int(pick(rng, uint64(1), 2, 17, 1+rng.Uint64N(300)))
	n := uint32(pick(rng, 0, 1, 15, 16, 17, 31, 32, 33, rng.Uint64N(1<<12), rng.Uint64N(lim), lim-1, lim, 1<<30-1))
	startLim := uint64(lim)
	if rng.IntN(8) == 0 {
		startLim = 1 << 30
	}
	prog := &isa.Program{Code: make([]isa.Instruction, codeLen)}

	// The start.
	entryPC := uint32(rng.Uint64N(uint64(codeLen)))
	entryFPq := uint32(nearEdges(rng, 1<<30))
	startCycles := nearEdges(rng, startLim)
	inStart := uint32(nearEdges(rng, uint64(n)+1))
	outStart := uint32(nearEdges(rng, startLim))
	hookStart := uint32(nearEdges(rng, startLim))
	hookState, outState, memStart := randState(rng), randState(rng), randDigest(rng)
	inState := randInState(rng)

	// The segment's cycles and the end. Integers a native state holds; the leaf's cell
	// is the value modulo p (for the 64-bit cycles, the end count's).
	// Each end value is one the native check admits three times in four, else one
	// near or past an edge. A value of p or more has no cell (the leaf's cells are
	// field elements; cycles, a 64-bit count, p + k would be the same cell as k).
	edge := func(valid, edges []uint64) uint64 {
		for {
			v := pick(rng, valid...)
			if rng.IntN(4) == 0 {
				v = pick(rng, edges...)
			}
			if v < p {
				return v
			}
		}
	}
	u32 := func(valid, edges []uint64) uint32 { return uint32(edge(valid, edges)) }
	cycles := edge([]uint64{1, 2, MaxCycles - 1, MaxCycles, 1 + rng.Uint64N(MaxCycles)},
		[]uint64{0, MaxCycles + 1, 1 << 21, p - startCycles, p - startCycles + 1, lim - startCycles, lim - startCycles - 1, 1<<30 - startCycles, p - 1})
	c.admissible = true
	cy4 := 4 * min(cycles, MaxCycles)
	st := &SegmentState{Cycles: cycles, Final: c.final}
	is, nn := uint64(inStart), uint64(n)
	st.InEnd = u32([]uint64{is, nn, is + rng.Uint64N(nn-is+1), min(nn, 16*((is+15)/16)), min(nn, is+1)},
		[]uint64{nn + 1, (is - 1) & 0xffffffff, is - 1, p - 1, nn + 1<<30 - 1<<24, is + 1<<30 - 1, lim - 1, lim, nn + lim})
	os := uint64(outStart)
	maxOut := max(os, min(os+cy4, lim-1))
	st.OutEnd = u32([]uint64{os, min(maxOut, os+1), min(maxOut, os+15), min(maxOut, os+16), min(maxOut, os+17), maxOut, os + rng.Uint64N(maxOut-os+1), min(maxOut, 16*((os+16)/16))},
		[]uint64{maxOut + 1, os + cy4 + 1, 1<<30 - 1, 1 << 30, (os - 1) & 0xffffffff, os - 1, p - 1, os + 1<<30 - 1<<24, lim - 1, lim, os + lim})
	hs := uint64(hookStart)
	st.HookEnd = u32([]uint64{hs, hs + 1, hs + min(cycles, MaxCycles), hs + rng.Uint64N(min(cycles, MaxCycles)+1)},
		[]uint64{hs + min(cycles, 1<<24) + 1, (hs - 1) & 0xffffffff, hs - 1, p - 1, hs + 1<<30 - 1<<24, hs + 1<<30 - 1, lim - 1, lim, hs + lim})
	st.HookState = hookState
	if rng.IntN(2) == 0 {
		st.HookState = randState(rng)
	}
	st.MemRoot = randDigest(rng)
	st.OutState = randState(rng)
	st.InState = randInState(rng)
	var exitFPq uint64
	if c.final {
		if rng.IntN(8) == 0 {
			st.ExitPC = uint32(pick(rng, 1, uint64(codeLen)))
		}
		if rng.IntN(8) == 0 {
			exitFPq = pick(rng, uint64(1), 1<<29)
		}
	} else {
		cl := uint64(codeLen)
		st.ExitPC = u32([]uint64{0, cl - 1, rng.Uint64N(cl)}, []uint64{cl, cl + 1, 1<<30 - 1, 1 << 30, p - 1, cl + 1<<30 - 1<<24, lim - 1, lim, cl + lim})
		exitFPq = edge([]uint64{0, 1<<30 - 1, rng.Uint64N(1 << 30)}, []uint64{1 << 30, p - 1})
	}
	// fp is a multiple of 4 below 2^32 natively, fp/4 in the cell: a cell of 2^30 or
	// more stands for no native frame pointer.
	c.admissible = c.admissible && exitFPq < 1<<30
	st.ExitFP = uint32(4 * exitFPq)
	status, code := pick(rng, isa.StatusHalted, isa.StatusTrap), rng.Uint32()

	c.v = &segmentView{program: prog, entryPC: entryPC, entryFP: 4 * entryFPq, inStart: inStart, outStart: outStart,
		hookStart: hookStart, hookState: hookState, state: st, status: status, exitCode: code, outState: outState,
		memStart: memStart, inState: inState, inputLen: n, claim: randDigest(rng)}
	c.admissible = c.admissible && c.v.check() == nil
	c.hooks = st.HookEnd > hookStart
	if rng.IntN(8) == 0 {
		c.hooks = !c.hooks // a shape whose hook table disagrees with the hook count
		c.admissible = false
	}

	// The cells.
	ls := LinkState{Cycles: startCycles, InOff: inStart, OutOff: outStart, Hooks: hookStart, HookState: hookState,
		PC: entryPC, FP: 4 * entryFPq, MemRoot: memStart, OutState: outState, InState: inState}
	c.S = LeafState(ls, 0, 0)
	le := LinkState{Cycles: (startCycles + cycles) % p, InOff: st.InEnd, OutOff: st.OutEnd, Hooks: st.HookEnd, HookState: st.HookState,
		PC: st.ExitPC, MemRoot: st.MemRoot, OutState: st.OutState, InState: st.InState, Done: c.final}
	c.E = LeafState(le, status, code)
	c.E[StFP] = field.New(exitFPq)
	c.C = make([]field.Elem, ConstsLen)
	vkd, prep := randDigest(rng), randDigest(rng)
	copy(c.C[CoVKDigest:], vkd[:])
	copy(c.C[CoPrepRoot:], prep[:])
	copy(c.C[CoContext:], c.v.claim[:])
	c.C[CoInputLen] = field.New(uint64(n))
	c.C[CoCodeLen] = field.New(uint64(codeLen))
	// The aggregation's bounds: every count below lim (the native check bounds them by
	// 2^30 or not at all; Aggregatable refuses runs past lim).
	for _, x := range []field.Elem{c.S[StCycles], c.E[StCycles], c.S[StIn], c.E[StIn], c.S[StOut], c.E[StOut],
		c.S[StHooks], c.E[StHooks], c.S[StPC], c.E[StPC], c.C[CoInputLen], c.C[CoCodeLen]} {
		c.admissible = c.admissible && x.Uint64() < lim
	}
	c.what = fmt.Sprintf("final %v hooks %v: code %d, n %d, start (pc %d, cycles %d, in %d, out %d, hooks %d), segment %+v",
		c.final, c.hooks, codeLen, n, entryPC, startCycles, inStart, outStart, hookStart,
		struct {
			Cycles                 uint64
			ExitPC, ExitFPq        uint64
			InEnd, OutEnd, HookEnd uint32
			SameHookState          bool
		}{st.Cycles, uint64(st.ExitPC), exitFPq, st.InEnd, st.OutEnd, st.HookEnd, st.HookState == hookState})
	return c
}

// TestReviewLeafStatementMatchesNative: for thousands of boundary states near every
// edge, the leaf's checks and derivation execute exactly when the native verifier would
// check a STARK against the state (segmentView.check, and the aggregation's bounds:
// counts below 2^countBits), and then derive exactly the native statement (publics and
// messages). (Before 3c88aef it found the leaf admitting states past the native check:
// TestReviewLeafStatementMatchesNative: for thousands of boundary states near every
// edge, the leaf's checks and derivation execute exactly when the native verifier would
// check a STARK against the state (segmentView.check, and the aggregation's bounds:
// counts below 2^countBits), and then derive exactly the native statement (publics and
// messages). (Before 3c88aef it found the leaf admitting states past the native check:
// see TestReviewLeafBoundsWrapModP.)
func TestReviewLeafStatementMatchesNative(t *testing.T) {
	m := New(nil)
	progs := map[[2]bool]*ir.Program{}
	for _, f := range []bool{false, true} {
		for _, h := range []bool{false, true} {
			progs[[2]bool{f, h}] = leafStatementProgram(m, f, h)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	iters := 20000
	if testing.Short() {
		iters = 2000
	}
	var ok, refused int
	seen := map[string]int{}
	for it := range iters {
		c := genLeafCase(rng)
		prog := progs[[2]bool{c.final, c.hooks}]
		var in []field.Ext
		for _, part := range [][]field.Elem{c.S, c.E, c.C} {
			for _, x := range part {
				in = append(in, field.NewExt(x))
			}
		}
		mem, err := prog.Execute(in)
		if (err == nil) != c.admissible {
			why := "the aggregation's bounds or the frame's"
			if err := c.v.check(); err != nil {
				why = strings.Join(strings.Fields(err.Error())[:2], " ") // the check that fails
			}
			key := fmt.Sprintf("leaf %v, native %v: %s", err == nil, c.admissible, why)
			if seen[key] == 0 {
				t.Errorf("case %d (%s): the leaf executes: %v (error %v), the native verifier admits the state: %v (check: %v)",
					it, c.what, err == nil, err, c.admissible, c.v.check())
			}
			seen[key]++
			continue
		}
		if err != nil {
			refused++
			continue
		}
		ok++
		var got []field.Elem
		for _, v := range prog.Publics {
			got = append(got, field.ExtCoords(&mem[v])[0])
		}
		// The messages' buses and directions, which the leaf's verifier shape fixes
		// (leafView), are the native messages'.
		logN := make([]int, len(m.chips))
		if !c.hooks {
			logN[m.hookTable()] = stark.Absent
		}
		lv, err := m.leafView(LeafShape{LogN: logN, Final: c.final})
		if err != nil {
			t.Fatal(err)
		}
		lm, nm := lv.messages(), c.v.messages()
		if len(lm) != len(nm) {
			t.Fatalf("case %d (%s): the leaf's shape has %d messages, the native view %d", it, c.what, len(lm), len(nm))
		}
		for k := range lm {
			if lm[k].Bus != nm[k].Bus || lm[k].Send != nm[k].Send || len(lm[k].Tuple) != len(nm[k].Tuple) {
				t.Fatalf("case %d (%s): message %d: the leaf's shape has bus %d send %v (%d elements), the native view bus %d send %v (%d)",
					it, c.what, k, lm[k].Bus, lm[k].Send, len(lm[k].Tuple), nm[k].Bus, nm[k].Send, len(nm[k].Tuple))
			}
		}
		want := nativeStatement(m, c.v)
		if !slices.Equal(got, want) {
			for i := range min(len(got), len(want)) {
				if got[i] != want[i] {
					t.Fatalf("case %d (%s): statement element %d: the leaf derives %v, the native verifier %v (%d and %d elements)", it, c.what, i, got[i], want[i], len(got), len(want))
				}
			}
			t.Fatalf("case %d (%s): the leaf's statement has %d elements, the native %d", it, c.what, len(got), len(want))
		}
	}
	for k, n := range seen {
		t.Errorf("%d disagreements: %s", n, k)
	}
	t.Logf("%d boundary states: %d admitted with the native statement, %d refused by both", iters, ok, refused)
	if ok < iters/20 || refused < iters/20 {
		t.Fatalf("the generator is lopsided: %d admitted, %d refused", ok, refused)
	}
}

// TestReviewLeafInputOutputPublics compares the in-program input and output public
// values with chipinput.Publics and output.Publics over every offset of small inputs
// and outputs (all inStart ≤ inEnd ≤ n ≤ 40, both finalities; all outStart ≤ outEnd
// ≤ 80), where the masks' edges are.
func TestReviewLeafInputOutputPublics(t *testing.T) {
	b := ir.NewBuilder()
	S := b.InputBases(StateLen)
	E := b.InputBases(StateLen)
	n := b.InputBase()
	l := &leafBuilder{b: b, zero: b.ConstBase(field.Elem{}), one: b.ConstBase(field.New(1))}
	var pubs [3][]ir.Var
	pubs[0] = l.inputPublics(false, S, E, n)
	pubs[1] = l.inputPublics(true, S, E, n)
	pubs[2] = l.outputPublics(S, E, b.Sub(E[StOut], S[StOut]))
	for _, p := range pubs {
		for _, x := range p {
			b.Public(x)
		}
	}
	prog := b.Program()
	rng := rand.New(rand.NewPCG(3, 4))
	is, ie := randInState(rng), randInState(rng)
	os, oe := randState(rng), randState(rng)
	cases := 0
	check := func(inN, inS, inE, outS, outE uint32) {
		st := LeafState(LinkState{InOff: inS, OutOff: outS, InState: is, OutState: os}, 0, 0)
		en := LeafState(LinkState{InOff: inE, OutOff: outE, InState: ie, OutState: oe}, 0, 0)
		var in []field.Ext
		for _, x := range append(append(st, en...), field.New(uint64(inN))) {
			in = append(in, field.NewExt(x))
		}
		mem, err := prog.Execute(in)
		if err != nil {
			t.Fatalf("n %d, input [%d, %d), output [%d, %d): %v", inN, inS, inE, outS, outE, err)
		}
		var got []field.Elem
		for _, v := range prog.Publics {
			got = append(got, field.ExtCoords(&mem[v])[0])
		}
		want := chipinput.Publics(inN, inS, inE, false, is, ie)
		want = append(want, chipinput.Publics(inN, inS, inE, true, is, ie)...)
		want = append(want, output.Publics(outS, outE, os, oe)...)
		if !slices.Equal(got, want) {
			t.Fatalf("n %d, input [%d, %d), output [%d, %d): the leaf derives\n%v\nthe native\n%v", inN, inS, inE, outS, outE, got, want)
		}
		cases++
	}
	for inN := uint32(0); inN <= 40; inN++ {
		for inS := uint32(0); inS <= inN; inS++ {
			for inE := inS; inE <= inN; inE++ {
				check(inN, inS, inE, 0, 0)
			}
		}
	}
	for outS := uint32(0); outS <= 80; outS++ {
		for outE := outS; outE <= 80; outE++ {
			check(0, 0, 0, outS, outE)
		}
	}
	// Large offsets: near 2^30 and the maximal input.
	for range 2000 {
		inN := uint32(pick(rng, 1<<30-1, 1<<30-16, 1<<30-17, rng.Uint64N(1<<30)))
		inS := uint32(nearEdges(rng, uint64(inN)+1))
		inE := inS + uint32(nearEdges(rng, uint64(inN-inS)+1))
		outS := uint32(nearEdges(rng, 1<<30))
		outE := outS + uint32(nearEdges(rng, 1<<30-uint64(outS)))
		check(inN, inS, inE, outS, outE)
	}
	t.Logf("%d offset cases", cases)
}

// TestReviewLeafBoundsWrapModP: the leaf of f23f197 took a difference of two values
// below 2^30 and checked it below 2^30, but p = 2^31 − 2^24 + 1 < 2^31: a negative
// difference −k with k > p − 2^30 = 2^30 − 2^24 + 1 is the field element p − k < 2^30,
// and passed. Each state below is one segmentView.check refuses, and that leaf admitted:
//
//   - exit pc: a non-final segment handing over at pc 2^30 − 1 in a program of 100
//     instructions (code_len − 1 − pc wraps);
//   - output: 2^30 − 1 bytes written in 10 cycles (4·cycles − d wraps);
//   - input: the input offset ending at 2^30 − 1 past an input of 100 bytes
//     (n − in_end wraps);
//   - hooks: 2^30 − 1 hook calls in 10 cycles (cycles − calls wraps).
//
// (The segment's tables bound these values themselves — the io table's offsets grow by
// its rows' counts, in_off staying ≤ input_len; the hook table counts its rows; the next
// segment fetches its entry pc from the ROM — so no segment proof of these statements
// was known; but the leaf did not make the checks it claimed, which the tables'
// arguments assume.) Since 3c88aef every count the leaf compares is below 2^29
// (countBits), so a difference is below 2^29 exactly when it is non-negative; the
// cases at and past that bound are refused too.
func TestReviewLeafBoundsWrapModP(t *testing.T) {
	m := New(nil)
	const cycles, codeLen, n = 10, 100, 100
	base := func(hooks bool) (S, E, C []field.Elem) {
		st := LinkState{Cycles: 1000, InOff: 20, OutOff: 30, Hooks: 5, HookState: hookStateOf(1), PC: 7, FP: 0x1000,
			OutState: hookStateOf(2), InState: chipinput.Start(n)}
		en := st
		en.Cycles += cycles
		en.PC, en.FP = 8, 0x2000
		if hooks {
			en.Hooks++
			en.HookState = hookStateOf(3)
		}
		C = make([]field.Elem, ConstsLen)
		C[CoInputLen], C[CoCodeLen] = field.New(n), field.New(codeLen)
		return LeafState(st, 0, 0), LeafState(en, 0, 0), C
	}
	exec := func(hooks bool, S, E, C []field.Elem) error {
		var in []field.Ext
		for _, x := range append(append(append([]field.Elem(nil), S...), E...), C...) {
			in = append(in, field.NewExt(x))
		}
		_, err := leafStatementProgram(m, false, hooks).Execute(in)
		return err
	}
	for _, hooks := range []bool{false, true} {
		S, E, C := base(hooks)
		if err := exec(hooks, S, E, C); err != nil {
			t.Fatalf("hooks %v: the honest state: %v", hooks, err)
		}
	}
	for _, c := range []struct {
		what  string
		hooks bool
		edit  func(E []field.Elem)
	}{
		{"exit pc 2^30 − 1 in a program of 100 instructions", false, func(E []field.Elem) { E[StPC] = field.New(1<<30 - 1) }},
		{"2^30 − 1 bytes of output in 10 cycles", false, func(E []field.Elem) { E[StOut] = field.New(1<<30 - 1) }},
		{"input offset 2^30 − 1 at the end of an input of 100 bytes", false, func(E []field.Elem) { E[StIn] = field.New(1<<30 - 1) }},
		{"2^30 − 1 hook calls in 10 cycles", true, func(E []field.Elem) { E[StHooks] = field.New(1<<30 - 1) }},
		{"exit pc 2^29 in a program of 100 instructions", false, func(E []field.Elem) { E[StPC] = field.New(lim) }},
		{"exit pc 2^29 − 1 in a program of 100 instructions", false, func(E []field.Elem) { E[StPC] = field.New(lim - 1) }},
		{"2^29 − 1 bytes of output in 10 cycles", false, func(E []field.Elem) { E[StOut] = field.New(lim - 1) }},
		{"input offset 2^29 − 1 at the end of an input of 100 bytes", false, func(E []field.Elem) { E[StIn] = field.New(lim - 1) }},
		{"2^29 − 1 hook calls in 10 cycles", true, func(E []field.Elem) { E[StHooks] = field.New(lim - 1) }},
	} {
		S, E, C := base(c.hooks)
		c.edit(E)
		if exec(c.hooks, S, E, C) == nil {
			t.Errorf("%s: the leaf's checks admit it (segmentView.check refuses it)", c.what)
		}
	}
	// Counts at the aggregation's bound, in the start or the constants (the native check
	// admits them; Aggregatable refuses such runs).
	for _, c := range []struct {
		what string
		edit func(S, E, C []field.Elem)
	}{
		{"the run's cycles from 2^29", func(S, E, C []field.Elem) { S[StCycles], E[StCycles] = field.New(lim), field.New(lim+cycles) }},
		{"the input offset from 2^29", func(S, E, C []field.Elem) {
			S[StIn], E[StIn], C[CoInputLen] = field.New(lim), field.New(lim), field.New(lim)
		}},
		{"an input of 2^29 bytes", func(S, E, C []field.Elem) { C[CoInputLen] = field.New(lim) }},
		{"a program of 2^29 instructions", func(S, E, C []field.Elem) { C[CoCodeLen] = field.New(lim) }},
		{"the output offset from 2^29", func(S, E, C []field.Elem) { S[StOut], E[StOut] = field.New(lim), field.New(lim) }},
		{"the hook calls from 2^29", func(S, E, C []field.Elem) { S[StHooks], E[StHooks] = field.New(lim), field.New(lim) }},
		{"the entry pc 2^29", func(S, E, C []field.Elem) { S[StPC] = field.New(lim) }},
	} {
		S, E, C := base(false)
		c.edit(S, E, C)
		if exec(false, S, E, C) == nil {
			t.Errorf("%s: the leaf's checks admit it (past the aggregation's bound)", c.what)
		}
	}
}

// hookStateOf is a sponge state of distinct nonzero elements.
func hookStateOf(k uint64) (s [hash.Width]field.Elem) {
	for i := range s {
		s[i] = field.New(k<<8 + uint64(i) + 1)
	}
	return s
}

// leafFixture is a run cut into segments, with each segment's leaf: its boundary
// states (as the linker computes them), constants, program and verifier shape.
type leafFixture struct {
	r      *run
	segs   []*SegmentProof
	states [][]field.Elem // states[i] is where segment i starts, states[i+1] where it ends
	consts []field.Elem
	progs  []*ir.Program
	shapes []*leafShaped
}

type leafShaped struct {
	s   LeafShape
	sh  *verifier.Shape
	prg *ir.Program
}

func newLeafFixture(t *testing.T, r *run, segs []*SegmentProof) *leafFixture {
	t.Helper()
	m, vk := r.m, r.keys.VK
	f := &leafFixture{r: r, segs: segs, consts: LeafConsts(vk, r.st)}
	l := m.NewLinker(vk, r.st.Program, r.st.InputLen, r.st.InputDigest, r.st.Context)
	f.states = append(f.states, LeafState(l.State(), r.st.Status, r.st.ExitCode))
	for i, sp := range segs {
		out, err := segmentOutput(r.st, l.outOff, sp)
		if err != nil {
			t.Fatal(err)
		}
		if err := l.Verify(sp, out, r.st.Status, r.st.ExitCode); err != nil {
			t.Fatalf("segment %d: %v", i, err)
		}
		f.states = append(f.states, LeafState(l.State(), r.st.Status, r.st.ExitCode))
		s := ShapeOfSegment(sp)
		prg, sh, err := m.LeafProgram(vk, s)
		if err != nil {
			t.Fatal(err)
		}
		f.shapes = append(f.shapes, &leafShaped{s: s, sh: sh, prg: prg})
	}
	return f
}

// exec executes segment i's leaf program on the given boundary and proof: nil when it
// executes (a leaf proof of that statement exists).
func (f *leafFixture) exec(t *testing.T, i int, start, end, consts []field.Elem, proof *stark.Proof) error {
	t.Helper()
	in, err := LeafInputs(f.shapes[i].sh, hash.Digest{}, start, end, consts, proof)
	if err != nil {
		return err
	}
	_, err = f.shapes[i].prg.Execute(in)
	return err
}

func with(xs []field.Elem, edit func(x []field.Elem)) []field.Elem {
	y := slices.Clone(xs)
	edit(y)
	return y
}

func addTo(x []field.Elem, i int, k uint64) {
	v := field.New(k)
	x[i].Add(&x[i], &v)
}

// TestReviewLeafForgeries: cheating provers of one leaf with real segment proofs, each
// changing several boundary elements together so that the leaf's local relations hold.
// Every one fails to execute except the relabelings the tree pins anyway (the run's
// cycles and hook calls enter a segment's statement only as differences; the root's
// start fixes them at 0, the links and the 2^30 bound on every end make the labels the
// true counts).
func TestReviewLeafForgeries(t *testing.T) {
	sr := newSegRun(t, []byte{1, 2, 3, 4, 0x10, 0x20, 0x30, 0x40}, 50)
	f := newLeafFixture(t, sr.r, sr.segs)
	last := len(sr.segs) - 1
	for _, i := range []int{0, last} {
		S, E, C, proof := f.states[i], f.states[i+1], f.consts, sr.segs[i].Proof
		if err := f.exec(t, i, S, E, C, proof); err != nil {
			t.Fatalf("segment %d, honest: %v", i, err)
		}
		must := func(what string, S, E, C []field.Elem) {
			t.Helper()
			if err := f.exec(t, i, S, E, C, proof); err == nil {
				t.Errorf("segment %d: %s: the leaf executes", i, what)
			}
		}
		shift := func(j int, k uint64) ([]field.Elem, []field.Elem) {
			return with(S, func(x []field.Elem) { addTo(x, j, k) }), with(E, func(x []field.Elem) { addTo(x, j, k) })
		}
		// Relabelings (both ends moved by k): harmless, pinned by the tree.
		for _, k := range []uint64{1, 1 << 20, field.Modulus - 3} {
			s, e := shift(StCycles, k)
			err := f.exec(t, i, s, e, C, proof)
			if s[StCycles].Uint64() < lim && e[StCycles].Uint64() < lim && err != nil {
				t.Errorf("segment %d: cycles relabelled by %d: %v", i, k, err)
			}
			t.Logf("segment %d: cycles relabelled by +%d (end %d): executes %v", i, k, e[StCycles].Uint64(), err == nil)
		}
		// ... but not past the aggregation's bound on the run's cycles.
		s, e := shift(StCycles, lim-E[StCycles].Uint64())
		must("the run's cycles relabelled to end at 2^countBits", s, e, C)
		// Input and output offsets moved together: the io table's publics name them.
		for _, k := range []uint64{1, 16, field.Modulus - 1} {
			s, e := shift(StIn, k)
			must(fmt.Sprintf("input offsets both +%d", k), s, e, C)
			s, e = shift(StOut, k)
			must(fmt.Sprintf("output offsets both +%d", k), s, e, C)
		}
		// One more output byte, the end's output sponge absorbing it: the io table ends
		// the output where the segment's WRITEs end it.
		var os output.State
		copy(os[:], E[StOutState:])
		os = output.Absorb(os, uint32(E[StOut].Uint64()), []byte{0})
		must("an extra zero output byte, absorbed", S, with(E, func(x []field.Elem) { addTo(x, StOut, 1); copy(x[StOutState:], os[:]) }), C)
		// A shorter segment: one cycle less at the end's label.
		must("a cycle less", S, with(E, func(x []field.Elem) { addTo(x, StCycles, field.Modulus-1) }), C)
		// Hook calls claimed by a segment without any, the count and state moved
		// together: the shape without the hook table requires none.
		hs := hookStateOf(9)
		must("a hook call claimed", S, with(E, func(x []field.Elem) { addTo(x, StHooks, 1); copy(x[StHookState:], hs[:]) }), C)
		// Another claim's input, the input's length and sponge states consistent with it.
		other := []byte{9, 9, 9}
		ins := chipinput.Start(uint32(len(other)))
		must("another input of another length", with(S, func(x []field.Elem) {
			if i == 0 {
				copy(x[StInSponge:], ins.Sponge[:])
			}
		}), E, with(C, func(x []field.Elem) { x[CoInputLen] = field.New(uint64(len(other))) }))
		// The exit: another status and code in the final segment; a non-final one that
		// claims to end the run.
		if i == last {
			must("a trap with code 0", S, with(E, func(x []field.Elem) {
				x[StStatus] = field.New(uint64(isa.StatusTrap))
				x[StCodeLo], x[StCodeHi] = field.Elem{}, field.Elem{}
			}), C)
		} else {
			must("a non-final segment ending the run", S, with(E, func(x []field.Elem) {
				x[StDone], x[StPC], x[StFP] = field.New(1), field.Elem{}, field.Elem{}
			}), C)
		}
	}
	// The leaf of another segment's shape fed this segment's proof.
	for i := range sr.segs {
		for j := range sr.segs {
			if i == j || f.shapes[i].s.equal(f.shapes[j].s) {
				continue
			}
			in, err := LeafInputs(f.shapes[i].sh, hash.Digest{}, f.states[i], f.states[i+1], f.consts, sr.segs[i].Proof)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.shapes[j].prg.Execute(in); err == nil {
				t.Errorf("the leaf of segment %d's shape executes segment %d's proof", j, i)
			}
		}
	}
}

// TestReviewAggregatedPartialRuns: roots that prove part of a run — a leaf of its
// first (non-final) segment, the join of every segment but the last, the final
// segment's leaf alone, the join of its last two — each verify as recursion proofs
// under the run's allowlist, and VerifyAggregated refuses each: the end is not done,
// or the start is not the run's.
func TestReviewAggregatedPartialRuns(t *testing.T) {
	sr := newSegRun(t, []byte{1, 2, 3, 4, 0x10, 0x20, 0x30, 0x40}, 50)
	r := sr.r
	f := newLeafFixture(t, r, sr.segs)
	e := treeEngine(t)
	var shapes []LeafShape
	index := make([]int, len(sr.segs))
	for i, ls := range f.shapes {
		index[i] = slices.IndexFunc(shapes, ls.s.equal)
		if index[i] < 0 {
			index[i] = len(shapes)
			shapes = append(shapes, ls.s)
		}
	}
	tree, vsh, err := r.m.aggregateTree(e, r.keys.VK, shapes)
	if err != nil {
		t.Fatal(err)
	}
	leaf := func(i int) *aggregate.Node {
		in, err := LeafInputs(vsh[index[i]], tree.Root(), f.states[i], f.states[i+1], f.consts, sr.segs[i].Proof)
		if err != nil {
			t.Fatal(err)
		}
		n, err := tree.ProveLeaf(index[i], in)
		if err != nil {
			t.Fatalf("leaf %d: %v", i, err)
		}
		return n
	}
	last := len(sr.segs) - 1
	leaves := make([]*aggregate.Node, len(sr.segs))
	for i := range leaves {
		leaves[i] = leaf(i)
	}
	prefix, err := tree.Aggregate(leaves[:last])
	if err != nil {
		t.Fatal(err)
	}
	suffix, err := tree.Join(leaves[last-1], leaves[last])
	if err != nil {
		t.Fatal(err)
	}
	for name, root := range map[string]*aggregate.Node{
		"the first segment's leaf":    leaves[0],
		"every segment but the last":  prefix,
		"the final segment's leaf":    leaves[last],
		"the last two segments' join": suffix,
	} {
		a := &Aggregated{Shapes: shapes, Root: root}
		if _, err := tree.RootPublics(root); err != nil {
			t.Fatalf("%s: not a proof of the tree: %v", name, err)
		}
		if err := r.m.VerifyAggregated(e, r.keys.VK, r.st, a); err == nil {
			t.Errorf("%s: VerifyAggregated accepts it", name)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
	// The whole run verifies (the baseline).
	whole, err := tree.Aggregate(leaves)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.m.VerifyAggregated(e, r.keys.VK, r.st, &Aggregated{Shapes: shapes, Root: whole}); err != nil {
		t.Fatalf("the whole run: %v", err)
	}
}

// TestReviewAggregatedOtherProgram: a program of the same length (the same ROM height,
// the same data, so the same initial memory root and entry) that differs in one
// instruction has the same leaf programs — they take the key from cells — and so the
// same allowlist. Its run's aggregated proof is a valid proof of the tree; only the
// constants (the segments' key digest and preprocessed root) tell it from a run of the
// claimed program, and VerifyAggregated refuses it. A leaf given a segment proof of
// the other program under the claimed program's key cells does not execute.
func TestReviewAggregatedOtherProgram(t *testing.T) {
	input := []byte{1, 2, 3, 4, 0x10, 0x20, 0x30, 0x40}
	srcB := strings.Replace(segmented, "halt  [8]", "halt  [12]", 1)
	if srcB == segmented {
		t.Fatal("the program did not change")
	}
	a := newSegRun(t, input, 50)
	rb := newRun(t, srcB, input)
	rb.st.Context = a.r.st.Context
	segsB := proveSegments(t, rb, 50)
	if len(a.r.st.Program.Code) != len(rb.st.Program.Code) || ImageRoot(a.r.st.Program) != ImageRoot(rb.st.Program) {
		t.Fatal("the programs differ in length or image")
	}
	if a.r.keys.VK.Digest == rb.keys.VK.Digest {
		t.Fatal("the programs have one key")
	}
	// B's segments, leaf by leaf, under A's key cells (A's constants): no execution.
	fb := newLeafFixture(t, rb, segsB)
	ca := LeafConsts(a.r.keys.VK, a.r.st)
	ca[CoInputLen], ca[CoContext] = fb.consts[CoInputLen], fb.consts[CoContext] // the same anyway
	for _, i := range []int{0, len(segsB) - 1} {
		if err := fb.exec(t, i, fb.states[i], fb.states[i+1], fb.consts, segsB[i].Proof); err != nil {
			t.Fatalf("B's segment %d under B's key: %v", i, err)
		}
		for _, part := range []struct {
			what string
			from int
			n    int
		}{{"A's key digest and preprocessed root", CoVKDigest, 2 * hash.DigestLen}, {"A's key digest", CoVKDigest, hash.DigestLen}, {"A's preprocessed root", CoPrepRoot, hash.DigestLen}} {
			c := slices.Clone(fb.consts)
			copy(c[part.from:part.from+part.n], ca[part.from:part.from+part.n])
			if err := fb.exec(t, i, fb.states[i], fb.states[i+1], c, segsB[i].Proof); err == nil {
				t.Errorf("B's segment %d under %s: the leaf executes", i, part.what)
			}
		}
	}
	// B's run aggregated, claimed as a run of A with B's outcome.
	e := treeEngine(t)
	agg, err := rb.m.Aggregate(context.Background(), e, rb.keys.VK, rb.st, segsB, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := rb.m.VerifyAggregated(e, rb.keys.VK, rb.st, agg); err != nil {
		t.Fatalf("B's run: %v", err)
	}
	claim := *rb.st
	claim.Program = a.r.st.Program
	if err := a.r.m.VerifyAggregated(e, a.r.keys.VK, &claim, agg); err == nil {
		t.Fatal("B's aggregated run verifies as a run of A")
	} else {
		t.Logf("B's run claimed as A's: %v", err)
	}
}

// FuzzDecodeAggregated: DecodeAggregated never panics, and what it decodes encodes
// back to the bytes it read. Seeded with a real aggregated proof (a one-segment run)
// and cuts of it.
func FuzzDecodeAggregated(f *testing.F) {
	r := newRun(f, arith, nil)
	proof, err := r.m.Prove(r.keys, r.st, r.recs)
	if err != nil {
		f.Fatal(err)
	}
	a, err := r.m.Aggregate(context.Background(), treeEngine(f), r.keys.VK, r.st, []*SegmentProof{proof}, nil)
	if err != nil {
		f.Fatal(err)
	}
	enc := a.Encode()
	f.Add(enc)
	for _, n := range []int{0, 1, 5, 6, 40, 50, len(enc) / 2, len(enc) - 1} {
		f.Add(enc[:min(n, len(enc))])
	}
	two := &Aggregated{Shapes: []LeafShape{a.Shapes[0], {LogN: []int{-1, 3, 255 - 256}, Final: true}}, Root: a.Root}
	f.Add(two.Encode())
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := DecodeAggregated(b)
		if err != nil {
			return
		}
		if d.Root == nil || d.Root.Proof == nil || len(d.Shapes) == 0 || len(d.Shapes) > MaxLeafShapes || len(d.Root.Publics) != LeafLayout.Len() {
			t.Fatalf("decoded %d shapes, root %v", len(d.Shapes), d.Root)
		}
		if re := d.Encode(); string(re) != string(b) {
			t.Fatalf("decodes %d bytes, encodes back to %d other bytes", len(b), len(re))
		}
	})
}

// TestReviewVerifyAggregatedOddShapes: leaf shapes a decoded proof may name — heights
// out of range (what the decoder reads as a byte: up to 254), a non-optional table
// absent, zero heights, too few or too many tables, many copies —
// make VerifyAggregated return an error (before any leaf program's setup where the
// shape is impossible), never panic.
func TestReviewVerifyAggregatedOddShapes(t *testing.T) {
	r := newRun(t, arith, nil)
	proof, err := r.m.Prove(r.keys, r.st, r.recs)
	if err != nil {
		t.Fatal(err)
	}
	e := treeEngine(t)
	a, err := r.m.Aggregate(context.Background(), e, r.keys.VK, r.st, []*SegmentProof{proof}, nil)
	if err != nil {
		t.Fatal(err)
	}
	real := a.Shapes[0]
	T := len(real.LogN)
	fill := func(v int) []int {
		x := make([]int, T)
		for i := range x {
			x[i] = v
		}
		return x
	}
	edit := func(i, v int) []int {
		x := slices.Clone(real.LogN)
		x[i] = v
		return x
	}
	cases := map[string][]LeafShape{
		"heights 254":               {{LogN: fill(254)}},
		"heights 24":                {{LogN: fill(24)}},
		"heights 0":                 {{LogN: fill(0), Final: true}},
		"the cpu absent":            {{LogN: edit(0, stark.Absent), Final: true}},
		"one height 254":            {{LogN: edit(1, 254), Final: true}},
		"one height 23":             {{LogN: edit(0, 23), Final: true}},
		"no tables":                 {{Final: true}},
		"a table too many":          {{LogN: append(slices.Clone(real.LogN), 3), Final: true}},
		"a table too few":           {{LogN: real.LogN[:T-1], Final: true}},
		"the real one, then 254s":   {real, {LogN: fill(254)}},
		"65 copies of the real one": slices.Repeat([]LeafShape{real}, MaxLeafShapes+1),
	}
	for name, shapes := range cases {
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("%s: VerifyAggregated panics: %v\n%s", name, p, debug.Stack())
				}
			}()
			if err := r.m.VerifyAggregated(e, r.keys.VK, r.st, &Aggregated{Shapes: shapes, Root: a.Root}); err == nil {
				t.Errorf("%s: VerifyAggregated accepts", name)
			} else {
				t.Logf("%s: %v", name, err)
			}
		}()
	}
}

// TestReviewAllAbsentPanics (a verifier crash, not a forgery; failed until 8bbb31b made
// hemera.Analyze of a proof without any table zero bits): a proof whose
// tables are all absent decodes — an aggregated proof whose leaf shape is 31 bytes of
// 255, a segment proof whose heights all read Absent — and then hemera.Analyze
// (proving/hemera/security.go: rd[len(rd)−1] of no rounds) panicked, reached from
// VerifyAggregated's check of the shapes' floors (before the tree's NewShape, which
// refuses "every table is absent") and from SegmentsSecurity (checkHeights admits
// Absent everywhere), and from hemera.Engine.Verify itself (its floors are checked
// before the shape: VerifySegments, and VerifyAggregated's root proof when its heights
// all read Absent). They run on untrusted envelopes (sdk/verify Envelope and Security).
// A shape with negative heights other than Absent (not decodable, an API caller's)
// panicked the same way in VerifyAggregated.
func TestReviewAllAbsentPanics(t *testing.T) {
	r := newRun(t, arith, nil)
	sp := r.prove(t)
	e := treeEngine(t)
	a, err := r.m.Aggregate(context.Background(), e, r.keys.VK, r.st, []*SegmentProof{sp}, nil)
	if err != nil {
		t.Fatal(err)
	}
	absent := make([]int, len(sp.Proof.LogN))
	for i := range absent {
		absent[i] = stark.Absent
	}
	noPanic := func(what string, f func() error) {
		t.Helper()
		defer func() {
			if p := recover(); p != nil {
				t.Errorf("%s panics: %v", what, p)
			}
		}()
		if err := f(); err == nil {
			t.Errorf("%s: accepted", what)
		} else {
			t.Logf("%s: %v", what, err)
		}
	}
	// The aggregated proof, through its encoding.
	for _, shapes := range [][]LeafShape{{{LogN: absent, Final: true}}, {a.Shapes[0], {LogN: absent}}} {
		d, err := DecodeAggregated((&Aggregated{Shapes: shapes, Root: a.Root}).Encode())
		if err != nil {
			t.Fatalf("the aggregated proof with an all-absent shape does not decode: %v", err)
		}
		noPanic(fmt.Sprintf("VerifyAggregated (%d shapes, the last all absent)", len(shapes)), func() error {
			return r.m.VerifyAggregated(e, r.keys.VK, r.st, d)
		})
		noPanic("AggregatedSecurity", func() error {
			_, err := r.m.AggregatedSecurity(e, r.keys.VK, d)
			return err
		})
	}
	// The root proof's heights all Absent.
	rp := *a.Root.Proof
	rp.LogN = slices.Repeat([]int{stark.Absent}, len(rp.LogN))
	root := *a.Root
	root.Proof = &rp
	if d, err := DecodeAggregated((&Aggregated{Shapes: a.Shapes, Root: &root}).Encode()); err != nil {
		t.Logf("a root proof with every table absent does not decode: %v", err)
	} else {
		noPanic("VerifyAggregated (the root proof's tables all absent)", func() error {
			return r.m.VerifyAggregated(e, r.keys.VK, r.st, d)
		})
		noPanic("AggregatedSecurity (the root proof's tables all absent)", func() error {
			sec, err := r.m.AggregatedSecurity(e, r.keys.VK, d)
			if err == nil && (sec.Provable > 0 || sec.Conjectured > 0) {
				return nil // security claimed for a proof without tables
			}
			return fmt.Errorf("security %d/%d bits, %v", sec.Provable, sec.Conjectured, err)
		})
	}
	noPanic("VerifyAggregated (negative heights)", func() error {
		return r.m.VerifyAggregated(e, r.keys.VK, r.st, &Aggregated{Shapes: []LeafShape{{LogN: slices.Repeat([]int{-5}, len(absent))}}, Root: a.Root})
	})
	// The segment proof, through its encoding.
	p := *sp.Proof
	p.LogN = absent
	d, err := DecodeSegmentProof((&SegmentProof{State: sp.State, Proof: &p}).Encode())
	if err != nil {
		t.Fatalf("the segment proof with every table absent does not decode: %v", err)
	}
	noPanic("VerifySegments", func() error { return r.m.VerifySegments(r.keys.VK, r.st, []*SegmentProof{d}) })
	noPanic("SegmentsSecurity", func() error {
		sec, err := r.m.SegmentsSecurity(r.keys.VK, r.st, []*SegmentProof{d})
		if err == nil && (sec[0].Provable > 0 || sec[0].Conjectured > 0) {
			return nil // security claimed for a proof without tables
		}
		return fmt.Errorf("security %+v, %v", sec, err)
	})
}

// TestReviewLeafHookForgeries: the leaves of a run with hook calls (segments with and
// without them). A segment with calls claimed to make none, one more or one fewer, with
// another end state, or the host answers' start state of another run; a segment
// without calls claimed to make one: no execution. The count relabelled at both ends
// executes (only the difference enters the statement; the root fixes the run's start
// at 0 calls and its end at the claim's count).
func TestReviewLeafHookForgeries(t *testing.T) {
	r := newHookRun(t, hooked, hostHooks(0))
	segs := proveHookSegments(t, r, 12)
	f := newLeafFixture(t, r, segs)
	h := r.m.hookTable()
	with0, without := -1, -1
	for i, sp := range segs {
		if sp.Proof.LogN[h] != stark.Absent && with0 < 0 {
			with0 = i
		}
		if sp.Proof.LogN[h] == stark.Absent && without < 0 {
			without = i
		}
	}
	if with0 < 0 || without < 0 {
		t.Fatalf("want segments with and without hook calls (%d segments)", len(segs))
	}
	other := hookStateOf(7)
	for _, i := range []int{with0, without} {
		S, E, C, proof := f.states[i], f.states[i+1], f.consts, segs[i].Proof
		if err := f.exec(t, i, S, E, C, proof); err != nil {
			t.Fatalf("segment %d, honest: %v", i, err)
		}
		must := func(what string, S, E []field.Elem) {
			t.Helper()
			if err := f.exec(t, i, S, E, C, proof); err == nil {
				t.Errorf("segment %d: %s: the leaf executes", i, what)
			}
		}
		hn := E[StHooks].Uint64() - S[StHooks].Uint64()
		t.Logf("segment %d: %d hook calls", i, hn)
		must("one hook call more", S, with(E, func(x []field.Elem) { addTo(x, StHooks, 1) }))
		must("another end state of the host answers", S, with(E, func(x []field.Elem) { copy(x[StHookState:], other[:]) }))
		must("another start state of the host answers", with(S, func(x []field.Elem) { copy(x[StHookState:], other[:]) }), E)
		if hn > 0 {
			must("one hook call fewer", S, with(E, func(x []field.Elem) { addTo(x, StHooks, field.Modulus-1) }))
			must("no hook call, the state unchanged", S, with(E, func(x []field.Elem) {
				x[StHooks] = S[StHooks]
				copy(x[StHookState:], S[StHookState:StHookState+hash.Width])
			}))
		}
		s := with(S, func(x []field.Elem) { addTo(x, StHooks, 3) })
		e := with(E, func(x []field.Elem) { addTo(x, StHooks, 3) })
		if err := f.exec(t, i, s, e, C, proof); err != nil {
			t.Errorf("segment %d: the hook count relabelled by 3: %v", i, err)
		}
	}
}

// TestReviewAggregatedMixedRuns: leaves of two runs of one program — inputs of one
// length under one context, so the same constants — under one tree: a join of the
// first run's first leaf and the second run's second does not link (the input sponge
// and the memory differ where they meet), and with another context (other constants)
// neither does a join of leaves that would link. Join refuses both before proving; the
// join program's link check (core/aggregate TestJoinCheatingProvers) refuses them as
// streams.
func TestReviewAggregatedMixedRuns(t *testing.T) {
	run := func(input []byte, ctx hash.Digest) *segRun {
		r := newRun(t, segmented, input)
		r.st.Context = ctx
		return &segRun{r: r, segs: proveSegments(t, r, 50)}
	}
	a := newSegRun(t, []byte{1, 2, 3, 4, 0x10, 0x20, 0x30, 0x40}, 50)
	b := run([]byte{5, 6, 7, 8, 0x50, 0x60, 0x70, 0x80}, a.r.st.Context)
	fa, fb := newLeafFixture(t, a.r, a.segs), newLeafFixture(t, b.r, b.segs)
	if !slices.Equal(fa.consts, fb.consts) {
		t.Fatal("the runs' constants differ")
	}
	e := treeEngine(t)
	shapes := []LeafShape{fa.shapes[0].s, fb.shapes[1].s}
	tree, vsh, err := a.r.m.aggregateTree(e, a.r.keys.VK, shapes)
	if err != nil {
		t.Fatal(err)
	}
	prove := func(f *leafFixture, segs []*SegmentProof, i, key int, consts []field.Elem) *aggregate.Node {
		in, err := LeafInputs(vsh[key], tree.Root(), f.states[i], f.states[i+1], consts, segs[i].Proof)
		if err != nil {
			t.Fatal(err)
		}
		n, err := tree.ProveLeaf(key, in)
		if err != nil {
			t.Fatalf("leaf: %v", err)
		}
		return n
	}
	a0 := prove(fa, a.segs, 0, 0, fa.consts)
	b1 := prove(fb, b.segs, 1, 1, fb.consts)
	if _, err := tree.Join(a0, b1); err == nil {
		t.Fatal("Join links the first run's first segment to the second run's second")
	} else {
		t.Logf("a0 ⋈ b1: %.120s…", err)
	}
	// The second run under another context: its leaves state other constants.
	c := run([]byte{1, 2, 3, 4, 0x10, 0x20, 0x30, 0x40}, hash.Tagged("another context", nil))
	fc := newLeafFixture(t, c.r, c.segs)
	if !slices.Equal(fa.states[1], fc.states[1]) {
		t.Fatal("the runs differ in more than their context")
	}
	c1 := prove(fc, c.segs, 1, 1, fc.consts)
	if _, err := tree.Join(a0, c1); err == nil {
		t.Fatal("Join links leaves of two contexts")
	} else {
		t.Logf("a0 ⋈ c1 (another context): %.120s…", err)
	}
	// With the first run's constants, the other context's segment does not execute.
	if err := fc.exec(t, 1, fc.states[1], fc.states[2], fa.consts, c.segs[1].Proof); err == nil {
		t.Fatal("a segment of another context executes under the first run's constants")
	}
}

// TestReviewDecodeJoinKeyOfFullAllowlist: an aggregation tree of MaxLeafShapes leaf
// shapes, one of them lifted (aggregate.TreeOptions.JoinHeights), has 64 keys — the
// leaves', the lift's (62) and the join's (63) — so its root, a join, is under key 63;
// DecodeAggregated must read back what Encode writes for it (it bounded the root key
// by MaxLeafShapes = 62: a completeness bug, not a soundness one — the key is checked
// against the allowlist anyway).
func TestReviewDecodeJoinKeyOfFullAllowlist(t *testing.T) {
	r := newRun(t, arith, nil)
	sp := r.prove(t)
	a, err := r.m.Aggregate(context.Background(), treeEngine(t), r.keys.VK, r.st, []*SegmentProof{sp}, nil)
	if err != nil {
		t.Fatal(err)
	}
	shapes := slices.Repeat([]LeafShape{a.Shapes[0]}, MaxLeafShapes)
	for key := range 1 << aggregateDepth {
		root := *a.Root
		root.Key = key
		d, err := DecodeAggregated((&Aggregated{Shapes: shapes, Root: &root}).Encode())
		if err != nil {
			t.Errorf("root key %d of an allowlist of %d keys: %v", key, 1<<aggregateDepth, err)
			continue
		}
		if d.Root.Key != key || len(d.Shapes) != MaxLeafShapes {
			t.Errorf("root key %d: decoded key %d, %d shapes", key, d.Root.Key, len(d.Shapes))
		}
	}
}
