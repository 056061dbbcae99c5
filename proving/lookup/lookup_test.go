package lookup_test

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/lookup"
	"github.com/oneiros-zk/oneiros/proving/stark/starktest"
)

var (
	busA = air.Bus{ID: 1, Name: "a"}
	busB = air.Bus{ID: 7, Name: "b"}
)

// mixed is an AIR whose interactions have denominators of degree 1 and 2, multiplicities
// of degree 0, 1 and 2, constant and public tuple entries, sends and receives:
//
//	0 send    a: (x)        × 1      den 1, mult 0
//	1 send    a: (y)        × 1      den 1, mult 0
//	2 receive b: (x, y, 7)  × x      den 1, mult 1
//	3 send    b: (x·y, p)   × p      den 2, mult 0
//	4 receive a: (x)        × x·y    den 1, mult 2
func mixed() *air.AIR {
	b := air.NewBuilder("mixed")
	x, y := b.Main("x").Cur, b.Main("y").Cur
	p := b.Public("p")
	one := b.Const(1)
	b.Send("i0", busA, []air.Expr{x}, one)
	b.Send("i1", busA, []air.Expr{y}, one)
	b.Receive("i2", busB, []air.Expr{x, y, b.Const(7)}, x)
	b.Send("i3", busB, []air.Expr{x.Mul(y), p}, p)
	b.Receive("i4", busA, []air.Expr{x}, x.Mul(y))
	return b.MustBuild()
}

// Interactions are grouped greedily, in order, as long as the group's constraint stays
// within the degree bound.
func TestLayoutGroupsByDegree(t *testing.T) {
	a := mixed()
	for _, c := range []struct {
		maxDeg int
		groups [][]int
		degs   []int
	}{
		{3, [][]int{{0, 1}, {2}, {3}, {4}}, []int{3, 2, 3, 2}},
		{4, [][]int{{0, 1, 2}, {3, 4}}, []int{4, 4}},
		{5, [][]int{{0, 1, 2}, {3, 4}}, []int{4, 4}},
		{9, [][]int{{0, 1, 2, 3, 4}}, []int{7}},
	} {
		l, err := lookup.NewLayout(a, c.maxDeg)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.EqualFunc(l.Groups, c.groups, slices.Equal[[]int]) {
			t.Errorf("max degree %d: groups %v, want %v", c.maxDeg, l.Groups, c.groups)
			continue
		}
		for i, g := range l.Groups {
			if d := lookup.GroupDegree(a, g); d != c.degs[i] || d > c.maxDeg {
				t.Errorf("max degree %d: group %v has degree %d, want %d", c.maxDeg, g, d, c.degs[i])
			}
		}
		if l.NumAux() != len(c.groups)+1 || l.NumConstraints() != len(c.groups)+3 || l.MaxDegree(a) != slices.Max(c.degs) {
			t.Errorf("max degree %d: %d aux, %d constraints, degree %d", c.maxDeg, l.NumAux(), l.NumConstraints(), l.MaxDegree(a))
		}
	}

	// An interaction too big for the bound alone is an error that names it.
	b := air.NewBuilder("big")
	x := b.Main("x").Cur
	b.Send("cube", busA, []air.Expr{x.Mul(x).Mul(x)}, b.Const(1))
	if _, err := lookup.NewLayout(b.MustBuild(), 3); err == nil || !strings.Contains(err.Error(), `interaction "cube" needs degree 4, more than 3`) {
		t.Errorf("%v", err)
	}
	// No interactions: no columns, no constraints.
	b = air.NewBuilder("none")
	b.Main("x")
	l, err := lookup.NewLayout(b.MustBuild(), 3)
	if err != nil || l.NumAux() != 0 || l.NumConstraints() != 0 || l.MaxDegree(nil) != 2 {
		t.Errorf("%+v %v", l, err)
	}
}

func randElem(r *rand.Rand) field.Elem { return field.New(r.Uint64N(field.Modulus)) }

func randExt(r *rand.Rand) field.Ext {
	return field.ExtFromCoords([]field.Elem{randElem(r), randElem(r), randElem(r), randElem(r)})
}

func randCols(r *rand.Rand, w, n int) [][]field.Elem {
	m := make([][]field.Elem, w)
	for c := range m {
		m[c] = make([]field.Elem, n)
		for i := range m[c] {
			m[c][i] = randElem(r)
		}
	}
	return m
}

func lift(v []field.Elem) []field.Ext {
	out := make([]field.Ext, len(v))
	for i := range v {
		out[i] = field.NewExt(v[i])
	}
	return out
}

func row(cols [][]field.Elem, r int) []field.Elem {
	v := make([]field.Elem, len(cols))
	for c := range cols {
		v[c] = cols[c][r]
	}
	return v
}

// randChallenges draws challenges for tuples of up to 8 elements.
func randChallenges(r *rand.Rand) *lookup.Challenges {
	return lookup.Sample(func() field.Ext { return randExt(r) }, nil, []lookup.Message{{Tuple: make([]field.Elem, 8)}})
}

func TestFingerprint(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	ch := randChallenges(r)
	if len(ch.Beta) != 9 {
		t.Fatalf("%d betas for tuples of 8 elements, want 9", len(ch.Beta))
	}
	tuple := []field.Ext{randExt(r), randExt(r), randExt(r)}
	// α − (bus + β0·3 + β1·t0 + β2·t1 + β3·t2)
	want := field.NewExt(field.New(9))
	var x field.Ext
	x.MulByElement(&ch.Beta[0], ptr(field.New(3)))
	want.Add(&want, &x)
	for i := range tuple {
		x.Mul(&ch.Beta[i+1], &tuple[i])
		want.Add(&want, &x)
	}
	want.Sub(&ch.Alpha, &want)
	if got := lookup.Fingerprint(ch, 9, tuple); got != want {
		t.Errorf("got %s, want %s", got.String(), want.String())
	}
	// Tuples of different lengths do not collide: (a) and (a, 0) on one bus.
	a := []field.Ext{tuple[0]}
	a0 := []field.Ext{tuple[0], {}}
	if x, y := lookup.Fingerprint(ch, 9, a), lookup.Fingerprint(ch, 9, a0); x == y {
		t.Error("(a) and (a, 0) share a fingerprint")
	}
	// … nor (a) and (a, 1) (a terminator would make these two collide).
	one := field.NewExt(field.New(1))
	if x, y := lookup.Fingerprint(ch, 9, a), lookup.Fingerprint(ch, 9, []field.Ext{tuple[0], one}); x == y {
		t.Error("(a) and (a, 1) share a fingerprint")
	}
	// The positions have independent challenges: swapping two elements changes the
	// fingerprint.
	if x, y := lookup.Fingerprint(ch, 9, tuple[:2]), lookup.Fingerprint(ch, 9, []field.Ext{tuple[1], tuple[0]}); x == y {
		t.Error("(a, b) and (b, a) share a fingerprint")
	}
	// A public message longer than the challenges cover is refused, not a panic.
	if _, err := lookup.PublicSum(ch, []lookup.Message{{Bus: 1, Tuple: make([]field.Elem, 9), Mult: field.New(1)}}); err == nil {
		t.Error("a 9-element message accepted with 9 betas")
	}
}

// Sample draws Alpha and 1 + the longest tuple's length betas, in that order.
func TestSample(t *testing.T) {
	a := mixed()
	k := lookup.MaxTuple([]*air.AIR{a}, nil)
	n := 0
	ch := lookup.Sample(func() field.Ext { n++; return field.NewExt(field.New(uint64(n))) }, []*air.AIR{a}, nil)
	if n != 2+k || len(ch.Beta) != 1+k || ch.Alpha != field.NewExt(field.New(1)) || ch.Beta[k] != field.NewExt(field.New(uint64(2+k))) {
		t.Errorf("drew %d challenges, %d betas, for tuples of %d", n, len(ch.Beta), k)
	}
	if got := lookup.MaxTuple([]*air.AIR{a}, []lookup.Message{{Tuple: make([]field.Elem, k+3)}}); got != k+3 {
		t.Errorf("MaxTuple with a longer public message = %d, want %d", got, k+3)
	}
}

func ptr(e field.Elem) *field.Elem { return &e }

// Generate's auxiliary columns are h_g = Σ_{j in g} ±m_j/d_j per group and their
// running sum, whatever the number of workers and across batch boundaries.
func TestGenerateMatchesNaive(t *testing.T) {
	a := mixed()
	l, err := lookup.NewLayout(a, 3)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	const n = 4096 // four of Generate's batches
	main := randCols(r, 2, n)
	publics := []field.Elem{randElem(r)}
	ch := randChallenges(r)

	// The naive sums, row by row from the AIR's node values.
	g := len(l.Groups)
	wantCols := make([][]field.Elem, 4*(g+1))
	for i := range wantCols {
		wantCols[i] = make([]field.Elem, n)
	}
	vals := make([]field.Elem, len(a.Nodes))
	var S field.Ext
	for rr := range n {
		a.EvalRow(&air.RowValues{Main: row(main, rr), MainNext: row(main, (rr+1)%n), Publics: publics}, vals)
		put := func(col int, v field.Ext) {
			co := field.ExtCoords(&v)
			for c := range 4 {
				wantCols[4*col+c][rr] = co[c]
			}
		}
		for gi, grp := range l.Groups {
			var h field.Ext
			for _, j := range grp {
				it := a.Interactions[j]
				tuple := make([]field.Ext, len(it.Tuple))
				for i, id := range it.Tuple {
					tuple[i] = field.NewExt(vals[id])
				}
				d := lookup.Fingerprint(ch, it.Bus.ID, tuple)
				d.Inverse(&d)
				d.MulByElement(&d, &vals[it.Mult])
				if it.Send {
					h.Add(&h, &d)
				} else {
					h.Sub(&h, &d)
				}
			}
			put(gi, h)
			S.Add(&S, &h)
		}
		put(g, S)
	}

	for _, workers := range []int{1, 3} {
		cols, cum, err := lookup.Generate(a, l, main, nil, publics, ch, workers)
		if err != nil {
			t.Fatal(err)
		}
		if cum != S {
			t.Errorf("%d workers: cumulative sum %s, want %s", workers, cum.String(), S.String())
		}
		if len(cols) != len(wantCols) {
			t.Fatalf("%d workers: %d columns, want %d", workers, len(cols), len(wantCols))
		}
		for c := range cols {
			if !slices.Equal(cols[c], wantCols[c]) {
				t.Fatalf("%d workers: column %d differs", workers, c)
			}
		}
	}
}

// EvalPoint (the verifier's) and EvalBatch (the prover's) compute the same LogUp
// constraints, on arbitrary (not satisfying) values: EvalBatch's accumulated sums per
// selector equal the coefficients times EvalPoint's values with their selectors.
func TestEvalPointAgreesWithEvalBatch(t *testing.T) {
	a := mixed()
	l, err := lookup.NewLayout(a, 3)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(5, 6))
	const n = 50
	main := randCols(r, 2, n)
	next := make([][]field.Elem, 2)
	for c := range main {
		next[c] = append(slices.Clone(main[c][1:]), main[c][0])
	}
	aux, auxNext := randCols(r, 4*l.NumAux(), n), randCols(r, 4*l.NumAux(), n)
	publics := []field.Elem{randElem(r)}
	ch := randChallenges(r)
	cumsum := randExt(r)
	coeffs := make([]field.Ext, l.NumConstraints())
	for i := range coeffs {
		coeffs[i] = randExt(r)
	}

	prog := air.Compile(a, lookup.Outputs(a))
	ws := prog.NewWorkspace(n)
	in := &air.Batch{Main: main, MainNext: next, Len: n}
	scalars := prog.Scalars(publics)
	prog.Eval(ws, in, scalars)
	acc := air.NewAccumulator(4, n)
	acc.Reset(n)
	lookup.EvalBatch(a, l, prog, ws, in, scalars, &lookup.AuxBatch{Cur: aux, Next: auxNext}, ch, cumsum, coeffs, acc, lookup.NewScratch(l, 4, n))

	nodes := make([]field.Ext, len(a.Nodes))
	extCols := func(cols [][]field.Elem, rr int) []field.Ext {
		v := make([]field.Ext, len(cols)/4)
		for i := range v {
			v[i] = field.ExtFromCoords([]field.Elem{cols[4*i][rr], cols[4*i+1][rr], cols[4*i+2][rr], cols[4*i+3][rr]})
		}
		return v
	}
	for rr := range n {
		a.EvalPoint(&air.PointValues{Main: lift(row(main, rr)), MainNext: lift(row(next, rr)), Publics: publics}, nodes)
		vals, sels := lookup.EvalPoint(a, l, nodes, extCols(aux, rr), extCols(auxNext, rr), ch, cumsum)
		if len(vals) != l.NumConstraints() || len(sels) != len(vals) {
			t.Fatalf("%d values, %d selectors, want %d", len(vals), len(sels), l.NumConstraints())
		}
		var want [4]field.Ext
		for k := range vals {
			var x field.Ext
			x.Mul(&coeffs[k], &vals[k])
			want[sels[k]].Add(&want[sels[k]], &x)
		}
		for s := range 4 {
			got := field.ExtFromCoords([]field.Elem{acc.Sel[s][0][rr], acc.Sel[s][1][rr], acc.Sel[s][2][rr], acc.Sel[s][3][rr]})
			if !got.Equal(&want[s]) {
				t.Fatalf("row %d, selector %s: EvalBatch %s, EvalPoint %s", rr, air.Selector(s), got.String(), want[s].String())
			}
		}
	}
}

// On a balanced set of tables the cumulative sums and the public messages' sum add up
// to zero; a wrong multiplicity breaks it.
func TestBusBalance(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	ch := randChallenges(r)
	sum := func(tamper bool) field.Ext {
		s, rc := starktest.Sender(6), starktest.Receiver(6)
		if tamper {
			rc.Main[2][4] = field.New(9)
		}
		var total field.Ext
		for _, tb := range []starktest.Table{s, rc} {
			l, err := lookup.NewLayout(tb.AIR, 3)
			if err != nil {
				t.Fatal(err)
			}
			_, cum, err := lookup.Generate(tb.AIR, l, tb.Main, nil, tb.Publics, ch, 2)
			if err != nil {
				t.Fatal(err)
			}
			total.Add(&total, &cum)
		}
		pub, err := lookup.PublicSum(ch, starktest.SenderPublic())
		if err != nil {
			t.Fatal(err)
		}
		return *total.Add(&total, &pub)
	}
	if s := sum(false); !s.IsZero() {
		t.Errorf("balanced bus sums to %s", s.String())
	}
	if s := sum(true); s.IsZero() {
		t.Error("unbalanced bus sums to zero")
	}
	// A public message whose fingerprint is zero is refused.
	zero := &lookup.Challenges{Alpha: field.NewExt(field.New(3)), Beta: make([]field.Ext, 2)}
	if _, err := lookup.PublicSum(zero, []lookup.Message{{Bus: 3, Tuple: []field.Elem{field.New(1)}, Mult: field.New(1)}}); err == nil {
		t.Error("zero fingerprint accepted")
	}
}
