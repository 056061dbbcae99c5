package verifier

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/ntt"
)

// pcs emits fri.PCS.Verify for the Shape's rounds: the batching coefficients, the
// DEEP quotients of every opened matrix, the Merkle openings, the folding and the
// final polynomial.
func (v *verifier) pcs() {
	sh, pv, tr := v.sh, v.pv, v.tr
	p := sh.Params
	v.b.Label("pcs: transcript")
	for r := range pv.values {
		for m := range pv.values[r] {
			for _, vs := range pv.values[r][m] {
				tr.observeExt(vs...)
			}
		}
	}
	coeffs := make([][][]Var, len(sh.Rounds))
	for r, rd := range sh.Rounds {
		coeffs[r] = make([][]Var, len(rd.Tables))
		for m := range rd.Tables {
			if rd.Lists[m] == 0 {
				continue
			}
			for range rd.Widths[m] {
				coeffs[r][m] = append(coeffs[r][m], tr.sampleExt())
			}
		}
	}

	// Each group's points and the Newton coefficients of its combined values.
	v.b.Label("pcs: opened values")
	type group struct{ z, values, dd []Var }
	groups := make([]group, len(sh.Groups))
	for i, g := range sh.Groups {
		groups[i].z = []Var{v.zeta}
		if g.Two {
			groups[i].z = append(groups[i].z, v.mulc(v.zeta, ntt.RootOfUnity(g.LogL-p.LogBlowup)))
		}
		groups[i].values = make([]Var, len(groups[i].z))
	}
	for r, rd := range sh.Rounds {
		for m := range rd.Tables {
			gi := rd.Group[m]
			if gi < 0 {
				continue
			}
			g := &groups[gi]
			for zi := range g.z { // a one-row table's second list is its first (asserted)
				for c, x := range pv.values[r][m][zi] {
					t := v.mul(x.v, coeffs[r][m][c])
					if g.values[zi] == 0 {
						g.values[zi] = t
					} else {
						g.values[zi] = v.add(g.values[zi], t)
					}
				}
			}
		}
	}
	for i := range groups {
		g := &groups[i]
		g.dd = append([]Var(nil), g.values...)
		for j := 1; j < len(g.dd); j++ {
			for k := len(g.dd) - 1; k >= j; k-- {
				g.dd[k] = v.div(v.sub(g.dd[k], g.dd[k-1]), v.sub(g.z[k], g.z[k-j]))
			}
		}
	}

	v.b.Label("pcs: transcript")
	betas := make([]Var, len(sh.Arities))
	gammas := make([]Var, len(sh.Arities))
	for l := range sh.Arities {
		tr.observeDigest(pv.layerRoots[l])
		betas[l], gammas[l] = tr.sampleExt(), tr.sampleExt()
	}
	tr.observeExt(pv.final...)
	v.b.Label("pow: fri")
	tr.checkWitness(p.GrindingBits, pv.friPoW)

	roots := v.roundRoots()
	inv2 := inverse(field.New(2))
	for q := range pv.queries {
		qp := &pv.queries[q]
		v.b.Label(fmt.Sprintf("fri: query %d: index", q))
		idx := tr.sampleBits(sh.LogMax) // least significant first
		// bitsAt is the index at height 2^logH: idx >> (logMax − logH).
		bitsAt := func(logH int) []Var { return idx[sh.LogMax-logH:] }

		v.b.Label(fmt.Sprintf("fri: query %d: input openings", q))
		// Each group's batched row, Σ coeff·x over its opened base values: dot
		// instructions of four products.
		bc, bx := make([][]Var, len(groups)), make([][]Var, len(groups))
		for r, rd := range sh.Rounds {
			v.merkle(roots[r], rd.LogLDE, qp.inputs[r], bitsAt(rd.LogMax))
			for m, gi := range rd.Group {
				if gi < 0 {
					continue
				}
				bc[gi] = append(bc[gi], coeffs[r][m][:len(qp.inputs[r].rows[m])]...)
				bx[gi] = append(bx[gi], qp.inputs[r].rows[m]...)
			}
		}
		Tx := make([]Var, len(groups))
		for gi := range groups {
			Tx[gi] = v.b.Dot(v.zero(), bc[gi], bx[gi])
		}
		v.b.Label(fmt.Sprintf("fri: query %d: DEEP quotients", q))
		xs := map[int]Var{}
		ro := map[int]Var{}
		for gi, g := range sh.Groups {
			x, ok := xs[g.LogL]
			if !ok {
				x = v.domainPoint(g.LogL, bitsAt(g.LogL))
				xs[g.LogL] = x
			}
			val := Tx[gi]
			for j, z := range groups[gi].z {
				val = v.div(v.sub(val, groups[gi].dd[j]), v.sub(x, z)) // Div asserts x ≠ z
			}
			if acc, ok := ro[g.LogL]; ok {
				ro[g.LogL] = v.add(acc, val)
			} else {
				ro[g.LogL] = val
			}
		}
		val := ro[sh.LogMax] // NewShape made sure a group has the largest height
		cur := sh.LogMax
		for l, a := range sh.Arities {
			v.b.Label(fmt.Sprintf("fri: query %d: layer %d", q, l))
			pos := bitsAt(cur)
			gbits := pos[a:]
			k := 1 << a
			op := qp.layers[l]
			v.merkle(pv.layerRoots[l], []int{cur - a}, op, gbits)
			grp := append([]Var(nil), op.exts...) // the 2^a extension elements of the opened row
			// The layer-consistency check, under its own label: the value folded from
			// the previous layer is the opened row's element at the query's position.
			layer := v.b.Label(fmt.Sprintf("fri: query %d: layer %d: fold", q, l))
			v.eq(v.mux(pos[:a], grp), val)
			v.b.Restore(layer)
			// The inverses of the points of the pairs: x_j at position (g << a) + 2j of
			// the layer of log size cur; the next level's points are the squares of the
			// even ones (domainPoint(L, 2i)² = domainPoint(L−1, i)).
			xg := v.domainFactorInv(cur, gbits, a)
			xInv := make([]Var, k/2)
			for j := range xInv {
				xInv[j] = v.mulc(xg, constFactorInv(cur, 2*j))
			}
			beta := betas[l]
			for t := range a {
				half := len(grp) / 2
				for j := range half {
					grp[j] = v.fold(grp[2*j], grp[2*j+1], beta, xInv[j], inv2)
				}
				grp = grp[:half]
				if t+1 < a {
					for j := range half / 2 {
						xInv[j] = v.mul(xInv[2*j], xInv[2*j])
					}
					xInv = xInv[:half/2]
					beta = v.mul(beta, beta)
				}
			}
			val = grp[0]
			cur -= a
			if r, ok := ro[cur]; ok {
				val = v.add(val, v.mul(r, gammas[l]))
			}
		}
		v.b.Label(fmt.Sprintf("fri: query %d: final polynomial", q))
		x := v.domainPoint(sh.LogFinal, bitsAt(sh.LogFinal))
		ev := pv.final[len(pv.final)-1].v
		for i := len(pv.final) - 2; i >= 0; i-- {
			ev = v.add(v.mul(ev, x), pv.final[i].v)
		}
		v.eq(ev, val)
	}
}

// roundRoots are the commitments of the rounds: the verifying key's preprocessed one,
// then the proof's main, aux and quotient ones.
func (v *verifier) roundRoots() []digest {
	vk, pv := v.sh.VK, v.pv
	var roots []digest
	if vk.HasPrep {
		if v.key != nil {
			roots = append(roots, v.key.PrepRoot)
		} else {
			roots = append(roots, v.constDigest(vk.PrepRoot[:]))
		}
	}
	roots = append(roots, pv.main)
	if v.sh.HasAux {
		roots = append(roots, pv.aux)
	}
	return append(roots, pv.quot)
}

// fold is package fri's foldPair with 1/x given: (a+b)/2 + β·(a−b)·x⁻¹/2.
func (v *verifier) fold(a, b, beta, xInv Var, inv2 field.Elem) Var {
	s := v.mulc(v.add(a, b), inv2)
	d := v.mul(v.sub(a, b), v.mulc(xInv, inv2))
	return v.add(s, v.mul(d, beta))
}

// domainPoint is fri's domainPoint for an index given by its logL bits (least
// significant first): shift(logL)·ω^(bitrev(i)), bit b of i contributing
// ω^(2^(logL−1−b)).
func (v *verifier) domainPoint(logL int, bits []Var) Var {
	w := ntt.RootOfUnity(logL)
	x := v.cb(fri.Shift(logL))
	for b := range logL {
		var pw field.Elem
		pw.ExpInt64(w, int64(1)<<(logL-1-b))
		x = v.timesIf(x, bits[b], pw)
	}
	return x
}

// domainFactorInv is the inverse of the part of the point at position (g << low) + c of
// the layer of log size L that g's bits and the coset shift contribute: bit b of g
// lands at position L−1−(b+low) of the bit reversal.
func (v *verifier) domainFactorInv(L int, gbits []Var, low int) Var {
	w := ntt.RootOfUnity(L)
	x := v.cb(inverse(fri.Shift(L)))
	for b := 0; b+low < L; b++ {
		var pw field.Elem
		pw.ExpInt64(w, int64(1)<<(L-1-b-low))
		x = v.timesIf(x, gbits[b], inverse(pw))
	}
	return x
}

// timesIf is x·k when the bit cell is 1, x when it is 0: x + bit·(x·(k − 1)).
func (v *verifier) timesIf(x, bit Var, k field.Elem) Var {
	var km1 field.Elem
	one := field.New(1)
	km1.Sub(&k, &one)
	return v.add(x, v.mul(bit, v.mulc(x, km1)))
}

// constFactorInv is ω_L^(−bitrev_L(c)): the inverse of the constant factor of the
// point at an offset c below 2^low (see domainFactorInv).
func constFactorInv(L, c int) field.Elem {
	w := ntt.RootOfUnity(L)
	var x field.Elem
	x.ExpInt64(w, int64(ntt.Reverse(uint64(c), L)))
	return inverse(x)
}

func inverse(x field.Elem) field.Elem {
	var y field.Elem
	y.Inverse(&x)
	return y
}

// merkle emits merkle.Verify: the rows of the matrices of log heights logs opened at
// the index given by bits (least significant first, as many as the tree's height)
// against root — the rows of one height hashed together (hash.Elems), the path
// compressed in, each shorter height's rows injected where the path reaches it.
func (v *verifier) merkle(root digest, logs []int, op opening, bits []Var) {
	logMax := 0
	for _, l := range logs {
		logMax = max(logMax, l)
	}
	rowsAt := func(logH int) ([]Var, bool) {
		var in []Var
		found := false
		for i, l := range logs {
			if l == logH {
				in = append(in, op.rows[i]...)
				found = true
			}
		}
		return in, found
	}
	top, _ := rowsAt(logMax)
	cur := v.b.HashElems(top)
	for k := range logMax {
		cur = v.b.CompressSwap(bits[k], cur, op.path[k]) // bit 0: (cur, sibling)
		if in, ok := rowsAt(logMax - k - 1); ok {
			cur = v.b.Compress(cur, v.b.HashElems(in))
		}
	}
	v.eqDigest(cur, root)
}
