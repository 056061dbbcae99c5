package fri

import (
	"errors"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/kernel/cpu"
	"github.com/oneiros-zk/oneiros/proving/ntt"
	"github.com/oneiros-zk/oneiros/proving/pcs"
	"github.com/oneiros-zk/oneiros/proving/transcript"
)

func randMatrix(width, logN int, seed uint64) pcs.Matrix {
	m := make(pcs.Matrix, width)
	x := seed
	for c := range m {
		m[c] = make([]field.Elem, 1<<logN)
		for r := range m[c] {
			x = x*6364136223846793005 + 1442695040888963407
			m[c][r] = field.New(x >> 33)
		}
	}
	return m
}

type fixture struct {
	s      *PCS
	rounds []pcs.OpenRound
	vr     []pcs.VerifyRound
	proof  []byte
}

// newFixture commits and opens three batches under p, at two points of p's degree, with
// the transcript of p's degree and hash (tag "test").
func newFixture(t *testing.T, p Params) *fixture {
	t.Helper()
	s, err := New(p, cpu.New(2), 2)
	if err != nil {
		t.Fatal(err)
	}
	batches := [][]pcs.Matrix{
		{randMatrix(5, 6, 1), randMatrix(3, 4, 2)},
		{randMatrix(9, 6, 3)},
		{randMatrix(2, 3, 4), randMatrix(1, 6, 5)},
	}
	z1, z2 := attackPoint(p.Ext(), 11), attackPoint(p.Ext(), 21) // (11, 12, …), (21, 22, …)
	f := &fixture{s: s}
	for _, b := range batches {
		c, err := s.Commit(b, nil)
		if err != nil {
			t.Fatal(err)
		}
		pts := make([][]field.Ext, len(b))
		dims := make([]pcs.Dim, len(b))
		for i, m := range b {
			pts[i] = []field.Ext{z1, z2}
			dims[i] = pcs.Dim{Width: len(m), LogN: ntt.Log2(len(m[0]))}
		}
		f.rounds = append(f.rounds, pcs.OpenRound{Data: c, Points: pts})
		f.vr = append(f.vr, pcs.VerifyRound{Root: c.Root(), Dims: dims, Points: pts})
	}
	vals, proof, err := s.Open(f.rounds, transcript.NewFor("test", p.Ext(), p.Hash), nil)
	if err != nil {
		t.Fatal(err)
	}
	for r := range f.vr {
		f.vr[r].Values = vals[r]
	}
	f.proof = proof
	// The values are the true evaluations.
	m := batches[0][1]
	coeffs := append([]field.Elem(nil), m[2]...)
	ntt.Interpolate(coeffs, 1)
	want := ntt.EvalExt(coeffs, z2)
	if !vals[0][1][1][2].Equal(&want) {
		t.Fatal("opened value differs from the interpolant's value")
	}
	return f
}

func (f *fixture) verify() error {
	return f.s.Verify(f.vr, f.proof, transcript.New("test"))
}

func TestOpenVerify(t *testing.T) {
	for _, p := range []Params{
		{LogBlowup: 1, NumQueries: 20, GrindingBits: 4, LogArity: 1, LogFinalPolyLen: 0},
		{LogBlowup: 2, NumQueries: 10, GrindingBits: 0, LogArity: 2, LogFinalPolyLen: 2},
		{LogBlowup: 1, NumQueries: 8, GrindingBits: 2, LogArity: 3, LogFinalPolyLen: 5},
	} {
		f := newFixture(t, p)
		if err := f.verify(); err != nil {
			t.Fatalf("%+v: honest proof rejected: %v", p, err)
		}
	}
}

func TestRejectsTampering(t *testing.T) {
	p := Params{LogBlowup: 1, NumQueries: 12, GrindingBits: 4, LogArity: 2, LogFinalPolyLen: 1}
	base := newFixture(t, p)
	proof, err := Decode(base.proof)
	if err != nil {
		t.Fatal(err)
	}
	one := field.New(1)
	cases := map[string]func(f *fixture, pr *Proof){
		"opened value": func(f *fixture, pr *Proof) {
			f.vr[1].Values[0][1][4].Coord(0).Add(f.vr[1].Values[0][1][4].Coord(0), &one)
		},
		"commitment": func(f *fixture, pr *Proof) { f.vr[2].Root[0].Add(&f.vr[2].Root[0], &one) },
		"layer root": func(f *fixture, pr *Proof) { pr.LayerRoots[1][3].Add(&pr.LayerRoots[1][3], &one) },
		"final poly": func(f *fixture, pr *Proof) { pr.FinalPoly[0].Coord(2).Add(pr.FinalPoly[0].Coord(2), &one) },
		"nonce":      func(f *fixture, pr *Proof) { pr.Nonce.Add(&pr.Nonce, &one) },
		"input row": func(f *fixture, pr *Proof) {
			pr.Queries[3].Inputs[0].Rows[1][0].Add(&pr.Queries[3].Inputs[0].Rows[1][0], &one)
		},
		"input path": func(f *fixture, pr *Proof) {
			pr.Queries[0].Inputs[1].Path[2][0].Add(&pr.Queries[0].Inputs[1].Path[2][0], &one)
		},
		"layer value": func(f *fixture, pr *Proof) {
			pr.Queries[5].Layers[0].Rows[0][2].Add(&pr.Queries[5].Layers[0].Rows[0][2], &one)
		},
		"layer path": func(f *fixture, pr *Proof) {
			pr.Queries[5].Layers[1].Path[0][0].Add(&pr.Queries[5].Layers[1].Path[0][0], &one)
		},
		"query count": func(f *fixture, pr *Proof) { pr.Queries = pr.Queries[:len(pr.Queries)-1] },
		"layer count": func(f *fixture, pr *Proof) { pr.LayerRoots = pr.LayerRoots[:1] },
		"wrong width": func(f *fixture, pr *Proof) { f.vr[0].Dims[0].Width++ },
	}
	for name, mutate := range cases {
		f := newFixture(t, p)
		pr, _ := Decode(f.proof)
		mutate(f, pr)
		f.proof = pr.Encode()
		err := f.verify()
		if !errors.Is(err, ErrInvalidProof) {
			t.Errorf("%s: tampered proof not rejected with ErrInvalidProof: %v", name, err)
		}
	}
	_ = proof
}

func TestScheduleRollsInEveryHeight(t *testing.T) {
	p := Params{LogBlowup: 1, LogArity: 3, LogFinalPolyLen: 2}
	s := newSchedule(p, []int{20, 17, 16, 9, 7})
	cur := s.logMax
	seen := map[int]bool{cur: true}
	for _, a := range s.arities {
		if a < 1 || a > 3 {
			t.Fatalf("arity %d", a)
		}
		cur -= a
		seen[cur] = true
	}
	for _, h := range []int{20, 17, 16, 9, 7} {
		if !seen[h] {
			t.Fatalf("height %d is never a layer boundary: %v", h, s.arities)
		}
	}
	if cur != s.logFinal || s.logFinal != 1+min(2, 6) {
		t.Fatalf("final %d, schedule ends at %d", s.logFinal, cur)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{1, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := Decode(b)
		if err == nil {
			_ = p.Encode()
		}
	})
}

func FuzzVerify(f *testing.F) {
	// Any bytes as the proof of a fixed opening claim: Verify must not panic.
	p := Params{LogBlowup: 1, NumQueries: 2, GrindingBits: 0, LogArity: 1, LogFinalPolyLen: 0}
	s, _ := New(p, cpu.New(1), 1)
	mat := randMatrix(2, 3, 9)
	c, _ := s.Commit([]pcs.Matrix{mat}, nil)
	z := field.ExtFromCoords([]field.Elem{field.New(5), field.New(6), field.New(7), field.New(8)})
	rounds := []pcs.OpenRound{{Data: c, Points: [][]field.Ext{{z}}}}
	vals, proof, _ := s.Open(rounds, transcript.New("fuzz"), nil)
	vr := []pcs.VerifyRound{{Root: c.Root(), Dims: []pcs.Dim{{Width: 2, LogN: 3}}, Points: [][]field.Ext{{z}}, Values: vals[0]}}
	f.Add(proof)
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = s.Verify(vr, b, transcript.New("fuzz"))
	})
}

// Matrices of one height opened at different point sets (two points, one, a point
// repeated as a one-row table's ζ·ω = ζ, none, the same points in another order) share
// or split multi-point quotients; the verifier agrees with the prover, and refuses two
// different values at one repeated point.
func TestMixedPoints(t *testing.T) {
	p := Params{LogBlowup: 1, NumQueries: 6, GrindingBits: 0, LogArity: 2, LogFinalPolyLen: 0}
	s, err := New(p, cpu.New(2), 2)
	if err != nil {
		t.Fatal(err)
	}
	z1 := field.ExtFromCoords([]field.Elem{field.New(11), field.New(12), field.New(13), field.New(14)})
	z2 := field.ExtFromCoords([]field.Elem{field.New(21), field.New(22), field.New(23), field.New(24)})
	batches := [][]pcs.Matrix{
		{randMatrix(4, 5, 1), randMatrix(3, 5, 2), randMatrix(2, 0, 3)},
		{randMatrix(5, 5, 4), randMatrix(2, 3, 5), randMatrix(3, 5, 6)},
	}
	points := [][][]field.Ext{
		{{z1, z2}, {z1}, {z1, z1}},
		{{}, {z2, z1}, {z1, z2}},
	}
	var rounds []pcs.OpenRound
	var vr []pcs.VerifyRound
	for i, b := range batches {
		c, err := s.Commit(b, nil)
		if err != nil {
			t.Fatal(err)
		}
		dims := make([]pcs.Dim, len(b))
		for m, mat := range b {
			dims[m] = pcs.Dim{Width: len(mat), LogN: ntt.Log2(len(mat[0]))}
		}
		rounds = append(rounds, pcs.OpenRound{Data: c, Points: points[i]})
		vr = append(vr, pcs.VerifyRound{Root: c.Root(), Dims: dims, Points: points[i]})
	}
	vals, proof, err := s.Open(rounds, transcript.New("mixed"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for r := range vr {
		vr[r].Values = vals[r]
	}
	if err := s.Verify(vr, proof, transcript.New("mixed")); err != nil {
		t.Fatalf("honest proof rejected: %v", err)
	}
	one := field.New(1)
	vr[0].Values[2][1][0].Coord(0).Add(vr[0].Values[2][1][0].Coord(0), &one)
	if err := s.Verify(vr, proof, transcript.New("mixed")); !errors.Is(err, ErrInvalidProof) {
		t.Fatalf("two values at one point: %v", err)
	}
}
