package wrap

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/test"

	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/lookup"
	"github.com/oneiros-zk/oneiros/proving/merkle"
	"github.com/oneiros-zk/oneiros/proving/stark"
	"github.com/oneiros-zk/oneiros/proving/stark/starktest"
	"github.com/oneiros-zk/oneiros/proving/transcript"
)

// Cheating provers against the wrap circuit: each builds a witness for a false
// statement (or one the native verifier refuses) and checks that the circuit rejects
// it.

// A one-row table is opened at ζ and ζ·ω = ζ: the native verifier merges the two points
// and requires the two opened rows to be equal ("two values at one point"); only the
// first is bound to the commitment by the DEEP quotient. A circuit that did not check
// the equality would let the prover choose the "next" row after seeing ζ, and a
// transition constraint (whose selector ζ − ω⁻¹ = ζ − 1 = Z_H(ζ) is nonzero) then
// absorbs any violation of the table's other constraints.
//
// The forgery: Fib with one row (a = b = 1) and the false public output 2 (the table's
// last row says b = 1), a zero quotient, and the "next" value of a solved so that the
// combined constraint is zero at ζ. Everything committed is constant, the FRI has no
// layers, and the reduced codeword is zero.
func TestAttackOneRowNextRow(t *testing.T) {
	// The honest proof of a one-row table verifies in the circuit.
	honest := prove(t, outerParams, []starktest.Table{starktest.Fib(0)}, nil)
	sh, a := honest.circuit(t)
	if err := test.IsSolved(NewCircuit(sh), a, ecc.BN254.ScalarField()); err != nil {
		t.Fatalf("honest one-row proof: %v", err)
	}

	e, err := hemera.New(outerParams)
	if err != nil {
		t.Fatal(err)
	}
	tb := starktest.Fib(0)
	_, vk, err := e.Setup([]*air.AIR{tb.AIR}, [][][]field.Elem{nil})
	if err != nil {
		t.Fatal(err)
	}
	publics := [][]field.Elem{{field.New(1), field.New(1), field.New(2)}} // false: out = 1
	proof := forgeOneRowFib(t, e, vk, publics)

	if err := e.Verify(vk, proof, publics, nil); err == nil {
		t.Fatal("the native verifier accepts the forged proof")
	} else {
		t.Logf("native verifier: %v", err)
	}
	sh, err = ShapeOf(vk, e.Params(), proof, publics, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, err = Assign(sh, proof, publics, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := test.IsSolved(NewCircuit(sh), a, ecc.BN254.ScalarField()); err == nil {
		t.Fatal("the wrap circuit accepts a proof of Fib(1 row) = 2 with a forged next row")
	}
}

// forgeOneRowFib builds the forged proof of TestAttackOneRowNextRow.
func forgeOneRowFib(t *testing.T, e *hemera.Engine, vk *stark.VerifyingKey, publics [][]field.Elem) *stark.Proof {
	t.Helper()
	scheme := e.Config().Scheme
	p := e.Params().FRI
	one, two := field.New(1), field.New(2)
	ext := func(x field.Elem) field.Ext { return field.NewExt(x) }

	// Commitments: a height-2 LDE of constant rows.
	mainRow := []field.Elem{one, one}
	quotRow := make([]field.Elem, field.ExtDegree4<<vk.LogQuot[0])
	node := func(row []field.Elem) (hash.Node, hash.Node) {
		leaf := hash.OuterElems(row)
		return hash.OuterNode(hash.OuterCompress(leaf, leaf)), hash.OuterNode(leaf)
	}
	mainRoot, mainSib := node(mainRow)
	quotRoot, quotSib := node(quotRow)

	tr := transcript.NewFor(stark.Tag, field.ExtDegree4, hash.Outer)
	scheme.ObserveParams(tr)
	tr.ObserveDigest(vk.Digest)
	tr.ObserveUint(0) // log height
	tr.ObserveUint(uint64(len(publics[0])))
	tr.Observe(publics[0]...)
	tr.ObserveUint(0) // no public messages
	tr.ObserveNode(mainRoot)
	logUpBits, deepBits := scheme.Grinding()
	logUpNonce := tr.Grind(logUpBits)
	tr.CheckWitness(logUpBits, logUpNonce)
	lookup.Sample(tr.SampleExt, vk.AIRs, nil)
	cum := ext(field.Elem{})
	tr.ObserveExt(cum)
	tr.ObserveNode(hash.Node{})
	alphaQ := tr.SampleExt()
	tr.ObserveNode(quotRoot)
	deepNonce := tr.Grind(deepBits)
	tr.CheckWitness(deepBits, deepNonce)
	zeta := tr.SampleExt()

	// Σ_k α^k·sel_k(ζ)·C_k(ζ) for next row (aNext, 2); it is affine in aNext.
	af := vk.AIRs[0]
	var zh field.Ext
	zh.Sub(&zeta, ptrExt(ext(one))) // n = 1: Z_H = ζ − 1 = ζ − ω⁻¹
	sum := func(aNext field.Ext) field.Ext {
		pv := &air.PointValues{Main: []field.Ext{ext(one), ext(one)}, MainNext: []field.Ext{aNext, ext(two)}, Publics: publics[0]}
		nodes := make([]field.Ext, len(af.Nodes))
		af.EvalPoint(pv, nodes)
		var s, coeff field.Ext
		coeff.SetOne()
		for _, c := range af.Constraints {
			sel := ext(one) // first = last = Z_H/((ζ−1)·1) = 1
			if c.Sel == air.Transition {
				sel = zh
			}
			var v field.Ext
			v.Mul(&nodes[c.Root], &sel)
			v.Mul(&v, &coeff)
			s.Add(&s, &v)
			coeff.Mul(&coeff, &alphaQ)
		}
		return s
	}
	s0, s1 := sum(field.Ext{}), sum(ext(one))
	var slope, aNext field.Ext
	slope.Sub(&s1, &s0)
	slope.Inverse(&slope)
	aNext.Mul(&s0, &slope)
	aNext.Neg(&aNext) // the combined constraint is 0 = Z_H(ζ)·Q(ζ) with Q = 0
	if r := sum(aNext); !r.IsZero() {
		t.Fatal("forgery: the combined constraint is not zero")
	}
	quotVals := make([]field.Ext, len(quotRow))
	for i := range quotVals {
		quotVals[i] = ext(field.Elem{})
	}
	values := [][][][]field.Ext{
		{{{ext(one), ext(one)}, {aNext, ext(two)}}},
		{{quotVals}},
	}

	// The PCS proof: the reduced codeword is zero (the values at ζ are the committed
	// constants), there are no FRI layers, and the final polynomial is 0.
	for _, rd := range values {
		for _, m := range rd {
			for _, v := range m {
				tr.ObserveExt(v...)
			}
		}
	}
	for range len(mainRow) + len(quotRow) {
		tr.SampleExt()
	}
	final := []field.Ext{ext(field.Elem{})}
	tr.ObserveExt(final...)
	nonce := tr.Grind(p.GrindingBits)
	tr.CheckWitness(p.GrindingBits, nonce)
	fp := &fri.Proof{FinalPoly: final, Nonce: nonce, Ext: field.ExtDegree4, Hash: hash.Outer}
	for range p.NumQueries {
		tr.SampleBits(1)
		fp.Queries = append(fp.Queries, fri.QueryProof{Inputs: []merkle.Opening{
			{Rows: [][]field.Elem{mainRow}, Path: []hash.Node{mainSib}},
			{Rows: [][]field.Elem{quotRow}, Path: []hash.Node{quotSib}},
		}})
	}
	return &stark.Proof{
		LogN: []int{0}, MainRoot: mainRoot, QuotRoot: quotRoot,
		LogUpNonce: logUpNonce, DEEPNonce: deepNonce,
		CumSums: []field.Ext{cum}, Values: values, PCS: fp.Encode(),
		Ext: field.ExtDegree4, Hash: hash.Outer,
	}
}

func ptrExt(e field.Ext) *field.Ext { return &e }

// The native verifier refuses heights at which a bus carries p or more messages (the
// multiplicity sums could wrap, stark.CheckBuses); a Shape must refuse them too, or the wrap
// circuit would accept proofs that no verifier accepts.
func TestAttackShapeBusOverflow(t *testing.T) {
	b := air.NewBuilder("many")
	x := b.Main("x")
	bus := air.Bus{ID: 7, Name: "many"}
	for i := range 256 {
		b.Send("s"+string(rune('a'+i%26))+string(rune('a'+i/26)), bus, []air.Expr{x.Cur}, b.Const(1))
	}
	r := air.NewBuilder("sink")
	y := r.Main("y")
	r.Receive("r", bus, []air.Expr{y.Cur}, r.Const(256))
	e, err := hemera.New(outerParams)
	if err != nil {
		t.Fatal(err)
	}
	_, vk, err := e.Setup([]*air.AIR{b.MustBuild(), r.MustBuild()}, [][][]field.Elem{nil, nil})
	if err != nil {
		t.Fatal(err)
	}
	// 2^23 rows · 256 sends = 2^31 ≥ p messages on bus 7.
	if _, err := NewShape(vk, e.Params(), []int{23, 23}, [][]field.Elem{nil, nil}, nil); err == nil {
		t.Fatal("NewShape accepts heights at which a bus carries 2^31 messages")
	} else {
		t.Log(err)
	}
	if _, err := NewShape(vk, e.Params(), []int{3, 3}, [][]field.Elem{nil, nil}, nil); err != nil {
		t.Fatal(err)
	}
}
