package air

import "github.com/oneiros-zk/oneiros/proving/field"

// Accumulator gathers, for one batch of rows, the random linear combination of
// constraint values, one sum per selector, each as the d base-field coordinate vectors
// of an extension-field vector (d the extension's degree).
type Accumulator struct {
	Sel [4][]field.Vector // [Selector][coordinate][row]
	tmp field.Vector
}

// NewAccumulator allocates an accumulator for batches of up to n rows, over the
// degree-d extension.
func NewAccumulator(d, n int) *Accumulator {
	a := &Accumulator{tmp: make(field.Vector, n)}
	for s := range a.Sel {
		a.Sel[s] = make([]field.Vector, d)
		for c := range a.Sel[s] {
			a.Sel[s][c] = make(field.Vector, n)
		}
	}
	return a
}

// Degree is the degree of the extension the sums live in.
func (a *Accumulator) Degree() int { return len(a.Sel[0]) }

// Reset zeroes the first n rows.
func (a *Accumulator) Reset(n int) {
	for s := range a.Sel {
		for c := range a.Sel[s] {
			clear(a.Sel[s][c][:n])
		}
	}
}

// AddBase adds coeff·v (v a base-field vector) to the sum of selector sel.
func (a *Accumulator) AddBase(sel Selector, coeff *field.Ext, v field.Vector) {
	co := field.ExtCoords(coeff)
	t := a.tmp[:len(v)]
	for c := range a.Sel[sel] {
		if co[c].IsZero() {
			continue
		}
		field.VecScalarMul(t, v, &co[c])
		dst := a.Sel[sel][c][:len(v)]
		field.VecAdd(dst, dst, t)
	}
}

// AddScalar adds coeff·s to every row of the sum of selector sel.
func (a *Accumulator) AddScalar(sel Selector, coeff *field.Ext, s field.Elem, n int) {
	var v field.Ext
	v.MulByElement(coeff, &s)
	co := field.ExtCoords(&v)
	for c := range a.Sel[sel] {
		dst := a.Sel[sel][c][:n]
		for i := range dst {
			dst[i].Add(&dst[i], &co[c])
		}
	}
}

// AddExt adds coeff·v[i] (v extension-field values) to the sum of selector sel.
func (a *Accumulator) AddExt(sel Selector, coeff *field.Ext, v []field.Ext) {
	var t field.Ext
	for i := range v {
		t.Mul(&v[i], coeff)
		co := field.ExtCoords(&t)
		for c := range a.Sel[sel] {
			a.Sel[sel][c][i].Add(&a.Sel[sel][c][i], &co[c])
		}
	}
}
