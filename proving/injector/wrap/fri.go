package wrap

import (
	"math/big"

	"github.com/consensys/gnark/frontend"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/ntt"
)

// verifyPCS is fri.PCS.Verify for the Shape's rounds: the batched DEEP quotients of
// every opened matrix, the folding, the Merkle openings and the final polynomial.
func (v *verifier) verifyPCS(zeta ext) {
	sh, c, tr := v.sh, v.c, v.tr
	p := sh.Params
	for r := range v.values {
		for m := range v.values[r] {
			for _, vs := range v.values[r][m] {
				tr.observeExt(vs...)
			}
		}
	}
	coeffs := make([][][]ext, len(sh.Rounds))
	for r, rd := range sh.Rounds {
		coeffs[r] = make([][]ext, len(rd.Tables))
		for m := range rd.Tables {
			for range rd.Widths[m] {
				coeffs[r][m] = append(coeffs[r][m], tr.sampleExt())
			}
		}
	}
	// Each group's points and its combined values' Newton coefficients.
	type group struct {
		z      []ext
		values []ext
		dd     []ext
	}
	groups := make([]group, len(sh.Groups))
	for i, g := range sh.Groups {
		groups[i].z = []ext{zeta}
		if g.Two {
			w := ntt.RootOfUnity(g.LogL - p.LogBlowup)
			groups[i].z = append(groups[i].z, v.mulb(zeta, v.ce(w)))
		}
		for range groups[i].z {
			groups[i].values = append(groups[i].values, v.cx(field.Ext{}))
		}
	}
	for r, rd := range sh.Rounds {
		for m := range rd.Tables {
			g := &groups[rd.Group[m]]
			for zi := range g.z {
				acc := g.values[zi]
				for col, x := range v.values[r][m][zi] {
					acc = v.add(acc, v.mul(x, coeffs[r][m][col]))
				}
				g.values[zi] = acc
			}
		}
	}
	for i := range groups {
		g := &groups[i]
		g.dd = append([]ext(nil), g.values...)
		for j := 1; j < len(g.dd); j++ {
			for k := len(g.dd) - 1; k >= j; k-- {
				g.dd[k] = v.div(v.sub(g.dd[k], g.dd[k-1]), v.sub(g.z[k], g.z[k-j]))
			}
		}
	}

	betas := make([]ext, len(sh.Arities))
	gammas := make([]ext, len(sh.Arities))
	for l := range sh.Arities {
		tr.observeNode(c.FRI.LayerRoots[l])
		// Weakly reduced once (a draw is below 2^62): every query multiplies them.
		betas[l], gammas[l] = v.f.ExtWeak(tr.sampleExt()), v.f.ExtWeak(tr.sampleExt())
	}
	final := make([]ext, len(c.FRI.FinalPoly))
	for i := range final {
		final[i] = v.witx(c.FRI.FinalPoly[i])
	}
	tr.observeExt(final...)
	tr.checkWitness(p.GrindingBits, v.wit(c.FRI.Nonce))

	for q := range c.FRI.Queries {
		qp := &c.FRI.Queries[q]
		idx := tr.sampleBits(sh.LogMax) // least significant first
		// bitsOf returns the bits of idx >> (logMax − logH): the index at height 2^logH.
		bitsOf := func(logH int) []frontend.Variable { return idx[sh.LogMax-logH:] }
		Tx := make([]ext, len(groups))
		for i := range Tx {
			Tx[i] = v.cx(field.Ext{})
		}
		for r, rd := range sh.Rounds {
			rows := make([][]elem, len(rd.Tables))
			for m := range rd.Tables {
				for _, x := range qp.Inputs[r].Rows[m] {
					rows[m] = append(rows[m], v.wit(x))
				}
			}
			v.merkle(c.inputRoot(r, sh), rd.LogLDE, rows, bitsOf(rd.LogMax), qp.Inputs[r].Path)
			for m := range rd.Tables {
				gi := rd.Group[m]
				for col, x := range rows[m] {
					Tx[gi] = v.add(Tx[gi], v.mulb(coeffs[r][m][col], x))
				}
			}
		}
		ro := map[int]ext{}
		for gi, g := range sh.Groups {
			x := v.domainPoint(g.LogL, bitsOf(g.LogL))
			val := Tx[gi]
			for j, z := range groups[gi].z {
				den := v.sub(v.base(x), z)
				val = v.div(v.sub(val, groups[gi].dd[j]), den)
			}
			if acc, ok := ro[g.LogL]; ok {
				ro[g.LogL] = v.add(acc, val)
			} else {
				ro[g.LogL] = val
			}
		}
		val := ro[sh.LogMax] // the Shape has a matrix at the largest height
		cur := sh.LogMax
		for l, a := range sh.Arities {
			pos := bitsOf(cur)
			gbits := pos[a:]
			k := 1 << a
			row := make([]elem, 0, field.ExtDegree4*k)
			for _, x := range qp.Layers[l].Rows[0] {
				row = append(row, v.wit(x))
			}
			v.merkle(c.FRI.LayerRoots[l], []int{cur - a}, [][]elem{row}, gbits, qp.Layers[l].Path)
			grp := make([]ext, k)
			for j := range grp {
				grp[j] = ext(row[field.ExtDegree4*j : field.ExtDegree4*(j+1)])
			}
			v.eq(v.mux(pos[:a], grp), val)
			beta := betas[l]
			for t := range a {
				L := cur - t
				half := len(grp) / 2
				// The points base + 2j of the layer of log size L, base = g << (a−t): the
				// variable part of x (from g's bits) is shared, the rest is constant.
				Xinv := v.domainFactor(L, gbits, a-t, true)
				for j := range half {
					xInv := v.bmul(Xinv, v.ce(constFactorInv(L, 2*j)))
					grp[j] = v.fold(grp[2*j], grp[2*j+1], beta, xInv)
				}
				grp = grp[:half]
				beta = v.sq(beta)
			}
			val = grp[0]
			cur -= a
			if r, ok := ro[cur]; ok {
				val = v.add(val, v.mul(r, gammas[l]))
			}
		}
		x := v.domainPoint(sh.LogFinal, bitsOf(sh.LogFinal))
		ev := v.cx(field.Ext{})
		for i := len(final) - 1; i >= 0; i-- {
			ev = v.add(v.mulb(ev, x), final[i])
		}
		v.eq(ev, val)
	}
}

// inputRoot is the commitment of round r.
func (c *Circuit) inputRoot(r int, sh *Shape) frontend.Variable {
	if sh.VK.HasPrep {
		if r == 0 {
			v, _ := hash.OuterValue(&sh.VK.PrepRoot)
			return v.BigInt(new(big.Int))
		}
		r--
	}
	switch {
	case r == 0:
		return c.MainRoot
	case r == 1 && sh.HasAux:
		return c.AuxRoot
	}
	return c.QuotRoot
}

// fold is package fri's foldPair with 1/x given: (a+b)/2 + β·(a−b)/(2x).
func (v *verifier) fold(a, b, beta ext, xInv elem) ext {
	var half field.Elem
	half.SetUint64(2)
	half.Inverse(&half)
	s := v.mulb(v.add(a, b), v.ce(half))
	d := v.mulb(v.sub(a, b), v.bmul(xInv, v.ce(half)))
	return v.add(s, v.mul(d, beta))
}

// domainPoint is fri's domainPoint for an index given by its logL bits (least
// significant first): shift(logL)·ω^(bitrev(i)).
func (v *verifier) domainPoint(logL int, bits []frontend.Variable) elem {
	return v.domainFactor(logL, bits, 0, false)
}

// domainFactor returns the factor of the point at index (g << low) + c of the LDE coset
// of log size L that g's bits (least significant first) contribute, times the coset's
// shift — or, with inv, its inverse (built from the inverted constants, no hint): with
// bitrev over L bits, bit b of g lands at position L−1−(b+low), so the point is
// shift·ω^(Σ g_b·2^(L−1−b−low))·ω^(bitrev(c)). Only the one asked for is built. The
// bits go by groups of factorBits: each group's factor Π_b (g_b ? ω^(…) : 1) is one of
// 2^factorBits constants, selected from the bits by gadget.Table (11 constraints for 4
// bits); the factors are multiplied unreduced and the product weakly reduced when its
// bound would pass 2^lazyBits, and at the end.
func (v *verifier) domainFactor(L int, gbits []frontend.Variable, low int, inv bool) elem {
	w := ntt.RootOfUnity(L)
	acc := fri.Shift(L)
	if inv {
		acc = inverse(acc)
	}
	X := v.ce(acc)
	n := L - low // the bits of g used
	for b0 := 0; b0 < n; b0 += factorBits {
		k := min(factorBits, n-b0)
		pws := make([]field.Elem, k)
		for j := range pws {
			pws[j].ExpInt64(w, int64(1)<<(L-1-(b0+j)-low))
			if inv {
				pws[j] = inverse(pws[j])
			}
		}
		table := make([]field.Elem, 1<<k)
		for i := range table {
			table[i].SetOne()
			for j := range k {
				if i>>j&1 == 1 {
					table[i].Mul(&table[i], &pws[j])
				}
			}
		}
		f := v.f.Table(gbits[b0:b0+k], table)
		if X.Bits()+f.Bits() > lazyBits {
			X = v.f.Weak(X)
		}
		X = v.bmul(X, f)
	}
	return v.f.Weak(X)
}

// factorBits is the width of the index groups domainFactor selects a factor by.
const factorBits = 4

// constFactorInv is ω_L^(−bitrev_L(c)): the inverse of the constant factor of the
// point at an offset c below 2^low (see domainFactor).
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

// mux returns vals[i] for the index i given by bits (least significant first).
func (v *verifier) mux(bits []frontend.Variable, vals []ext) ext {
	for _, b := range bits {
		next := make([]ext, len(vals)/2)
		for j := range next {
			next[j] = v.sel(b, vals[2*j+1], vals[2*j])
		}
		vals = next
	}
	return vals[0]
}

// merkle checks a mixed-height Merkle opening (package merkle's Verify): the rows of
// the matrices of log LDE heights logs, at the index given by bits (least significant
// first, as many as the tree's height), against root.
func (v *verifier) merkle(root frontend.Variable, logs []int, rows [][]elem, bits []frontend.Variable, path []frontend.Variable) {
	logMax := 0
	for _, l := range logs {
		logMax = max(logMax, l)
	}
	rowsAt := func(logH int) ([]elem, bool) {
		var in []elem
		found := false
		for i, l := range logs {
			if l == logH {
				in = append(in, rows[i]...)
				found = true
			}
		}
		return in, found
	}
	hashRows := func(in []elem) frontend.Variable {
		if len(in) == 0 {
			return 0 // OuterElems of nothing
		}
		return v.leaf(in)
	}
	top, _ := rowsAt(logMax)
	cur := hashRows(top)
	for k := range logMax {
		sib := path[k]
		b := bits[k]
		l := v.api.Select(b, sib, cur) // one constraint; the other side is the sum minus it
		r := v.api.Sub(v.api.Add(cur, sib), l)
		cur = v.compress(l, r)
		if in, ok := rowsAt(logMax - k - 1); ok {
			cur = v.compress(cur, hashRows(in))
		}
	}
	v.api.AssertIsEqual(cur, root)
}
