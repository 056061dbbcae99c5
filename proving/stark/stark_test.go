package stark_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/air/airtest"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/lookup"
	"github.com/oneiros-zk/oneiros/proving/stark"
	"github.com/oneiros-zk/oneiros/proving/stark/starktest"
)

// testParams are small (fast) parameters; security is not the point of these tests.
var testParams = hemera.Params{FRI: fri.Params{LogBlowup: 1, NumQueries: 24, GrindingBits: 4, LogArity: 2, LogFinalPolyLen: 2}, Workers: 2}

type system struct {
	e       *hemera.Engine
	tables  []starktest.Table
	pk      *stark.ProvingKey
	vk      *stark.VerifyingKey
	bus     []lookup.Message
	witness *stark.Witness
}

func newSystem(t testing.TB, p hemera.Params) *system {
	t.Helper()
	bytesT, counts := starktest.Bytes(6, 8)
	tables := []starktest.Table{
		starktest.Fib(5),
		starktest.Wide(7, 12, 3),
		bytesT,
		starktest.Range8(counts),
		starktest.Sender(6),
		starktest.Receiver(6),
	}
	return build(t, p, tables, starktest.SenderPublic())
}

func build(t testing.TB, p hemera.Params, tables []starktest.Table, bus []lookup.Message) *system {
	t.Helper()
	e, err := hemera.New(p)
	if err != nil {
		t.Fatal(err)
	}
	airs, prep, w := starktest.Collect(tables, bus)
	s := &system{e: e, tables: tables, bus: bus, witness: w}
	if s.pk, s.vk, err = e.Setup(airs, prep); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *system) prove(t testing.TB) *stark.Proof {
	t.Helper()
	p, err := s.e.Prove(s.pk, s.witness)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (s *system) verify(p *stark.Proof) error {
	return s.e.Verify(s.vk, p, s.witness.Publics, s.bus)
}

func TestTracesSatisfyTheirAIRs(t *testing.T) {
	s := newSystem(t, testParams)
	var tbs []airtest.Table
	for _, tb := range s.tables {
		if err := airtest.Check(tb.AIR, tb.Main, tb.Prep, tb.Publics); err != nil {
			t.Error(err)
		}
		tbs = append(tbs, airtest.Table{AIR: tb.AIR, Main: tb.Main, Prep: tb.Prep, Publics: tb.Publics})
	}
	var pub []airtest.Message
	for _, m := range s.bus {
		pub = append(pub, airtest.Message(m))
	}
	if err := airtest.CheckBus(tbs, pub); err != nil {
		t.Error(err)
	}
}

func TestCompleteness(t *testing.T) {
	for _, p := range []hemera.Params{
		testParams,
		{FRI: fri.Params{LogBlowup: 2, NumQueries: 12, GrindingBits: 0, LogArity: 1, LogFinalPolyLen: 0}, Workers: 1},
		{FRI: fri.Params{LogBlowup: 1, NumQueries: 8, GrindingBits: 2, LogArity: 4, LogFinalPolyLen: 6}, Workers: 3},
	} {
		s := newSystem(t, p)
		proof := s.prove(t)
		if err := s.verify(proof); err != nil {
			t.Fatalf("%+v: honest proof rejected: %v", p.FRI, err)
		}
		// Round trip through the encoding.
		dec, err := stark.Decode(proof.Encode())
		if err != nil {
			t.Fatal(err)
		}
		if err := s.verify(dec); err != nil {
			t.Fatalf("decoded proof rejected: %v", err)
		}
	}
}

func TestSingleTables(t *testing.T) {
	for name, tb := range map[string]starktest.Table{
		"fib-1row":  starktest.Fib(0),
		"fib-2rows": starktest.Fib(1),
		"fib-large": starktest.Fib(10),
		"wide":      starktest.Wide(4, 40, 10),
	} {
		s := build(t, testParams, []starktest.Table{tb}, nil)
		if err := s.verify(s.prove(t)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestDeterminism(t *testing.T) {
	a := newSystem(t, testParams).prove(t).Encode()
	b := newSystem(t, testParams).prove(t).Encode()
	p1 := testParams
	p1.Workers = 1
	c := newSystem(t, p1).prove(t).Encode()
	p3 := testParams
	p3.Workers = 3
	d := newSystem(t, p3).prove(t).Encode()
	if !bytes.Equal(a, b) || !bytes.Equal(a, c) || !bytes.Equal(a, d) {
		t.Fatal("proof bytes depend on the run or on the worker count")
	}
}

func mustReject(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: accepted", what)
		return
	}
	if !errors.Is(err, stark.ErrInvalidProof) {
		t.Errorf("%s: rejected without ErrInvalidProof: %v", what, err)
	}
	t.Logf("%s: %v", what, err)
}

// TestTamperedTraces mutates one cell of each table (and other witness parts) and
// checks that the honest prover's proof of the bad witness is rejected.
func TestTamperedTraces(t *testing.T) {
	one := field.New(1)
	for ti := range 6 {
		s := newSystem(t, testParams)
		m := s.witness.Main[ti]
		col, row := len(m)-1, len(m[0])/2+1
		m[col][row].Add(&m[col][row], &one)
		mustReject(t, "mutated cell of "+s.tables[ti].AIR.Name, s.verify(s.prove(t)))
	}
	{ // Broken bus balance: a byte outside the range table (counts kept).
		s := newSystem(t, testParams)
		s.witness.Main[2][0][5] = field.New(300)
		mustReject(t, "byte 300", s.verify(s.prove(t)))
	}
	{ // Receiver claims a different multiplicity.
		s := newSystem(t, testParams)
		s.witness.Main[5][2][3].Add(&s.witness.Main[5][2][3], &one)
		mustReject(t, "receiver multiplicity", s.verify(s.prove(t)))
	}
	{ // Public values that do not match the trace, on both sides.
		s := newSystem(t, testParams)
		s.witness.Publics[0][2].Add(&s.witness.Publics[0][2], &one)
		mustReject(t, "wrong public output", s.verify(s.prove(t)))
	}
	{ // A correct proof checked against other public values.
		s := newSystem(t, testParams)
		p := s.prove(t)
		s.witness.Publics[0][0] = field.New(2)
		mustReject(t, "verifier public values", s.verify(p))
	}
	{ // Public bus messages that the trace does not send.
		s := newSystem(t, testParams)
		p := s.prove(t)
		s.bus = []lookup.Message{s.bus[0], {Bus: starktest.PublicBus.ID, Tuple: []field.Elem{field.New(4)}, Mult: field.New(1)}}
		mustReject(t, "public bus", s.verify(p))
	}
}

// TestTamperedProof alters every part of a valid proof.
func TestTamperedProof(t *testing.T) {
	s := newSystem(t, testParams)
	tamperProof(t, s)
}

// tamperProof proves with s and checks that each edit of the proof is rejected.
func tamperProof(t *testing.T, s *system) {
	good := s.prove(t)
	if err := s.verify(good); err != nil {
		t.Fatal(err)
	}
	one := field.New(1)
	bump := func(e *field.Elem) { e.Add(e, &one) }
	cases := map[string]func(p *stark.Proof){
		"main root":      func(p *stark.Proof) { bump(&p.MainRoot[0]) },
		"aux root":       func(p *stark.Proof) { bump(&p.AuxRoot[1]) },
		"quotient root":  func(p *stark.Proof) { bump(&p.QuotRoot[2]) },
		"cumulative sum": func(p *stark.Proof) { bump(p.CumSums[2].Coord(0)) },
		"balanced sums": func(p *stark.Proof) {
			bump(p.CumSums[2].Coord(0))
			p.CumSums[3].Coord(0).Sub(p.CumSums[3].Coord(0), &one)
		},
		"table height":    func(p *stark.Proof) { p.LogN[0]++ },
		"prep opening":    func(p *stark.Proof) { bump(p.Values[0][0][0][0].Coord(0)) },
		"main opening":    func(p *stark.Proof) { bump(p.Values[1][1][0][3].Coord(3)) },
		"main next":       func(p *stark.Proof) { bump(p.Values[1][0][1][0].Coord(0)) },
		"aux opening":     func(p *stark.Proof) { bump(p.Values[2][1][1][2].Coord(1)) },
		"quotient chunk":  func(p *stark.Proof) { bump(p.Values[3][4][0][5].Coord(0)) },
		"missing opening": func(p *stark.Proof) { p.Values[1] = p.Values[1][:5] },
		"fri layer root":  func(p *stark.Proof) { friMutate(t, p, func(f *fri.Proof) { bump(&f.LayerRoots[0][0]) }) },
		"fri final poly":  func(p *stark.Proof) { friMutate(t, p, func(f *fri.Proof) { bump(f.FinalPoly[1].Coord(0)) }) },
		"grinding nonce":  func(p *stark.Proof) { friMutate(t, p, func(f *fri.Proof) { bump(&f.Nonce) }) },
		"LogUp nonce":     func(p *stark.Proof) { bump(&p.LogUpNonce) },
		"DEEP nonce":      func(p *stark.Proof) { bump(&p.DEEPNonce) },
		"fri query layer": func(p *stark.Proof) {
			friMutate(t, p, func(f *fri.Proof) { bump(&f.Queries[2].Layers[1].Rows[0][3]) })
		},
		"fri query input": func(p *stark.Proof) {
			friMutate(t, p, func(f *fri.Proof) { bump(&f.Queries[7].Inputs[1].Rows[2][0]) })
		},
		"fri merkle path": func(p *stark.Proof) {
			friMutate(t, p, func(f *fri.Proof) { bump(&f.Queries[0].Inputs[0].Path[1][4]) })
		},
	}
	rejectMutations(t, s, good, cases)
}

// rejectMutations verifies, for each case, a fresh copy of the good proof mutated by it,
// and expects a rejection.
func rejectMutations(t *testing.T, s *system, good *stark.Proof, cases map[string]func(*stark.Proof)) {
	t.Helper()
	for name, mutate := range cases {
		p, err := stark.Decode(good.Encode())
		if err != nil {
			t.Fatal(err)
		}
		mutate(p)
		mustReject(t, name, s.verify(p))
	}
}

func friMutate(t *testing.T, p *stark.Proof, f func(*fri.Proof)) {
	fp, err := fri.DecodeParams(p.PCS, fri.Params{ExtDegree: p.ExtDegree(), Hash: p.Hash})
	if err != nil {
		t.Fatal(err)
	}
	f(fp)
	p.PCS = fp.Encode()
}

func TestFlippedBytesRejected(t *testing.T) {
	s := newSystem(t, testParams)
	enc := s.prove(t).Encode()
	step := max(1, len(enc)/300)
	for i := 0; i < len(enc); i += step {
		b := bytes.Clone(enc)
		b[i] ^= 0x5a
		p, err := stark.Decode(b)
		if err != nil {
			continue
		}
		if err := s.verify(p); err == nil {
			t.Fatalf("flipping byte %d of %d still verifies", i, len(enc))
		}
	}
}

func FuzzDecodeVerify(f *testing.F) {
	s := newSystem(f, hemera.Params{FRI: fri.Params{LogBlowup: 1, NumQueries: 2, GrindingBits: 0, LogArity: 1, LogFinalPolyLen: 0,
		LogUpGrindingBits: 2, DEEPGrindingBits: 2}, Workers: 1})
	f.Add(s.prove(f).Encode())
	f.Add(newSystem(f, ext6(testParams)).prove(f).Encode()) // another degree: rejected, never a panic
	f.Add([]byte("HMRS"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := stark.Decode(b)
		if err != nil {
			return
		}
		_ = s.verify(p)
	})
}

func TestOptionalTables(t *testing.T) {
	fib, wide := starktest.Fib(4), starktest.Wide(5, 8, 2)
	e, err := hemera.New(testParams)
	if err != nil {
		t.Fatal(err)
	}
	airs := []*air.AIR{fib.AIR, wide.AIR}
	pk, vk, err := e.Setup(airs, [][][]field.Elem{nil, nil}, []bool{false, true})
	if err != nil {
		t.Fatal(err)
	}
	pubs := [][]field.Elem{fib.Publics, nil}
	// The optional table left out.
	p, err := e.Prove(pk, &stark.Witness{Main: [][][]field.Elem{fib.Main, nil}, Publics: pubs})
	if err != nil {
		t.Fatal(err)
	}
	if p.LogN[1] != stark.Absent {
		t.Fatal("absent table has a height")
	}
	if err := e.Verify(vk, p, pubs, nil); err != nil {
		t.Fatalf("proof with an absent optional table rejected: %v", err)
	}
	// And present.
	p2, err := e.Prove(pk, &stark.Witness{Main: [][][]field.Elem{fib.Main, wide.Main}, Publics: pubs})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Verify(vk, p2, pubs, nil); err != nil {
		t.Fatal(err)
	}
	// A required table cannot be left out, by the prover or in a forged proof.
	if _, err := e.Prove(pk, &stark.Witness{Main: [][][]field.Elem{nil, wide.Main}, Publics: pubs}); err == nil {
		t.Fatal("prover left out a required table")
	}
	forged, _ := stark.Decode(p2.Encode())
	forged.LogN[0] = stark.Absent
	mustReject(t, "required table absent", e.Verify(vk, forged, pubs, nil))
	forged, _ = stark.Decode(p2.Encode())
	forged.LogN[1] = stark.Absent
	mustReject(t, "optional table dropped from a proof that has it", e.Verify(vk, forged, pubs, nil))
	// Preprocessed tables cannot be optional.
	r := starktest.Range8(make([]uint64, 256))
	if _, _, err := e.Setup([]*air.AIR{r.AIR}, [][][]field.Elem{r.Prep}, []bool{true}); err == nil {
		t.Fatal("an optional table with preprocessed columns was accepted")
	}
}
