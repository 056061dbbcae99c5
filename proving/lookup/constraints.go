package lookup

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
)

// Scratch holds the per-goroutine buffers of EvalBatch.
type Scratch struct {
	deg  int
	tmp  field.Vector
	d    []field.ExtVec // fingerprints of a group's interactions
	c, t field.ExtVec
	sumH field.ExtVec
	ext  *field.ExtScratch
}

// NewScratch allocates buffers for batches of up to n rows of a proof over the degree-d
// extension.
func NewScratch(l Layout, d, n int) *Scratch {
	s := &Scratch{deg: d, tmp: make(field.Vector, n), c: field.NewExtVec(d, n), t: field.NewExtVec(d, n), sumH: field.NewExtVec(d, n), ext: field.NewExtScratch(n)}
	most := 0
	for _, g := range l.Groups {
		most = max(most, len(g))
	}
	s.d = make([]field.ExtVec, most)
	for i := range s.d {
		s.d[i] = field.NewExtVec(d, n)
	}
	return s
}

// AuxBatch gives the auxiliary columns (d base coordinates per extension column, d the
// extension's degree) on the batch's rows and on their successors.
type AuxBatch struct {
	Cur, Next [][]field.Elem
	// Blind, when not nil, holds the d coordinates of the table's blinding column on the
	// batch's rows (zero knowledge, see [Blinds]): the last-row constraint becomes
	// S + blind − cumsum = 0. Nil without zero knowledge.
	Blind [][]field.Elem
}

func auxVec(cols [][]field.Elem, d, col, n int) field.ExtVec {
	v := field.ExtVec{C: make([]field.Vector, d)}
	for c := range d {
		v.C[c] = cols[d*col+c][:n]
	}
	return v
}

// fingerprintVec writes the fingerprints of interaction it on the batch into d,
// coordinate-wise: α − bus − β_0·len − Σ_l β_(l+1)·t_l (see Fingerprint).
func fingerprintVec(it air.Interaction, prog *air.Program, ws *air.Workspace, in *air.Batch, scalars []field.Elem, ch *Challenges, tmp field.Vector, d field.ExtVec) {
	n := in.Len
	if len(it.Tuple) >= len(ch.Beta) {
		panic(fmt.Sprintf("lookup: interaction %q has %d elements, %d betas", it.Name, len(it.Tuple), len(ch.Beta))) // invariant of Sample's callers
	}
	var c0, lenTerm field.Ext
	bus := field.NewExt(field.New(uint64(it.Bus.ID)))
	c0.Sub(&ch.Alpha, &bus)
	lenTerm.MulByElement(&ch.Beta[0], ptrElem(field.New(uint64(len(it.Tuple)))))
	c0.Sub(&c0, &lenTerm)
	inited := false
	for l, t := range it.Tuple {
		v, s := prog.Value(ws, in, scalars, t)
		var negPw field.Ext
		negPw.Neg(&ch.Beta[l+1])
		if v == nil {
			var x field.Ext
			x.MulByElement(&negPw, &s)
			c0.Add(&c0, &x)
		} else {
			co := field.ExtCoords(&negPw)
			for c := range d.C {
				dst := d.C[c][:n]
				if !inited {
					field.VecScalarMul(dst, v, &co[c])
					continue
				}
				tt := tmp[:n]
				field.VecScalarMul(tt, v, &co[c])
				field.VecAdd(dst, dst, tt)
			}
			inited = true
		}
	}
	co := field.ExtCoords(&c0)
	for c := range d.C {
		dst := d.C[c][:n]
		if !inited {
			for i := range dst {
				dst[i] = co[c]
			}
			continue
		}
		for i := range dst {
			dst[i].Add(&dst[i], &co[c])
		}
	}
}

// addSigned adds (or, for a send, subtracts) m·d to acc, m the interaction's
// multiplicity on the batch.
func addSigned(acc, d field.ExtVec, it air.Interaction, prog *air.Program, ws *air.Workspace, in *air.Batch, scalars []field.Elem, tmp field.Vector) {
	n := in.Len
	mv, ms := prog.Value(ws, in, scalars, it.Mult)
	for c := range d.C {
		field.VecMulAcc(acc.C[c][:n], d.C[c][:n], mv, &ms, it.Send, tmp)
	}
}

// accumulate adds coeff·v into the selector's sum.
func accumulate(acc *air.Accumulator, sel air.Selector, coeff *field.Ext, v field.ExtVec, s *Scratch) {
	n := v.Len()
	t := s.t.Slice(0, n)
	field.MulExtVecScalar(t, v, coeff, s.ext)
	for c := range v.C {
		a := acc.Sel[sel][c][:n]
		field.VecAdd(a, a, t.C[c])
	}
}

// EvalBatch adds coeffs[k]·(LogUp constraint k) on the batch into acc. prog must have
// been compiled with Outputs(a) among its outputs and evaluated on in. The extension
// arithmetic runs coordinate-wise on base-field vectors.
func EvalBatch(a *air.AIR, l Layout, prog *air.Program, ws *air.Workspace, in *air.Batch, scalars []field.Elem, aux *AuxBatch, ch *Challenges, cumsum field.Ext, coeffs []field.Ext, acc *air.Accumulator, s *Scratch) {
	n := in.Len
	g := len(l.Groups)
	c := s.c.Slice(0, n)
	for gi, grp := range l.Groups {
		d := make([]field.ExtVec, len(grp))
		for k, j := range grp {
			d[k] = s.d[k].Slice(0, n)
			fingerprintVec(a.Interactions[j], prog, ws, in, scalars, ch, s.tmp, d[k])
		}
		// C = h·Π d_j − Σ ±m_j·Π_{k≠j} d_k.
		h := auxVec(aux.Cur, s.deg, gi, n)
		field.MulExtVec(c, h, d[0], s.ext)
		for k := 1; k < len(grp); k++ {
			field.MulExtVec(c, c, d[k], s.ext)
		}
		for k, j := range grp {
			other := d[(k+1)%len(grp)]
			if len(grp) > 2 {
				// Π of the others: rebuild it (groups above two only appear when the
				// configured degree allows them).
				o := s.t.Slice(0, n)
				first := true
				for k2 := range grp {
					if k2 == k {
						continue
					}
					if first {
						for cc := range s.deg {
							copy(o.C[cc], d[k2].C[cc])
						}
						first = false
						continue
					}
					field.MulExtVec(o, o, d[k2], s.ext)
				}
				other = o
			} else if len(grp) == 1 {
				one := s.t.Slice(0, n)
				for cc := range s.deg {
					clear(one.C[cc])
				}
				for i := range n {
					one.C[0][i].SetOne()
				}
				other = one
			}
			addSigned(c, other, a.Interactions[j], prog, ws, in, scalars, s.tmp)
		}
		accumulate(acc, air.EveryRow, &coeffs[gi], c, s)
	}
	// Running sum S (column g): S − Σh = 0 on the first row, S' − S − Σh' = 0 on
	// transitions, S − cumsum = 0 on the last row.
	S, Sn := auxVec(aux.Cur, s.deg, g, n), auxVec(aux.Next, s.deg, g, n)
	sumH := s.sumH.Slice(0, n)
	for cc := range s.deg {
		clear(sumH.C[cc])
	}
	for gi := range g {
		h := auxVec(aux.Cur, s.deg, gi, n)
		for cc := range s.deg {
			field.VecAdd(sumH.C[cc], sumH.C[cc], h.C[cc])
		}
	}
	for cc := range s.deg {
		field.VecSub(c.C[cc], S.C[cc], sumH.C[cc])
	}
	accumulate(acc, air.FirstRow, &coeffs[g], c, s)
	for cc := range s.deg {
		clear(sumH.C[cc])
	}
	for gi := range g {
		h := auxVec(aux.Next, s.deg, gi, n)
		for cc := range s.deg {
			field.VecAdd(sumH.C[cc], sumH.C[cc], h.C[cc])
		}
	}
	for cc := range s.deg {
		field.VecSub(c.C[cc], Sn.C[cc], S.C[cc])
		field.VecSub(c.C[cc], c.C[cc], sumH.C[cc])
	}
	accumulate(acc, air.Transition, &coeffs[g+1], c, s)
	cs := field.ExtCoords(&cumsum)
	for cc := range s.deg {
		dst := c.C[cc]
		field.VecSubScalar(dst, S.C[cc], &cs[cc])
		if aux.Blind != nil {
			field.VecAdd(dst, dst, field.Vector(aux.Blind[cc][:n]))
		}
	}
	accumulate(acc, air.LastRow, &coeffs[g+2], c, s)
}

// EvalPoint returns the LogUp constraints at an out-of-domain point, with their
// selectors, in the order of EvalBatch's coefficients. nodes are the AIR's node values
// at the point (air.EvalPoint); auxCur and auxNext the auxiliary extension columns.
// With a blinding column (zero knowledge), pass cumsum − blind(point) as cumsum: the
// last-row constraint S + blind − cumsum is linear in both.
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

func ptrElem(e field.Elem) *field.Elem { return &e }
