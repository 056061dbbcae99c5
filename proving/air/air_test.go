package air_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
)

func isConst(t *testing.T, a *air.AIR, e air.Expr, want int64) {
	t.Helper()
	n := a.Nodes[e.ID()]
	w := field.Elem{}
	w.SetInt64(want)
	if n.Kind != air.KindConst || n.Val != w {
		t.Errorf("node %d = %+v, want the constant %d", e.ID(), n, want)
	}
}

// Constant subexpressions fold as they are built; identities return their operand.
func TestFolding(t *testing.T) {
	b := air.NewBuilder("fold")
	x, y := b.Main("x").Cur, b.Main("y").Cur
	two, three := b.Const(2), b.Const(3)
	cases := []struct {
		name string
		e    air.Expr
		want int64
	}{
		{"2+3", two.Add(three), 5},
		{"2-3", two.Sub(three), -1},
		{"2·3", two.Mul(three), 6},
		{"-(2)", two.Neg(), -2},
		{"(2+3)·(3-2)+4", two.Add(three).Mul(three.Sub(two)).AddC(4), 9},
		{"x·0", x.Mul(b.Const(0)), 0},
		{"0·x", b.Const(0).Mul(x), 0},
		{"x-x", x.Sub(x), 0},
		{"ConstInt(-7)", b.ConstInt(-7), -7},
		{"Sum()", b.Sum(), 0},
		{"1-1", b.Const(1).OneMinus(), 0},
	}
	keep := map[string]struct{ got, want air.Expr }{
		"x+0":     {x.Add(b.Const(0)), x},
		"0+x":     {b.Const(0).Add(x), x},
		"x-0":     {x.Sub(b.Const(0)), x},
		"x·1":     {x.Mul(b.Const(1)), x},
		"1·x":     {b.Const(1).Mul(x), x},
		"0-x":     {b.Const(0).Sub(x), x.Neg()},
		"Sum(x)":  {b.Sum(x), x},
		"Sum(xy)": {b.Sum(x, y), x.Add(y)},
	}
	b.Assert("use", x.Mul(y).Sub(x))
	a := b.MustBuild()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { isConst(t, a, c.e, c.want) })
	}
	for name, k := range keep {
		if k.got.ID() != k.want.ID() {
			t.Errorf("%s: node %d, want node %d", name, k.got.ID(), k.want.ID())
		}
	}
}

// Identical subexpressions share one node; commutative operations are canonicalised.
func TestDedup(t *testing.T) {
	b := air.NewBuilder("dedup")
	x, y := b.Main("x").Cur, b.Main("y").Cur
	if x.Add(y).ID() != y.Add(x).ID() || x.Mul(y).ID() != y.Mul(x).ID() {
		t.Error("x+y and y+x (or x·y and y·x) are different nodes")
	}
	if x.Sub(y).ID() == y.Sub(x).ID() {
		t.Error("x−y and y−x share a node")
	}
	if b.Const(5).ID() != b.ConstInt(5).ID() || b.Const(5).ID() == b.Const(6).ID() {
		t.Error("constants are not deduplicated by value")
	}
	if x.Neg().ID() != x.Neg().ID() {
		t.Error("−x built twice gives two nodes")
	}
	build := func() air.Expr { return x.Mul(x).Mul(x).Add(y.Mul(x)).Sub(b.Const(3)) }
	first := build()
	b.Assert("c1", first)
	before := len(b.MustBuild().Nodes)
	if again := build(); again.ID() != first.ID() {
		t.Error("the same expression built twice gives two roots")
	}
	if after := len(b.MustBuild().Nodes); after != before {
		t.Errorf("rebuilding an expression added %d nodes", after-before)
	}
	// Current and next row of one column are different nodes, as are main, preprocessed
	// and public values with the same index.
	c := b.Main("z")
	p := b.Preprocessed("p")
	pub := b.Public("v")
	ids := map[int32]bool{c.Cur.ID(): true, c.Next.ID(): true, p.Cur.ID(): true, pub.ID(): true}
	if len(ids) != 4 {
		t.Error("distinct leaves share a node")
	}
	// Children always precede their parent: the graph is in topological order.
	for i, n := range b.MustBuild().Nodes {
		switch n.Kind {
		case air.KindAdd, air.KindSub, air.KindMul:
			if int(n.A) >= i || int(n.B) >= i {
				t.Errorf("node %d reads a later node", i)
			}
		case air.KindNeg:
			if int(n.A) >= i {
				t.Errorf("node %d reads a later node", i)
			}
		}
	}
}

func TestDegrees(t *testing.T) {
	b := air.NewBuilder("deg")
	x, y, z := b.Main("x"), b.Main("y"), b.Preprocessed("z")
	pub := b.Public("p")
	for _, c := range []struct {
		name string
		e    air.Expr
		want int
	}{
		{"const", b.Const(4), 0},
		{"public", pub, 0},
		{"public²", pub.Mul(pub), 0},
		{"x", x.Cur, 1},
		{"x'", x.Next, 1},
		{"prep", z.Cur, 1},
		{"x·public", x.Cur.Mul(pub), 1},
		{"x·y", x.Cur.Mul(y.Cur), 2},
		{"x³", x.Cur.Mul(x.Cur).Mul(x.Cur), 3},
		{"(x+y)·z", x.Cur.Add(y.Cur).Mul(z.Cur), 2},
		{"−x²+y", x.Cur.Mul(x.Cur).Neg().Add(y.Cur), 2},
		{"x·y − x·y·z", x.Cur.Mul(y.Cur).Sub(x.Cur.Mul(y.Cur).Mul(z.Cur)), 3},
		{"bool", x.Cur.Mul(x.Cur.OneMinus()), 2},
	} {
		if got := c.e.Degree(); got != c.want {
			t.Errorf("%s: degree %d, want %d", c.name, got, c.want)
		}
	}
	b.Assert("every", x.Cur.Mul(y.Cur))            // 2
	b.AssertFirst("first", x.Cur.Mul(y.Cur))       // 2 + 1
	b.AssertLast("last", x.Cur)                    // 1 + 1
	b.AssertTransition("trans", x.Next.Sub(y.Cur)) // 1 + 1
	b.Assert("public", pub)                        // 0
	a := b.MustBuild()
	want := map[string]int{"every": 2, "first": 3, "last": 2, "trans": 2, "public": 0}
	for _, c := range a.Constraints {
		if got := a.ConstraintDegree(c); got != want[c.Name] {
			t.Errorf("constraint %s: degree %d, want %d", c.Name, got, want[c.Name])
		}
	}
	if a.MaxConstraintDegree() != 3 {
		t.Errorf("max degree %d", a.MaxConstraintDegree())
	}
}

// ReadsNext says which columns an expression reads on the next row (the quotient
// gathers next-row values only for those). Known bug: Builder.column creates the
// next-row node of every column when it is allocated, and ReadsNext scans all nodes,
// used or not, so it reports every column as read on the next row; the quotient then
// gathers next-row values of every column, a wasted copy per column and row. Proofs
// are still correct.
func TestReadsNextOnlyColumnsReadOnNextRow(t *testing.T) {
	b := air.NewBuilder("next")
	x, y, z := b.Main("x"), b.Main("y"), b.Preprocessed("z")
	b.AssertTransition("step", x.Next.Sub(y.Cur).Mul(z.Cur))
	mainNext, prepNext := b.MustBuild().ReadsNext()
	if !mainNext[0] || mainNext[1] || prepNext[0] {
		t.Errorf("ReadsNext: main %v prep %v, want main [true false] prep [false]", mainNext, prepNext)
	}
}

// The builder's error names the constant by its value. Known bug: constrain formats
// the field.Elem with %v, which prints its Montgomery form ([100663290] for 3) since
// Element.String has a pointer receiver.
func TestNonzeroConstantErrorShowsValue(t *testing.T) {
	b := air.NewBuilder("t")
	x := b.Main("x").Cur
	b.Assert("never", x.Sub(x).AddC(3))
	_, err := b.Build()
	if err == nil || !strings.Contains(err.Error(), "is the nonzero constant 3:") {
		t.Errorf("error %q, want it to name the constant 3", err)
	}
}

func TestBuilderErrors(t *testing.T) {
	other := air.NewBuilder("other").Main("o").Cur
	for _, c := range []struct {
		name string
		def  func(b *air.Builder)
		want string
	}{
		{"duplicate column", func(b *air.Builder) { b.Main("x"); b.Preprocessed("x") }, `column "x" allocated twice`},
		{"duplicate public", func(b *air.Builder) { b.Main("x"); b.Public("p"); b.Public("p") }, `public value "p" declared twice`},
		{"duplicate constraint", func(b *air.Builder) {
			x := b.Main("x").Cur
			b.Assert("c", x)
			b.AssertFirst("c", x.AddC(1))
		}, `constraint "c" declared twice`},
		{"duplicate interaction", func(b *air.Builder) {
			x := b.Main("x").Cur
			b.Send("i", air.Bus{ID: 1}, []air.Expr{x}, b.Const(1))
			b.Receive("i", air.Bus{ID: 1}, []air.Expr{x}, b.Const(1))
		}, `interaction "i" declared twice`},
		{"next row in an every-row constraint", func(b *air.Builder) {
			x := b.Main("x")
			b.Assert("step", x.Next.Sub(x.Cur))
		}, `constraint "step" reads the next row but is not a transition constraint`},
		{"next row in a first-row constraint", func(b *air.Builder) {
			x := b.Main("x")
			b.AssertFirst("f", x.Next.Mul(x.Cur))
		}, `constraint "f" reads the next row`},
		{"next row in a last-row constraint", func(b *air.Builder) {
			x := b.Main("x")
			b.AssertLast("l", x.Next.Neg())
		}, `constraint "l" reads the next row`},
		{"nonzero constant constraint", func(b *air.Builder) {
			x := b.Main("x").Cur
			b.Assert("never", x.Sub(x).AddC(3))
		}, `constraint "never" is the nonzero constant`},
		{"no main columns", func(b *air.Builder) { b.Preprocessed("p") }, "no main columns"},
		{"expression of another builder", func(b *air.Builder) { b.Main("x"); b.Assert("foreign", other) }, `constraint "foreign" uses an expression of another builder`},
		{"interaction reads the next row", func(b *air.Builder) {
			x := b.Main("x")
			b.Send("s", air.Bus{ID: 1}, []air.Expr{x.Next}, b.Const(1))
		}, `interaction "s" reads the next row`},
		{"interaction multiplicity reads the next row", func(b *air.Builder) {
			x := b.Main("x")
			b.Send("s", air.Bus{ID: 1}, []air.Expr{x.Cur}, x.Next)
		}, `interaction "s": bad multiplicity expression`},
		{"first error wins", func(b *air.Builder) {
			x := b.Main("x")
			b.Main("x")
			b.Assert("step", x.Next)
		}, `column "x" allocated twice`},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := air.NewBuilder("t")
			c.def(b)
			a, err := b.Build()
			if err == nil || a != nil {
				t.Fatalf("built %v, want an error", a)
			}
			if !strings.HasPrefix(err.Error(), "air t: ") || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q, want it to contain %q", err, c.want)
			}
		})
	}

	// What is allowed: a transition constraint reads the next row; a constraint that
	// folds to zero is dropped.
	b := air.NewBuilder("ok")
	x := b.Main("x")
	b.AssertTransition("step", x.Next.Sub(x.Cur))
	b.Assert("trivial", x.Cur.Sub(x.Cur))
	a, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Constraints) != 1 || a.Constraints[0].Name != "step" {
		t.Errorf("constraints %+v", a.Constraints)
	}

	defer func() {
		if recover() == nil {
			t.Error("MustBuild of a broken AIR did not panic")
		}
	}()
	air.NewBuilder("broken").MustBuild()
}

func TestMixingBuildersPanics(t *testing.T) {
	x := air.NewBuilder("a").Main("x").Cur
	y := air.NewBuilder("b").Main("y").Cur
	defer func() {
		if recover() == nil {
			t.Error("x+y across builders did not panic")
		}
	}()
	x.Add(y)
}

// A random AIR of every node kind, for the evaluation tests.
func randomAIR() *air.AIR {
	b := air.NewBuilder("random")
	x, y, z := b.Main("x"), b.Main("y"), b.Preprocessed("z")
	p := b.Public("p")
	e := x.Cur.Mul(y.Next).Sub(z.Cur.Neg()).Add(p.Mul(x.Cur))
	b.Assert("a", x.Cur.Mul(x.Cur).Sub(y.Cur).AddC(5).Mul(z.Cur))
	b.AssertFirst("f", p.Sub(x.Cur).MulC(-3))
	b.AssertTransition("t", e.Mul(z.Next).Sub(x.Next))
	b.AssertLast("l", p.Mul(p).Add(y.Cur).Neg())
	return b.MustBuild()
}

// The batch Program computes what EvalRow computes, row by row, and EvalPoint agrees on
// base-field points.
func TestEvaluatorsAgree(t *testing.T) {
	a := randomAIR()
	r := rand.New(rand.NewPCG(1, 1))
	el := func() field.Elem { return field.New(r.Uint64N(field.Modulus)) }
	const n = 37
	col := func() []field.Elem {
		c := make([]field.Elem, n)
		for i := range c {
			c[i] = el()
		}
		return c
	}
	main, prep := [][]field.Elem{col(), col()}, [][]field.Elem{col()}
	publics := []field.Elem{el()}
	next := func(c []field.Elem) []field.Elem { return append(append([]field.Elem(nil), c[1:]...), c[0]) }

	var roots []int32
	for _, c := range a.Constraints {
		roots = append(roots, c.Root)
	}
	prog := air.Compile(a, roots)
	ws := prog.NewWorkspace(n)
	in := &air.Batch{
		Main: main, MainNext: [][]field.Elem{next(main[0]), next(main[1])},
		Prep: prep, PrepNext: [][]field.Elem{next(prep[0])},
		Len: n,
	}
	scalars := prog.Scalars(publics)
	prog.Eval(ws, in, scalars)

	vals := make([]field.Elem, len(a.Nodes))
	pvals := make([]field.Ext, len(a.Nodes))
	for row := range n {
		at := func(cols [][]field.Elem, r int) []field.Elem {
			v := make([]field.Elem, len(cols))
			for c := range cols {
				v[c] = cols[c][r]
			}
			return v
		}
		lift := func(v []field.Elem) []field.Ext {
			out := make([]field.Ext, len(v))
			for i := range v {
				out[i] = field.NewExt(v[i])
			}
			return out
		}
		nx := (row + 1) % n
		rv := &air.RowValues{Main: at(main, row), MainNext: at(main, nx), Prep: at(prep, row), PrepNext: at(prep, nx), Publics: publics}
		a.EvalRow(rv, vals)
		a.EvalPoint(&air.PointValues{Main: lift(rv.Main), MainNext: lift(rv.MainNext), Prep: lift(rv.Prep), PrepNext: lift(rv.PrepNext), Publics: publics}, pvals)
		for _, c := range a.Constraints {
			v, s := prog.Value(ws, in, scalars, c.Root)
			got := s
			if v != nil {
				got = v[row]
			}
			if got != vals[c.Root] {
				t.Fatalf("row %d constraint %s: program %v, EvalRow %v", row, c.Name, got.String(), vals[c.Root].String())
			}
			if pvals[c.Root] != field.NewExt(vals[c.Root]) {
				t.Fatalf("row %d constraint %s: EvalPoint differs from EvalRow", row, c.Name)
			}
		}
	}
	// Constraint "l" reads y: a vector; p² alone is a scalar.
	if !prog.IsVector(a.Constraints[3].Root) {
		t.Error("a constraint reading a column is not a vector")
	}
	for i, n := range a.Nodes {
		if n.Kind == air.KindMul && a.Nodes[n.A].Kind == air.KindPublic && n.A == n.B && prog.IsVector(int32(i)) {
			t.Error("p·p is a vector")
		}
	}
}

func TestDigestBindsTheAIR(t *testing.T) {
	mk := func(name, constraint string, c int64) *air.AIR {
		b := air.NewBuilder(name)
		x := b.Main("x")
		b.Assert(constraint, x.Cur.AddC(c))
		return b.MustBuild()
	}
	base := mk("t", "c", 1).Digest()
	if mk("t", "c", 1).Digest() != base {
		t.Fatal("digest is not deterministic")
	}
	for name, a := range map[string]*air.AIR{"name": mk("u", "c", 1), "constraint name": mk("t", "d", 1), "constant": mk("t", "c", 2)} {
		if a.Digest() == base {
			t.Errorf("changing the %s keeps the digest", name)
		}
	}
}
