package fri

import (
	"fmt"
	"runtime"
	"slices"
	"sync/atomic"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/merkle"
	"github.com/oneiros-zk/oneiros/proving/ntt"
	"github.com/oneiros-zk/oneiros/proving/pcs"
	"github.com/oneiros-zk/oneiros/proving/transcript"
)

// Open implements pcs.Scheme.
func (s *PCS) Open(rounds []pcs.OpenRound, tr *transcript.Challenger, rng *pcs.Rand) ([][][][]field.Ext, []byte, error) {
	if tr.ExtDegree() != s.params.Ext() || tr.Scheme() != s.params.Hash {
		return nil, nil, fmt.Errorf("fri: a transcript of degree %d and hash %v for parameters of degree %d and hash %v", tr.ExtDegree(), tr.Scheme(), s.params.Ext(), s.params.Hash)
	}
	B := s.params.LogBlowup
	pc := newPointCache()
	values := make([][][][]field.Ext, len(rounds))
	var logLDEs []int
	for r, rd := range rounds {
		c, ok := rd.Data.(*committed)
		if !ok {
			return nil, nil, fmt.Errorf("fri: round %d was not committed by this scheme", r)
		}
		if len(rd.Points) != len(c.shifts) {
			return nil, nil, fmt.Errorf("fri: round %d: points for %d matrices, %d committed", r, len(rd.Points), len(c.shifts))
		}
		values[r] = make([][][]field.Ext, len(rd.Points))
		for m, pts := range rd.Points {
			cols, shift := c.LDE(m)
			logL := ntt.Log2(len(cols[0]))
			logLDEs = append(logLDEs, logL)
			values[r][m] = make([][]field.Ext, len(pts))
			for zi, z := range pts {
				v, err := s.evaluate(pc, cols, logL-B, shift, z)
				if err != nil {
					return nil, nil, fmt.Errorf("fri: round %d matrix %d: %w", r, m, err)
				}
				values[r][m][zi] = v
			}
		}
	}
	for r := range values {
		for m := range values[r] {
			for _, v := range values[r][m] {
				tr.ObserveExt(v...)
			}
		}
	}
	widths := make([][]int, len(rounds))
	for r, rd := range rounds {
		widths[r] = make([]int, len(rd.Points))
		for m, pts := range rd.Points {
			if len(pts) > 0 {
				cols, _ := rd.Data.(*committed).LDE(m)
				widths[r][m] = len(cols)
			}
		}
	}
	coeffs := sampleCoefficients(tr, widths)

	// The barycentric weights are not needed again; what follows is the memory peak of
	// the proof (every LDE is still held for the queries), so they go first.
	clear(pc.weights)

	// One DEEP quotient per LDE height, over the (height, points) groups of matrices:
	// with T = Σ_m Σ_c r_(m,c)·col_(m,c) over a group's matrices and U the polynomial of
	// degree < |Z| through (z, T(z)) for z in its points Z, the group contributes
	// (T − U)/Π_Z (x − z), computed in Newton form (see quotientGroup). T is built
	// coordinate-wise straight from the base columns, once per matrix whatever the
	// number of points. Each height is reduced block by block (deepReduce): T and the
	// 1/(x − z) are never held over the whole LDE, only the reduced codeword is.
	var groups []*group
	for r, rd := range rounds {
		c := rd.Data.(*committed)
		for m, pts := range rd.Points {
			if len(pts) == 0 {
				continue
			}
			cols, _ := c.LDE(m)
			logL := ntt.Log2(len(cols[0]))
			zs, at := distinct(pts)
			g := findGroup(&groups, logL, zs)
			g.members = append(g.members, member{cols: cols, coeffs: coeffs[r][m]})
			for zi := range zs {
				v := combineValues(values[r][m][slices.Index(at, zi)], coeffs[r][m])
				g.values[zi].Add(&g.values[zi], &v)
			}
		}
	}
	reduced := map[int]field.ExtVec{}
	for _, g := range groups {
		if _, ok := reduced[g.logL]; ok {
			continue
		}
		var gs []*group
		for _, h := range groups {
			if h.logL == g.logL {
				gs = append(gs, h)
			}
		}
		acc, err := s.deepReduce(pc, g.logL, gs)
		if err != nil {
			return nil, nil, err
		}
		reduced[g.logL] = acc
	}
	if len(reduced) == 0 {
		return nil, nil, fmt.Errorf("fri: nothing to open")
	}
	runtime.GC() // the weights and the blocks' scratch, before the folding allocates its own
	proof, err := s.prove(reduced, logLDEs, rounds, pc, tr, rng)
	if err != nil {
		return nil, nil, err
	}
	return values, proof.Encode(), nil
}

// evaluate returns every column's value at z, by the barycentric formula on the first
// n points of the LDE (the coset shift·H_n, bit-reversed):
// f(z) = (z^n − s^n)/(n·s^n) · Σ_i f(x_i)·x_i/(z − x_i).
func (s *PCS) evaluate(pc *pointCache, cols [][]field.Elem, logN int, shift field.Elem, z field.Ext) ([]field.Ext, error) {
	n := 1 << logN
	key := weightKey{logN: logN, z: z}
	pc.mu.Lock()
	w, ok := pc.weights[key]
	pc.mu.Unlock()
	if !ok {
		pts := ntt.CosetPoints(logN, shift)
		dg := s.params.Ext()
		d := field.NewExtVec(dg, n)
		zc := field.ExtCoords(&z)
		var zero atomic.Bool
		parallelRange(n, s.workers, func(lo, hi int) {
			sc := field.NewExtScratch(min(hi-lo, extBlock))
			for b := lo; b < hi; b += extBlock {
				e := min(b+extBlock, hi)
				v := d.Slice(b, e)
				for i := b; i < e; i++ {
					v.C[0][i-b].Sub(&zc[0], &pts[i])
					for c := 1; c < dg; c++ {
						v.C[c][i-b] = zc[c]
					}
				}
				if field.InvertExtVec(v, v, sc) {
					zero.Store(true)
				}
				field.MulExtVecBase(v, v, field.Vector(pts[b:e]))
			}
		})
		if zero.Load() {
			return nil, fmt.Errorf("opening point lies in the evaluation domain")
		}
		w = d.C
		pc.mu.Lock()
		pc.weights[key] = w
		pc.mu.Unlock()
	}
	// factor = (z^n − s^n) / (n·s^n)
	var zn, sn field.Ext
	zn.Set(&z)
	for range logN {
		zn.Square(&zn)
	}
	sn = field.NewExt(shift)
	for range logN {
		sn.Square(&sn)
	}
	var factor, den field.Ext
	factor.Sub(&zn, &sn)
	nElem := field.New(uint64(n))
	den.MulByElement(&sn, &nElem)
	den.Inverse(&den)
	factor.Mul(&factor, &den)

	out := make([]field.Ext, len(cols))
	parallelRange(len(cols), s.workers, func(lo, hi int) {
		for c := lo; c < hi; c++ {
			col := field.Vector(cols[c][:n])
			var co [field.MaxExtDegree]field.Elem
			for j := range w {
				co[j] = field.VecInnerProduct(col, field.Vector(w[j]))
			}
			v := field.ExtFromCoords(co[:len(w)])
			out[c].Mul(&v, &factor)
		}
	})
	return out, nil
}

// deepReduce returns Σ over the groups gs (all of LDE log size logL) of
// (T_g − U_g)/Π_(z∈Z_g) (x − z) at every point x of the LDE, computed block by block: a
// block's 1/(x − z) for every point of the groups, each group's T_g on the block from its
// matrices' columns, then its Newton steps q ← (q − dd_j)/(x − z_j).
func (s *PCS) deepReduce(pc *pointCache, logL int, gs []*group) (field.ExtVec, error) {
	dg := s.params.Ext()
	var zs []field.Ext // the distinct points of the groups
	dds := make([][]field.Ext, len(gs))
	zat := make([][]int, len(gs)) // zat[g][j]: the index in zs of group g's point j
	for i, g := range gs {
		dd, err := g.dividedDifferences()
		if err != nil {
			return field.ExtVec{}, err
		}
		dds[i] = dd
		for _, z := range g.z {
			k := slices.Index(zs, z)
			if k < 0 {
				k = len(zs)
				zs = append(zs, z)
			}
			zat[i] = append(zat[i], k)
		}
	}
	pts := pc.ldePoints(logL)
	acc := field.NewExtVec(dg, len(pts))
	parallelRange(len(pts), s.workers, func(lo, hi int) {
		bl := min(hi-lo, extBlock)
		sc := field.NewExtScratch(bl)
		invs := make([]field.ExtVec, len(zs))
		for k := range invs {
			invs[k] = field.NewExtVec(dg, bl)
		}
		tv := field.NewExtVec(dg, bl)
		tmp := make(field.Vector, bl)
		for b := lo; b < hi; b += extBlock {
			e := min(b+extBlock, hi)
			for k, z := range zs { // 1/(x − z); x − z ≠ 0: z was checked against the domain
				zc := field.ExtCoords(&z)
				blk := invs[k].Slice(0, e-b)
				for i := b; i < e; i++ {
					blk.C[0][i-b].Sub(&pts[i], &zc[0])
					for c := 1; c < dg; c++ {
						blk.C[c][i-b].Neg(&zc[c])
					}
				}
				field.InvertExtVec(blk, blk, sc)
			}
			t := tv.Slice(0, e-b)
			a := acc.Slice(b, e)
			for gi, g := range gs {
				for cc := range t.C {
					clear(t.C[cc])
				}
				for _, mb := range g.members {
					combineBlock(t, mb.cols, mb.coeffs, b, e, tmp[:e-b])
				}
				for j := range g.z {
					cz := field.ExtCoords(&dds[gi][j])
					for cc := range t.C {
						field.VecSubScalar(t.C[cc], t.C[cc], &cz[cc])
					}
					field.MulExtVec(t, t, invs[zat[gi][j]].Slice(0, e-b), sc)
				}
				for cc := range a.C {
					field.VecAdd(a.C[cc], a.C[cc], t.C[cc])
				}
			}
		}
	})
	return acc, nil
}

// extBlock is the block length of batch extension arithmetic.
const extBlock = 1024

func ptr(e field.Ext) *field.Ext { return &e }

// combineBlock adds Σ_c coeffs[c]·cols[c][b:e] into acc (a block of e − b values),
// coordinate-wise; t is scratch of e − b elements.
func combineBlock(acc field.ExtVec, cols [][]field.Elem, coeffs []field.Ext, b, e int, t field.Vector) {
	c := 0
	for ; c+4 <= len(cols); c += 4 { // four columns a pass: one reduction per 4 products
		var src [4]field.Vector
		var co [4][field.MaxExtDegree]field.Elem
		for k := range 4 {
			src[k] = field.Vector(cols[c+k][b:e])
			co[k] = field.ExtCoords(&coeffs[c+k])
		}
		for j := range acc.C {
			s := [4]field.Elem{co[0][j], co[1][j], co[2][j], co[3][j]}
			field.VecScalarMulAcc4(acc.C[j], &src, &s, t)
		}
	}
	for ; c < len(cols); c++ {
		co := field.ExtCoords(&coeffs[c])
		src := field.Vector(cols[c][b:e])
		for j := range acc.C {
			field.VecMulAcc(acc.C[j], src, nil, &co[j], false, t)
		}
	}
}

// combineValues returns Σ_c coeffs[c]·v[c].
func combineValues(v []field.Ext, coeffs []field.Ext) field.Ext {
	var acc, t field.Ext
	for c := range v {
		t.Mul(&v[c], &coeffs[c])
		acc.Add(&acc, &t)
	}
	return acc
}

// prove runs the FRI commit and query phases on the reduced codewords.
func (s *PCS) prove(reduced map[int]field.ExtVec, logLDEs []int, rounds []pcs.OpenRound, pc *pointCache, tr *transcript.Challenger, rng *pcs.Rand) (*Proof, error) {
	sch := newSchedule(s.params, logLDEs)
	cw := reduced[sch.logMax] // folded into new vectors, never written
	// Each reduced codeword is let go once folded or rolled in (the LDEs are still held
	// for the queries: this is the proof's memory peak).
	delete(reduced, sch.logMax)
	type layer struct {
		tree  *merkle.Tree
		arity int
	}
	layers := make([]layer, 0, len(sch.arities))
	proof := &Proof{Salted: s.params.ZK, Ext: s.params.Ext(), Hash: s.params.Hash}
	cur := sch.logMax
	for _, a := range sch.arities {
		tree, err := s.commitLayer(groupMatrix(cw, s.params.Ext(), a), rng)
		if err != nil {
			return nil, fmt.Errorf("fri: layer commit: %w", err)
		}
		layers = append(layers, layer{tree, a})
		proof.LayerRoots = append(proof.LayerRoots, tree.Root())
		tr.ObserveNode(tree.Root())
		beta, gamma := tr.SampleExt(), tr.SampleExt()
		for t := range a {
			L := cur - t
			invX := invEven(pc.ldePoints(L))
			next := field.NewExtVec(s.params.Ext(), cw.Len()/2)
			if err := s.k.FoldFRI(next, cw, beta, invX); err != nil {
				return nil, err
			}
			cw = next
			beta.Square(&beta)
		}
		cur -= a
		if ro, ok := reduced[cur]; ok {
			addScaled(cw, ro, &gamma, s.workers)
			delete(reduced, cur)
		}
	}
	proof.FinalPoly = finalPoly(cw, s.params.Ext(), sch.logFinal, sch.finalLen(s.params))
	tr.ObserveExt(proof.FinalPoly...)
	proof.Nonce = tr.GrindParallel(s.params.GrindingBits, s.workers)
	tr.CheckWitness(s.params.GrindingBits, proof.Nonce)

	trees := make([]interface{ Open(int) merkle.Opening }, len(rounds))
	logHs := make([]int, len(rounds))
	for r, rd := range rounds {
		c := rd.Data.(*committed)
		trees[r] = c.tree
		logHs[r] = c.tree.LogHeight()
	}
	proof.Queries = make([]QueryProof, s.params.NumQueries)
	// The indices are drawn in order first; the openings (which recompute the trees'
	// dropped bottom layers, merkle.DroppedLayers) are then made in parallel.
	idxs := make([]int, len(proof.Queries))
	for q := range idxs {
		idxs[q] = tr.SampleBits(sch.logMax)
	}
	parallelEach(len(idxs), s.workers, func(lo, hi int) {
		for q := lo; q < hi; q++ {
			idx := idxs[q]
			qp := &proof.Queries[q]
			for r := range rounds {
				qp.Inputs = append(qp.Inputs, trees[r].Open(idx>>(sch.logMax-logHs[r])))
			}
			cur := sch.logMax
			for _, l := range layers {
				pos := idx >> (sch.logMax - cur)
				qp.Layers = append(qp.Layers, l.tree.Open(pos>>l.arity))
				cur -= l.arity
			}
		}
	})
	return proof, nil
}

// invEven returns 1/pts[2i] for every pair.
func invEven(pts []field.Elem) []field.Elem {
	v := make([]field.Elem, len(pts)/2)
	for i := range v {
		v[i] = pts[2*i]
	}
	return field.BatchInvert(v)
}

// addScaled sets cw += γ·ro (the roll-in of a shorter height's codeword), block by
// block on the workers.
func addScaled(cw, ro field.ExtVec, gamma *field.Ext, workers int) {
	parallelRange(cw.Len(), workers, func(lo, hi int) {
		sc := field.NewExtScratch(min(hi-lo, extBlock))
		t := field.NewExtVec(cw.Degree(), min(hi-lo, extBlock))
		for b := lo; b < hi; b += extBlock {
			e := min(b+extBlock, hi)
			tb := t.Slice(0, e-b)
			field.MulExtVecScalar(tb, ro.Slice(b, e), gamma, sc)
			c := cw.Slice(b, e)
			for j := range c.C {
				field.VecAdd(c.C[j], c.C[j], tb.C[j])
			}
		}
	})
}

// groupMatrix lays out a codeword as the matrix committed for a layer of arity 2^a:
// row g holds the 2^a consecutive values g·2^a … as d·2^a base elements (d the
// extension's degree).
func groupMatrix(cw field.ExtVec, d, a int) merkle.Matrix {
	k := 1 << a
	h := cw.Len() / k
	cols := make([][]field.Elem, d*k)
	for j := range cols {
		cols[j] = make([]field.Elem, h)
	}
	for j := range k {
		for c := range d {
			src, dst := cw.C[c], cols[d*j+c]
			for g := range h {
				dst[g] = src[g*k+j]
			}
		}
	}
	return merkle.Matrix{Cols: cols}
}

// finalPoly interpolates the final codeword (bit-reversed on its coset) and returns its
// first n coefficients.
func finalPoly(cw field.ExtVec, d, logL, n int) []field.Ext {
	shiftInv := Shift(logL)
	shiftInv.Inverse(&shiftInv)
	coords := make([][]field.Elem, d)
	for j := range coords {
		coords[j] = append([]field.Elem(nil), cw.C[j]...)
		ntt.BitReverse(coords[j])
		ntt.Interpolate(coords[j], 1)
		ntt.ScaleByPowers(coords[j], shiftInv)
	}
	out := make([]field.Ext, n)
	co := make([]field.Elem, d)
	for i := range out {
		for j := range d {
			co[j] = coords[j][i]
		}
		out[i] = field.ExtFromCoords(co)
	}
	return out
}
