package lookup

import (
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
)

// Scratch holds the per-goroutine buffers of EvalBatch.
type Scratch struct {
	coords [4]field.Vector
	tmp    field.Vector
	d      [][]field.Ext
	c      []field.Ext
	pre    []field.Ext
	last   []field.Ext
}

// NewScratch allocates buffers for batches of up to n rows.
func NewScratch(l Layout, n int) *Scratch {
	s := &Scratch{tmp: make(field.Vector, n), c: make([]field.Ext, n), pre: make([]field.Ext, n), last: make([]field.Ext, n)}
	for c := range s.coords {
		s.coords[c] = make(field.Vector, n)
	}
	most := 0
	for _, g := range l.Groups {
		most = max(most, len(g))
	}
	s.d = make([][]field.Ext, most)
	for i := range s.d {
		s.d[i] = make([]field.Ext, n)
	}
	return s
}

// AuxBatch gives the auxiliary columns (4 base coordinates per extension column) on the
// batch's rows and on their successors.
type AuxBatch struct {
	Cur, Next [][]field.Elem
}

func extAt(cols [][]field.Elem, col, r int) field.Ext {
	return field.ExtFromBase(cols[4*col][r], cols[4*col+1][r], cols[4*col+2][r], cols[4*col+3][r])
}

// EvalBatch adds coeffs[k]·(LogUp constraint k) on the batch into acc. prog must have
// been compiled with Outputs(a) among its outputs and evaluated on in.
func EvalBatch(a *air.AIR, l Layout, prog *air.Program, ws *air.Workspace, in *air.Batch, scalars []field.Elem, aux *AuxBatch, ch *Challenges, cumsum field.Ext, coeffs []field.Ext, acc *air.Accumulator, s *Scratch) {
	n := in.Len
	g := len(l.Groups)
	for gi, grp := range l.Groups {
		for k, j := range grp {
			fingerprints(a.Interactions[j], prog, ws, in, scalars, ch, &s.coords, s.tmp, s.d[k][:n])
		}
		// C = h·Π d_j − Σ ±m_j·Π_{k≠j} d_k. Groups of one and two interactions (the
		// usual case at degree 3) are written out: 1 and 2 extension products per row.
		mult := func(k, r int) (field.Vector, field.Elem, bool) {
			it := a.Interactions[grp[k]]
			mv, ms := prog.Value(ws, in, scalars, it.Mult)
			return mv, ms, it.Send
		}
		signedMul := func(dst *field.Ext, d *field.Ext, k, r int) {
			mv, ms, send := mult(k, r)
			var t field.Ext
			if mv != nil {
				t.MulByElement(d, &mv[r])
			} else {
				t.MulByElement(d, &ms)
			}
			if send {
				dst.Sub(dst, &t)
			} else {
				dst.Add(dst, &t)
			}
		}
		switch len(grp) {
		case 1:
			for r := range n {
				h := extAt(aux.Cur, gi, r)
				var c field.Ext
				c.Mul(&h, &s.d[0][r])
				one := field.NewExt(field.New(1))
				signedMul(&c, &one, 0, r)
				s.c[r] = c
			}
		case 2:
			for r := range n {
				h := extAt(aux.Cur, gi, r)
				var c field.Ext
				c.Mul(&h, &s.d[0][r])
				c.Mul(&c, &s.d[1][r])
				signedMul(&c, &s.d[1][r], 0, r)
				signedMul(&c, &s.d[0][r], 1, r)
				s.c[r] = c
			}
		default:
			for r := range n {
				var prod, sum field.Ext
				prod.SetOne()
				for k := range grp {
					prod.Mul(&prod, &s.d[k][r])
				}
				h := extAt(aux.Cur, gi, r)
				sum.Mul(&h, &prod)
				for k := range grp {
					var other field.Ext
					other.SetOne()
					for k2 := range grp {
						if k2 != k {
							other.Mul(&other, &s.d[k2][r])
						}
					}
					signedMul(&sum, &other, k, r)
				}
				s.c[r] = sum
			}
		}
		acc.AddExt(air.EveryRow, &coeffs[gi], s.c[:n])
	}
	// Running sum S (column g): S − Σh = 0 on the first row, S' − S − Σh' = 0 on
	// transitions, S − cumsum = 0 on the last row.
	first, trans, last := s.c[:n], s.pre[:n], s.last[:n]
	for r := range n {
		S := extAt(aux.Cur, g, r)
		Sn := extAt(aux.Next, g, r)
		var sumH, sumHn field.Ext
		for gi := range g {
			h := extAt(aux.Cur, gi, r)
			hn := extAt(aux.Next, gi, r)
			sumH.Add(&sumH, &h)
			sumHn.Add(&sumHn, &hn)
		}
		first[r].Sub(&S, &sumH)
		trans[r].Sub(&Sn, &S)
		trans[r].Sub(&trans[r], &sumHn)
		last[r].Sub(&S, &cumsum)
	}
	acc.AddExt(air.FirstRow, &coeffs[g], first)
	acc.AddExt(air.Transition, &coeffs[g+1], trans)
	acc.AddExt(air.LastRow, &coeffs[g+2], last)
}

// EvalPoint returns the LogUp constraints at an out-of-domain point, with their
// selectors, in the order of EvalBatch's coefficients. nodes are the AIR's node values
// at the point (air.EvalPoint); auxCur and auxNext the auxiliary extension columns.
func EvalPoint(a *air.AIR, l Layout, nodes []field.Ext, auxCur, auxNext []field.Ext, ch *Challenges, cumsum field.Ext) ([]field.Ext, []air.Selector) {
	g := len(l.Groups)
	if g == 0 {
		return nil, nil
	}
	vals := make([]field.Ext, 0, g+3)
	sels := make([]air.Selector, 0, g+3)
	for gi, grp := range l.Groups {
		d := make([]field.Ext, len(grp))
		prod := field.NewExt(field.New(1))
		for k, j := range grp {
			it := a.Interactions[j]
			tuple := make([]field.Ext, len(it.Tuple))
			for i, t := range it.Tuple {
				tuple[i] = nodes[t]
			}
			d[k] = Fingerprint(ch, it.Bus.ID, tuple)
			prod.Mul(&prod, &d[k])
		}
		var sum field.Ext
		sum.Mul(&auxCur[gi], &prod)
		for k, j := range grp {
			it := a.Interactions[j]
			other := field.NewExt(field.New(1))
			for k2 := range grp {
				if k2 != k {
					other.Mul(&other, &d[k2])
				}
			}
			other.Mul(&other, &nodes[it.Mult])
			if it.Send {
				sum.Sub(&sum, &other)
			} else {
				sum.Add(&sum, &other)
			}
		}
		vals = append(vals, sum)
		sels = append(sels, air.EveryRow)
	}
	var sumH, sumHn, v field.Ext
	for gi := range g {
		sumH.Add(&sumH, &auxCur[gi])
		sumHn.Add(&sumHn, &auxNext[gi])
	}
	v.Sub(&auxCur[g], &sumH)
	vals = append(vals, v)
	v.Sub(&auxNext[g], &auxCur[g])
	v.Sub(&v, &sumHn)
	vals = append(vals, v)
	v.Sub(&auxCur[g], &cumsum)
	vals = append(vals, v)
	sels = append(sels, air.FirstRow, air.Transition, air.LastRow)
	return vals, sels
}
