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
	t, u  Vector
	acc   [7]Vector
	acc15 []Vector // degree 6's monomial sums, allocated on first use
	tmp   ExtVec
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
	if len(x.C) != len(y.C) || len(dst.C) != len(x.C) {
		panic(fmt.Sprintf("field: extension vectors of degrees %d, %d into %d", len(x.C), len(y.C), len(dst.C))) // invariant of the callers
	}
	if len(x.C) != ExtDegree4 {
		mulExtVec6(dst, x, y, s)
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
			VecMul(t, xi, y.C[powerIndex[j]])
			VecAdd(d[i+j], d[i+j], t)
		}
	}
	reduce(dst, d, s)
}

// MulExtVecScalar sets dst = x·e element-wise (dst may alias x).
func MulExtVecScalar(dst, x ExtVec, e *Ext, s *ExtScratch) {
	if !e.InDegree(len(x.C)) || len(dst.C) != len(x.C) {
		panic(fmt.Sprintf("field: a degree-%d vector times a degree-%d element into degree %d", len(x.C), e.d, len(dst.C))) // invariant of the callers
	}
	if e.d == 0 {
		b := e.c[0]
		for i := range x.C {
			VecScalarMul(dst.C[i], x.C[i], &b)
		}
		return
	}
	if len(x.C) != ExtDegree4 {
		mulExtVecScalar6(dst, x, e, s)
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
			VecScalarMul(t, xi, &c)
			VecAdd(d[i+j], d[i+j], t)
		}
	}
	reduce(dst, d, s)
}

// reduce folds the degree-6 product with X^4 = 3 into dst.
func reduce(dst ExtVec, d [7]Vector, s *ExtScratch) {
	three := New(3)
	u := s.u[:d[0].Len()]
	for k := 4; k < 7; k++ {
		VecScalarMul(u, d[k], &three)
		VecAdd(d[k-4], d[k-4], u)
	}
	for k := range 4 {
		copy(dst.C[powerIndex[k]], d[k])
	}
}

// MulExtVecBase sets dst = x·b element-wise for base-field values b (dst may alias x).
func MulExtVecBase(dst, x ExtVec, b Vector) {
	for i := range x.C {
		VecMul(dst.C[i], x.C[i], b)
	}
}

// InvertExtVec sets dst = 1/x element-wise (0 maps to 0) and reports whether some
// element of x was zero. It reduces to one base-field batch inversion: with
// ā(X) = a(−X), a·ā = b0 + b1·X² and N = b0² − 3·b1² in the base field, so that
// 1/a = ā·(b0 − b1·X²)/N. dst may alias x.
func InvertExtVec(dst, x ExtVec, s *ExtScratch) (zero bool) {
	if len(x.C) != ExtDegree4 {
		return invertExtVec6(dst, x, s)
	}
	n := x.Len()
	a0, a1, a2, a3 := x.C[powerIndex[0]], x.C[powerIndex[1]], x.C[powerIndex[2]], x.C[powerIndex[3]]
	b0, b1, t, u := s.acc[0][:n], s.acc[1][:n], s.t[:n], s.u[:n]
	three, six, two := New(3), New(6), New(2)
	// b0 = a0² + 3a2² − 6a1a3
	VecMul(b0, a0, a0)
	VecMul(t, a2, a2)
	VecScalarMul(t, t, &three)
	VecAdd(b0, b0, t)
	VecMul(t, a1, a3)
	VecScalarMul(t, t, &six)
	VecSub(b0, b0, t)
	// b1 = 2a0a2 − a1² − 3a3²
	VecMul(b1, a0, a2)
	VecScalarMul(b1, b1, &two)
	VecMul(t, a1, a1)
	VecSub(b1, b1, t)
	VecMul(t, a3, a3)
	VecScalarMul(t, t, &three)
	VecSub(b1, b1, t)
	// N = b0² − 3b1², inverted in one batch.
	inv, zero := invertNorm(s.acc[2][:n], b0, b1, t)
	// c = ā·(b0 − b1X²) / N
	c0, c1, c2, c3 := s.acc[3][:n], s.acc[4][:n], s.acc[5][:n], s.acc[6][:n]
	VecMul(c0, a0, b0) // a0b0 − 3a2b1
	VecMul(t, a2, b1)
	VecScalarMul(t, t, &three)
	VecSub(c0, c0, t)
	VecMul(c1, a3, b1) // −a1b0 + 3a3b1
	VecScalarMul(c1, c1, &three)
	VecMul(t, a1, b0)
	VecSub(c1, c1, t)
	VecMul(c2, a2, b0) // −a0b1 + a2b0
	VecMul(t, a0, b1)
	VecSub(c2, c2, t)
	VecMul(c3, a1, b1) // a1b1 − a3b0
	VecMul(t, a3, b0)
	VecSub(c3, c3, t)
	_ = u
	VecMul(dst.C[powerIndex[0]], c0, inv)
	VecMul(dst.C[powerIndex[1]], c1, inv)
	VecMul(dst.C[powerIndex[2]], c2, inv)
	VecMul(dst.C[powerIndex[3]], c3, inv)
	return zero
}

// Degree 6, vectorised. Coordinate k = 2j + i holds the coefficient of u^i·v^j with
// u² = 3 and v³ = 1 + u (gnark-crypto's E6 over E2). A product accumulates the 36
// coordinate products by monomial u^i·v^j (i ≤ 2, j ≤ 4), then reduces u² = 3 and
// v³ = 1 + u: (e0 + e1·u)(1 + u) = (e0 + 3e1) + (e0 + e1)·u.

func mulExtVec6(dst, x, y ExtVec, s *ExtScratch) {
	n := x.Len()
	d := s.acc6(n) // d[3j + i]
	t := s.t[:n]
	for kx := range 6 {
		ix, jx := kx&1, kx>>1
		for ky := range 6 {
			iy, jy := ky&1, ky>>1
			VecMul(t, x.C[kx], y.C[ky])
			a := d[3*(jx+jy)+ix+iy]
			VecAdd(a, a, t)
		}
	}
	reduce6(dst, d, s)
}

func mulExtVecScalar6(dst, x ExtVec, e *Ext, s *ExtScratch) {
	n := x.Len()
	d := s.acc6(n)
	t := s.t[:n]
	for kx := range 6 {
		ix, jx := kx&1, kx>>1
		for ky := range 6 {
			c := e.c[ky]
			if c.IsZero() {
				continue
			}
			iy, jy := ky&1, ky>>1
			VecScalarMul(t, x.C[kx], &c)
			a := d[3*(jx+jy)+ix+iy]
			VecAdd(a, a, t)
		}
	}
	reduce6(dst, d, s)
}

// reduce6 folds the 15 monomial sums d[3j + i] (i ≤ 2, j ≤ 4) into dst.
func reduce6(dst ExtVec, d []Vector, s *ExtScratch) {
	three := New(3)
	u := s.u[:d[0].Len()]
	for j := range 5 { // u² = 3
		VecScalarMul(u, d[3*j+2], &three)
		VecAdd(d[3*j], d[3*j], u)
	}
	for j := 3; j < 5; j++ { // v³ = 1 + u, on e = d[3j] + d[3j+1]·u
		e0, e1 := d[3*j], d[3*j+1]
		lo0, lo1 := d[3*(j-3)], d[3*(j-3)+1]
		VecAdd(lo1, lo1, e0)
		VecAdd(lo1, lo1, e1)
		VecScalarMul(u, e1, &three)
		VecAdd(lo0, lo0, e0)
		VecAdd(lo0, lo0, u)
	}
	for j := range 3 {
		copy(dst.C[2*j], d[3*j])
		copy(dst.C[2*j+1], d[3*j+1])
	}
}

// acc6 returns 15 zeroed accumulators of n elements.
func (s *ExtScratch) acc6(n int) []Vector {
	if len(s.acc15) == 0 || s.acc15[0].Len() < n {
		s.acc15 = make([]Vector, 15)
		back := make(Vector, 15*max(n, len(s.t)))
		for k := range s.acc15 {
			s.acc15[k] = back[k*len(back)/15 : (k+1)*len(back)/15]
		}
	}
	d := make([]Vector, 15)
	for k := range d {
		d[k] = s.acc15[k][:n]
		clear(d[k])
	}
	return d
}

// e2mul sets (r0 + r1·u) = (p0 + p1·u)(q0 + q1·u) with u² = 3; r must not alias p or q.
func e2mul(r0, r1, p0, p1, q0, q1, t Vector) {
	three := New(3)
	VecMul(r0, p0, q0)
	VecMul(t, p1, q1)
	VecScalarMul(t, t, &three)
	VecAdd(r0, r0, t)
	VecMul(r1, p0, q1)
	VecMul(t, p1, q0)
	VecAdd(r1, r1, t)
}

// e2mulXi sets (r0 + r1·u) = (e0 + e1·u)(1 + u) = (e0 + 3e1) + (e0 + e1)·u; r must not
// alias e.
func e2mulXi(r0, r1, e0, e1 Vector) {
	three := New(3)
	VecScalarMul(r0, e1, &three)
	VecAdd(r0, r0, e0)
	VecAdd(r1, e0, e1)
}

// invertExtVec6 is gnark-crypto's E6 inversion (the adjugate over E2, then one E2
// inversion, whose norm b0² − 3b1² goes through one base-field batch inversion),
// vectorised.
func invertExtVec6(dst, x ExtVec, s *ExtScratch) (zero bool) {
	n := x.Len()
	v := s.acc6(n)
	w := make([]Vector, 7)
	for k := range w {
		w[k] = s.acc[k][:n]
	}
	t := s.t[:n]
	X0, X1, X2 := [2]Vector{x.C[0], x.C[1]}, [2]Vector{x.C[2], x.C[3]}, [2]Vector{x.C[4], x.C[5]}
	c0, c1, c2 := [2]Vector{v[0], v[1]}, [2]Vector{v[2], v[3]}, [2]Vector{v[4], v[5]}
	a, b := [2]Vector{v[6], v[7]}, [2]Vector{v[8], v[9]}
	t6 := [2]Vector{v[10], v[11]}
	// c0 = X0² − ξ·X1X2
	e2mul(a[0], a[1], X1[0], X1[1], X2[0], X2[1], t)
	e2mulXi(b[0], b[1], a[0], a[1])
	e2mul(c0[0], c0[1], X0[0], X0[1], X0[0], X0[1], t)
	VecSub(c0[0], c0[0], b[0])
	VecSub(c0[1], c0[1], b[1])
	// c1 = ξ·X2² − X0X1
	e2mul(a[0], a[1], X2[0], X2[1], X2[0], X2[1], t)
	e2mulXi(c1[0], c1[1], a[0], a[1])
	e2mul(a[0], a[1], X0[0], X0[1], X1[0], X1[1], t)
	VecSub(c1[0], c1[0], a[0])
	VecSub(c1[1], c1[1], a[1])
	// c2 = X1² − X0X2
	e2mul(c2[0], c2[1], X1[0], X1[1], X1[0], X1[1], t)
	e2mul(a[0], a[1], X0[0], X0[1], X2[0], X2[1], t)
	VecSub(c2[0], c2[0], a[0])
	VecSub(c2[1], c2[1], a[1])
	// t6 = X0·c0 + ξ·(X2·c1 + X1·c2)
	e2mul(a[0], a[1], X2[0], X2[1], c1[0], c1[1], t)
	e2mul(b[0], b[1], X1[0], X1[1], c2[0], c2[1], t)
	VecAdd(a[0], a[0], b[0])
	VecAdd(a[1], a[1], b[1])
	e2mulXi(b[0], b[1], a[0], a[1])
	e2mul(t6[0], t6[1], X0[0], X0[1], c0[0], c0[1], t)
	VecAdd(t6[0], t6[0], b[0])
	VecAdd(t6[1], t6[1], b[1])
	// 1/t6 = (t6_0 − t6_1·u) / (t6_0² − 3·t6_1²)
	inv, zero := invertNorm(w[0], t6[0], t6[1], t)
	i0, i1 := w[1], w[2]
	VecMul(i0, t6[0], inv)
	VecMul(i1, t6[1], inv)
	for i := range i1 {
		i1[i].Neg(&i1[i])
	}
	for j, c := range [][2]Vector{c0, c1, c2} {
		e2mul(w[3], w[4], c[0], c[1], i0, i1, t)
		copy(dst.C[2*j], w[3])
		copy(dst.C[2*j+1], w[4])
	}
	return zero
}

// invertNorm returns 1/(b0² − 3·b1²) element-wise (the norm of b0 + b1·u over F, or of
// b0 + b1·X² in the degree-4 extension) with one batch inversion, using nn and t as
// scratch, and whether some norm was zero (its inverse is then 0).
func invertNorm(nn, b0, b1, t Vector) (inv Vector, zero bool) {
	three := New(3)
	VecMul(nn, b0, b0)
	VecMul(t, b1, b1)
	VecScalarMul(t, t, &three)
	VecSub(nn, nn, t)
	for i := range nn {
		if nn[i].IsZero() {
			zero = true
		}
	}
	return Vector(BatchInvert(nn)), zero
}
