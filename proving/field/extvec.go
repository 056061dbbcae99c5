package field

// ExtVec is a vector of extension elements stored coordinate-wise: C[i][r] is
// coordinate i of element r, in the order of ExtCoords. Batch arithmetic on it runs as
// base-field vector operations (AVX-512 on amd64), several times faster than
// element-by-element extension arithmetic.
type ExtVec struct {
	C [4]Vector
}

// NewExtVec allocates a vector of n zero elements.
func NewExtVec(n int) ExtVec {
	var v ExtVec
	back := make(Vector, 4*n)
	for i := range v.C {
		v.C[i] = back[i*n : (i+1)*n]
	}
	return v
}

// Len is the number of elements.
func (v ExtVec) Len() int { return len(v.C[0]) }

// Slice returns elements [lo, hi).
func (v ExtVec) Slice(lo, hi int) ExtVec {
	var s ExtVec
	for i := range s.C {
		s.C[i] = v.C[i][lo:hi]
	}
	return s
}

// At returns element r.
func (v ExtVec) At(r int) Ext { return ExtFromBase(v.C[0][r], v.C[1][r], v.C[2][r], v.C[3][r]) }

// Set writes element r.
func (v ExtVec) Set(r int, e *Ext) {
	c := ExtCoords(e)
	for i := range c {
		v.C[i][r] = c[i]
	}
}

// The extension is F_p[X]/(X^4 − 3) read through gnark-crypto's tower: with
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

// Tmp returns a scratch extension vector of n elements (valid until the next call of
// a product with the same scratch that needs them: products only use acc, t and u).
func (s *ExtScratch) Tmp(n int) ExtVec {
	if s.tmp.Len() < n {
		s.tmp = NewExtVec(n)
	}
	return s.tmp.Slice(0, n)
}

// MulExtVec sets dst = x·y element-wise (dst may alias x or y).
func MulExtVec(dst, x, y ExtVec, s *ExtScratch) {
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
	for i := range 4 {
		dst.C[i].Mul(x.C[i], b)
	}
}
