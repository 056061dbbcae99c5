package field

import "testing"

func TestExtVecMatchesScalar(t *testing.T) {
	for _, d := range []int{ExtDegree4, ExtDegree6} {
		testExtVecMatchesScalar(t, d)
	}
}

func testExtVecMatchesScalar(t *testing.T, d int) {
	n := 37
	x, y, z, w := NewExtVec(d, n), NewExtVec(d, n), NewExtVec(d, n), NewExtVec(d, n)
	seed := uint64(1)
	rnd := func() Elem { seed = seed*6364136223846793005 + 1442695040888963407; return New(seed >> 33) }
	for r := range n {
		for i := range d {
			x.C[i][r], y.C[i][r] = rnd(), rnd()
		}
	}
	s := NewExtScratch(n)
	MulExtVec(z, x, y, s)
	co := make([]Elem, d)
	for i := range co {
		co[i] = rnd()
	}
	e := ExtFromCoords(co)
	MulExtVecScalar(w, x, &e, s)
	for r := range n {
		a, b := x.At(r), y.At(r)
		var want, want2 Ext
		want.Mul(&a, &b)
		want2.Mul(&a, &e)
		if got := z.At(r); !got.Equal(&want) {
			t.Fatalf("row %d: x·y = %v, want %v", r, got, want)
		}
		if got := w.At(r); !got.Equal(&want2) {
			t.Fatalf("row %d: x·e = %v, want %v", r, got, want2)
		}
	}
	// Aliasing.
	MulExtVec(x, x, y, s)
	for r := range n {
		if got, want := x.At(r), z.At(r); !got.Equal(&want) {
			t.Fatal("aliased product differs")
		}
	}
}

func TestInvertExtVec(t *testing.T) {
	for _, d := range []int{ExtDegree4, ExtDegree6} {
		testInvertExtVec(t, d)
	}
}

func testInvertExtVec(t *testing.T, d int) {
	n := 29
	x, y := NewExtVec(d, n), NewExtVec(d, n)
	seed := uint64(5)
	rnd := func() Elem { seed = seed*6364136223846793005 + 1442695040888963407; return New(seed >> 33) }
	for r := range n {
		for i := range d {
			x.C[i][r] = rnd()
		}
	}
	x.C[2][3] = Elem{} // sparse elements too
	x.C[0][4], x.C[1][4], x.C[3][4] = Elem{}, Elem{}, Elem{}
	s := NewExtScratch(n)
	if InvertExtVec(y, x, s) {
		t.Fatal("reported a zero")
	}
	for r := range n {
		a := x.At(r)
		var want Ext
		want.Inverse(&a)
		if got := y.At(r); !got.Equal(&want) {
			t.Fatalf("row %d: got %v want %v", r, got, want)
		}
	}
	for i := range d {
		x.C[i][7] = Elem{}
	}
	if !InvertExtVec(y, x, s) {
		t.Fatal("zero not reported")
	}
}
