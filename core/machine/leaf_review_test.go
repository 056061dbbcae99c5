package machine

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	chipinput "github.com/oneiros-zk/oneiros/core/chips/input"
	"github.com/oneiros-zk/oneiros/core/chips/output"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	ir "github.com/oneiros-zk/oneiros/proving/recursion"
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

// genLeafCase draws a boundary state: a start that a chain of leaves from the run's
// initial state can reach (offsets and counts below their bounds), an end near every
// edge of the native check (and past it, including values that wrap modulo p).
func genLeafCase(rng *rand.Rand) *leafCase {
	p := uint64(field.Modulus)
	c := &leafCase{final: rng.IntN(2) == 0}
	codeLen := int(pick(rng, uint64(1), 2, 17, 1+rng.Uint64N(300)))
	n := uint32(pick(rng, 0, 1, 15, 16, 17, 31, 32, 33, rng.Uint64N(1<<12), rng.Uint64N(1<<30), 1<<30-1))
	prog := &isa.Program{Code: make([]isa.Instruction, codeLen)}

	// The start.
	entryPC := uint32(rng.Uint64N(uint64(codeLen)))
	entryFPq := uint32(nearEdges(rng, 1<<30))
	startCycles := nearEdges(rng, 1<<30)
	inStart := uint32(nearEdges(rng, uint64(n)+1))
	outStart := uint32(nearEdges(rng, 1<<30))
	hookStart := uint32(nearEdges(rng, 1<<30))
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
		[]uint64{0, MaxCycles + 1, 1 << 21, p - startCycles, p - startCycles + 1, 1<<30 - startCycles, 1<<30 - startCycles - 1, p - 1})
	c.admissible = startCycles+cycles < 1<<30
	cy4 := 4 * min(cycles, MaxCycles)
	st := &SegmentState{Cycles: cycles, Final: c.final}
	is, nn := uint64(inStart), uint64(n)
	st.InEnd = u32([]uint64{is, nn, is + rng.Uint64N(nn-is+1), min(nn, 16*((is+15)/16)), min(nn, is+1)},
		[]uint64{nn + 1, (is - 1) & 0xffffffff, is - 1, p - 1, nn + 1<<30 - 1<<24, is + 1<<30 - 1})
	os := uint64(outStart)
	maxOut := min(os+cy4, 1<<30-1)
	st.OutEnd = u32([]uint64{os, min(maxOut, os+1), min(maxOut, os+15), min(maxOut, os+16), min(maxOut, os+17), maxOut, os + rng.Uint64N(maxOut-os+1), min(maxOut, 16*((os+16)/16))},
		[]uint64{maxOut + 1, os + cy4 + 1, 1<<30 - 1, 1 << 30, (os - 1) & 0xffffffff, os - 1, p - 1, os + 1<<30 - 1<<24, 1<<30 - 1})
	hs := uint64(hookStart)
	st.HookEnd = u32([]uint64{hs, hs + 1, hs + min(cycles, MaxCycles), hs + rng.Uint64N(min(cycles, MaxCycles)+1)},
		[]uint64{hs + min(cycles, 1<<24) + 1, (hs - 1) & 0xffffffff, hs - 1, p - 1, hs + 1<<30 - 1<<24, hs + 1<<30 - 1})
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
		st.ExitPC = u32([]uint64{0, cl - 1, rng.Uint64N(cl)}, []uint64{cl, cl + 1, 1<<30 - 1, 1 << 30, p - 1, cl + 1<<30 - 1<<24})
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
// check a STARK against the state (segmentView.check, and the leaf's bound on the run's
// cycles), and then derive exactly the native statement (publics and messages).
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
			why := "the leaf's own cycle or frame bound"
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

// TestReviewLeafBoundsWrapModP: the leaf's range arguments take a difference of two
// values below 2^30 and check it below 2^30, but p = 2^31 − 2^24 + 1 < 2^31: a
// negative difference −k with k > p − 2^30 = 2^30 − 2^24 + 1 is the field element
// p − k < 2^30, and passes. Each state below is one segmentView.check refuses, and the
// leaf's checks (leafBuilder.statement, as LeafProgram emits them) admit:
//
//   - exit pc: a non-final segment handing over at pc 2^30 − 1 in a program of 100
//     instructions (code_len − 1 − pc wraps);
//   - output: 2^30 − 1 bytes written in 10 cycles (4·cycles − d wraps);
//   - input: the input offset ending at 2^30 − 1 past an input of 100 bytes
//     (n − in_end wraps);
//   - hooks: 2^30 − 1 hook calls in 10 cycles (cycles − calls wraps).
//
// The segment's tables bound these values themselves (the io table's offsets grow by
// its rows' counts, in_off staying ≤ input_len; the hook table counts its rows; the
// next segment fetches its entry pc from the ROM), so no segment proof for these
// statements is known to exist; but the leaf does not make the checks it claims to
// make, and the tables' soundness arguments assume them ("the verifier must refuse").
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
	} {
		S, E, C := base(c.hooks)
		c.edit(E)
		if exec(c.hooks, S, E, C) == nil {
			t.Errorf("%s: the leaf's checks admit it (segmentView.check refuses it)", c.what)
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
