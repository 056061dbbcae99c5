package stark

import (
	"fmt"
	"sync"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/lookup"
	"github.com/oneiros-zk/oneiros/proving/ntt"
	"github.com/oneiros-zk/oneiros/proving/pcs"
)

// Zero knowledge (a scheme whose Hiding() is the number of queries Q > 0).
//
// A proof reveals each committed polynomial at its out-of-domain points and at the Q
// query points of the LDE. In zero-knowledge mode the prover therefore commits, for
// a trace column f of height n (main and LogUp), f' = f + Z_H·r with r uniformly random
// of degree < hTrace = 2Q + 2, as its evaluations on H_(n·2^ext): f' agrees with f on
// H_n, so the constraints hold for f' exactly where they held for f, and any hTrace
// evaluations of f' off H_n are uniform and independent of f (Z_H does not vanish
// there, and r ↦ (r(x_i)) is a bijection for distinct x_i). The points are ζ, ζ·ω, the Q
// query points x_q, and the Q points ω·x_q at which a query implicitly reveals the
// quotient's numerator (Σ_j x^(jn)·Q_j(x) = C(x)/Z_H(x) holds at every x).
//
// The quotient Q = C/Z_H then has degree < d·(n + hTrace − 1) − n + 1 for constraint
// degree d, so it is computed on a quotient domain of 2^logQ·n points inside the main
// LDE and split into k = 2^(logQ−logC) chunks Q_j of c = n·2^logC coefficients, k at
// most the power of two above d: a table much shorter than hTrace (a few rows) gets a
// few chunks of c ≥ hTrace coefficients rather than thousands of chunks of n. Each chunk
// is masked so that the chunks' sum is unchanged: Q'_j = Q_j + X^c·r_j − r_(j−1) with r_j
// of degree < hQuot = Q + 1 (r_(−1) = r_(k−1) = 0), committed on H_(n·2^qext) ⊇ c + hQuot
// points; Σ_j X^(jc)·Q'_j = Σ_j X^(jc)·Q_j, and every revealed chunk value is uniform
// subject to that sum. The verifier recombines Σ_j ζ^(jc)·Q_j(ζ).
//
// The low-degree test batches everything into one word and reveals much more of it
// (cosets in every folded layer, the final polynomial); a random matrix of four columns
// and log height Scheme.MaskLogN, opened at ζ, joins the batch with a coefficient of its
// own, so that the batched word is a uniform polynomial of the mask's degree plus the
// rest. Every commitment made with randomness is salted (package fri, merkle), and the
// preprocessed columns, which are public, are neither masked nor salted.

// zkShape is the committed shape of one table in zero-knowledge mode.
type zkShape struct {
	ext  int // the trace (main, LogUp) is committed on H_(n·2^ext)
	logQ int // the quotient has 2^logQ·n coefficients (its domain's size)
	logC int // in 2^(logQ−logC) chunks of n·2^logC coefficients
	qext int // each chunk is committed on H_(n·2^qext)
}

// zkMasks returns the numbers of random coefficients of the trace and chunk masks.
func zkMasks(queries int) (hTrace, hQuot int) { return 2*queries + 2, queries + 1 }

// quotientDegree is the degree bound d of the table's quotient numerator, as Setup
// counts it for LogQuot.
func (vk *VerifyingKey) quotientDegree(t int) int {
	a, l := vk.AIRs[t], vk.Layouts[t]
	d := max(a.MaxConstraintDegree(), 2)
	if l.NumAux() > 0 {
		d = max(d, l.MaxDegree(a))
	}
	return d
}

// shapeOf is the zero-knowledge shape of table t at log height logN, for Q queries.
func (vk *VerifyingKey) shapeOf(t, logN, queries int) (zkShape, error) {
	s, ok := shapeFor(vk.quotientDegree(t), logN, vk.LogBlowup, queries)
	if !ok {
		return s, fmt.Errorf("table %s: height 2^%d is too tall for zero knowledge (its masked trace would pass the field's 2^%d domain)", vk.AIRs[t].Name, logN, field.TwoAdicity)
	}
	return s, nil
}

// shapeFor is the zero-knowledge shape of a table of log height logN whose quotient
// numerator has degree bound d; ok is false when it passes the field's 2-adic domain.
func shapeFor(d, logN, logBlowup, queries int) (s zkShape, ok bool) {
	n := 1 << logN
	hT, hQ := zkMasks(queries)
	for (1<<s.logQ)*n < d*(n+hT-1)-n+1 {
		s.logQ++
	}
	ld := 0 // at most 2^⌈log2 d⌉ chunks
	for 1<<ld < d {
		ld++
	}
	s.logC = max(0, s.logQ-ld)
	s.ext = 1
	for n<<s.ext < n+hT || s.logQ > s.ext+logBlowup {
		s.ext++
	}
	s.qext = s.logC + 1
	for n<<s.qext < n<<s.logC+hQ {
		s.qext++
	}
	return s, logN+s.ext+logBlowup <= field.TwoAdicity && logN+s.qext+logBlowup <= field.TwoAdicity
}

// ZKShape is what a zero-knowledge proof commits for a table of log height logN whose
// constraints (AIR and LogUp) have degree at most degree (at least 2), at blowup
// 2^logBlowup with the given number of queries: its main and LogUp columns on
// 2^(logN+traceExt) points before the blowup, and 2^logChunks quotient chunks on
// 2^(logN+quotExt) points. ok is false when the table is too tall for zero knowledge.
// For the security accounting (package hemera), which counts committed heights.
func ZKShape(degree, logN, logBlowup, queries int) (traceExt, logChunks, quotExt int, ok bool) {
	s, ok := shapeFor(max(degree, 2), logN, logBlowup, queries)
	return s.ext, s.logQ - s.logC, s.qext, ok
}

// shapes returns the zero-knowledge shape of every present table (zero for an absent one)
// and the log height of the low-degree test's mask.
func (vk *VerifyingKey) shapes(scheme pcs.Scheme, logN []int) ([]zkShape, int, error) {
	q := scheme.Hiding()
	out := make([]zkShape, len(logN))
	tallest := 0
	for t, l := range logN {
		if l == Absent {
			continue
		}
		s, err := vk.shapeOf(t, l, q)
		if err != nil {
			return nil, 0, err
		}
		out[t] = s
		tallest = max(tallest, l+s.ext, l+s.qext)
	}
	return out, scheme.MaskLogN(tallest), nil
}

// randomize returns, for each column f of height n, the evaluations on H_(n·2^ext) of
// f + Z_H·r, r with h random coefficients drawn from rng in column order.
func randomize(cols [][]field.Elem, ext, h int, rng *pcs.Rand, workers int) [][]field.Elem {
	if len(cols) == 0 {
		return nil
	}
	n := len(cols[0])
	masks := make([][]field.Elem, len(cols))
	for c := range masks {
		masks[c] = rng.Column(h)
	}
	out := make([][]field.Elem, len(cols))
	parallelFor(len(cols), workers, func(c int) {
		v := make([]field.Elem, n<<ext)
		copy(v, cols[c])
		ntt.Interpolate(v[:n], 1)
		for i, r := range masks[c] { // + (X^n − 1)·r
			v[i].Sub(&v[i], &r)
			v[n+i].Add(&v[n+i], &r)
		}
		ntt.Evaluate(v, 1)
		out[c] = v
	})
	return out
}

// maskChunks adds the telescoping masks to a quotient coordinate's chunks, given by
// their coefficients (k chunks of n), and returns the chunks' evaluations on
// H_(n·2^qext). masks[j] (j < k−1) holds r_j's coefficients.
func maskChunks(chunks [][]field.Elem, masks [][]field.Elem, qext int) [][]field.Elem {
	k := len(chunks)
	out := make([][]field.Elem, k)
	for j := range chunks {
		n := len(chunks[j])
		v := make([]field.Elem, n<<qext)
		copy(v, chunks[j])
		if j < k-1 {
			for i, r := range masks[j] { // + X^n·r_j
				v[n+i].Add(&v[n+i], &r)
			}
		}
		if j > 0 {
			for i, r := range masks[j-1] { // − r_(j−1)
				v[i].Sub(&v[i], &r)
			}
		}
		ntt.Evaluate(v, 1)
		out[j] = v
	}
	return out
}

// parallelFor runs f(0) … f(n−1) on at most workers goroutines.
func parallelFor(n, workers int, f func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int, n)
	for i := range n {
		next <- i
	}
	close(next)
	for range max(1, min(workers, n)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	wg.Wait()
}

// BlindingColumns is the number of base columns a table with LogUp columns adds to its
// main trace in zero-knowledge mode (its LogUp blinding column, package lookup): the
// extension's degree d.
func BlindingColumns(d int) int { return d }

// ZKExt is the zero-knowledge extension of table t's trace at log height logN with the
// given number of queries: the trace is committed on H_(n·2^ZKExt). For tests and tools
// that look inside a proof.
func ZKExt(vk *VerifyingKey, t, logN, queries int) int {
	s, err := vk.shapeOf(t, logN, queries)
	if err != nil {
		return -1
	}
	return s.ext
}

// blinded reports whether table t carries a LogUp blinding column: in zero-knowledge
// mode, every table with LogUp columns (package lookup, "Blinding the cumulative sums").
func (vk *VerifyingKey) blinded(t int, zk bool) bool { return zk && vk.Layouts[t].NumAux() > 0 }

// drawBlinds sets blinds[t], for the present tables with LogUp columns, to offsets
// uniform subject to summing to zero (lookup.Blinds), drawn from rng in table order.
func drawBlinds(vk *VerifyingKey, logN []int, d int, rng *pcs.Rand, blinds []field.Ext) {
	var tables []int
	for _, t := range presentTables(logN) {
		if vk.blinded(t, true) {
			tables = append(tables, t)
		}
	}
	draw := func() field.Ext {
		co := make([]field.Elem, d)
		for i := range co {
			co[i] = rng.Elem()
		}
		return field.ExtFromCoords(co)
	}
	for i, d := range lookup.Blinds(len(tables), draw) {
		blinds[tables[i]] = d
	}
}

// blindColumns is the blinding column of a table of n rows: the dg coordinates of d on
// every row (only the last row's value enters a constraint; a constant column is the
// simplest polynomial that has it).
func blindColumns(d field.Ext, dg, n int) [][]field.Elem {
	co := field.ExtCoords(&d)
	cols := make([][]field.Elem, BlindingColumns(dg))
	for c := range cols {
		cols[c] = make([]field.Elem, n)
		for i := range cols[c] {
			cols[c][i] = co[c]
		}
	}
	return cols
}
