package kerneltest

import (
	"hash/fnv"
	"math/big"
	"math/rand/v2"

	"github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/oneiros-zk/oneiros/proving/field"
)

// gen draws the kit's inputs: deterministic for a seed and a label, so that every
// check sees the same data on every run and adding a check does not shift the others.
type gen struct{ r *rand.Rand }

func newGen(seed uint64, label string) *gen {
	h := fnv.New64a()
	_, _ = h.Write([]byte(label))
	return &gen{rand.New(rand.NewPCG(seed, h.Sum64()))}
}

func (g *gen) elem() field.Elem { return field.New(g.r.Uint64N(field.Modulus)) }

func (g *gen) nonzero() field.Elem { return field.New(1 + g.r.Uint64N(field.Modulus-1)) }

func (g *gen) col(n int) []field.Elem {
	c := make([]field.Elem, n)
	for i := range c {
		c[i] = g.elem()
	}
	return c
}

func (g *gen) cols(width, n int) [][]field.Elem {
	m := make([][]field.Elem, width)
	for i := range m {
		m[i] = g.col(n)
	}
	return m
}

func (g *gen) ext() field.Ext { return g.extOf(field.ExtDegree4) }

// extOf draws an element of the degree-d extension.
func (g *gen) extOf(d int) field.Ext {
	co := make([]field.Elem, d)
	for i := range co {
		co[i] = g.elem()
	}
	return field.ExtFromCoords(co)
}

func (g *gen) exts(n int) []field.Ext { return g.extsOf(field.ExtDegree4, n) }

func (g *gen) extsOf(d, n int) []field.Ext {
	v := make([]field.Ext, n)
	for i := range v {
		v[i] = g.extOf(d)
	}
	return v
}

func (g *gen) scalar() fr.Element {
	var s fr.Element
	var b [32]byte
	for i := range 4 {
		v := g.r.Uint64()
		for j := range 8 {
			b[8*i+j] = byte(v >> (8 * j))
		}
	}
	s.SetBytes(b[:]) // reduced mod r
	return s
}

// points returns n random points of BN254 G1: up to 16 independent multiples [k]G,
// and past that a random walk P_i = P_(i−1) + R_j over 16 such points R_j with j drawn
// at random (as unstructured for an MSM, and far cheaper than n scalar multiplications).
func (g *gen) points(n int) []bn254.G1Affine {
	base := make([]bn254.G1Affine, min(n, 16))
	var k big.Int
	for i := range base {
		s := g.scalar()
		s.BigInt(&k)
		base[i].ScalarMultiplicationBase(&k)
	}
	if n <= len(base) {
		return base
	}
	jac := make([]bn254.G1Jac, n)
	for i := range base {
		jac[i].FromAffine(&base[i])
	}
	for i := len(base); i < n; i++ {
		jac[i] = jac[i-1]
		jac[i].AddMixed(&base[g.r.IntN(len(base))])
	}
	return bn254.BatchJacobianToAffineG1(jac)
}
