package wrap

import (
	"fmt"

	"github.com/consensys/gnark/frontend"

	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/ntt"
)

// verify.go and fri.go mirror proving/recursion/verifier's verify.go and fri.go: the
// same walk of stark.Verify and fri's Verify (the transcript's order, the bus balance,
// the constraints at ζ, the DEEP batching, the folding), over BN254 constraints where
// that package emits recursion instructions. What the two need that is computed
// natively is shared: the shape (package verifyshape: the rounds, fri's groups and
// folding schedule, the statement's sizes), the parameters' transcript words
// (fri.Params.TranscriptWords) and the AIR's evaluation at ζ (air.EvalWith). The walk
// stays a copy, because each arithmetic orders and skips operations to fit its own
// costs: here each folding point's inverse is built from the index bits (a selection
// per bit), accumulators start at a constant zero and every table has its own
// selectors; the program squares the inverses, skips zero accumulators and
// multiplications by one (each is an instruction) and shares selectors between tables
// of one height. The circuits' IDs (and the programs) are pinned by their keys, so a
// shared walk would need a hook on nearly every line, which is harder to read, and to
// check line by line against stark.Verify, than either copy.

// verifier is stark.Verify written as constraints, for one Shape. Every check the
// native verifier makes on values is an assertion here; the checks on sizes are the
// Shape's, made when the circuit is built.
type verifier struct {
	*ops
	c  *Circuit
	sh *Shape
	tr *challenger

	publics [][]elem
	mult    []elem
	tuple   [][]elem
	cums    []ext
	values  [][][][]ext // [round][matrix][point][column]
}

func newVerifier(api frontend.API, c *Circuit) *verifier {
	o := newOps(api)
	return &verifier{ops: o, c: c, sh: c.shape, tr: newChallenger(o)}
}

func (v *verifier) verify() error {
	sh, c, vk := v.sh, v.c, v.sh.VK
	// Every witness value that is a field element enters range checked (< p).
	v.publics = make([][]elem, len(c.Publics))
	for t := range c.Publics {
		for _, x := range c.Publics[t] {
			v.publics[t] = append(v.publics[t], v.wit(x))
		}
	}
	v.mult = make([]elem, len(c.BusMult))
	v.tuple = make([][]elem, len(c.BusTuple))
	for i := range c.BusMult {
		v.mult[i] = v.wit(c.BusMult[i])
		for _, x := range c.BusTuple[i] {
			v.tuple[i] = append(v.tuple[i], v.wit(x))
		}
	}
	// The public inputs: the statement's digest, or its exposed values packed and the
	// rest fixed.
	var flat []elem
	for t := range v.publics {
		flat = append(flat, v.publics[t]...)
	}
	for i := range v.mult {
		flat = append(flat, v.mult[i])
		flat = append(flat, v.tuple[i]...)
	}
	if len(c.Inputs) != sh.NumInputs() {
		return fmt.Errorf("wrap: a circuit of %d public inputs for a shape of %d", len(c.Inputs), sh.NumInputs())
	}
	if in := sh.Inputs; in == nil {
		var digest frontend.Variable = 0
		if len(flat) > 0 {
			digest = v.leaf(flat)
		}
		v.api.AssertIsEqual(digest, c.Inputs[0])
	} else {
		if len(in.Fixed) != len(flat) {
			return fmt.Errorf("wrap: inputs for a statement of %d elements, the shape's has %d", len(in.Fixed), len(flat))
		}
		// Every element is canonical (v.wit), so each packing is injective.
		exposed := make([]bool, len(flat))
		for g, grp := range in.Groups {
			vals := make([]elem, len(grp))
			for j, i := range grp {
				vals[j] = flat[i]
				exposed[i] = true
			}
			v.api.AssertIsEqual(v.pack(vals), c.Inputs[g])
		}
		for i := range flat {
			if !exposed[i] {
				v.f.AssertEqual(flat[i], v.ce(in.Fixed[i]))
			}
		}
	}

	v.cums = make([]ext, len(c.CumSums))
	for t := range c.CumSums {
		v.cums[t] = v.witx(c.CumSums[t])
		if sh.LogN[t] < 0 || vk.Layouts[t].NumAux() == 0 {
			v.eq(v.cums[t], v.cx(field.Ext{})) // absent, or without interactions
		}
	}
	if !sh.HasAux {
		v.api.AssertIsEqual(c.AuxRoot, 0)
	}
	v.values = make([][][][]ext, len(c.Values))
	for r := range c.Values {
		v.values[r] = make([][][]ext, len(c.Values[r]))
		for m := range c.Values[r] {
			v.values[r][m] = make([][]ext, len(c.Values[r][m]))
			for p := range c.Values[r][m] {
				for _, x := range c.Values[r][m][p] {
					v.values[r][m][p] = append(v.values[r][m][p], v.witx(x))
				}
			}
			// A one-row table is opened at ζ and ζ·ω = ζ: package fri merges the two
			// points and refuses two different values there. Only the first is bound
			// to the commitment (its group has the one point ζ), so the second must
			// equal it, or the prover picks the "next" row after seeing ζ.
			if len(v.values[r][m]) == 2 && sh.LogN[sh.Rounds[r].Tables[m]] == 0 {
				for col := range v.values[r][m][1] {
					v.eq(v.values[r][m][1][col], v.values[r][m][0][col])
				}
			}
		}
	}

	// The statement, as startTranscript absorbs it.
	tr := v.tr
	p := sh.Params
	for _, x := range p.TranscriptWords() { // the parameters, then HashTag and hash.Outer
		tr.observeUint(x)
	}
	for _, x := range vk.Digest {
		tr.observe(v.ce(x))
	}
	for _, l := range sh.LogN {
		tr.observeUint(uint64(l))
	}
	for t := range v.publics {
		tr.observeUint(uint64(len(v.publics[t])))
		tr.observe(v.publics[t]...)
	}
	tr.observeUint(uint64(len(sh.Bus)))
	for i, b := range sh.Bus {
		tr.observeUint(uint64(b.Bus))
		if b.Send {
			tr.observeUint(1)
		} else {
			tr.observeUint(0)
		}
		tr.observe(v.mult[i])
		tr.observeUint(uint64(b.Len))
		tr.observe(v.tuple[i]...)
	}
	tr.observeNode(c.MainRoot)
	tr.checkWitness(p.LogUpGrindingBits, v.wit(c.LogUpNonce))
	alpha := tr.sampleExt()
	betas := make([]ext, 1+sh.MaxTuple)
	for i := range betas {
		// Weakly reduced once (a draw is below 2^62): every fingerprint multiplies them.
		betas[i] = v.f.ExtWeak(tr.sampleExt())
	}
	tr.observeExt(v.cums...)
	tr.observeNode(c.AuxRoot)
	alphaQ := tr.sampleExt()
	tr.observeNode(c.QuotRoot)
	tr.checkWitness(p.DEEPGrindingBits, v.wit(c.DEEPNonce))
	zeta := tr.sampleExt()

	// The bus balances.
	total := v.cx(field.Ext{})
	for i, b := range sh.Bus {
		tup := make([]ext, len(v.tuple[i]))
		for j, x := range v.tuple[i] {
			tup[j] = v.base(x)
		}
		d := v.fingerprint(alpha, betas, b.Bus, tup)
		term := v.div(v.base(v.mult[i]), d)
		if b.Send {
			total = v.add(total, term)
		} else {
			total = v.sub(total, term)
		}
	}
	for t := range v.cums {
		total = v.add(total, v.cums[t])
	}
	v.eq(total, v.cx(field.Ext{}))

	// The constraints hold at ζ.
	round := sh.Matrix // the matrix of table t in round r, −1 if none
	rMain, rAux, rQuot := sh.MainRound(), sh.AuxRound(), sh.QuotRound()
	most := 0 // the most constraints (with LogUp's) of a table
	for _, t := range sh.Present {
		n := len(vk.AIRs[t].Constraints)
		if l := vk.Layouts[t]; l.NumAux() > 0 {
			n += len(l.Groups) + 3
		}
		most = max(most, n)
	}
	pows := v.powersOf(alphaQ, most)
	// ζ^(2^i) by repeated squaring, shared by the tables (each weakly reduced: a square
	// feeds the next square and a table's quotient).
	zetaSq := []ext{zeta}
	zetaPow := func(logN int) ext {
		for len(zetaSq) <= logN {
			zetaSq = append(zetaSq, v.f.ExtWeak(v.sq(zetaSq[len(zetaSq)-1])))
		}
		return zetaSq[logN]
	}
	for _, t := range sh.Present {
		a := vk.AIRs[t]
		logN := sh.LogN[t]
		one := v.cx(field.NewExt(field.New(1)))
		n := v.cx(field.NewExt(field.New(uint64(1) << logN)))
		zn := zetaPow(logN) // ζ^(2^logN)
		zh := v.sub(zn, one)
		v.nonzero(zh) // ζ off the trace domain, as the native verifier requires
		first := v.div(zh, v.mul(v.sub(zeta, one), n))
		wInv := ntt.RootOfUnity(logN)
		wInv.Inverse(&wInv)
		trans := v.sub(zeta, v.cx(field.NewExt(wInv)))
		last := v.div(zh, v.mul(trans, n))
		selOf := func(s air.Selector) ext {
			switch s {
			case air.FirstRow:
				return first
			case air.LastRow:
				return last
			case air.Transition:
				return trans
			}
			return one
		}
		mm := round(rMain, t)
		mainCur, mainNext := v.values[rMain][mm][0], v.values[rMain][mm][1]
		var prepCur, prepNext []ext
		if vk.HasPrep {
			if pm := round(0, t); pm >= 0 {
				prepCur, prepNext = v.values[0][pm][0], v.values[0][pm][1]
			}
		}
		pubs := make([]ext, len(v.publics[t]))
		for i, x := range v.publics[t] {
			pubs[i] = v.base(x)
		}
		la := &linArith{o: v.ops}
		nodes := air.EvalWith(a, la, &air.Opened[*lin]{Main: la.atoms1(mainCur), MainNext: la.atoms1(mainNext),
			Prep: la.atoms1(prepCur), PrepNext: la.atoms1(prepNext), Publics: la.atoms1(pubs)})
		node := func(i int32) ext { return la.ext(nodes[i]) }
		// The constraints' values and selectors in the native order: the k-th is weighted
		// by alphaQ^k.
		var vals []ext
		var sels []air.Selector
		for _, k := range a.Constraints {
			vals = append(vals, node(k.Root))
			sels = append(sels, k.Sel)
		}
		if l := vk.Layouts[t]; l.NumAux() > 0 {
			am := round(rAux, t)
			auxCur, auxNext := v.extColumns(v.values[rAux][am][0]), v.extColumns(v.values[rAux][am][1])
			lv, ls := v.logUpAt(a, l.Groups, node, auxCur, auxNext, alpha, betas, v.cums[t])
			vals, sels = append(vals, lv...), append(sels, ls...)
		}
		sum := v.combine(vals, sels, selOf, pows)
		chunks := v.extColumns(v.values[rQuot][round(rQuot, t)][0])
		qz := v.cx(field.Ext{})
		pw := one
		for _, ch := range chunks {
			qz = v.add(qz, v.mul(ch, pw))
			pw = v.mul(pw, zn)
		}
		v.eq(v.mul(qz, zh), sum)
	}

	v.verifyPCS(zeta)
	return nil
}

// fingerprint is lookup.Fingerprint: α − (Σ_l β_(l+1)·t_l + β_0·len + bus).
func (v *verifier) fingerprint(alpha ext, betas []ext, bus uint32, tuple []ext) ext {
	acc := v.cx(field.Ext{})
	for l := range tuple {
		acc = v.add(acc, v.mul(betas[l+1], tuple[l]))
	}
	acc = v.add(acc, v.mul(betas[0], v.cx(field.NewExt(field.New(uint64(len(tuple)))))))
	acc = v.add(acc, v.cx(field.NewExt(field.New(uint64(bus)))))
	return v.sub(alpha, acc)
}

// extColumns rebuilds extension columns from their coordinates' values:
// Σ_c basis(c)·v_c for each group of 4.
func (v *verifier) extColumns(coords []ext) []ext {
	out := make([]ext, len(coords)/field.ExtDegree4)
	for i := range out {
		acc := v.cx(field.Ext{})
		for c := range field.ExtDegree4 {
			co := make([]field.Elem, field.ExtDegree4)
			co[c].SetOne()
			acc = v.add(acc, v.mul(coords[field.ExtDegree4*i+c], v.cx(field.ExtFromCoords(co))))
		}
		out[i] = acc
	}
	return out
}

// logUpAt is lookup.EvalPoint: each group's constraint h·Π d_j − Σ ±m_j·Π_(k≠j) d_k,
// then the running sum's first-row, transition and last-row constraints.
func (v *verifier) logUpAt(a *air.AIR, groups [][]int, node func(int32) ext, auxCur, auxNext []ext, alpha ext, betas []ext, cumsum ext) ([]ext, []air.Selector) {
	one := v.cx(field.NewExt(field.New(1)))
	var vals []ext
	var sels []air.Selector
	for gi, grp := range groups {
		// Π_(k'≠k) d_k' = pre[k]·suf[k+1] from prefix and suffix products: about 3g
		// products for a group of g where a product chained for each k takes about g²,
		// their bounds growing (and reductions with them) along each chain.
		g := len(grp)
		d := make([]ext, g)
		for k, j := range grp {
			it := a.Interactions[j]
			tuple := make([]ext, len(it.Tuple))
			for i, x := range it.Tuple {
				tuple[i] = node(x)
			}
			d[k] = v.fingerprint(alpha, betas, it.Bus.ID, tuple)
		}
		pre, suf := make([]ext, g+1), make([]ext, g+1)
		pre[0], suf[g] = one, one
		for k := range g {
			pre[k+1] = v.mul(pre[k], d[k])
			if k+1 < g { // taken by the next prefix and by a k's product: reduced once
				pre[k+1] = v.f.ExtWeak(pre[k+1])
			}
		}
		for k := g - 1; k >= 1; k-- { // suf[0] (the whole product) is pre[g]
			suf[k] = v.mul(d[k], suf[k+1])
			if k > 1 {
				suf[k] = v.f.ExtWeak(suf[k])
			}
		}
		sum := v.mul(auxCur[gi], pre[g])
		for k, j := range grp {
			it := a.Interactions[j]
			other := v.mul(v.mul(pre[k], suf[k+1]), node(it.Mult))
			if it.Send {
				sum = v.sub(sum, other)
			} else {
				sum = v.add(sum, other)
			}
		}
		vals = append(vals, sum)
		sels = append(sels, air.EveryRow)
	}
	g := len(groups)
	sumH, sumHn := v.cx(field.Ext{}), v.cx(field.Ext{})
	for gi := range g {
		sumH = v.add(sumH, auxCur[gi])
		sumHn = v.add(sumHn, auxNext[gi])
	}
	vals = append(vals, v.sub(auxCur[g], sumH))
	vals = append(vals, v.sub(v.sub(auxNext[g], auxCur[g]), sumHn))
	vals = append(vals, v.sub(auxCur[g], cumsum))
	sels = append(sels, air.FirstRow, air.Transition, air.LastRow)
	return vals, sels
}

// powers holds alpha^k for k < m·len(hi) as alpha^i·alpha^(m·j) (i < m): lo[i] =
// alpha^i, hi[j] = alpha^(m·j), each weakly reduced (about 2·√K reductions for K
// powers instead of K).
type powers struct {
	m      int
	lo, hi []ext
}

// powersOf returns the powers of alpha up to at least alpha^(n−1).
func (v *verifier) powersOf(alpha ext, n int) *powers {
	m := 1
	for m*m < n {
		m++
	}
	one := v.cx(field.NewExt(field.New(1)))
	a := v.f.ExtWeak(alpha)
	p := &powers{m: m, lo: []ext{one}, hi: []ext{one}}
	for len(p.lo) < m {
		p.lo = append(p.lo, v.f.ExtWeak(v.f.ExtMulLazy(p.lo[len(p.lo)-1], a)))
	}
	am := v.f.ExtWeak(v.f.ExtMulLazy(p.lo[m-1], a))
	for len(p.hi)*m < n {
		p.hi = append(p.hi, v.f.ExtWeak(v.f.ExtMulLazy(p.hi[len(p.hi)-1], am)))
	}
	return p
}

// combine returns Σ_k sel(sels[k])·vals[k]·alpha^k, the quotient's numerator at ζ
// (stark.Verify's accumulation, summed in another order): the terms of one selector and
// one block of m powers are summed unreduced as Σ_i vals[k]·alpha^i, each block sum is
// multiplied by alpha^(m·j), and each selector's sum by its selector once. Products
// are ExtMulLazy: an operand is weakly reduced only when a product's bound requires it.
func (v *verifier) combine(vals []ext, sels []air.Selector, selOf func(air.Selector) ext, p *powers) ext {
	order := []air.Selector{}
	acc := map[air.Selector]ext{}
	for j := 0; j*p.m < len(vals); j++ {
		inner := map[air.Selector]ext{}
		var seen []air.Selector
		for i := 0; i < p.m && j*p.m+i < len(vals); i++ {
			k := j*p.m + i
			term := v.f.ExtMulLazy(vals[k], p.lo[i])
			if x, ok := inner[sels[k]]; ok {
				inner[sels[k]] = v.add(x, term)
			} else {
				inner[sels[k]] = term
				seen = append(seen, sels[k])
			}
		}
		for _, s := range seen {
			term := v.f.ExtMulLazy(inner[s], p.hi[j])
			if x, ok := acc[s]; ok {
				acc[s] = v.add(x, term)
			} else {
				acc[s] = term
				order = append(order, s)
			}
		}
	}
	sum := v.cx(field.Ext{})
	for _, s := range order {
		sum = v.add(sum, v.f.ExtMulLazy(acc[s], v.f.ExtWeak(selOf(s))))
	}
	return sum
}
