package gadget

import (
	"errors"
	"math/big"

	"github.com/consensys/gnark/constraint/solver"

	"github.com/oneiros-zk/oneiros/proving/field"
)

func init() { solver.RegisterHint(GetHints()...) }

// GetHints returns the package's hints. They are registered with gnark's solver when the
// package loads; a prover in another binary that solves the same circuit must import
// this package (or register them itself).
func GetHints() []solver.Hint {
	return []solver.Hint{quoHint, invHint, extInvHint, extDivHint, frInvHint}
}

var errHintArity = errors.New("gadget: wrong number of hint inputs or outputs")

// quoHint returns ⌊in[0]/in[1]⌋ (both non-negative integers below the native modulus).
func quoHint(_ *big.Int, in, out []*big.Int) error {
	if len(in) != 2 || len(out) != 1 || in[1].Sign() <= 0 {
		return errHintArity
	}
	out[0].Quo(in[0], in[1])
	return nil
}

func toElem(v *big.Int) field.Elem {
	var e field.Elem
	e.SetBigInt(v) // reduces mod p
	return e
}

// invHint returns the canonical inverse of in[0] mod p (0 for 0).
func invHint(_ *big.Int, in, out []*big.Int) error {
	if len(in) != 1 || len(out) != 1 {
		return errHintArity
	}
	e := toElem(in[0])
	e.Inverse(&e)
	out[0].SetUint64(e.Uint64())
	return nil
}

// toExt reads 4 coordinates (in the order of [Ext4]) as a degree-4 element.
func toExt(in []*big.Int) field.Ext {
	c := make([]field.Elem, 4)
	for i := range c {
		c[i] = toElem(in[i])
	}
	return field.ExtFromCoords(c)
}

func putExt(out []*big.Int, e field.Ext) {
	c := field.ExtCoords(&e)
	for i := range 4 {
		out[i].SetUint64(c[i].Uint64())
	}
}

// extInvHint returns the canonical coordinates of 1/x for x = in[0:4] (0 for 0).
func extInvHint(_ *big.Int, in, out []*big.Int) error {
	if len(in) != 4 || len(out) != 4 {
		return errHintArity
	}
	x := toExt(in)
	x.Inverse(&x)
	putExt(out, x)
	return nil
}

// extDivHint returns the canonical coordinates of x/y for x = in[0:4], y = in[4:8]
// (0 for y = 0).
func extDivHint(_ *big.Int, in, out []*big.Int) error {
	if len(in) != 8 || len(out) != 4 {
		return errHintArity
	}
	x, y := toExt(in[:4]), toExt(in[4:])
	y.Inverse(&y)
	x.Mul(&x, &y)
	putExt(out, x)
	return nil
}

// frInvHint returns 1/in[0] in the native field (0 for 0).
func frInvHint(m *big.Int, in, out []*big.Int) error {
	if len(in) != 1 || len(out) != 1 {
		return errHintArity
	}
	if in[0].Sign() == 0 {
		out[0].SetUint64(0)
		return nil
	}
	if out[0].ModInverse(in[0], m) == nil {
		return errHintArity
	}
	return nil
}
