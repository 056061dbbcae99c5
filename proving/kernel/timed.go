package kernel

import (
	"sync"
	"time"

	"github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/merkle"
)

// Timed wraps a kernel set and adds up the wall time spent in each kernel, so that a
// prover run can say where its time goes (lde, merkle, quotient, fri_fold, msm).
type Timed struct {
	K  Kernels
	mu sync.Mutex
	d  map[string]time.Duration
}

// NewTimed wraps k.
func NewTimed(k Kernels) *Timed { return &Timed{K: k, d: map[string]time.Duration{}} }

func (t *Timed) add(name string, start time.Time) {
	t.mu.Lock()
	t.d[name] += time.Since(start)
	t.mu.Unlock()
}

// Timings returns the seconds spent per kernel so far.
func (t *Timed) Timings() map[string]float64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make(map[string]float64, len(t.d))
	for k, v := range t.d {
		out[k] = v.Seconds()
	}
	return out
}

// Name implements Kernels.
func (t *Timed) Name() string { return t.K.Name() }

// CosetLDE implements Kernels.
func (t *Timed) CosetLDE(cols [][]field.Elem, logBlowup int, shift field.Elem) ([][]field.Elem, error) {
	defer t.add("lde", time.Now())
	return t.K.CosetLDE(cols, logBlowup, shift)
}

// MerkleCommit implements Kernels.
func (t *Timed) MerkleCommit(mats []merkle.Matrix) (*merkle.Tree, error) {
	defer t.add("merkle", time.Now())
	return t.K.MerkleCommit(mats)
}

// FoldFRI implements Kernels.
func (t *Timed) FoldFRI(dst, codeword field.ExtVec, beta field.Ext, invX []field.Elem) error {
	defer t.add("fri_fold", time.Now())
	return t.K.FoldFRI(dst, codeword, beta, invX)
}

// Quotient implements Kernels.
func (t *Timed) Quotient(job QuotientJob) error {
	defer t.add("quotient", time.Now())
	return t.K.Quotient(job)
}

// MSM implements Kernels.
func (t *Timed) MSM(points []bn254.G1Affine, scalars []fr.Element) (bn254.G1Jac, error) {
	defer t.add("msm", time.Now())
	return t.K.MSM(points, scalars)
}
