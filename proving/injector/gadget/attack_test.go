package gadget

import (
	"math/big"
	"strings"
	"testing"

	"github.com/consensys/gnark/constraint/solver"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/math/bits"

	"github.com/oneiros-zk/oneiros/proving/field"
)

// Each test here plays a cheating prover: a witness out of range or a hint that
// returns what the prover would like, and shows that the constraints reject it, both in
// gnark's test engine and in the compiled R1CS solver.

func TestWitnessNonCanonical(t *testing.T) {
	fn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		return []frontend.Variable{f.Witness(in[0]).V}
	}
	checkOp(t, fn, []frontend.Variable{p - 1}, []frontend.Variable{p - 1})
	rMinus1 := new(big.Int).Sub(frModulus, big.NewInt(1))
	for _, v := range []any{p, p + 5, 1<<31 - 1, 1 << 31, uint64(1) << 40, rMinus1} {
		failOp(t, fn, []frontend.Variable{v}, []frontend.Variable{v})
	}
	efn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		return canonicalExt(f, f.ExtWitness([4]frontend.Variable(in)))
	}
	failOp(t, efn, []frontend.Variable{1, 2, p, 4}, []frontend.Variable{1, 2, 0, 4})
}

// liarQuo answers ⌊v/p⌋ with a chosen error e when dividing by p.
func liarQuo(e int64) solver.Hint {
	return func(m *big.Int, in, out []*big.Int) error {
		out[0].Quo(in[0], in[1])
		if in[1].Cmp(modulus) == 0 {
			out[0].Add(out[0], big.NewInt(e))
			out[0].Mod(out[0], m)
		}
		return nil
	}
}

// forgeQuo answers q = (v − target)/p in BN254's field: the q that makes v = q·p + target
// hold natively for any target. Only the range check on q stops it.
func forgeQuo(target int64) solver.Hint {
	return func(m *big.Int, in, out []*big.Int) error {
		if in[1].Cmp(modulus) != 0 {
			out[0].Quo(in[0], in[1])
			return nil
		}
		inv := new(big.Int).ModInverse(modulus, m)
		out[0].Sub(in[0], big.NewInt(target))
		out[0].Mul(out[0], inv)
		out[0].Mod(out[0], m)
		return nil
	}
}

func TestReduceWrongHint(t *testing.T) {
	// x² for x = p−1 is (p−1)² = q·p + 1.
	fn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		x := f.Witness(in[0])
		return []frontend.Variable{f.Canonical(f.Mul(x, x))}
	}
	in := []frontend.Variable{p - 1}
	checkOp(t, fn, in, []frontend.Variable{1})
	// q−1 leaves r = 1 + p (31 bits, not below p); q+1 leaves r = 1 − p (negative).
	failOp(t, fn, in, []frontend.Variable{1 + p}, swap{quoHint, liarQuo(-1)})
	failOp(t, fn, in, []frontend.Variable{new(big.Int).Sub(frModulus, big.NewInt(p-1))}, swap{quoHint, liarQuo(1)})
	// A forged quotient making any remainder fit natively.
	for _, target := range []int64{0, 2, p - 1} {
		failOp(t, fn, in, []frontend.Variable{target}, swap{quoHint, forgeQuo(target)})
	}
}

func TestWeakReduceWrongHint(t *testing.T) {
	// A product of 5 values forces a weak reduction; the cheater forges its remainder.
	fn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		x := f.Witness(in[0])
		y := f.Mul(f.Mul(f.Mul(x, x), f.Mul(x, x)), f.Mul(f.Mul(x, x), f.Mul(x, x)))
		y = f.Mul(y, y) // 31·16 bits: the operands are weakly reduced first
		return []frontend.Variable{f.Canonical(y)}
	}
	in := []frontend.Variable{p - 1}
	checkOp(t, fn, in, []frontend.Variable{1})
	failOp(t, fn, in, []frontend.Variable{2}, swap{quoHint, forgeQuo(2)})
	failOp(t, fn, in, []frontend.Variable{1}, swap{quoHint, liarQuo(1)})
}

func TestAssertEqualForged(t *testing.T) {
	// Claims a·b ≡ c with c off by one; the cheater's quotient makes d = q·p natively.
	fn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		a, b, c := f.Witness(in[0]), f.Witness(in[1]), f.Witness(in[2])
		f.AssertEqual(f.Mul(a, b), c)
		return nil
	}
	checkOp(t, fn, []frontend.Variable{p - 1, p - 1, 1}, nil)
	failOp(t, fn, []frontend.Variable{p - 1, p - 1, 2}, nil)
	failOp(t, fn, []frontend.Variable{p - 1, p - 1, 2}, nil, swap{quoHint, forgeQuo(0)})
	failOp(t, fn, []frontend.Variable{p - 1, p - 1, 2}, nil, swap{quoHint, liarQuo(1)})
	// Canonical operands compare natively.
	fn2 := func(f *Field, in []frontend.Variable) []frontend.Variable {
		f.AssertEqual(f.Witness(in[0]), f.Witness(in[1]))
		return nil
	}
	failOp(t, fn2, []frontend.Variable{3, 4}, nil)
}

func TestInverseWrongHint(t *testing.T) {
	fn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		return []frontend.Variable{f.Canonical(f.Inverse(f.Witness(in[0])))}
	}
	a := elem(12345)
	var inv field.Elem
	inv.Inverse(&a)
	in := []frontend.Variable{Assign(a)}
	wrong := func(delta int64) solver.Hint {
		return func(m *big.Int, in, out []*big.Int) error {
			if err := invHint(m, in, out); err != nil {
				return err
			}
			out[0].Add(out[0], big.NewInt(delta))
			out[0].Mod(out[0], m)
			return nil
		}
	}
	checkOp(t, fn, in, []frontend.Variable{Assign(inv)})
	one := elem(1)
	var off field.Elem
	off.Add(&inv, &one)
	failOp(t, fn, in, []frontend.Variable{Assign(off)}, swap{invHint, wrong(1)})
	failOp(t, fn, in, []frontend.Variable{0}, swap{invHint, wrong(-int64(inv.Uint64()))})
	// An inverse outside 31 bits, even if congruent, is refused by its range check.
	failOp(t, fn, in, []frontend.Variable{Assign(inv)}, swap{invHint, wrong(p << 1)})
}

// wrongExtInv answers the inverse with coordinate c off by one.
func wrongExtInv(c int) solver.Hint {
	return func(m *big.Int, in, out []*big.Int) error {
		if err := extInvHint(m, in, out); err != nil {
			return err
		}
		out[c].Add(out[c], big.NewInt(1))
		return nil
	}
}

func TestExtInverseWrongHint(t *testing.T) {
	fn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		return canonicalExt(f, f.ExtInverse(f.ExtWitness([4]frontend.Variable(in))))
	}
	x := ext(1, 2, 3, 4)
	var inv field.Ext
	inv.Inverse(&x)
	checkOp(t, fn, extVars(x), extVars(inv))
	for c := range 4 {
		bad := wrongExtInv(c)
		wrongInv := inv
		one := elem(1)
		wrongInv.Coord(c).Add(wrongInv.Coord(c), &one)
		failOp(t, fn, extVars(x), extVars(wrongInv), swap{extInvHint, bad})
	}
	// The inverse of 0 does not exist.
	failOp(t, fn, extVars(ext(0, 0, 0, 0)), extVars(ext(0, 0, 0, 0)))
}

func TestExtDivWrongHint(t *testing.T) {
	fn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		a := f.ExtWitness([4]frontend.Variable(in[:4]))
		b := f.ExtWitness([4]frontend.Variable(in[4:]))
		return canonicalExt(f, f.ExtDiv(a, b))
	}
	a, b := ext(5, 6, 7, 8), ext(p-1, 0, 3, 0)
	var q field.Ext
	q.Inverse(&b)
	q.Mul(&q, &a)
	in := append(extVars(a), extVars(b)...)
	checkOp(t, fn, in, extVars(q))
	bad := func(m *big.Int, in, out []*big.Int) error {
		if err := extDivHint(m, in, out); err != nil {
			return err
		}
		out[3].SetUint64((out[3].Uint64() + 1) % p)
		return nil
	}
	wrong := q
	one := elem(1)
	wrong.Coord(3).Add(wrong.Coord(3), &one)
	failOp(t, fn, in, extVars(wrong), swap{extDivHint, bad})
}

func TestToBitsWrongHint(t *testing.T) {
	// hi = ⌊r/2^n⌋ − 1 would need lo ≥ 2^n.
	fn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		return f.ToBits(f.Witness(in[0]), 8)
	}
	v := uint64(0x12345)
	want := make([]frontend.Variable, 8)
	for i := range want {
		want[i] = (v >> i) & 1
	}
	checkOp(t, fn, []frontend.Variable{v}, want)
	bad := func(m *big.Int, in, out []*big.Int) error {
		out[0].Quo(in[0], in[1])
		if in[1].Cmp(modulus) != 0 {
			out[0].Sub(out[0], big.NewInt(1))
		}
		return nil
	}
	failOp(t, fn, []frontend.Variable{v}, want, swap{quoHint, bad})
}

// nBitsHint is gnark's std/math/bits hint that decomposes a value into bits.
func nBitsHint(t *testing.T) solver.Hint {
	for _, h := range bits.GetHints() {
		if strings.HasSuffix(solver.GetHintName(h), ".nBits") {
			return h
		}
	}
	t.Fatal("no nBits hint in std/math/bits")
	return nil
}

func TestFrBitsNonCanonical(t *testing.T) {
	// For v < 2^254 − r, v + r also has 254 bits and recomposes to v natively: the
	// cheater's decomposition must be refused.
	fn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		b := f.FrBits(in[0])
		return []frontend.Variable{b[0], b[FrWidth-1], f.Canonical(f.ChunkMod(b[:62]))}
	}
	v := big.NewInt(1234567)
	alt := new(big.Int).Add(v, frModulus)
	if alt.BitLen() > FrWidth {
		t.Fatal("v + r does not fit 254 bits")
	}
	lo := new(big.Int).And(alt, new(big.Int).SetUint64(1<<62-1))
	in := []frontend.Variable{v}
	checkOp(t, fn, in, []frontend.Variable{1, 0, v.Uint64() % p})
	plusR := func(m *big.Int, in, out []*big.Int) error {
		x := new(big.Int).Add(in[0], m)
		for i := range out {
			out[i].SetUint64(uint64(x.Bit(i)))
		}
		return nil
	}
	failOp(t, fn, in, []frontend.Variable{alt.Bit(0), alt.Bit(FrWidth - 1), lo.Uint64() % p}, swap{nBitsHint(t), plusR})
}
