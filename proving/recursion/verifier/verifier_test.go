package verifier

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/hemera/hemeratest"
	"github.com/oneiros-zk/oneiros/proving/lookup"
	"github.com/oneiros-zk/oneiros/proving/recursion"
	"github.com/oneiros-zk/oneiros/proving/stark"
	"github.com/oneiros-zk/oneiros/proving/stark/starktest"
	"github.com/oneiros-zk/oneiros/proving/verifyshape"
)

// testParams are small Narrow-hash parameters (few queries: the program's behaviour,
// not its soundness level, is what the tests exercise), with every proof of work on.
var testParams = hemera.Params{FRI: fri.Params{LogBlowup: 1, NumQueries: 3, GrindingBits: 2, LogArity: 2, LogFinalPolyLen: 1,
	LogUpGrindingBits: 1, DEEPGrindingBits: 1}, Workers: 2}

type system struct {
	e       *hemera.Engine
	vk      *stark.VerifyingKey
	proof   *stark.Proof
	publics [][]field.Elem
	bus     []lookup.Message
}

func prove(t testing.TB, p hemera.Params, tables []starktest.Table, bus []lookup.Message) *system {
	t.Helper()
	s := hemeratest.Prove(t, p, tables, bus)
	return &system{e: s.E, vk: s.VK, proof: s.Proof, publics: s.Publics, bus: s.Bus}
}

// fullSystem has every feature the program verifies: several heights, a preprocessed
// table, LogUp lookups, public values and public bus messages.
func fullSystem(t testing.TB) *system {
	bytesT, counts := starktest.Bytes(4, 8)
	return prove(t, testParams, []starktest.Table{
		starktest.Fib(3),
		starktest.Wide(5, 12, 3),
		bytesT,
		starktest.Range8(counts),
		starktest.Sender(4),
		starktest.Receiver(4),
	}, starktest.SenderPublic())
}

// run builds the program of the system's shape and executes it on the proof.
func (s *system) run(t testing.TB, proof *stark.Proof, publics [][]field.Elem, bus []lookup.Message) (*recursion.Program, []field.Ext, error) {
	t.Helper()
	sh, err := ShapeOf(s.vk, s.e.Params(), s.proof, s.publics, s.bus)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := Program(sh)
	if err != nil {
		t.Fatal(err)
	}
	in, err := Inputs(sh, proof, publics, bus)
	if err != nil {
		t.Fatal(err)
	}
	mem, err := prog.Execute(in)
	return prog, mem, err
}

func checkHonest(t *testing.T, s *system) *recursion.Program {
	t.Helper()
	prog, mem, err := s.run(t, s.proof, s.publics, s.bus)
	if err != nil {
		t.Fatal(err)
	}
	want := verifyshape.Statement(s.publics, s.bus) // what the public outputs must hold
	if len(prog.Publics) != len(want) {
		t.Fatalf("%d public outputs, want %d", len(prog.Publics), len(want))
	}
	for i, c := range prog.Publics {
		if w := field.NewExt(want[i]); !mem[c].Equal(&w) {
			t.Fatalf("public output %d is %v, want %v", i, mem[c], w)
		}
	}
	return prog
}

func TestFib(t *testing.T) {
	prog := checkHonest(t, prove(t, testParams, []starktest.Table{starktest.Fib(3)}, nil))
	t.Logf("fib 2^3: %d instructions, %v", len(prog.Insts), prog.Stats())
}

// A one-row table is opened at ζ and ζ·ω = ζ (one point for package fri).
func TestOneRow(t *testing.T) {
	checkHonest(t, prove(t, testParams, []starktest.Table{starktest.Fib(0), starktest.Fib(2)}, nil))
}

func TestFull(t *testing.T) {
	prog := checkHonest(t, fullSystem(t))
	t.Logf("full system: %d instructions, %v", len(prog.Insts), prog.Stats())
}

// Every part of a proof and its statement is bound: changing any one value makes the
// native verifier reject and the program's execution fail.
func TestTamperingRejected(t *testing.T) {
	s := fullSystem(t)
	bump := func(x *field.Elem) {
		one := field.New(1)
		x.Add(x, &one)
	}
	bumpExt := func(x *field.Ext) {
		one := field.NewExt(field.New(1))
		x.Add(x, &one)
	}
	withFRI := func(f func(p *fri.Proof)) func(*stark.Proof) {
		return func(p *stark.Proof) {
			fp, err := fri.DecodeParams(p.PCS, s.e.Params().FRI)
			if err != nil {
				t.Fatal(err)
			}
			f(fp)
			p.PCS = fp.Encode()
		}
	}
	type tamper struct {
		proof     func(*stark.Proof)
		statement func(publics [][]field.Elem, bus []lookup.Message)
	}
	cases := map[string]tamper{
		"public value":       {statement: func(p [][]field.Elem, _ []lookup.Message) { bump(&p[0][2]) }},
		"message mult":       {statement: func(_ [][]field.Elem, b []lookup.Message) { bump(&b[0].Mult) }},
		"message tuple":      {statement: func(_ [][]field.Elem, b []lookup.Message) { bump(&b[0].Tuple[0]) }},
		"main root":          {proof: func(p *stark.Proof) { bump(&p.MainRoot[3]) }},
		"aux root":           {proof: func(p *stark.Proof) { bump(&p.AuxRoot[0]) }},
		"quotient root":      {proof: func(p *stark.Proof) { bump(&p.QuotRoot[7]) }},
		"logup nonce":        {proof: func(p *stark.Proof) { bump(&p.LogUpNonce) }},
		"deep nonce":         {proof: func(p *stark.Proof) { bump(&p.DEEPNonce) }},
		"cumulative sum":     {proof: func(p *stark.Proof) { bumpExt(&p.CumSums[3]) }},
		"opened prep value":  {proof: func(p *stark.Proof) { bumpExt(&p.Values[0][0][0][0]) }},
		"opened main value":  {proof: func(p *stark.Proof) { bumpExt(&p.Values[1][0][0][1]) }},
		"opened next value":  {proof: func(p *stark.Proof) { bumpExt(&p.Values[1][1][1][3]) }},
		"opened aux value":   {proof: func(p *stark.Proof) { bumpExt(&p.Values[2][0][0][3]) }},
		"opened quot value":  {proof: func(p *stark.Proof) { bumpExt(&p.Values[3][0][0][1]) }},
		"fri layer root":     {proof: withFRI(func(f *fri.Proof) { bump(&f.LayerRoots[0][1]) })},
		"fri final poly":     {proof: withFRI(func(f *fri.Proof) { bumpExt(&f.FinalPoly[0]) })},
		"fri nonce":          {proof: withFRI(func(f *fri.Proof) { bump(&f.Nonce) })},
		"query input row":    {proof: withFRI(func(f *fri.Proof) { bump(&f.Queries[1].Inputs[1].Rows[0][0]) })},
		"query input path":   {proof: withFRI(func(f *fri.Proof) { bump(&f.Queries[1].Inputs[2].Path[0][4]) })},
		"query prep row":     {proof: withFRI(func(f *fri.Proof) { bump(&f.Queries[2].Inputs[0].Rows[0][0]) })},
		"query quotient row": {proof: withFRI(func(f *fri.Proof) { bump(&f.Queries[2].Inputs[3].Rows[2][0]) })},
		"query layer row":    {proof: withFRI(func(f *fri.Proof) { bump(&f.Queries[2].Layers[0].Rows[0][5]) })},
		"query layer path":   {proof: withFRI(func(f *fri.Proof) { bump(&f.Queries[0].Layers[0].Path[1][0]) })},
		"query last path":    {proof: withFRI(func(f *fri.Proof) { l := f.Queries[0].Inputs[1].Path; bump(&l[len(l)-1][7]) })},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			proof, err := stark.Decode(s.proof.Encode())
			if err != nil {
				t.Fatal(err)
			}
			publics := make([][]field.Elem, len(s.publics))
			for i := range publics {
				publics[i] = append([]field.Elem(nil), s.publics[i]...)
			}
			bus := make([]lookup.Message, len(s.bus))
			for i, m := range s.bus {
				bus[i] = m
				bus[i].Tuple = append([]field.Elem(nil), m.Tuple...)
			}
			if c.proof != nil {
				c.proof(proof)
			}
			if c.statement != nil {
				c.statement(publics, bus)
			}
			if err := s.e.Verify(s.vk, proof, publics, bus); err == nil {
				t.Fatal("the native verifier accepts the tampered proof")
			}
			_, _, err = s.run(t, proof, publics, bus)
			var ee *recursion.ExecError
			if !errors.As(err, &ee) {
				t.Fatalf("the program executes on the tampered proof (%v)", err)
			}
			t.Logf("%v", err)
		})
	}
}

// Inputs refuses a proof of another shape, and NewShape what the program does not
// verify.
func TestShapeRefusals(t *testing.T) {
	s := prove(t, testParams, []starktest.Table{starktest.Fib(3)}, nil)
	sh, err := ShapeOf(s.vk, s.e.Params(), s.proof, s.publics, s.bus)
	if err != nil {
		t.Fatal(err)
	}
	other := prove(t, testParams, []starktest.Table{starktest.Fib(4)}, nil)
	if _, err := Inputs(sh, other.proof, other.publics, nil); err == nil {
		t.Fatal("a proof of another height accepted")
	} else {
		t.Log(err)
	}
	if _, err := Inputs(sh, s.proof, [][]field.Elem{s.publics[0][:2]}, nil); err == nil {
		t.Fatal("a statement of another size accepted")
	}
	p := s.e.Params()
	p.FRI.ZK = true
	if _, err := NewShape(s.vk, p, s.proof.LogN, s.publics, nil); err == nil {
		t.Fatal("a zero-knowledge shape accepted")
	}
	p = s.e.Params()
	p.FRI.ExtDegree = 6
	if _, err := NewShape(s.vk, p, s.proof.LogN, s.publics, nil); err == nil {
		t.Fatal("a degree-6 shape accepted")
	}
	p = s.e.Params()
	p.MinSecurityBits = 100
	if _, err := NewShape(s.vk, p, s.proof.LogN, s.publics, nil); err == nil {
		t.Fatal("a shape below the security floor accepted")
	}
}

// Honest proofs execute under other FRI configurations: folding by 2, 8 and 16, a
// final polynomial of one and of eight coefficients, a larger blowup, no grinding.
func TestFRIConfigurations(t *testing.T) {
	for _, f := range []fri.Params{
		{LogBlowup: 1, NumQueries: 2, LogArity: 1, LogFinalPolyLen: 0},
		{LogBlowup: 1, NumQueries: 2, LogArity: 3, LogFinalPolyLen: 3, GrindingBits: 3},
		{LogBlowup: 2, NumQueries: 2, LogArity: 4, LogFinalPolyLen: 1, LogUpGrindingBits: 2},
		{LogBlowup: 3, NumQueries: 2, LogArity: 2, LogFinalPolyLen: 2, DEEPGrindingBits: 2},
	} {
		t.Run(fmt.Sprintf("blowup%d-arity%d-final%d", f.LogBlowup, f.LogArity, f.LogFinalPolyLen), func(t *testing.T) {
			bytesT, counts := starktest.Bytes(4, 8)
			checkHonest(t, prove(t, hemera.Params{FRI: f, Workers: 2}, []starktest.Table{
				starktest.Fib(2), starktest.Wide(6, 8, 2), bytesT, starktest.Range8(counts), starktest.Sender(3), starktest.Receiver(3),
			}, starktest.SenderPublic()))
		})
	}
}

// Without grinding a tampered value is not caught by a proof of work made stale (a
// change to anything the transcript absorbed fails its check with probability 1/2 per
// bit): each tampering reaches the check it is bound by.
func TestTamperingWithoutGrinding(t *testing.T) {
	p := testParams
	p.FRI.GrindingBits, p.FRI.LogUpGrindingBits, p.FRI.DEEPGrindingBits = 0, 0, 0
	s := prove(t, p, []starktest.Table{starktest.Fib(0), starktest.Fib(3), starktest.Sender(4), starktest.Receiver(4)}, starktest.SenderPublic())
	withFRI := func(f func(p *fri.Proof)) func(*stark.Proof) {
		return func(pr *stark.Proof) {
			fp, err := fri.DecodeParams(pr.PCS, p.FRI)
			if err != nil {
				t.Fatal(err)
			}
			f(fp)
			pr.PCS = fp.Encode()
		}
	}
	one := field.New(1)
	onex := field.NewExt(one)
	cases := map[string]struct {
		proof func(*stark.Proof)
		label string // where the program fails
	}{
		// The one-row table is opened at ζ twice: the values must agree.
		"one-row next value":   {func(pr *stark.Proof) { pr.Values[0][0][1][0].Add(&pr.Values[0][0][1][0], &onex) }, "shape"},
		"opened main value":    {func(pr *stark.Proof) { pr.Values[0][1][0][0].Add(&pr.Values[0][1][0][0], &onex) }, "constraints: fib"},
		"aux value":            {func(pr *stark.Proof) { pr.Values[1][0][0][0].Add(&pr.Values[1][0][0][0], &onex) }, "constraints: sender"},
		"quotient value":       {func(pr *stark.Proof) { pr.Values[2][3][0][0].Add(&pr.Values[2][3][0][0], &onex) }, "constraints: receiver"},
		"cumulative sum":       {func(pr *stark.Proof) { pr.CumSums[2].Add(&pr.CumSums[2], &onex) }, "bus"},
		"sum, no interactions": {func(pr *stark.Proof) { pr.CumSums[0].Add(&pr.CumSums[0], &onex) }, "shape"},
		"final polynomial":     {withFRI(func(f *fri.Proof) { f.FinalPoly[0].Add(&f.FinalPoly[0], &onex) }), "fri: query 0"}, // the indices are drawn after it
		"layer row":            {withFRI(func(f *fri.Proof) { f.Queries[1].Layers[0].Rows[0][2].Add(&f.Queries[1].Layers[0].Rows[0][2], &one) }), "layer 0"},
		"input row":            {withFRI(func(f *fri.Proof) { f.Queries[2].Inputs[1].Rows[1][0].Add(&f.Queries[2].Inputs[1].Rows[1][0], &one) }), "input openings"},
		"input path":           {withFRI(func(f *fri.Proof) { f.Queries[0].Inputs[2].Path[2][5].Add(&f.Queries[0].Inputs[2].Path[2][5], &one) }), "input openings"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			proof, err := stark.Decode(s.proof.Encode())
			if err != nil {
				t.Fatal(err)
			}
			c.proof(proof)
			if err := s.e.Verify(s.vk, proof, s.publics, s.bus); err == nil {
				t.Fatal("the native verifier accepts the tampered proof")
			}
			_, _, err = s.run(t, proof, s.publics, s.bus)
			var ee *recursion.ExecError
			if !errors.As(err, &ee) {
				t.Fatalf("the program executes on the tampered proof (%v)", err)
			}
			if !strings.Contains(ee.Label, c.label) {
				t.Errorf("failed at %q, want a failure in %q: %v", ee.Label, c.label, err)
			}
		})
	}
}

// Optional tables: a proof that leaves out an optional table with preprocessed columns
// (its preprocessed matrix committed, opened at no point, only hashed in the Merkle
// openings) executes, and so does one that has it; a proof whose lookups go into the
// left-out table fails on the bus.
func TestOptionalTables(t *testing.T) {
	bytesT, counts := starktest.Bytes(5, 4)
	users, mult := starktest.CubeUsers(4)
	tables := []starktest.Table{starktest.Range8(counts), bytesT, users, starktest.Cubes(6, mult)}
	e, err := hemera.New(testParams)
	if err != nil {
		t.Fatal(err)
	}
	airs, prep, w := starktest.Collect(tables, nil)
	pk, vk, err := e.Setup(airs, prep, []bool{false, false, true, true})
	if err != nil {
		t.Fatal(err)
	}
	proveWith := func(main [][][]field.Elem) *system {
		t.Helper()
		wi := *w
		wi.Main = main
		p, err := e.Prove(pk, &wi)
		if err != nil {
			t.Fatal(err)
		}
		return &system{e: e, vk: vk, proof: p, publics: w.Publics}
	}
	present := proveWith(w.Main)
	checkHonest(t, present)
	absent := proveWith([][][]field.Elem{w.Main[0], w.Main[1], nil, nil})
	if absent.proof.LogN[3] != stark.Absent {
		t.Fatalf("the cube table is not left out: heights %v", absent.proof.LogN)
	}
	checkHonest(t, absent)

	cheat := proveWith([][][]field.Elem{w.Main[0], w.Main[1], w.Main[2], nil})
	if err := e.Verify(vk, cheat.proof, w.Publics, nil); err == nil {
		t.Fatal("the engine accepts lookups into a left-out table")
	}
	_, _, err = cheat.run(t, cheat.proof, cheat.publics, nil)
	var ee *recursion.ExecError
	if !errors.As(err, &ee) || ee.Label != "bus" {
		t.Fatalf("lookups into a left-out table: %v", err)
	}
}

// No input is free: changing any one value of the input stream (an element of the
// statement, a commitment, a nonce, an opened value, a row, a path node) makes the
// execution fail. A value the program read and left unchecked would be a forgery.
func TestEveryInputBound(t *testing.T) {
	s := fullSystem(t)
	sh, err := ShapeOf(s.vk, s.e.Params(), s.proof, s.publics, s.bus)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := Program(sh)
	if err != nil {
		t.Fatal(err)
	}
	in, err := Inputs(sh, s.proof, s.publics, s.bus)
	if err != nil {
		t.Fatal(err)
	}
	step := 1
	if testing.Short() {
		step = 13
	}
	one := field.NewExt(field.New(1))
	for i := 0; i < len(in); i += step {
		bad := append([]field.Ext(nil), in...)
		bad[i].Add(&bad[i], &one)
		if _, err := prog.Execute(bad); err == nil {
			t.Fatalf("input %d of %d changed, the program still executes", i, len(in))
		}
	}
}

// Without LogUp columns the aux commitment is zero: a proof with another one fails in
// the program's shape checks, before the transcript.
func TestAuxRootWithoutLogUp(t *testing.T) {
	s := prove(t, testParams, []starktest.Table{starktest.Fib(3)}, nil)
	proof, err := stark.Decode(s.proof.Encode())
	if err != nil {
		t.Fatal(err)
	}
	one := field.New(1)
	proof.AuxRoot[0].Add(&proof.AuxRoot[0], &one)
	if err := s.e.Verify(s.vk, proof, s.publics, s.bus); err == nil {
		t.Fatal("the native verifier accepts a nonzero aux commitment without LogUp columns")
	}
	_, _, err = s.run(t, proof, s.publics, s.bus)
	var ee *recursion.ExecError
	if !errors.As(err, &ee) || ee.Label != "shape" {
		t.Fatalf("want a failure in the shape checks, got %v", err)
	}
}
