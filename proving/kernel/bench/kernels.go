package bench

import (
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"time"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/kernel"
	"github.com/oneiros-zk/oneiros/proving/merkle"
	"github.com/oneiros-zk/oneiros/proving/ntt"
	"github.com/oneiros-zk/oneiros/proving/stark"
	"github.com/oneiros-zk/oneiros/proving/stark/starktest"
)

// logBlowup is the LDE blowup of the measured commitment: the default's, 2.
const logBlowup = 1

// trace returns cols pseudo-random columns of n rows (fixed seed).
func trace(n, cols int) [][]field.Elem {
	r := rand.New(rand.NewPCG(1, 2))
	m := make([][]field.Elem, cols)
	back := make([]field.Elem, n*cols)
	for c := range m {
		m[c] = back[c*n : (c+1)*n]
		for i := range m[c] {
			m[c][i] = field.New(r.Uint64N(field.Modulus))
		}
	}
	return m
}

// commitRows measures lde, merkle and commit, each next to its gnark-raw twin.
func (s *session) commitRows() error {
	logN, cols := s.cfg.LogN, s.cfg.Cols
	n := 1 << logN
	N := n << logBlowup
	shift := fri.Shift(logN + logBlowup)
	tr := trace(n, cols)
	// Build what both sides cache (twiddles, round keys) before timing anything.
	ntt.Domain(n)
	ntt.Domain(N)
	hash.Permutation()
	raw := newGnarkLDE(logN, logBlowup, shift, s.cfg.Workers)
	in, ext := float64(n*cols), float64(N*cols)

	var lde [][]field.Elem
	if err := s.row("lde", ImplHemera, n, cols, in, "cells/s", wall(func() (err error) {
		lde, err = s.k.CosetLDE(tr, logBlowup, shift)
		return err
	})); err != nil {
		return err
	}
	if err := s.row("gnark_fft", ImplGnark, n, cols, in, "cells/s", wall(func() error {
		raw.extend(tr)
		return nil
	})); err != nil {
		return err
	}
	mats := []merkle.Matrix{{Cols: lde}}
	if err := s.row("merkle", ImplHemera, N, cols, ext, "cells/s", wall(func() error {
		_, err := s.k.MerkleCommit(mats)
		return err
	})); err != nil {
		return err
	}
	if err := s.row("gnark_poseidon2", ImplGnark, N, cols, ext, "cells/s", wall(func() error {
		gnarkTree(lde, s.cfg.Workers)
		return nil
	})); err != nil {
		return err
	}
	lde, mats = nil, nil
	if err := s.row("commit", ImplHemera, n, cols, in, "cells/s", wall(func() error {
		l, err := s.k.CosetLDE(tr, logBlowup, shift)
		if err != nil {
			return err
		}
		_, err = s.k.MerkleCommit([]merkle.Matrix{{Cols: l}})
		return err
	})); err != nil {
		return err
	}
	return s.row("gnark_commit", ImplGnark, n, cols, in, "cells/s", wall(func() error {
		gnarkTree(raw.extend(tr), s.cfg.Workers)
		return nil
	}))
}

// errStop ends a proof once its quotient has been timed.
var errStop = errors.New("bench: proof stopped after the quotient")

// quotientTimer is a kernel set that times its Quotient calls and then stops the proof.
type quotientTimer struct {
	kernel.Kernels
	elapsed time.Duration
	rows    int
}

func (q *quotientTimer) Quotient(job kernel.QuotientJob) error {
	start := time.Now()
	if err := q.Kernels.Quotient(job); err != nil {
		return err
	}
	q.elapsed, q.rows = time.Since(start), job.Len()
	return errStop
}

// quotientRow measures the Quotient kernel on the Wide table of the stark benchmarks
// (up to 6 degree-3 constraints and a counter), inside hemera.Prove.
func (s *session) quotientRow() error {
	k := wideCubics(s.cfg.Cols)
	tb := starktest.Wide(s.cfg.LogN, s.cfg.Cols, k)
	timer := &quotientTimer{Kernels: s.k}
	p := hemera.Params{FRI: fri.DefaultParams, Workers: s.cfg.Workers} // no security floor: any size
	e, err := hemera.New(p, hemera.WithKernels(timer))
	if err != nil {
		return err
	}
	pk, _, err := e.Setup([]*air.AIR{tb.AIR}, [][][]field.Elem{nil})
	if err != nil {
		return err
	}
	w := &stark.Witness{Main: [][][]field.Elem{tb.Main}, Publics: [][]field.Elem{nil}}
	prove := func() (time.Duration, error) {
		timer.elapsed = 0
		if _, err := e.Prove(pk, w); !errors.Is(err, errStop) {
			if err == nil {
				err = errors.New("the proof finished without calling the Quotient kernel")
			}
			return 0, err
		}
		return timer.elapsed, nil
	}
	// The quotient domain's size is known after the first proof; measure, then label.
	sec, err := s.measure(prove)
	if err != nil {
		return fmt.Errorf("bench: quotient (hemera): %w", err)
	}
	s.add(Row{Kernel: "quotient", Impl: ImplHemera, Size: timer.rows, Cols: s.cfg.Cols, Seconds: sec, Unit: "rows/s"}, float64(timer.rows))
	return nil
}

// foldRow measures FoldFRI of a 2^(LogN+1) codeword.
func (s *session) foldRow() error {
	M := 2 << s.cfg.LogN
	r := rand.New(rand.NewPCG(3, 4))
	el := func() field.Elem { return field.New(1 + r.Uint64N(field.Modulus-1)) }
	cw := field.NewExtVec(field.ExtDegree4, M)
	for c := range cw.C {
		for i := range cw.C[c] {
			cw.C[c][i] = el()
		}
	}
	invX := make([]field.Elem, M/2)
	for i := range invX {
		invX[i] = el()
	}
	beta := field.ExtFromCoords([]field.Elem{el(), el(), el(), el()})
	dst := field.NewExtVec(field.ExtDegree4, M/2)
	return s.row("fri_fold", ImplHemera, M, 1, float64(M), "elements/s", wall(func() error {
		return s.k.FoldFRI(dst, cw, beta, invX)
	}))
}

// msmRows measures the MSM of 2^min(LogN, 16) points on the kernel set and on
// gnark-crypto's MultiExp.
func (s *session) msmRows() error {
	n := 1 << min(s.cfg.LogN, 16)
	pts, sc := msmInput(n)
	if err := s.row("msm", ImplHemera, n, 1, float64(n), "points/s", wall(func() error {
		_, err := s.k.MSM(pts, sc)
		return err
	})); err != nil {
		return err
	}
	return s.row("gnark_msm", ImplGnark, n, 1, float64(n), "points/s", wall(func() error {
		var r bn254.G1Jac
		_, err := r.MultiExp(pts, sc, ecc.MultiExpConfig{NbTasks: min(s.cfg.Workers, 1024)})
		return err
	}))
}

// msmInput returns n points P0 + i·Q (P0, Q random multiples of the generator; the
// MSM does not care how the points relate) and n random scalars.
func msmInput(n int) ([]bn254.G1Affine, []fr.Element) {
	r := rand.New(rand.NewPCG(5, 6))
	scalar := func() fr.Element {
		var b [32]byte
		for i := range 4 {
			v := r.Uint64()
			for j := range 8 {
				b[8*i+j] = byte(v >> (8 * j))
			}
		}
		var e fr.Element
		e.SetBytes(b[:])
		return e
	}
	_, _, g, _ := bn254.Generators()
	var p, q bn254.G1Jac
	a, b := scalar(), scalar()
	p.FromAffine(&g)
	q.FromAffine(&g)
	p.ScalarMultiplication(&p, a.BigInt(new(big.Int)))
	q.ScalarMultiplication(&q, b.BigInt(new(big.Int)))
	jac := make([]bn254.G1Jac, n)
	for i := range jac {
		jac[i] = p
		p.AddAssign(&q)
	}
	sc := make([]fr.Element, n)
	for i := range sc {
		sc[i] = scalar()
	}
	return bn254.BatchJacobianToAffineG1(jac), sc
}
