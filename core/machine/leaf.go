package machine

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/aggregate"
	chipinput "github.com/oneiros-zk/oneiros/core/chips/input"
	chipio "github.com/oneiros-zk/oneiros/core/chips/io"
	"github.com/oneiros-zk/oneiros/core/chips/memtree"
	"github.com/oneiros-zk/oneiros/core/chips/output"
	"github.com/oneiros-zk/oneiros/core/chips/poseidon2"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	ir "github.com/oneiros-zk/oneiros/proving/recursion"
	"github.com/oneiros-zk/oneiros/proving/recursion/verifier"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// The zkVM's leaf is the recursion program that verifies one segment proof and states
// it in the aggregation layout (package aggregate): [vk_root | start | end | consts].
// start and end are where the run stands before and after the segment (LeafState: the
// linker's state as field elements), consts what stays the same along the run (the
// program's verifying key, the claim's context, the input's length, the program's
// length). The leaf derives the segment's public values and public messages from them
// exactly as the native verifier does (segmentView.publics and messages), makes the
// checks of segmentView.check on them as range arguments, and verifies the segment's
// STARK with that statement under the key in consts. A join then links two leaves by
// requiring one's end to be the other's start, which is what the Linker does between
// two segments. docs/aggregation.md gives the argument and the range of every value.

// The boundary state's layout (LeafLayout's K elements).
const (
	StPC        = iota                       // where the next segment starts: pc
	StFP                                     // and frame pointer / 4
	StCycles                                 // the run's cycles so far (below 2^30: each leaf checks)
	StIn                                     // the input offset
	StOut                                    // the output offset
	StHooks                                  // the hook calls so far
	StDone                                   // 1 once a final segment ran, else 0
	StStatus                                 // the run's exit status (0 before the end)
	StCodeLo                                 // its exit code's low and high 16-bit limbs (0 before the end)
	StCodeHi                                 //
	StHookState                              // 16: the host answers' sponge state
	StMemRoot   = StHookState + hash.Width   // 8: the memory's root
	StOutState  = StMemRoot + hash.DigestLen // 16: the output sponge's state
	StInSponge  = StOutState + hash.Width    // 16: the input sponge's state
	StInCarry   = StInSponge + hash.Width    // 8: its carried block
	StateLen    = StInCarry + chipinput.Rate
)

// The constants' layout (LeafLayout's C elements).
const (
	CoVKDigest = 0                           // 8: the segments' verifying key's digest
	CoPrepRoot = CoVKDigest + hash.DigestLen // 8: its preprocessed commitment
	CoContext  = CoPrepRoot + hash.DigestLen // 8: the claim's context (Statement.Context)
	CoInputLen = CoContext + hash.DigestLen  // the input's length
	CoCodeLen  = CoInputLen + 1              // the program's instruction count
	ConstsLen  = CoCodeLen + 1
)

// LeafLayout is the aggregation layout of the machine's segment proofs.
var LeafLayout = aggregate.Layout{K: StateLen, C: ConstsLen}

// countBits bounds every count a leaf compares: an aggregated run has fewer than
// 2^countBits cycles, bytes of input and output, and instructions (Aggregatable).
const countBits = 29

// LeafShape is what a leaf program is made for: the segment proof's table heights
// (stark.Absent for a table left out; the hook table's presence says whether the
// segment makes hook calls) and whether the segment is the run's last.
type LeafShape struct {
	LogN  []int
	Final bool
}

// ShapeOfSegment is the leaf shape of a segment proof.
func ShapeOfSegment(sp *SegmentProof) LeafShape {
	return LeafShape{LogN: append([]int(nil), sp.Proof.LogN...), Final: sp.State.Final}
}

func (s LeafShape) equal(o LeafShape) bool {
	if s.Final != o.Final || len(s.LogN) != len(o.LogN) {
		return false
	}
	for i := range s.LogN {
		if s.LogN[i] != o.LogN[i] {
			return false
		}
	}
	return true
}

// hookTable is the hook table's index, or −1.
func (m *Machine) hookTable() int {
	for i, c := range m.chips {
		if c.name == "hook" {
			return i
		}
	}
	return -1
}

// leafView is a segment view of the leaf shape's statement sizes: its public values
// and messages have the shape's lengths, constant fields and order (values zero).
func (m *Machine) leafView(s LeafShape) (*segmentView, error) {
	if len(s.LogN) != len(m.chips) {
		return nil, fmt.Errorf("machine: a leaf shape of %d tables, the machine has %d", len(s.LogN), len(m.chips))
	}
	v := &segmentView{state: &SegmentState{Final: s.Final}}
	if h := m.hookTable(); h >= 0 && s.LogN[h] != stark.Absent {
		v.state.HookEnd = 1
	}
	return v, nil
}

// LeafShapeOf is the verifier shape of the segment proofs of leaf shape s under the
// machine's engine: the segments' verifying key vk gives the AIRs, layouts and
// preprocessed heights; its digest and preprocessed root are the leaf's constants.
func (m *Machine) LeafShapeOf(vk *stark.VerifyingKey, s LeafShape) (*verifier.Shape, error) {
	sh, _, err := m.leafShapeOf(vk, s)
	return sh, err
}

// leafShapeOf is LeafShapeOf and whether the shape's segments make hook calls.
func (m *Machine) leafShapeOf(vk *stark.VerifyingKey, s LeafShape) (*verifier.Shape, bool, error) {
	v, err := m.leafView(s)
	if err != nil {
		return nil, false, err
	}
	pub := make([][]field.Elem, len(m.chips))
	for i, c := range m.chips {
		pub[i] = make([]field.Elem, len(c.air.Publics))
	}
	sh, err := verifier.NewShape(vk, m.engine.Params(), s.LogN, pub, v.messages())
	if err != nil {
		return nil, false, fmt.Errorf("machine: leaf shape: %w", err)
	}
	return sh, v.hooks(), nil
}

// LeafProgram is the leaf program of shape s (see the package's leaf comment) and the
// verifier shape of the segment proofs it verifies (LeafShapeOf, what LeafInputs
// takes): its input stream is vk_root, start, end, consts (LeafLayout's order, base
// elements), then the segment proof (verifier.ProofInputs); its public outputs are
// the layout's.
func (m *Machine) LeafProgram(vk *stark.VerifyingKey, s LeafShape) (*ir.Program, *verifier.Shape, error) {
	sh, hooks, err := m.leafShapeOf(vk, s)
	if err != nil {
		return nil, nil, err
	}
	b := ir.NewBuilder()
	b.Label("leaf: input")
	var c aggregate.Cells
	copy(c.Root[:], b.InputBases(hash.DigestLen))
	c.Start = b.InputBases(StateLen)
	c.End = b.InputBases(StateLen)
	c.Consts = b.InputBases(ConstsLen)
	l := &leafBuilder{b: b, zero: b.ConstBase(field.Elem{}), one: b.ConstBase(field.New(1))}
	st := l.statement(m, s, c.Start, c.End, c.Consts, hooks)
	var key verifier.Key
	copy(key.Digest[:], c.Consts[CoVKDigest:])
	copy(key.PrepRoot[:], c.Consts[CoPrepRoot:])
	b.Label("leaf: segment proof")
	if err := verifier.EmitKey(b, sh, st, &key); err != nil {
		return nil, nil, err
	}
	if err := LeafLayout.Output(b, &c); err != nil {
		return nil, nil, err
	}
	return b.Program(), sh, nil
}

// LeafInputs is the leaf program's input stream for a segment proof of shape sh (from
// LeafShapeOf) between the boundary states start and end, under the tree's vk_root.
func LeafInputs(sh *verifier.Shape, root hash.Digest, start, end, consts []field.Elem, proof *stark.Proof) ([]field.Ext, error) {
	if len(start) != StateLen || len(end) != StateLen || len(consts) != ConstsLen {
		return nil, fmt.Errorf("machine: leaf inputs of %d, %d and %d elements (want %d, %d, %d)", len(start), len(end), len(consts), StateLen, StateLen, ConstsLen)
	}
	var in []field.Ext
	for _, part := range [][]field.Elem{root[:], start, end, consts} {
		for _, x := range part {
			in = append(in, field.NewExt(x))
		}
	}
	p, err := verifier.ProofInputs(sh, proof)
	if err != nil {
		return nil, err
	}
	return append(in, p...), nil
}

// LeafState is a linker state as the leaf's boundary state; status and code are the
// run's exit, used once a final segment ran.
func LeafState(s LinkState, status isa.ExitStatus, code uint32) []field.Elem {
	st := make([]field.Elem, StateLen)
	st[StPC] = field.New(uint64(s.PC))
	st[StFP] = field.New(uint64(s.FP / 4))
	st[StCycles] = field.New(s.Cycles)
	st[StIn] = field.New(uint64(s.InOff))
	st[StOut] = field.New(uint64(s.OutOff))
	st[StHooks] = field.New(uint64(s.Hooks))
	if s.Done {
		st[StDone] = field.New(1)
		st[StStatus] = field.New(uint64(status))
		st[StCodeLo], st[StCodeHi] = limbs(code)
	}
	copy(st[StHookState:], s.HookState[:])
	copy(st[StMemRoot:], s.MemRoot[:])
	copy(st[StOutState:], s.OutState[:])
	copy(st[StInSponge:], s.InState.Sponge[:])
	copy(st[StInCarry:], s.InState.Carry[:])
	return st
}

// LeafConsts are the leaf's constants for a run of st proven under vk.
func LeafConsts(vk *stark.VerifyingKey, st *Statement) []field.Elem {
	c := make([]field.Elem, ConstsLen)
	copy(c[CoVKDigest:], vk.Digest[:])
	copy(c[CoPrepRoot:], vk.PrepRoot[:hash.DigestLen])
	copy(c[CoContext:], st.Context[:])
	c[CoInputLen] = field.New(uint64(st.InputLen))
	c[CoCodeLen] = field.New(uint64(len(st.Program.Code)))
	return c
}

// leafBuilder emits the leaf's integer arithmetic: range arguments and small
// comparisons by canonical bit decompositions (ir.Builder.Bits: 31 bits, the unique
// decomposition of a value below p).
type leafBuilder struct {
	b         *ir.Builder
	zero, one ir.Var
}

func (l *leafBuilder) k(v uint64) ir.Var { return l.b.ConstBase(field.New(v)) }

// below asserts x < 2^n (as an integer: x's canonical value).
func (l *leafBuilder) below(x ir.Var, n int) [ir.BitsLen]ir.Var {
	bits := l.b.Bits(x)
	for i := n; i < ir.BitsLen; i++ {
		l.b.AssertEq(bits[i], l.zero)
	}
	return bits
}

// value is Σ bits[i]·2^(i−from) for i in [from, len(bits)).
func (l *leafBuilder) value(bits []ir.Var, from int) ir.Var {
	cs := make([]ir.Var, 0, len(bits)-from)
	for i := from; i < len(bits); i++ {
		cs = append(cs, l.k(1<<(i-from)))
	}
	return l.b.Dot(l.zero, cs, bits[from:])
}

// isZero is 1 when x = 0, else 0: Π (1 − b_i) over x's canonical bits.
func (l *leafBuilder) isZero(x ir.Var) ir.Var {
	bits := l.b.Bits(x)
	z := l.one
	for _, bit := range bits {
		z = l.b.Mul(z, l.b.Sub(l.one, bit))
	}
	return z
}

// oneHot asserts x < 2^n and returns e with e[k] = [x = k], k < 2^n.
func (l *leafBuilder) oneHot(x ir.Var, n int) []ir.Var {
	bits := l.below(x, n)
	e := []ir.Var{l.one}
	for j := range n {
		next := make([]ir.Var, 2*len(e))
		nb := l.b.Sub(l.one, bits[j])
		for k := range e {
			next[k] = l.b.Mul(e[k], nb)
			next[k+len(e)] = l.b.Mul(e[k], bits[j])
		}
		e = next
	}
	return e
}

// sum is Σ xs.
func (l *leafBuilder) sum(xs []ir.Var) ir.Var {
	s := l.zero
	for _, x := range xs {
		s = l.b.Add(s, x)
	}
	return s
}

// ceil16 is ⌈x/16⌉ for x < 2^30.
func (l *leafBuilder) ceil16(x ir.Var) ir.Var {
	bits := l.b.Bits(l.b.Add(x, l.k(15)))
	return l.value(bits[:], 4)
}

// statement emits the checks of segmentView.check on the boundary cells and returns
// the segment's statement (public values per table, then the public messages in
// segmentView.messages' order) derived from them. hooks is whether the shape has the
// hook table (the segment makes hook calls).
func (l *leafBuilder) statement(m *Machine, s LeafShape, S, E, C []ir.Var, hooks bool) *verifier.Statement {
	b := l.b
	b.Label("leaf: boundary")
	// The segment never starts after the run's end (no exit yet).
	for _, i := range []int{StDone, StStatus, StCodeLo, StCodeHi} {
		b.AssertEq(S[i], l.zero)
	}
	// Every count the leaf compares — the run's cycles, the input and output offsets,
	// the hook calls, the pc, the input's and the program's lengths — is below 2^29
	// (countBits): the difference of two of them is then in (−2^29, 2^29), and it is
	// non-negative exactly when it is below 2^29 as a canonical value (a negative one
	// is p − k ≥ p − 2^29 > 2^30). (With counts up to 2^30 that argument fails: p < 2^31.)
	n := C[CoInputLen]
	for _, x := range []ir.Var{S[StCycles], E[StCycles], S[StIn], E[StIn], S[StOut], E[StOut], S[StHooks], E[StHooks], S[StPC], E[StPC], n, C[CoCodeLen]} {
		l.below(x, countBits)
	}
	nonNeg := func(x ir.Var) { l.below(x, countBits) }
	// 1 ≤ cycles ≤ MaxCycles.
	cy := b.Sub(E[StCycles], S[StCycles])
	nonNeg(b.Sub(cy, l.one))
	nonNeg(b.Sub(l.k(MaxCycles), cy))
	if s.Final {
		b.AssertEq(E[StPC], l.zero)
		b.AssertEq(E[StFP], l.zero)
		b.AssertEq(E[StDone], l.one)
	} else {
		// pc < len(code); fp is an aligned 32-bit address (the state holds fp / 4).
		nonNeg(b.Sub(b.Sub(C[CoCodeLen], l.one), E[StPC]))
		l.below(E[StFP], 30)
		for _, i := range []int{StDone, StStatus, StCodeLo, StCodeHi} {
			b.AssertEq(E[i], l.zero)
		}
	}
	// inStart ≤ inEnd ≤ input_len.
	nonNeg(b.Sub(E[StIn], S[StIn]))
	nonNeg(b.Sub(n, E[StIn]))
	// outStart ≤ outEnd ≤ outStart + 4·cycles.
	d := b.Sub(E[StOut], S[StOut])
	nonNeg(d)
	nonNeg(b.Sub(b.Mul(l.k(4), cy), d))
	// Hook calls: at most one a cycle; none exactly when the shape has no hook table,
	// and then the sponge state does not change.
	hn := b.Sub(E[StHooks], S[StHooks])
	if hooks {
		nonNeg(b.Sub(hn, l.one))
		nonNeg(b.Sub(cy, hn))
	} else {
		b.AssertEq(hn, l.zero)
		for i := range hash.Width {
			b.AssertEq(E[StHookState+i], S[StHookState+i])
		}
	}

	b.Label("leaf: statement")
	st := &verifier.Statement{Publics: make([][]ir.Var, len(m.chips))}
	for i, c := range m.chips {
		switch c.name {
		case "cpu":
			p := []ir.Var{S[StPC], S[StFP], cy}
			p = append(p, C[CoContext:CoContext+hash.DigestLen]...)
			st.Publics[i] = append(p, E[StPC], E[StFP])
		case "io":
			p := make([]ir.Var, len(c.air.Publics))
			for j := range p {
				p[j] = l.zero
			}
			p[chipio.PublicInputLen] = n
			p[chipio.PublicOutputLen] = E[StOut]
			p[chipio.PublicInStart] = S[StIn]
			p[chipio.PublicOutStart] = S[StOut]
			p[chipio.PublicInEnd] = E[StIn]
			st.Publics[i] = p
		case "input":
			st.Publics[i] = l.inputPublics(s.Final, S, E, n)
		case "output":
			st.Publics[i] = l.outputPublics(S, E, d)
		default:
			p := make([]ir.Var, len(c.air.Publics))
			for j := range p {
				p[j] = l.zero
			}
			st.Publics[i] = p
		}
	}
	msg := func(tuple ...ir.Var) {
		st.Mult = append(st.Mult, l.one)
		st.Tuples = append(st.Tuples, tuple)
	}
	if s.Final {
		msg(E[StStatus], E[StCodeLo], E[StCodeHi])
	}
	mt := []ir.Var{l.k(memtree.RootID), l.k(memtree.Depth)}
	mt = append(mt, S[StMemRoot:StMemRoot+hash.DigestLen]...)
	msg(append(mt, E[StMemRoot:StMemRoot+hash.DigestLen]...)...)
	if hooks {
		msg(append([]ir.Var{l.k(poseidon2.KindOut), l.k(poseidon2.DomHook), l.zero}, S[StHookState:StHookState+hash.Width]...)...)
		msg(append([]ir.Var{hn}, E[StHookState:StHookState+hash.Width]...)...)
	}
	msg(append([]ir.Var{l.k(poseidon2.KindOut), l.k(poseidon2.DomInput), l.one}, S[StInSponge:StInSponge+hash.Width]...)...)
	return st
}

// inputPublics are chipinput.Publics from the cells: the sponge states where the
// segment starts and ends, the blocks it absorbs — from ⌈inStart/16⌉ to ⌈inEnd/16⌉, or
// in a final segment to Blocks(n) = max(1, ⌈n/16⌉) — and, when it absorbs the input's
// last block, that block's masks (r = n − 16·(Blocks(n) − 1) bytes of input in it).
func (l *leafBuilder) inputPublics(final bool, S, E []ir.Var, n ir.Var) []ir.Var {
	b := l.b
	p := make([]ir.Var, chipinput.NumPublics)
	copy(p[chipinput.PublicStart:], S[StInSponge:StInSponge+hash.Width])
	copy(p[chipinput.PublicStartCarry:], S[StInCarry:StInCarry+chipinput.Rate])
	copy(p[chipinput.PublicEnd:], E[StInSponge:StInSponge+hash.Width])
	copy(p[chipinput.PublicEndCarry:], E[StInCarry:StInCarry+chipinput.Rate])
	first := l.ceil16(S[StIn])
	cn := l.ceil16(n)
	nb := b.Add(cn, l.isZero(cn))
	last := nb
	if !final {
		last = l.ceil16(E[StIn])
	}
	p[chipinput.PublicFirst] = first
	p[chipinput.PublicBlocks] = b.Sub(last, first)
	// The masks apply when the segment absorbs the last block: last = Blocks(n) > first.
	on := b.Mul(l.isZero(b.Sub(last, nb)), b.Sub(l.one, l.isZero(b.Sub(last, first))))
	r := b.Sub(n, b.Mul(l.k(chipinput.BlockBytes), b.Sub(nb, l.one))) // 0 … 16
	e := l.oneHot(r, 5)
	for i := range chipinput.Rate {
		// limb i is past the end when 2i ≥ r; it holds one byte when 2i + 1 = r.
		p[chipinput.PublicZero+i] = b.Mul(on, l.sum(e[:2*i+1]))
		p[chipinput.PublicHalf+i] = b.Mul(on, e[2*i+1])
	}
	return p
}

// outputPublics are output.Publics from the cells: the sponge states, Base(outStart),
// Blocks(outStart, outEnd) and the first and last blocks' masks (zero for an empty
// share; d = outEnd − outStart, checked below 2^30).
func (l *leafBuilder) outputPublics(S, E []ir.Var, d ir.Var) []ir.Var {
	b := l.b
	p := make([]ir.Var, output.NumPublics)
	copy(p[output.PublicStart:], S[StOutState:StOutState+hash.Width])
	copy(p[output.PublicEnd:], E[StOutState:StOutState+hash.Width])
	start, end := S[StOut], E[StOut]
	sbits := b.Bits(start)
	mod := l.value(sbits[:4], 0)
	p[output.PublicBase] = b.Sub(start, mod)
	ce := l.ceil16(end)
	some := b.Sub(l.one, l.isZero(d))
	p[output.PublicBlocks] = b.Mul(some, b.Sub(ce, l.value(sbits[:], 4)))
	// Byte j of the first block is before outStart when j < outStart mod 16; byte j of
	// the last block is at or past outEnd when j ≥ r' = outEnd − 16·(⌈outEnd/16⌉ − 1).
	pre := l.oneHot(mod, 4)
	post := l.oneHot(b.Sub(end, b.Mul(l.k(output.BlockBytes), b.Sub(ce, l.one))), 5)
	for j := range output.BlockBytes {
		p[output.PublicPre+j] = b.Mul(some, l.sum(pre[j+1:]))
		p[output.PublicPost+j] = b.Mul(some, l.sum(post[:j+1]))
	}
	return p
}
