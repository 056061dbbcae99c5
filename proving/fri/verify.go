package fri

import (
	"errors"
	"fmt"
	"slices"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/merkle"
	"github.com/oneiros-zk/oneiros/proving/ntt"
	"github.com/oneiros-zk/oneiros/proving/pcs"
	"github.com/oneiros-zk/oneiros/proving/transcript"
)

// Verify implements pcs.Scheme. It never panics on any proof bytes; every rejection
// wraps ErrInvalidProof and says which check failed.
func (s *PCS) Verify(rounds []pcs.VerifyRound, proofBytes []byte, tr *transcript.Challenger) error {
	B := s.params.LogBlowup
	var logLDEs []int
	for r, rd := range rounds {
		if len(rd.Dims) == 0 || len(rd.Points) != len(rd.Dims) || len(rd.Values) != len(rd.Dims) {
			return fail("shape", -1, "round %d: %d dims, %d point lists, %d value lists", r, len(rd.Dims), len(rd.Points), len(rd.Values))
		}
		for m, d := range rd.Dims {
			if d.LogN < 0 || d.LogN+B > field.TwoAdicity || d.Width < 1 || d.Width > maxRowWidth {
				return fail("shape", -1, "round %d matrix %d: dimensions %+v out of range", r, m, d)
			}
			if len(rd.Values[m]) != len(rd.Points[m]) {
				return fail("shape", -1, "round %d matrix %d: %d values for %d points", r, m, len(rd.Values[m]), len(rd.Points[m]))
			}
			for zi, v := range rd.Values[m] {
				if len(v) != d.Width {
					return fail("shape", -1, "round %d matrix %d point %d: %d values for %d columns", r, m, zi, len(v), d.Width)
				}
				for c := range v {
					if !v[c].InDegree(s.params.Ext()) {
						return fail("shape", -1, "round %d matrix %d point %d: a value of degree %d, want %d", r, m, zi, v[c].Degree(), s.params.Ext())
					}
				}
			}
			for zi, z := range rd.Points[m] {
				if !z.InDegree(s.params.Ext()) {
					return fail("shape", -1, "round %d matrix %d: point %d of degree %d, want %d", r, m, zi, z.Degree(), s.params.Ext())
				}
			}
			logLDEs = append(logLDEs, d.LogN+B)
		}
	}
	if len(rounds) == 0 {
		return fail("shape", -1, "nothing opened")
	}
	if tr.ExtDegree() != s.params.Ext() || tr.Scheme() != s.params.Hash {
		return fail("shape", -1, "a transcript of degree %d and hash %v for parameters of degree %d and hash %v", tr.ExtDegree(), tr.Scheme(), s.params.Ext(), s.params.Hash)
	}
	for _, rd := range rounds {
		for _, vs := range rd.Values {
			for _, v := range vs {
				tr.ObserveExt(v...)
			}
		}
	}
	widths := make([][]int, len(rounds))
	for r, rd := range rounds {
		widths[r] = make([]int, len(rd.Dims))
		for m, d := range rd.Dims {
			if len(rd.Points[m]) > 0 {
				widths[r][m] = d.Width
			}
		}
	}
	coeffs := sampleCoefficients(tr, widths)

	proof, err := DecodeParams(proofBytes, s.params)
	if err != nil {
		return err
	}
	sch := newSchedule(s.params, logLDEs)
	if len(proof.LayerRoots) != len(sch.arities) {
		return fail("shape", -1, "%d layer commitments, want %d", len(proof.LayerRoots), len(sch.arities))
	}
	if len(proof.FinalPoly) != sch.finalLen(s.params) {
		return fail("shape", -1, "final polynomial has %d coefficients, want %d", len(proof.FinalPoly), sch.finalLen(s.params))
	}
	if len(proof.Queries) != s.params.NumQueries {
		return fail("shape", -1, "%d queries, want %d", len(proof.Queries), s.params.NumQueries)
	}
	betas := make([]field.Ext, len(sch.arities))
	gammas := make([]field.Ext, len(sch.arities))
	for l, root := range proof.LayerRoots {
		tr.ObserveNode(root)
		betas[l], gammas[l] = tr.SampleExt(), tr.SampleExt()
	}
	tr.ObserveExt(proof.FinalPoly...)
	if !tr.CheckWitness(s.params.GrindingBits, proof.Nonce) {
		return fail("pow", -1, "nonce %d does not meet %d bits of proof of work", proof.Nonce.Uint64(), s.params.GrindingBits)
	}

	// The groups of matrices opened at the same points on one height, their combined
	// values' Newton coefficients (as the prover formed them), and the merkle
	// dimensions of each round.
	var groups []*group
	groupOf := make([][]int, len(rounds)) // index in groups; −1 for a matrix opened nowhere
	mdims := make([][]merkle.Dim, len(rounds))
	treeLog := make([]int, len(rounds))
	for r, rd := range rounds {
		groupOf[r] = make([]int, len(rd.Dims))
		mdims[r] = make([]merkle.Dim, len(rd.Dims))
		for m, d := range rd.Dims {
			mdims[r][m] = merkle.Dim{Width: d.Width, LogHeight: d.LogN + B, Salt: s.saltLen(rd.Hiding)}
			treeLog[r] = max(treeLog[r], d.LogN+B)
			groupOf[r][m] = -1
			if len(rd.Points[m]) == 0 {
				continue
			}
			zs, at := distinct(rd.Points[m])
			for zi, j := range at {
				if first := slices.Index(at, j); !slices.Equal(rd.Values[m][zi], rd.Values[m][first]) {
					return fail("point", -1, "round %d matrix %d: two values at one point", r, m)
				}
			}
			g := findGroup(&groups, d.LogN+B, zs)
			groupOf[r][m] = slices.Index(groups, g)
			for zi := range zs {
				v := combineValues(rd.Values[m][slices.Index(at, zi)], coeffs[r][m])
				g.values[zi].Add(&g.values[zi], &v)
			}
		}
	}
	dds := make([][]field.Ext, len(groups))
	for i, g := range groups {
		if dds[i], err = g.dividedDifferences(); err != nil {
			return fail("point", -1, "%v", err)
		}
	}

	Tx := make([]field.Ext, len(groups))
	for q, qp := range proof.Queries {
		idx := tr.SampleBits(sch.logMax)
		if len(qp.Inputs) != len(rounds) || len(qp.Layers) != len(sch.arities) {
			return fail("shape", q, "%d input openings and %d layer openings, want %d and %d", len(qp.Inputs), len(qp.Layers), len(rounds), len(sch.arities))
		}
		clear(Tx)
		for r := range rounds {
			if err := merkle.Verify(s.params.Hash, rounds[r].Root, mdims[r], idx>>(sch.logMax-treeLog[r]), qp.Inputs[r]); err != nil {
				return fail("merkle", q, "commitment %d: %v", r, err)
			}
			for m, gi := range groupOf[r] {
				if gi < 0 {
					continue
				}
				row := qp.Inputs[r].Rows[m]
				for c := range row {
					var t field.Ext
					t.MulByElement(&coeffs[r][m][c], &row[c])
					Tx[gi].Add(&Tx[gi], &t)
				}
			}
		}
		ro := map[int]*field.Ext{}
		for gi, g := range groups {
			x := domainPoint(g.logL, idx>>(sch.logMax-g.logL))
			v := Tx[gi]
			for j, z := range g.z {
				den := field.NewExt(x)
				den.Sub(&den, &z)
				if den.IsZero() {
					return fail("point", q, "opening point lies in the evaluation domain")
				}
				den.Inverse(&den)
				v.Sub(&v, &dds[gi][j])
				v.Mul(&v, &den)
			}
			acc := ro[g.logL]
			if acc == nil {
				acc = new(field.Ext)
				ro[g.logL] = acc
			}
			acc.Add(acc, &v)
		}
		v, ok := ro[sch.logMax]
		if !ok {
			return fail("shape", q, "no opening at the largest height")
		}
		val := *v
		cur := sch.logMax
		for l, a := range sch.arities {
			pos := idx >> (sch.logMax - cur)
			g := pos >> a
			k := 1 << a
			dg := s.params.Ext()
			if err := merkle.Verify(s.params.Hash, proof.LayerRoots[l], []merkle.Dim{{Width: dg * k, LogHeight: cur - a, Salt: s.saltLen(true)}}, g, qp.Layers[l]); err != nil {
				return fail("merkle", q, "layer %d: %v", l, err)
			}
			row := qp.Layers[l].Rows[0]
			grp := make([]field.Ext, k)
			for j := range grp {
				grp[j] = field.ExtFromCoords(row[dg*j : dg*(j+1)])
			}
			if !grp[pos&(k-1)].Equal(&val) {
				return fail("fold", q, "layer %d does not hold the folded value of the previous layer", l)
			}
			beta := betas[l]
			for t := range a {
				L := cur - t
				half := len(grp) / 2
				base := g << (a - t) // position of grp[0] in the layer of log size L
				for j := range half {
					x := domainPoint(L, base+2*j)
					grp[j] = foldPair(grp[2*j], grp[2*j+1], beta, x)
				}
				grp = grp[:half]
				beta.Square(&beta)
			}
			val = grp[0]
			cur -= a
			if r, ok := ro[cur]; ok {
				var t field.Ext
				t.Mul(r, &gammas[l])
				val.Add(&val, &t)
			}
		}
		x := domainPoint(sch.logFinal, idx>>(sch.logMax-sch.logFinal))
		var ev field.Ext
		for i := len(proof.FinalPoly) - 1; i >= 0; i-- {
			ev.MulByElement(&ev, &x)
			ev.Add(&ev, &proof.FinalPoly[i])
		}
		if !ev.Equal(&val) {
			return fail("final", q, "final polynomial disagrees with the folded value")
		}
	}
	return nil
}

// domainPoint is the point at bit-reversed position i of the LDE coset of log size logL.
func domainPoint(logL, i int) field.Elem {
	w := ntt.RootOfUnity(logL)
	var x field.Elem
	x.ExpInt64(w, int64(ntt.Reverse(uint64(i), logL)))
	s := Shift(logL)
	x.Mul(&x, &s)
	return x
}

// foldPair folds the values a = f(x), b = f(−x): (a+b)/2 + beta·(a−b)/(2x).
func foldPair(a, b, beta field.Ext, x field.Elem) field.Ext {
	var s, d, out field.Ext
	var two, inv field.Elem
	two.SetUint64(2)
	inv.Mul(&x, &two)
	inv.Inverse(&inv)
	s.Add(&a, &b)
	d.Sub(&a, &b)
	d.MulByElement(&d, &inv)
	d.Mul(&d, &beta)
	two.Inverse(&two)
	s.MulByElement(&s, &two)
	out.Add(&s, &d)
	return out
}

// IsInvalid reports whether err is a rejection by this package.
func IsInvalid(err error) bool { return errors.Is(err, ErrInvalidProof) }

var _ = fmt.Sprintf
