package stark

import (
	"sync"

	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/kernel"
	"github.com/oneiros-zk/oneiros/proving/lookup"
	"github.com/oneiros-zk/oneiros/proving/ntt"
	"github.com/oneiros-zk/oneiros/proving/pcs"
)

type quotientInput struct {
	t, logN         int
	main, prep, aux [][]field.Elem // bit-reversed LDEs on shift·H_{n·blowup}
	shift           field.Elem
	alphaQ          field.Ext
	ch              *lookup.Challenges
	cumsum          field.Ext
	blind           [][]field.Elem // the LogUp blinding column's LDE (zero knowledge), or nil
	publics         []field.Elem
	kernels         kernel.Kernels
	logQ            int // log2 of the number of chunks of n coefficients
	// In zero-knowledge mode: masks[c][j] are the coefficients of r_j for quotient
	// coordinate c (see zk.go), and the chunks are committed on H_(n·2^qext).
	masks [][][]field.Elem // [coordinate][chunk]: one per coordinate of the extension
	qext  int
	logC  int // chunks of n·2^logC coefficients (zero knowledge; 0 without), 2^(logQ−logC) of them
}

const quotientBatch = 1024

// quotientChunks evaluates the table's combined constraints divided by the vanishing
// polynomial on the quotient domain (the first 2^q·n points of the LDE, i.e. the coset
// shift·H_{2^q·n}), interpolates the quotient, splits its coefficients into 2^q chunks
// of n, and returns the chunks' evaluations on H_n as d·2^q base columns (2^q = 2^logQ,
// d the extension's degree: chunk j's coordinate c is column d·j + c).
// In zero-knowledge mode the chunks are masked and evaluated on H_(n·2^qext) instead.
func quotientChunks(vk *VerifyingKey, in *quotientInput) (pcs.Matrix, error) {
	a, l, q := vk.AIRs[in.t], vk.Layouts[in.t], in.logQ
	n := 1 << in.logN
	Qn := n << q
	pts := ntt.CosetPoints(in.logN+q, in.shift)

	// Selector vectors and 1/Z_H on the quotient domain.
	oInv := omegaInv(in.logN)
	nInv := field.New(uint64(n))
	nInv.Inverse(&nInv)
	xm1 := make([]field.Elem, Qn)
	xmo := make([]field.Elem, Qn)
	trans := make([]field.Elem, Qn)
	one := field.New(1)
	for i, x := range pts {
		xm1[i].Sub(&x, &one)
		xmo[i].Sub(&x, &oInv)
		trans[i] = xmo[i]
	}
	xm1 = field.BatchInvert(xm1)
	xmo = field.BatchInvert(xmo)
	first, last, zhInv := make([]field.Elem, Qn), make([]field.Elem, Qn), make([]field.Elem, Qn)
	for c := range 1 << q {
		var zh field.Elem
		zh.ExpInt64(pts[c*n], int64(n))
		zh.Sub(&zh, &one)
		var zi field.Elem
		zi.Inverse(&zh)
		var zhn field.Elem
		zhn.Mul(&zh, &nInv)
		for i := c * n; i < (c+1)*n; i++ {
			zhInv[i] = zi
			first[i].Mul(&zhn, &xm1[i])
			last[i].Mul(&zhn, &xmo[i])
		}
	}
	// next(i): the point times ω_n, inside the same chunk of n.
	nextIdx := make([]int32, Qn)
	for i := range Qn {
		hi, lo := i>>in.logN, uint64(i&(n-1))
		r := (ntt.Reverse(lo, in.logN) + 1) & uint64(n-1)
		nextIdx[i] = int32(hi<<in.logN | int(ntt.Reverse(r, in.logN)))
	}

	outputs := lookup.Outputs(a)
	for _, c := range a.Constraints {
		outputs = append(outputs, c.Root)
	}
	prog := air.Compile(a, outputs)
	scalars := prog.Scalars(in.publics)
	K := len(a.Constraints)
	coeffs := make([]field.Ext, K+l.NumConstraints())
	coeffs[0].SetOne()
	for k := 1; k < len(coeffs); k++ {
		coeffs[k].Mul(&coeffs[k-1], &in.alphaQ)
	}
	readMain, readPrep := a.ReadsNext()
	// The selectors some constraint uses (LogUp's use first, last and transition): the
	// others' sums stay zero, so their products with a selector are skipped.
	var usedSel [4]bool
	for _, c := range a.Constraints {
		usedSel[c.Sel] = true
	}
	if l.NumAux() > 0 {
		usedSel[air.FirstRow], usedSel[air.LastRow], usedSel[air.Transition] = true, true, true
	}

	dg := in.alphaQ.Degree()
	out := make([][]field.Elem, dg)
	for c := range out {
		out[c] = make([]field.Elem, Qn)
	}
	job := &quotientJob{n: Qn, newWorker: func() func(lo, hi int) {
		ws := prog.NewWorkspace(quotientBatch)
		acc := air.NewAccumulator(dg, quotientBatch)
		var scratch *lookup.Scratch
		if l.NumAux() > 0 {
			scratch = lookup.NewScratch(l, dg, quotientBatch)
		}
		b := &air.Batch{
			Main: make([][]field.Elem, len(in.main)), MainNext: make([][]field.Elem, len(in.main)),
			Prep: make([][]field.Elem, len(in.prep)), PrepNext: make([][]field.Elem, len(in.prep)),
		}
		gathered := func(reads []bool) [][]field.Elem {
			g := make([][]field.Elem, len(reads))
			for c, r := range reads {
				if r {
					g[c] = make([]field.Elem, quotientBatch)
				}
			}
			return g
		}
		mainNextBuf, prepNextBuf := gathered(readMain), gathered(readPrep)
		auxBatch := &lookup.AuxBatch{Cur: make([][]field.Elem, len(in.aux)), Next: make([][]field.Elem, len(in.aux))}
		for c := range in.aux {
			auxBatch.Next[c] = make([]field.Elem, quotientBatch)
		}
		tot, t := make(field.Vector, quotientBatch), make(field.Vector, quotientBatch)
		return func(lo, hi int) {
			L := hi - lo
			b.Len = L
			idx := nextIdx[lo:hi]
			for c := range in.main {
				b.Main[c] = in.main[c][lo:hi]
				if readMain[c] {
					gather(mainNextBuf[c][:L], in.main[c], idx)
					b.MainNext[c] = mainNextBuf[c]
				}
			}
			for c := range in.prep {
				b.Prep[c] = in.prep[c][lo:hi]
				if readPrep[c] {
					gather(prepNextBuf[c][:L], in.prep[c], idx)
					b.PrepNext[c] = prepNextBuf[c]
				}
			}
			prog.Eval(ws, b, scalars)
			acc.Reset(L)
			for k, c := range a.Constraints {
				v, s := prog.Value(ws, b, scalars, c.Root)
				if v != nil {
					acc.AddBase(c.Sel, &coeffs[k], v)
				} else {
					acc.AddScalar(c.Sel, &coeffs[k], s, L)
				}
			}
			if scratch != nil {
				for c := range in.aux {
					auxBatch.Cur[c] = in.aux[c][lo:hi]
					gather(auxBatch.Next[c][:L], in.aux[c], idx)
				}
				if in.blind != nil {
					auxBatch.Blind = make([][]field.Elem, dg)
					for c := range dg {
						auxBatch.Blind[c] = in.blind[c][lo:hi]
					}
				}
				lookup.EvalBatch(a, l, prog, ws, b, scalars, auxBatch, in.ch, in.cumsum, coeffs[K:], acc, scratch)
			}
			for c := range dg {
				tv := tot[:L]
				copy(tv, acc.Sel[air.EveryRow][c][:L])
				for _, sv := range []struct {
					sel air.Selector
					vec []field.Elem
				}{{air.FirstRow, first}, {air.LastRow, last}, {air.Transition, trans}} {
					if !usedSel[sv.sel] {
						continue
					}
					tt := t[:L]
					field.VecMul(tt, acc.Sel[sv.sel][c][:L], field.Vector(sv.vec[lo:hi]))
					field.VecAdd(tv, tv, tt)
				}
				o := field.Vector(out[c][lo:hi])
				field.VecMul(o, tv, field.Vector(zhInv[lo:hi]))
			}
		}
	}}
	if err := in.kernels.Quotient(job); err != nil {
		return nil, err
	}

	// Interpolate on the coset and split the coefficients into chunks of n.
	shiftInv := in.shift
	shiftInv.Inverse(&shiftInv)
	mat := make(pcs.Matrix, dg<<(q-in.logC))
	var wg2 sync.WaitGroup
	for c := range dg {
		wg2.Add(1)
		go func(c int) {
			defer wg2.Done()
			ntt.BitReverse(out[c])
			ntt.Interpolate(out[c], 1)
			ntt.ScaleByPowers(out[c], shiftInv)
			if in.qext > 0 {
				cs := n << in.logC
				chunks := make([][]field.Elem, 1<<(q-in.logC))
				for j := range chunks {
					chunks[j] = out[c][j*cs : (j+1)*cs]
				}
				for j, col := range maskChunks(chunks, in.masks[c], in.qext-in.logC) {
					mat[dg*j+c] = col
				}
				return
			}
			for j := range 1 << q {
				col := append([]field.Elem(nil), out[c][j*n:(j+1)*n]...)
				ntt.Evaluate(col, 1)
				mat[dg*j+c] = col
			}
		}(c)
	}
	wg2.Wait()
	return mat, nil
}

// quotientJob is the kernel.QuotientJob of one table.
type quotientJob struct {
	n         int
	newWorker func() func(lo, hi int)
}

func (j *quotientJob) Len() int                    { return j.n }
func (j *quotientJob) BatchLen() int               { return quotientBatch }
func (j *quotientJob) NewWorker() func(lo, hi int) { return j.newWorker() }

func gather(dst, src []field.Elem, idx []int32) {
	for i, j := range idx {
		dst[i] = src[j]
	}
}
