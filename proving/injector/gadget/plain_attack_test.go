package gadget

import (
	"math/big"
	"testing"

	"github.com/consensys/gnark/constraint/solver"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/test"

	"github.com/oneiros-zk/oneiros/proving/field"
)

// Cheating provers against the gadgets as the wrap circuit builds them: with NewPlain's
// range checks by bit decomposition (attack_test.go plays the same provers against New).
// Each hint is replaced by one that answers what the prover would like; the constraints
// must reject it in gnark's test engine and in the compiled R1CS solver.

// plainOp is opCircuit over NewPlain.
type plainOp struct {
	In  []frontend.Variable
	Out []frontend.Variable
	op  *opDef
}

func (c *plainOp) Define(api frontend.API) error {
	got := c.op.fn(NewPlain(api), c.In)
	for i := range got {
		api.AssertIsEqual(got[i], c.Out[i])
	}
	return nil
}

func newPlainOp(fn opFunc, in, out []frontend.Variable) (*plainOp, *plainOp) {
	return &plainOp{In: make([]frontend.Variable, len(in)), Out: make([]frontend.Variable, len(out)), op: &opDef{fn}},
		&plainOp{In: in, Out: out}
}

func plainCheck(t *testing.T, fn opFunc, in, out []frontend.Variable) {
	t.Helper()
	c, a := newPlainOp(fn, in, out)
	mustSolve(t, c, a)
}

func plainFail(t *testing.T, fn opFunc, in, out []frontend.Variable, swaps ...swap) {
	t.Helper()
	c, a := newPlainOp(fn, in, out)
	mustFail(t, c, a, swaps...)
}

// forgeBits answers gnark's bit decomposition of x with the bits of x + k·r (as many as
// are asked for): a decomposition that recomposes to x natively whenever it fits.
func forgeBits(k int64) solver.Hint {
	return func(m *big.Int, in, out []*big.Int) error {
		x := new(big.Int).Add(in[0], new(big.Int).Mul(big.NewInt(k), m))
		for i := range out {
			out[i].SetUint64(uint64(x.Bit(i)))
		}
		return nil
	}
}

func TestPlainWitnessNonCanonical(t *testing.T) {
	fn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		return []frontend.Variable{f.Witness(in[0]).V}
	}
	plainCheck(t, fn, []frontend.Variable{p - 1}, []frontend.Variable{p - 1})
	rMinus1 := new(big.Int).Sub(frModulus, big.NewInt(1))
	for _, v := range []any{p, p + 5, 1<<31 - 1, 1 << 32, rMinus1} {
		plainFail(t, fn, []frontend.Variable{v}, []frontend.Variable{v})
		// p−1−v wraps for v ≥ p: a decomposition "of" it that recomposes modulo r would
		// need 32 bits to reach r − (v − p + 1), which they cannot.
		plainFail(t, fn, []frontend.Variable{v}, []frontend.Variable{v}, swap{nBitsHint(t), forgeBits(1)})
	}
}

func TestPlainReduceForged(t *testing.T) {
	fn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		x := f.Witness(in[0])
		return []frontend.Variable{f.Canonical(f.Mul(x, x))}
	}
	in := []frontend.Variable{p - 1}
	plainCheck(t, fn, in, []frontend.Variable{1})
	plainFail(t, fn, in, []frontend.Variable{1 + p}, swap{quoHint, liarQuo(-1)})
	for _, target := range []int64{0, 2, p - 1} {
		plainFail(t, fn, in, []frontend.Variable{target}, swap{quoHint, forgeQuo(target)})
	}
	// A weak reduction (bound control) with a forged remainder.
	wfn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		x := f.Witness(in[0])
		y := f.Mul(f.Mul(f.Mul(x, x), f.Mul(x, x)), f.Mul(f.Mul(x, x), f.Mul(x, x)))
		return []frontend.Variable{f.Canonical(f.Mul(y, y))}
	}
	plainCheck(t, wfn, in, []frontend.Variable{1})
	plainFail(t, wfn, in, []frontend.Variable{2}, swap{quoHint, forgeQuo(2)})
}

func TestPlainAssertEqualForged(t *testing.T) {
	fn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		a, b, c := f.Witness(in[0]), f.Witness(in[1]), f.Witness(in[2])
		f.AssertEqual(f.Mul(a, b), c)
		return nil
	}
	plainCheck(t, fn, []frontend.Variable{p - 1, p - 1, 1}, nil)
	plainFail(t, fn, []frontend.Variable{p - 1, p - 1, 2}, nil, swap{quoHint, forgeQuo(0)})
	plainFail(t, fn, []frontend.Variable{p - 1, p - 1, 2}, nil, swap{quoHint, liarQuo(1)})
	// Extension equality of unreduced products, one coordinate off.
	efn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		a := f.ExtWitness([4]frontend.Variable(in[:4]))
		b := f.ExtWitness([4]frontend.Variable(in[4:8]))
		c := f.ExtWitness([4]frontend.Variable(in[8:]))
		f.ExtAssertEqual(f.ExtMulLazy(a, b), c)
		return nil
	}
	x, y := ext(p-1, 2, p-3, 4), ext(5, p-6, 7, p-8)
	var z field.Ext
	z.Mul(&x, &y)
	in := append(append(extVars(x), extVars(y)...), extVars(z)...)
	plainCheck(t, efn, in, nil)
	in[9] = (in[9].(uint64) + 1) % p
	plainFail(t, efn, in, nil, swap{quoHint, forgeQuo(0)})
}

// forgeHi answers ⌊r/2^n⌋ with the hi that makes lo = r − hi·2^n equal target natively:
// only hi's range check stops it.
func forgeHi(target int64) solver.Hint {
	return func(m *big.Int, in, out []*big.Int) error {
		if in[1].Cmp(modulus) == 0 {
			out[0].Quo(in[0], in[1])
			return nil
		}
		inv := new(big.Int).ModInverse(in[1], m)
		out[0].Sub(in[0], big.NewInt(target))
		out[0].Mul(out[0], inv)
		out[0].Mod(out[0], m)
		return nil
	}
}

func TestPlainToBitsForged(t *testing.T) {
	const n = 8
	fn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		return f.ToBits(f.Witness(in[0]), n)
	}
	v := uint64(0x12345)
	bitsOf := func(x uint64) []frontend.Variable {
		out := make([]frontend.Variable, n)
		for i := range out {
			out[i] = (x >> i) & 1
		}
		return out
	}
	plainCheck(t, fn, []frontend.Variable{v}, bitsOf(v))
	// The cheater wants the low bits to read 0 (a proof of work met, a query index of
	// its choice).
	plainFail(t, fn, []frontend.Variable{v}, bitsOf(0), swap{quoHint, forgeHi(0)})
	plainFail(t, fn, []frontend.Variable{v}, bitsOf(0x46), swap{quoHint, forgeHi(0x46)})
	// Every width a query index or a proof of work uses.
	for _, w := range []int{1, 2, 15, 16, 17, 24, 30, 31} {
		wfn := func(f *Field, in []frontend.Variable) []frontend.Variable {
			b := f.ToBits(f.Witness(in[0]), w)
			return b[:1]
		}
		x := uint64(p - 2) // odd: its low bit is 1
		plainCheck(t, wfn, []frontend.Variable{x}, []frontend.Variable{1})
		if w < ElemBits {
			plainFail(t, wfn, []frontend.Variable{x}, []frontend.Variable{0}, swap{quoHint, forgeHi(0)})
		}
	}
}

func TestPlainInverseForged(t *testing.T) {
	fn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		return []frontend.Variable{f.Canonical(f.Inverse(f.Witness(in[0])))}
	}
	a := elem(3)
	var inv field.Elem
	inv.Inverse(&a)
	shifted := func(delta *big.Int) solver.Hint {
		return func(m *big.Int, in, out []*big.Int) error {
			if err := invHint(m, in, out); err != nil {
				return err
			}
			out[0].Add(out[0], delta)
			out[0].Mod(out[0], m)
			return nil
		}
	}
	in := []frontend.Variable{Assign(a)}
	plainCheck(t, fn, in, []frontend.Variable{Assign(inv)})
	// inv + p (below 2^32) is the other weak representative of the same element: the
	// canonical value is unchanged.
	if inv.Uint64()+p < 1<<32 {
		plainCheck(t, fn, in, []frontend.Variable{Assign(inv)})
		c, w := newPlainOp(fn, in, []frontend.Variable{Assign(inv)})
		if e, s := solveBoth(t, c, w, swap{invHint, shifted(big.NewInt(p))}); e != nil || s != nil {
			t.Fatalf("inv + p: %v / %v", e, s)
		}
	}
	// Other representatives inv + k·p (k = 2, −1) leave [0, 2^32): refused.
	plainFail(t, fn, in, []frontend.Variable{Assign(inv)}, swap{invHint, shifted(big.NewInt(2 * p))})
	plainFail(t, fn, in, []frontend.Variable{Assign(inv)}, swap{invHint, shifted(big.NewInt(-p))})
	// The inverse of 0: any hint fails.
	zfn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		f.Inverse(f.Witness(in[0]))
		return nil
	}
	plainFail(t, zfn, []frontend.Variable{0}, nil)
	plainFail(t, zfn, []frontend.Variable{0}, nil, swap{quoHint, forgeQuo(0)})
}

func TestPlainExtInverseForged(t *testing.T) {
	fn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		return canonicalExt(f, f.ExtInverse(f.ExtWitness([4]frontend.Variable(in))))
	}
	x := ext(1, 2, 3, 4)
	var inv field.Ext
	inv.Inverse(&x)
	plainCheck(t, fn, extVars(x), extVars(inv))
	for c := range 4 {
		wrongInv := inv
		one := elem(1)
		wrongInv.Coord(c).Add(wrongInv.Coord(c), &one)
		plainFail(t, fn, extVars(x), extVars(wrongInv), swap{extInvHint, wrongExtInv(c)})
		plainFail(t, fn, extVars(x), extVars(wrongInv), swap{extInvHint, wrongExtInv(c)}, swap{quoHint, forgeQuo(0)})
	}
	zfn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		f.ExtInverse(f.ExtWitness([4]frontend.Variable(in)))
		return nil
	}
	plainFail(t, zfn, extVars(ext(0, 0, 0, 0)), nil)
	plainFail(t, zfn, extVars(ext(0, 0, 0, 0)), nil, swap{quoHint, forgeQuo(0)})
}

func TestPlainChunkModAndSelectNonBoolean(t *testing.T) {
	// A "bit" of 2 would let a chunk exceed its bound.
	fn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		return []frontend.Variable{f.Canonical(f.ChunkMod(in))}
	}
	plainCheck(t, fn, []frontend.Variable{1, 0, 1}, []frontend.Variable{5})
	plainFail(t, fn, []frontend.Variable{2, 0, 1}, []frontend.Variable{6})
	sfn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		return []frontend.Variable{f.Canonical(f.Select(in[0], f.Witness(in[1]), f.Witness(in[2])))}
	}
	plainCheck(t, sfn, []frontend.Variable{1, 7, 9}, []frontend.Variable{7})
	// cond = 2 would give 2·7 − 9 = 5, neither operand.
	plainFail(t, sfn, []frontend.Variable{2, 7, 9}, []frontend.Variable{5})
}

func TestPlainDrawsNonCanonicalState(t *testing.T) {
	// A transcript state s < 2^254 − r has a second 254-bit decomposition, s + r: the
	// draws of the wrap's transcript come from the bits, so the cheater would pick
	// between two challenges.
	fn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		d := f.Draws(in[0])
		out := make([]frontend.Variable, len(d))
		for i := range d {
			out[i] = f.Canonical(d[i])
		}
		return out
	}
	s := big.NewInt(987654321)
	draws := func(x *big.Int) []frontend.Variable {
		out := make([]frontend.Variable, DrawCount)
		mask := new(big.Int).SetUint64(1<<62 - 1)
		for j := range out {
			c := new(big.Int).Rsh(x, uint(62*j))
			c.And(c, mask)
			out[j] = new(big.Int).Mod(c, modulus).Uint64()
		}
		return out
	}
	plainCheck(t, fn, []frontend.Variable{s}, draws(s))
	alt := new(big.Int).Add(s, frModulus)
	plainFail(t, fn, []frontend.Variable{s}, draws(alt), swap{nBitsHint(t), forgeBits(1)})
}

// TestPlainCanonicalForged plays against NewPlain's 31-bit canonical check (v in 31
// bits; top 7 bits all ones ⇒ low 24 bits zero): every value from p to 2^31 − 1, those
// with low bits zero included, and values past 31 bits, with the hinted inverse and the
// bit decomposition answered as the cheater likes.
func TestPlainCanonicalForged(t *testing.T) {
	fn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		return []frontend.Variable{f.Witness(in[0]).V}
	}
	for _, v := range []uint64{0, 1, 1 << 24, 1<<24 - 1, 126<<24 + 1<<24 - 1, p - 2, p - 1} {
		plainCheck(t, fn, []frontend.Variable{v}, []frontend.Variable{v})
	}
	// Any answer for z: when the top bits are all ones t = 0, so w = t·z = 0 whatever z.
	anyInv := func(z int64) solver.Hint {
		return func(_ *big.Int, _, out []*big.Int) error {
			out[0].SetInt64(z)
			return nil
		}
	}
	bad := []any{uint64(p), uint64(p + 1), uint64(p + 1<<23), uint64(1<<31 - 1), uint64(1 << 31), uint64(1<<31 + 1<<24), uint64(p + 1<<31)}
	for _, v := range bad {
		in := []frontend.Variable{v}
		plainFail(t, fn, in, in)
		plainFail(t, fn, in, in, swap{frInvHint, anyInv(1)})
		plainFail(t, fn, in, in, swap{frInvHint, anyInv(-1)})
		plainFail(t, fn, in, in, swap{nBitsHint(t), forgeBits(1)})
		plainFail(t, fn, in, in, swap{nBitsHint(t), forgeBits(-1)}, swap{frInvHint, anyInv(1)})
	}
	// A reduction whose remainder is the other representative r + p (below 2^31 for
	// small r): the canonical check on the remainder refuses it.
	rfn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		x := f.Witness(in[0])
		return []frontend.Variable{f.Canonical(f.Mul(x, x))}
	}
	plainCheck(t, rfn, []frontend.Variable{p - 1}, []frontend.Variable{1})
	plainFail(t, rfn, []frontend.Variable{p - 1}, []frontend.Variable{1 + p}, swap{quoHint, liarQuo(-1)}, swap{frInvHint, anyInv(1)})
	// The cost: 31 bits, their recomposition and two products.
	only := func(f *Field, in []frontend.Variable) []frontend.Variable {
		f.Witness(in[0])
		return nil
	}
	c, _ := newPlainOp(only, []frontend.Variable{0}, nil)
	if n := compile(t, c).GetNbConstraints(); n > 35 {
		t.Errorf("a canonical witness costs %d constraints, want at most 35", n)
	} else {
		t.Logf("a canonical witness costs %d constraints", n)
	}
}

// TestPlainLazySumForged plays against a lazy sum of products as the wrap circuit makes
// them (a DEEP batching or a constraint accumulation): twenty unreduced ExtMulLazy
// products summed, the sum multiplied once more unreduced, and compared to a claimed
// value with one quotient per coordinate. A wrong claim stays refused when the quotient
// is forged so that the identity holds modulo r (congruent mod r, not mod p) or is off
// by one; a value reduced once and taken by two products (the gadget reuses the
// reduction) is refused with a forged quotient.
func TestPlainLazySumForged(t *testing.T) {
	const n = 20
	fn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		w := func(i int) Ext4 { return f.ExtWitness([4]frontend.Variable(in[4*i : 4*i+4])) }
		sum := f.ExtZero()
		for i := range n {
			sum = f.ExtAdd(sum, f.ExtMulLazy(w(2*i), w(2*i+1)))
		}
		f.ExtAssertEqual(f.ExtMulLazy(sum, w(2*n)), w(2*n+1))
		return nil
	}
	r := newRand(t)
	var in []frontend.Variable
	var sum field.Ext
	for range n {
		x, y := randExt(r), randExt(r)
		in = append(append(in, extVars(x)...), extVars(y)...)
		x.Mul(&x, &y)
		sum.Add(&sum, &x)
	}
	z := randExt(r)
	var c field.Ext
	c.Mul(&sum, &z)
	in = append(append(in, extVars(z)...), extVars(c)...)
	plainCheck(t, fn, in, nil)
	for coord := range 4 {
		bad := append([]frontend.Variable(nil), in...)
		bad[4*(2*n+1)+coord] = (bad[4*(2*n+1)+coord].(uint64) + 1) % p
		plainFail(t, fn, bad, nil)
		plainFail(t, fn, bad, nil, swap{quoHint, forgeQuo(0)})
		plainFail(t, fn, bad, nil, swap{quoHint, liarQuo(1)})
		plainFail(t, fn, bad, nil, swap{quoHint, liarQuo(-1)})
	}

	// A reduction reused: x = a·b (unreduced) weakly reduced once, taken by two products.
	rfn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		a, b := f.ExtWitness([4]frontend.Variable(in[0:4])), f.ExtWitness([4]frontend.Variable(in[4:8]))
		x := f.ExtMulLazy(a, b)
		y1 := f.ExtMulLazy(f.ExtWeak(x), a)
		y2 := f.ExtMulLazy(f.ExtWeak(x), b)
		f.ExtAssertEqual(f.ExtAdd(y1, y2), f.ExtWitness([4]frontend.Variable(in[8:12])))
		return nil
	}
	a, b := randExt(r), randExt(r)
	var x, y1, y2 field.Ext
	x.Mul(&a, &b)
	y1.Mul(&x, &a)
	y2.Mul(&x, &b)
	y1.Add(&y1, &y2)
	rin := append(append(extVars(a), extVars(b)...), extVars(y1)...)
	plainCheck(t, rfn, rin, nil)
	rbad := append([]frontend.Variable(nil), rin...)
	rbad[8] = (rbad[8].(uint64) + 1) % p
	plainFail(t, rfn, rbad, nil, swap{quoHint, liarQuo(1)})
	plainFail(t, rfn, rbad, nil, swap{quoHint, forgeQuo(0)})
	// The honest claim with every quotient off by one: each reduction's remainder
	// leaves [0, 2^32) or the equality's quotient no longer divides.
	plainFail(t, rfn, rin, nil, swap{quoHint, liarQuo(1)})
	// One reduction of x, not two.
	once := func(f *Field, in []frontend.Variable) []frontend.Variable {
		a, b := f.ExtWitness([4]frontend.Variable(in[0:4])), f.ExtWitness([4]frontend.Variable(in[4:8]))
		x := f.ExtMulLazy(a, b)
		f.ExtWeak(x)
		f.ExtWeak(x)
		return nil
	}
	onceOnly := func(f *Field, in []frontend.Variable) []frontend.Variable {
		a, b := f.ExtWitness([4]frontend.Variable(in[0:4])), f.ExtWitness([4]frontend.Variable(in[4:8]))
		f.ExtWeak(f.ExtMulLazy(a, b))
		return nil
	}
	c1, _ := newPlainOp(once, rin[:8], nil)
	c2, _ := newPlainOp(onceOnly, rin[:8], nil)
	if n1, n2 := compile(t, c1).GetNbConstraints(), compile(t, c2).GetNbConstraints(); n1 != n2 {
		t.Errorf("reducing a value twice costs %d constraints, once %d", n1, n2)
	}
}

// bitsCircuit asserts its 254 inputs boolean and below r (atMostRMinus1).
type bitsCircuit struct{ B [FrWidth]frontend.Variable }

func (c *bitsCircuit) Define(api frontend.API) error {
	for _, b := range c.B {
		api.AssertIsBoolean(b)
	}
	NewPlain(api).atMostRMinus1(c.B[:])
	return nil
}

// TestFrBitsBelowR checks the comparison with r − 1 that makes FrBits unique, bit
// pattern by bit pattern: r − 1 and every value made from it by clearing one of its
// ones are accepted; every value made by setting one of its zeros, r itself, r + 2^k,
// 2^254 − 1 and random values above r − 1 are refused; random values below are accepted.
func TestFrBitsBelowR(t *testing.T) {
	R := new(big.Int).Sub(frModulus, big.NewInt(1))
	assign := func(x *big.Int) *bitsCircuit {
		var a bitsCircuit
		for i := range a.B {
			a.B[i] = x.Bit(i)
		}
		return &a
	}
	ccs := compile(t, &bitsCircuit{})
	solved := func(x *big.Int) bool {
		// gnark's test engine and the compiled R1CS must agree.
		e := test.IsSolved(&bitsCircuit{}, assign(x), frModulus)
		w, err := frontend.NewWitness(assign(x), frModulus)
		if err != nil {
			t.Fatal(err)
		}
		_, s := ccs.Solve(w)
		if (e == nil) != (s == nil) {
			t.Fatalf("%x: test engine %v, r1cs %v", x, e, s)
		}
		return e == nil
	}
	var good, bad []*big.Int
	good = append(good, new(big.Int).Set(R), big.NewInt(0))
	for i := range FrWidth {
		x := new(big.Int).Set(R)
		if R.Bit(i) == 1 {
			good = append(good, x.SetBit(x, i, 0))
		} else {
			bad = append(bad, x.SetBit(x, i, 1))
		}
	}
	top := new(big.Int).Lsh(big.NewInt(1), FrWidth)
	for k := 0; k < FrWidth; k++ {
		x := new(big.Int).Add(frModulus, new(big.Int).Lsh(big.NewInt(1), uint(k)))
		if x.Cmp(top) < 0 {
			bad = append(bad, x)
		}
	}
	bad = append(bad, new(big.Int).Set(frModulus), new(big.Int).Sub(top, big.NewInt(1)))
	r := newRand(t)
	for range 200 {
		x := new(big.Int)
		for i := range FrWidth {
			x.SetBit(x, i, uint(r.IntN(2)))
		}
		if x.Cmp(R) <= 0 {
			good = append(good, x)
		} else {
			bad = append(bad, x)
		}
	}
	for _, x := range good {
		if !solved(x) {
			t.Errorf("%x ≤ r − 1 refused", x)
		}
	}
	for _, x := range bad {
		if solved(x) {
			t.Errorf("%x > r − 1 accepted", x)
		}
	}
	t.Logf("%d values ≤ r − 1 accepted, %d above refused", len(good), len(bad))
}
