package machine

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/aggregate"
	"github.com/oneiros-zk/oneiros/core/chips/hook"
	chipinput "github.com/oneiros-zk/oneiros/core/chips/input"
	"github.com/oneiros-zk/oneiros/core/chips/output"
	"github.com/oneiros-zk/oneiros/core/claim"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	ir "github.com/oneiros-zk/oneiros/proving/recursion"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// The outer layer's public values after vk_root (OuterFinish): claim_root and the
// program key (core/claim), computed in the outer program from the root's cells and
// the witness Origin, so that a wrapped proof states the claim itself.
const (
	OutClaimRoot  = 0                             // 8: claim_root
	OutProgramKey = OutClaimRoot + hash.DigestLen // 8: the program key
	OuterLen      = OutProgramKey + hash.DigestLen
)

// OuterInputs are the wrap circuit's public inputs as groups of the outer program's
// public values [vk_root | claim_root | program key]: claim_root first, then the
// program key, then vk_root, each packed into one BN254 element (hash.OuterPack).
var OuterInputs = [][]int{
	seq(hash.DigestLen+OutClaimRoot, hash.DigestLen),
	seq(hash.DigestLen+OutProgramKey, hash.DigestLen),
	seq(0, hash.DigestLen),
}

func seq(from, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = from + i
	}
	return out
}

// Origin is what a claim says of where its program comes from and no segment proof
// states: the ISA's digest (claim.ISADigest of its name) and the source digest. The
// segment proofs bind both through the claim's context (claim.Context of them and the
// input digest); the outer program takes them as witness and checks that context.
type Origin struct {
	ISA, Source hash.Digest
}

// originLen is the outer program's witness after the root: the ISA digest, the source
// digest, program_id.
const originLen = 3 * hash.DigestLen

// OuterFinish is the zkVM's aggregate.Finish. It reads the witness Origin and
// program_id after the root, checks that the root's start is a run's start (no cycles,
// offsets or hook calls, not done, the hook and output sponges' initial states, the
// input sponge's initial state for the constants' input length, no carried input),
// that its end is a run's end (done, pc and fp 0) and that the constants' context is
// claim.Context of the ISA digest, the source digest and the end's input digest; then
// outputs claim_root (claim.Fields' encoding: the output digest is one permutation of
// the end's output sponge with the output length added to capacity element 1,
// output.Finish; the hook and input digests are the rates of their sponge states;
// input_len, cycles and hook count split into 16-bit limbs by canonical bit
// decompositions) and the program key (claim.ProgramKey of program_id, the start's pc,
// fp/4 and memory root, the constants' key digest, preprocessed root and instruction
// count).
func OuterFinish(b *ir.Builder, root *aggregate.Cells) []ir.Var {
	l := &leafBuilder{b: b, zero: b.ConstBase(field.Elem{}), one: b.ConstBase(field.New(1))}
	S, E, C := root.Start, root.End, root.Consts
	b.Label("outer: origin")
	w := b.InputBases(originLen)
	isaD, srcD, pid := w[:hash.DigestLen], w[hash.DigestLen:2*hash.DigestLen], w[2*hash.DigestLen:]

	b.Label("outer: a run's start and end")
	for _, i := range []int{StCycles, StIn, StOut, StHooks, StDone, StStatus, StCodeLo, StCodeHi} {
		b.AssertEq(S[i], l.zero)
	}
	eqConsts := func(cells []ir.Var, want []field.Elem) {
		for i, v := range want {
			b.AssertEq(cells[i], b.ConstBase(v))
		}
	}
	hiv, oiv, iiv := hook.IV(), output.IV(), chipinput.IV(0)
	eqConsts(S[StHookState:StHookState+hash.Width], hiv[:])
	eqConsts(S[StOutState:StOutState+hash.Width], oiv[:])
	for i := range iiv {
		if i == chipinput.Rate+1 {
			b.AssertEq(S[StInSponge+i], C[CoInputLen]) // input.IV(n): the length there
			continue
		}
		b.AssertEq(S[StInSponge+i], b.ConstBase(iiv[i]))
	}
	for i := range chipinput.Rate {
		b.AssertEq(S[StInCarry+i], l.zero)
	}
	b.AssertEq(E[StDone], l.one)
	b.AssertEq(E[StPC], l.zero)
	b.AssertEq(E[StFP], l.zero)

	b.Label("outer: context")
	inputD := E[StInSponge : StInSponge+hash.DigestLen]
	ctx := b.HashElems(concat(consts(b, claim.Prefix(claim.TagContext)), isaD, srcD, inputD))
	for i := range ctx {
		b.AssertEq(ctx[i], C[CoContext+i])
	}

	b.Label("outer: claim_root")
	var s [hash.Width]ir.Var
	copy(s[:], E[StOutState:StOutState+hash.Width])
	s[output.Rate+1] = b.Add(s[output.Rate+1], E[StOut])
	f := b.Perm(s)
	outputD := f[:hash.DigestLen]
	root16 := concat(consts(b, claim.Prefix(claim.TagRoot)), isaD, pid, srcD, inputD,
		l.limbs(C[CoInputLen], 2), outputD, []ir.Var{E[StStatus], E[StCodeLo], E[StCodeHi]},
		l.limbs(E[StCycles], 4), l.limbs(E[StHooks], 2), E[StHookState:StHookState+hash.DigestLen])
	claimRoot := b.HashElems(root16)

	b.Label("outer: program key")
	key := b.HashElems(concat(consts(b, claim.Prefix(claim.TagProgramKey)), pid, []ir.Var{S[StPC], S[StFP]},
		S[StMemRoot:StMemRoot+hash.DigestLen], C[CoVKDigest:CoVKDigest+hash.DigestLen],
		C[CoPrepRoot:CoPrepRoot+hash.DigestLen], []ir.Var{C[CoCodeLen]}))
	return append(append([]ir.Var(nil), claimRoot[:]...), key[:]...)
}

// limbs is x's canonical value as n 16-bit limbs, least significant first: the low
// 16 bits and the high 15 of the canonical decomposition, then zeros (x < p < 2^31).
func (l *leafBuilder) limbs(x ir.Var, n int) []ir.Var {
	bits := l.b.Bits(x)
	out := []ir.Var{l.value(bits[:16], 0), l.value(bits[:], 16)}
	for len(out) < n {
		out = append(out, l.zero)
	}
	return out
}

func consts(b *ir.Builder, d hash.Digest) []ir.Var {
	out := make([]ir.Var, len(d))
	for i, v := range d {
		out[i] = b.ConstBase(v)
	}
	return out
}

func concat(parts ...[]ir.Var) []ir.Var {
	var out []ir.Var
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// OuterWitness is the outer program's witness after the root for a run of st with
// origin o (what ProveOuter passes to aggregate.Outer.Prove): the ISA digest, the
// source digest and program_id.
func OuterWitness(st *Statement, o Origin) []field.Elem {
	pid := st.Program.ID()
	out := make([]field.Elem, 0, originLen)
	out = append(out, o.ISA[:]...)
	out = append(out, o.Source[:]...)
	return append(out, pid[:]...)
}

// ClaimFields are claim_root's fields of a run of st with origin o (claim.Fields).
func ClaimFields(st *Statement, o Origin) claim.Fields {
	return claim.Fields{ISA: o.ISA, ProgramID: st.Program.ID(), SourceDigest: o.Source, InputDigest: st.InputDigest,
		InputLen: st.InputLen, OutputDigest: output.Digest(st.Output), ExitStatus: uint8(st.Status), ExitCode: st.ExitCode,
		Cycles: st.Cycles, HookCount: st.HookCount, HookDigest: st.HookDigest}
}

// ProgramKey is the program key (claim.ProgramKey) of st's program proven under vk: the
// value a contract pins for the program whose wrapped proofs it accepts.
func ProgramKey(vk *stark.VerifyingKey, st *Statement) hash.Digest {
	p := st.Program
	var prep hash.Digest
	copy(prep[:], vk.PrepRoot[:hash.DigestLen])
	return claim.ProgramKey(p.ID(), p.Entry, p.FP/4, ImageRoot(p), vk.Digest, prep, uint32(len(p.Code)))
}

// OuterPublics are the outer layer's public values after vk_root that a run of st with
// origin o, proven under vk, has (OuterFinish's): claim_root and the program key. It
// refuses a statement whose context is not the origin's (claim.Context of the ISA
// digest, the source digest and the input digest): no outer proof states it; and one
// without a program or key (ProveOuter calls it before VerifyAggregated's checks).
func (m *Machine) OuterPublics(vk *stark.VerifyingKey, st *Statement, o Origin) ([]field.Elem, error) {
	if vk == nil || st == nil || st.Program == nil {
		return nil, fmt.Errorf("machine: outer public values of a statement without a program or a verifying key")
	}
	if c := claim.Context(o.ISA, o.Source, st.InputDigest); c != st.Context {
		return nil, fmt.Errorf("machine: the statement's context is not that of its ISA, source and input digests")
	}
	f := ClaimFields(st, o)
	root, key := f.Root(), ProgramKey(vk, st)
	out := make([]field.Elem, 0, OuterLen)
	out = append(out, root[:]...)
	return append(out, key[:]...), nil
}
