package field

import "fmt"

// ExtVec is a vector of extension elements stored coordinate-wise: C[i][r] is
// coordinate i of element r, in the order of ExtCoords; len(C) is the extension's
// degree. Batch arithmetic on it runs as base-field vector operations (AVX-512 on
// amd64), several times faster than element-by-element extension arithmetic.
type ExtVec struct {
	C []Vector
}

// NewExtVec allocates a vector of n zero elements of the degree-d extension.
func NewExtVec(d, n int) ExtVec {
	v := ExtVec{C: make([]Vector, d)}
	back := make(Vector, d*n)
	for i := range v.C {
		v.C[i] = back[i*n : (i+1)*n]
	}
	return v
}

// ExtVecOf views d·len(cols[0]) coordinates as an extension vector (no copy).
func ExtVecOf(cols []Vector) ExtVec { return ExtVec{C: cols} }

// Degree is the extension's degree.
func (v ExtVec) Degree() int { return len(v.C) }

// Len is the number of elements.
func (v ExtVec) Len() int { return len(v.C[0]) }

// Slice returns elements [lo, hi).
func (v ExtVec) Slice(lo, hi int) ExtVec {
	s := ExtVec{C: make([]Vector, len(v.C))}
	for i := range s.C {
		s.C[i] = v.C[i][lo:hi]
	}
	return s
}

// At returns element r.
func (v ExtVec) At(r int) Ext {
	e := Ext{d: uint8(len(v.C))}
	for i := range v.C {
		e.c[i] = v.C[i][r]
	}
	return e
}

// Set writes element r (e must be of the vector's degree or in the base field).
func (v ExtVec) Set(r int, e *Ext) {
	if !e.InDegree(len(v.C)) {
		panic(fmt.Sprintf("field: a degree-%d element stored in a degree-%d vector", e.d, len(v.C)))
	}
	for i := range v.C {
		v.C[i][r] = e.c[i]
	}
}

// The degree-4 extension is F_p[X]/(X^4 − 3) read through gnark-crypto's tower: with
// ExtCoords order (B0.A0, B0.A1, B1.A0, B1.A1), the power basis coefficients are
// a0 = B0.A0, a1 = B1.A0, a2 = B0.A1, a3 = B1.A1.
var powerIndex = [4]int{0, 2, 1, 3} // power-basis coefficient k is coordinate powerIndex[k]

// ExtScratch holds the temporaries of batch extension products.
type ExtScratch struct {
	t, u Vector
	acc  [7]Vector
	tmp  ExtVec
}

// NewExtScratch allocates temporaries for vectors of up to n elements.
func NewExtScratch(n int) *ExtScratch {
	s := &ExtScratch{t: make(Vector, n), u: make(Vector, n)}
	for i := range s.acc {
		s.acc[i] = make(Vector, n)
	}
	return s
}

// Tmp returns a scratch extension vector of n elements of degree d (valid until the
// next call of a product with the same scratch that needs them: products only use acc,
// t and u).
func (s *ExtScratch) Tmp(d, n int) ExtVec {
	if len(s.tmp.C) != d || s.tmp.Len() < n {
		s.tmp = NewExtVec(d, n)
	}
	return s.tmp.Slice(0, n)
}

// MulExtVec sets dst = x·y element-wise (dst may alias x or y).
func MulExtVec(dst, x, y ExtVec, s *ExtScratch) {
	if len(x.C) != ExtDegree4 {
		mulExtVecGeneric(dst, x, y)
		return
	}
	n := x.Len()
	var d [7]Vector
	for k := range d {
		d[k] = s.acc[k][:n]
		clear(d[k])
	}
	t := s.t[:n]
	for i := range 4 {
		xi := x.C[powerIndex[i]]
		for j := range 4 {
			t.Mul(xi, y.C[powerIndex[j]])
			d[i+j].Add(d[i+j], t)
		}
	}
	reduce(dst, d, s)
}

// MulExtVecScalar sets dst = x·e element-wise (dst may alias x).
func MulExtVecScalar(dst, x ExtVec, e *Ext, s *ExtScratch) {
	if e.d == 0 {
		b := e.c[0]
		for i := range x.C {
			dst.C[i].ScalarMul(x.C[i], &b)
		}
		return
	}
	if len(x.C) != ExtDegree4 {
		mulExtVecScalarGeneric(dst, x, e)
		return
	}
	n := x.Len()
	co := ExtCoords(e)
	var d [7]Vector
	for k := range d {
		d[k] = s.acc[k][:n]
		clear(d[k])
	}
	t := s.t[:n]
	for i := range 4 {
		xi := x.C[powerIndex[i]]
		for j := range 4 {
			c := co[powerIndex[j]]
			if c.IsZero() {
				continue
			}
			t.ScalarMul(xi, &c)
			d[i+j].Add(d[i+j], t)
		}
	}
	reduce(dst, d, s)
}

// reduce folds the degree-6 product with X^4 = 3 into dst.
func reduce(dst ExtVec, d [7]Vector, s *ExtScratch) {
	three := New(3)
	u := s.u[:d[0].Len()]
	for k := 4; k < 7; k++ {
		u.ScalarMul(d[k], &three)
		d[k-4].Add(d[k-4], u)
	}
	for k := range 4 {
		copy(dst.C[powerIndex[k]], d[k])
	}
}

// MulExtVecBase sets dst = x·b element-wise for base-field values b (dst may alias x).
func MulExtVecBase(dst, x ExtVec, b Vector) {
	for i := range x.C {
		dst.C[i].Mul(x.C[i], b)
	}
}

// InvertExtVec sets dst = 1/x element-wise (0 maps to 0) and reports whether some
// element of x was zero. It reduces to one base-field batch inversion: with
// ā(X) = a(−X), a·ā = b0 + b1·X² and N = b0² − 3·b1² in the base field, so that
// 1/a = ā·(b0 − b1·X²)/N. dst may alias x.
func InvertExtVec(dst, x ExtVec, s *ExtScratch) (zero bool) {
	if len(x.C) != ExtDegree4 {
		return invertExtVecGeneric(dst, x)
	}
	n := x.Len()
	a0, a1, a2, a3 := x.C[powerIndex[0]], x.C[powerIndex[1]], x.C[powerIndex[2]], x.C[powerIndex[3]]
	b0, b1, t, u := s.acc[0][:n], s.acc[1][:n], s.t[:n], s.u[:n]
	three, six, two := New(3), New(6), New(2)
	// b0 = a0² + 3a2² − 6a1a3
	b0.Mul(a0, a0)
	t.Mul(a2, a2)
	t.ScalarMul(t, &three)
	b0.Add(b0, t)
	t.Mul(a1, a3)
	t.ScalarMul(t, &six)
	b0.Sub(b0, t)
	// b1 = 2a0a2 − a1² − 3a3²
	b1.Mul(a0, a2)
	b1.ScalarMul(b1, &two)
	t.Mul(a1, a1)
	b1.Sub(b1, t)
	t.Mul(a3, a3)
	t.ScalarMul(t, &three)
	b1.Sub(b1, t)
	// N = b0² − 3b1², inverted in one batch.
	nn := s.acc[2][:n]
	nn.Mul(b0, b0)
	t.Mul(b1, b1)
	t.ScalarMul(t, &three)
	nn.Sub(nn, t)
	for i := range nn {
		if nn[i].IsZero() {
			zero = true
		}
	}
	inv := Vector(BatchInvert(nn))
	// c = ā·(b0 − b1X²) / N
	c0, c1, c2, c3 := s.acc[3][:n], s.acc[4][:n], s.acc[5][:n], s.acc[6][:n]
	c0.Mul(a0, b0) // a0b0 − 3a2b1
	t.Mul(a2, b1)
	t.ScalarMul(t, &three)
	c0.Sub(c0, t)
	c1.Mul(a3, b1) // −a1b0 + 3a3b1
	c1.ScalarMul(c1, &three)
	t.Mul(a1, b0)
	c1.Sub(c1, t)
	c2.Mul(a2, b0) // −a0b1 + a2b0
	t.Mul(a0, b1)
	c2.Sub(c2, t)
	c3.Mul(a1, b1) // a1b1 − a3b0
	t.Mul(a3, b0)
	c3.Sub(c3, t)
	_ = u
	dst.C[powerIndex[0]].Mul(c0, inv)
	dst.C[powerIndex[1]].Mul(c1, inv)
	dst.C[powerIndex[2]].Mul(c2, inv)
	dst.C[powerIndex[3]].Mul(c3, inv)
	return zero
}

// The degree-6 paths work element by element with gnark-crypto's E6 arithmetic (no
// vectorised tower product yet): the degree-6 extension is the high-security preset's.

func mulExtVecGeneric(dst, x, y ExtVec) {
	for r := range x.Len() {
		a, b := x.At(r), y.At(r)
		a.Mul(&a, &b)
		dst.Set(r, &a)
	}
}

func mulExtVecScalarGeneric(dst, x ExtVec, e *Ext) {
	for r := range x.Len() {
		a := x.At(r)
		a.Mul(&a, e)
		dst.Set(r, &a)
	}
}

// invertExtVecGeneric is Montgomery's batch inversion over the extension (zeros map to
// zero and are reported).
func invertExtVecGeneric(dst, x ExtVec) (zero bool) {
	n := x.Len()
	pre := make([]Ext, n)
	acc := NewExt(New(1))
	for r := range n {
		a := x.At(r)
		if a.IsZero() {
			zero = true
			continue
		}
		pre[r] = acc
		acc.Mul(&acc, &a)
	}
	acc.Inverse(&acc)
	for r := n - 1; r >= 0; r-- {
		a := x.At(r)
		if a.IsZero() {
			dst.Set(r, &a)
			continue
		}
		var inv Ext
		inv.Mul(&pre[r], &acc)
		acc.Mul(&acc, &a)
		dst.Set(r, &inv)
	}
	return zero
}
