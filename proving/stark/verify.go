package stark

import (
	"slices"

	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/lookup"
	"github.com/oneiros-zk/oneiros/proving/ntt"
	"github.com/oneiros-zk/oneiros/proving/pcs"
)

// basis returns the element of the degree-d extension with 1 in coordinate c: an
// extension column committed as d base columns v_c is Σ_c basis(d, c)·v_c.
func basis(d, c int) field.Ext {
	co := make([]field.Elem, d)
	co[c].SetOne()
	return field.ExtFromCoords(co)
}

// extColumns rebuilds extension-column values from the values of their coordinates
// (d per column).
func extColumns(coords []field.Ext, d int) []field.Ext {
	out := make([]field.Ext, len(coords)/d)
	for i := range out {
		for c := range d {
			b := basis(d, c)
			var t field.Ext
			t.Mul(&coords[d*i+c], &b)
			out[i].Add(&out[i], &t)
		}
	}
	return out
}

// Verify checks a proof against the verifying key, the tables' public values and the
// public bus messages. It never panics on any proof; a rejection wraps ErrInvalidProof
// and names the check (and table) that failed.
func Verify(cfg Config, vk *VerifyingKey, proof *Proof, publics [][]field.Elem, bus []lookup.Message) error {
	T := len(vk.AIRs)
	if len(publics) != T {
		return reject("shape", "", "%d public value lists for %d tables", len(publics), T)
	}
	for t, a := range vk.AIRs {
		if len(publics[t]) != len(a.Publics) {
			return reject("shape", a.Name, "%d public values, the AIR declares %d", len(publics[t]), len(a.Publics))
		}
	}
	if len(proof.LogN) != T || len(proof.CumSums) != T {
		return reject("shape", "", "proof has %d heights and %d cumulative sums for %d tables", len(proof.LogN), len(proof.CumSums), T)
	}
	for t, a := range vk.AIRs {
		l := proof.LogN[t]
		if l == Absent {
			if !vk.Optional[t] {
				return reject("shape", a.Name, "the table is left out, but it is not optional")
			}
			if !proof.CumSums[t].IsZero() {
				return reject("shape", a.Name, "an absent table with a nonzero cumulative sum")
			}
			continue
		}
		if l < 0 || l+vk.LogBlowup > field.TwoAdicity {
			return reject("shape", a.Name, "height 2^%d out of range", l)
		}
		if vk.PrepLogN[t] >= 0 && vk.PrepLogN[t] != l {
			return reject("shape", a.Name, "height 2^%d differs from the preprocessed height 2^%d", l, vk.PrepLogN[t])
		}
		if vk.Layouts[t].NumAux() == 0 && !proof.CumSums[t].IsZero() {
			return reject("shape", a.Name, "a cumulative sum for a table without interactions")
		}
	}
	present := presentTables(proof.LogN)
	if len(present) == 0 {
		return reject("shape", "", "every table is absent")
	}
	dg := cfg.Scheme.ExtDegree()
	if proof.ExtDegree() != dg {
		return reject("shape", "", "a proof over the degree-%d extension, the parameters' extension has degree %d", proof.ExtDegree(), dg)
	}
	for t := range proof.CumSums {
		if !proof.CumSums[t].InDegree(dg) {
			return reject("shape", vk.AIRs[t].Name, "a cumulative sum of degree %d, the parameters' extension has degree %d", proof.CumSums[t].Degree(), dg)
		}
	}
	for _, rd := range proof.Values {
		for _, m := range rd {
			for _, pt := range m {
				for _, v := range pt {
					if !v.InDegree(dg) {
						return reject("shape", "", "an opened value of degree %d, the parameters' extension has degree %d", v.Degree(), dg)
					}
				}
			}
		}
	}
	if vk.Hash != cfg.Scheme.Hash() || proof.Hash != vk.Hash {
		return reject("shape", "", "the verifying key's hash is %v, the commitment scheme's %v, the proof's %v", vk.Hash, cfg.Scheme.Hash(), proof.Hash)
	}
	for _, r := range []hash.Node{proof.MainRoot, proof.AuxRoot, proof.QuotRoot} {
		if !vk.Hash.Canonical(&r) {
			return reject("shape", "", "a commitment that is not a %v digest", vk.Hash)
		}
	}
	if vk.LogBlowup != cfg.Scheme.LogBlowup() {
		return reject("shape", "", "the verifying key was made for blowup 2^%d, the commitment scheme uses 2^%d", vk.LogBlowup, cfg.Scheme.LogBlowup())
	}
	if err := CheckBuses(vk, proof.LogN, bus); err != nil {
		return reject("bus", "", "%v", err)
	}
	hasAux := false
	for _, t := range present {
		hasAux = hasAux || vk.Layouts[t].NumAux() > 0
	}
	if !hasAux && proof.AuxRoot != (hash.Node{}) {
		return reject("shape", "", "an aux commitment without any LogUp columns")
	}

	tr := startTranscript(cfg.Scheme, vk, proof.LogN, publics, bus)
	tr.ObserveNode(proof.MainRoot)
	logUpBits, deepBits := cfg.Scheme.Grinding()
	if !tr.CheckWitness(logUpBits, proof.LogUpNonce) {
		return reject("pow", "", "LogUp nonce %d does not meet %d bits of proof of work", proof.LogUpNonce.Uint64(), logUpBits)
	}
	ch := lookup.Sample(tr.SampleExt, vk.AIRs, bus)
	tr.ObserveExt(proof.CumSums...)
	tr.ObserveNode(proof.AuxRoot)
	alphaQ := tr.SampleExt()
	tr.ObserveNode(proof.QuotRoot)
	if !tr.CheckWitness(deepBits, proof.DEEPNonce) {
		return reject("pow", "", "DEEP nonce %d does not meet %d bits of proof of work", proof.DEEPNonce.Uint64(), deepBits)
	}
	zeta := tr.SampleExt()

	// The bus balances: the tables' sums and the public messages cancel.
	pub, err := lookup.PublicSum(ch, bus)
	if err != nil {
		return reject("bus", "", "%v", err)
	}
	total := pub
	for t := range vk.AIRs {
		total.Add(&total, &proof.CumSums[t])
	}
	if !total.IsZero() {
		return reject("bus", "", "the LogUp bus does not balance")
	}

	// Zero knowledge: the committed heights and chunk counts, as the prover chose them.
	zk := cfg.Scheme.Hiding() > 0
	var shapes []zkShape
	var maskLogN int
	if zk {
		if shapes, maskLogN, err = vk.shapes(cfg.Scheme, proof.LogN); err != nil {
			return reject("shape", "", "%v", err)
		}
	}
	// logChunks is a table's log number of quotient chunks, logChunk their log size in
	// units of its height (zero knowledge lets a short table have longer chunks).
	logChunks := func(t int) int {
		if zk {
			return shapes[t].logQ - shapes[t].logC
		}
		return vk.LogQuot[t]
	}
	logChunk := func(t int) int {
		if zk {
			return shapes[t].logC
		}
		return 0
	}
	// committed is a matrix's committed log height: ext is the table's zero-knowledge
	// extension of the matrix (0 without zero knowledge).
	committed := func(t int, ext func(zkShape) int) int {
		if zk {
			return proof.LogN[t] + ext(shapes[t])
		}
		return proof.LogN[t]
	}
	traceExt := func(s zkShape) int { return s.ext }
	quotExt := func(s zkShape) int { return s.qext }
	none := func(zkShape) int { return 0 }

	// Round layout, as the prover built it.
	prepIndex := prepIndices(vk)
	wantRounds := 2
	if vk.HasPrep {
		wantRounds++
	}
	if hasAux {
		wantRounds++
	}
	if len(proof.Values) != wantRounds {
		return reject("shape", "", "%d opened rounds, want %d", len(proof.Values), wantRounds)
	}
	var rounds []pcs.VerifyRound
	r := 0
	twoPoints := make([][]field.Ext, T)
	for _, t := range present {
		var next field.Ext
		w := ntt.RootOfUnity(proof.LogN[t])
		next.MulByElement(&zeta, &w)
		twoPoints[t] = []field.Ext{zeta, next}
	}
	type opened struct{ prep, main, aux, quot [][]field.Ext } // [point][column]
	open := make([]opened, T)
	// takeRound reads one round: the matrices of tables (t = −1: the zero-knowledge
	// mask, of log height maskLogN), of the given widths, committed with the tables'
	// heights extended by ext, hiding in zero-knowledge mode when hiding is set. An
	// absent table's matrix (only in the preprocessed round: an optional table with
	// preprocessed columns) has its preprocessed height and is opened at no point.
	takeRound := func(root hash.Node, tables []int, widths []int, points int, ext func(zkShape) int, hiding bool) error {
		vals := proof.Values[r]
		if len(vals) != len(tables) {
			return reject("shape", "", "round %d opens %d matrices, want %d", r, len(vals), len(tables))
		}
		vr := pcs.VerifyRound{Root: root, Values: vals, Hiding: zk && hiding}
		for i, t := range tables {
			name := "zero-knowledge mask"
			if t >= 0 {
				name = vk.AIRs[t].Name
			}
			want := points
			if t >= 0 && proof.LogN[t] == Absent {
				want = 0
			}
			if len(vals[i]) != want {
				return reject("shape", name, "round %d: %d points opened, want %d", r, len(vals[i]), want)
			}
			for _, v := range vals[i] {
				if len(v) != widths[i] {
					return reject("shape", name, "round %d: %d values per point, want %d", r, len(v), widths[i])
				}
			}
			if t < 0 {
				vr.Dims = append(vr.Dims, pcs.Dim{Width: widths[i], LogN: maskLogN})
				vr.Points = append(vr.Points, []field.Ext{zeta})
				continue
			}
			if proof.LogN[t] == Absent {
				vr.Dims = append(vr.Dims, pcs.Dim{Width: widths[i], LogN: vk.PrepLogN[t]})
				vr.Points = append(vr.Points, nil)
				continue
			}
			vr.Dims = append(vr.Dims, pcs.Dim{Width: widths[i], LogN: committed(t, ext)})
			if points == 2 {
				vr.Points = append(vr.Points, twoPoints[t])
			} else {
				vr.Points = append(vr.Points, []field.Ext{zeta})
			}
		}
		rounds = append(rounds, vr)
		r++
		return nil
	}
	all := present
	if vk.HasPrep {
		var tables, widths []int
		for t, a := range vk.AIRs {
			if prepIndex[t] >= 0 {
				tables, widths = append(tables, t), append(widths, len(a.Prep))
			}
		}
		if err := takeRound(vk.PrepRoot, tables, widths, 2, none, false); err != nil {
			return err
		}
		for i, t := range tables {
			open[t].prep = proof.Values[r-1][i]
		}
	}
	{
		widths := make([]int, len(all))
		for i, t := range all {
			widths[i] = len(vk.AIRs[t].Main)
			if vk.blinded(t, zk) { // the LogUp blinding column
				widths[i] += BlindingColumns(dg)
			}
		}
		if err := takeRound(proof.MainRoot, all, widths, 2, traceExt, true); err != nil {
			return err
		}
		for i, t := range all {
			open[t].main = proof.Values[r-1][i]
		}
	}
	if hasAux {
		var tables, widths []int
		for _, t := range present {
			if n := vk.Layouts[t].NumAux(); n > 0 {
				tables, widths = append(tables, t), append(widths, dg*n)
			}
		}
		if err := takeRound(proof.AuxRoot, tables, widths, 2, traceExt, true); err != nil {
			return err
		}
		for i, t := range tables {
			open[t].aux = proof.Values[r-1][i]
		}
	}
	{
		tables := slices.Clone(all)
		widths := make([]int, len(all))
		for i, t := range all {
			widths[i] = dg << logChunks(t)
		}
		if zk {
			tables, widths = append(tables, -1), append(widths, dg)
		}
		if err := takeRound(proof.QuotRoot, tables, widths, 1, quotExt, true); err != nil {
			return err
		}
		for i, t := range all {
			open[t].quot = proof.Values[r-1][i]
		}
	}

	// The constraints hold at ζ: Σ_k α^k·sel_k(ζ)·C_k(ζ) = Z_H(ζ)·Q(ζ).
	for _, t := range present {
		a := vk.AIRs[t]
		sel, ok := selectorsAt(zeta, proof.LogN[t], omegaInv(proof.LogN[t]))
		if !ok {
			return reject("constraints", a.Name, "the out-of-domain point lies on the trace domain")
		}
		nm := len(a.Main) // the AIR's columns; a blinding column follows them
		pv := &air.PointValues{Main: open[t].main[0][:nm], MainNext: open[t].main[1][:nm], Publics: publics[t]}
		if len(a.Prep) > 0 {
			pv.Prep, pv.PrepNext = open[t].prep[0], open[t].prep[1]
		}
		nodes := make([]field.Ext, len(a.Nodes))
		a.EvalPoint(pv, nodes)
		var sum, coeff field.Ext
		coeff.SetOne()
		for _, c := range a.Constraints {
			s := sel.of(int(c.Sel))
			var v field.Ext
			v.Mul(&nodes[c.Root], &s)
			v.Mul(&v, &coeff)
			sum.Add(&sum, &v)
			coeff.Mul(&coeff, &alphaQ)
		}
		if l := vk.Layouts[t]; l.NumAux() > 0 {
			cum := proof.CumSums[t]
			if vk.blinded(t, zk) { // S + blind − σ = S − (σ − blind(ζ))
				b := extColumns(open[t].main[0][nm:], dg)[0]
				cum.Sub(&cum, &b)
			}
			vals, sels := lookup.EvalPoint(a, l, nodes, extColumns(open[t].aux[0], dg), extColumns(open[t].aux[1], dg), ch, cum)
			for i := range vals {
				s := sel.of(int(sels[i]))
				var v field.Ext
				v.Mul(&vals[i], &s)
				v.Mul(&v, &coeff)
				sum.Add(&sum, &v)
				coeff.Mul(&coeff, &alphaQ)
			}
		}
		chunks := extColumns(open[t].quot[0], dg)
		var qz, zn, pw field.Ext
		zn.Set(&zeta)
		for range proof.LogN[t] + logChunk(t) { // ζ^c, c the chunk size
			zn.Square(&zn)
		}
		pw.SetOne()
		for _, c := range chunks {
			var v field.Ext
			v.Mul(&c, &pw)
			qz.Add(&qz, &v)
			pw.Mul(&pw, &zn)
		}
		qz.Mul(&qz, &sel.zh)
		if !qz.Equal(&sum) {
			return reject("constraints", a.Name, "the constraints do not hold at the out-of-domain point")
		}
	}

	if err := cfg.Scheme.Verify(rounds, proof.PCS, tr); err != nil {
		return &Error{Check: "pcs", Err: err}
	}
	return nil
}
