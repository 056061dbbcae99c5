package gadget

import (
	"fmt"
	"math/big"
	"math/bits"
	"reflect"

	"github.com/consensys/gnark/frontend"
	gbits "github.com/consensys/gnark/std/math/bits"
	"github.com/consensys/gnark/std/permutation/poseidon2"
	"github.com/consensys/gnark/std/rangecheck"

	"github.com/oneiros-zk/oneiros/proving/field"
)

// MaxBits bounds every value the package keeps unreduced: an [Elem]'s integer value
// is below 2^MaxBits. BN254's scalar field has 254 bits (r ≈ 2^253.6), so a sum, a
// difference shifted by a multiple of p, or a quotient-remainder recomposition of two
// such values stays below r and native equalities are integer equalities.
const MaxBits = 250

// ElemBits is the width of a canonical value: p < 2^31.
const ElemBits = 31

// WeakBits is the width of a weakly reduced value (congruent to the element, below
// 2^32, not necessarily below p): what reductions for bound control, hinted inverses
// and [Field.ExtMul] produce. Range checks are 32 bits wide rather than 31 because
// gnark's log-derivative range checker splits a value into limbs of its base length
// (usually a power of two) and pays one more lookup for a width that is not a
// multiple of it.
const WeakBits = 32

// limbAlign is the width range checks are rounded up to where the rounding is free of
// soundness cost (quotients): a multiple of the likely base length of the checker.
const limbAlign = 16

// maxQuotientBits bounds the width of a range-checked quotient q so that q·p + r with
// r < 2^32 stays below 2^253 < r_BN254: 222 + 31 = 253.
const maxQuotientBits = 222

var (
	modulus = big.NewInt(field.Modulus)
	pMinus1 = big.NewInt(field.Modulus - 1)
	weakMax = big.NewInt(1<<WeakBits - 1)
	limit   = new(big.Int).Lsh(big.NewInt(1), MaxBits)
	bigOne  = big.NewInt(1)
)

// Field builds KoalaBear arithmetic inside a BN254 circuit. It holds the circuit's
// API, the shared range checker (gnark's std/rangecheck) and, once used, the
// Poseidon2 permutation. Make one per circuit Define with [New].
type Field struct {
	api   frontend.API
	rc    frontend.Rangechecker
	plain bool // range checks by bits (NewPlain): widths are paid bit by bit
	perm  *poseidon2.Permutation

	// weak remembers the weak reductions made, by the bound pointer of the reduced Elem
	// (every operation that can exceed 2^32 allocates its own): an unreduced value that
	// several products need reduced is reduced once.
	weak map[*big.Int][]weakMemo
}

// weakMemo is a weak reduction made: of the variable v, the Elem r.
type weakMemo struct {
	v frontend.Variable
	r Elem
}

// New returns the KoalaBear gadgets for api. Its range checks are gnark's
// std/rangecheck: a log-derivative lookup whose challenge comes from a commitment to the
// checked values (in Groth16, a Pedersen commitment and its proof of knowledge in the
// proof: 64 bytes more, and a second pairing check on chain).
func New(api frontend.API) *Field {
	return &Field{api: api, rc: rangecheck.New(api)}
}

// NewPlain is New with range checks by bit decomposition (one boolean constraint per
// bit, no commitment): circuits several times larger, whose Groth16 proofs are the bare
// 256 bytes and verify on chain with one pairing check.
//
// The plain checker pays one constraint per bit, so its Field checks the exact widths
// a range argument needs (quotients are not rounded up to 16-bit limbs) and
// proves a value canonical with 31 bits rather than two 32-bit checks (see
// [Field.Witness]).
func NewPlain(api frontend.API) *Field {
	return &Field{api: api, rc: plainChecker{api}, plain: true}
}

// plainChecker range-checks by decomposing into bits: v = Σ b_i·2^i with every b_i
// boolean and n of them proves 0 ≤ v < 2^n (n < 254, so the sum cannot wrap mod r).
type plainChecker struct{ api frontend.API }

func (c plainChecker) Check(v frontend.Variable, n int) {
	gbits.ToBinary(c.api, v, gbits.WithNbDigits(n))
}

// API returns the circuit's API.
func (f *Field) API() frontend.API { return f.api }

// Elem is a KoalaBear element held as a native BN254 variable V whose integer value
// is some representative of the element: V ≡ element (mod p), 0 ≤ V ≤ Bound() <
// 2^MaxBits. Only a [Field] makes Elems (the bound is what the range arguments prove);
// the zero Elem is not a valid value.
type Elem struct {
	V   frontend.Variable
	max *big.Int // inclusive bound of V as an integer; shared, never mutated
}

// Bound returns the proven inclusive upper bound of a.V as an integer.
func (a Elem) Bound() *big.Int { return new(big.Int).Set(a.bound()) }

// Bits returns the bit length of a's bound: a.V < 2^Bits().
func (a Elem) Bits() int { return a.bound().BitLen() }

// IsCanonical reports whether a.V is proven to be the canonical representative (< p).
func (a Elem) IsCanonical() bool { return a.bound().Cmp(modulus) < 0 }

func (a Elem) bound() *big.Int {
	if a.max == nil {
		panic("gadget: an Elem not made by a Field")
	}
	return a.max
}

// Assign returns the canonical value of e, for a witness assignment.
func Assign(e field.Elem) frontend.Variable { return e.Uint64() }

// constant returns the value of v when it is known at compile time.
func (f *Field) constant(v frontend.Variable) (*big.Int, bool) {
	return f.api.Compiler().ConstantValue(v)
}

// constElem returns the Elem of the constant integer c, reduced mod p.
func constElem(c *big.Int) Elem {
	r := new(big.Int).Mod(c, modulus)
	return Elem{V: r, max: new(big.Int).Set(r)}
}

// Const returns the constant v mod p (canonical, no constraint).
func (f *Field) Const(v uint64) Elem { return constElem(new(big.Int).SetUint64(v)) }

// ConstElem returns the constant e (canonical, no constraint).
func (f *Field) ConstElem(e field.Elem) Elem { return f.Const(e.Uint64()) }

// Zero returns the constant 0.
func (f *Field) Zero() Elem { return f.Const(0) }

// One returns the constant 1.
func (f *Field) One() Elem { return f.Const(1) }

// Witness makes an element of a circuit variable (a witness or public input) and proves
// it canonical.
//
// Range argument ([New]): v and p−1−v are both range-checked to 32 bits, so 0 ≤ v <
// 2^32 and p−1−v ∈ [0, 2^32), that is v ∈ [p−2^32, p−1] read in the native field (a
// v ≥ p makes p−1−v wrap to about 2^254): together 0 ≤ v ≤ p−1 as integers.
//
// Range argument ([NewPlain], 34 constraints instead of 66): v = Σ_{i<31} b_i·2^i with
// 31 constrained booleans, so 0 ≤ v < 2^31 as integers (31 < 254: the sum cannot wrap
// mod r); with lo = Σ_{i<24} b_i·2^i and t = 127 − Σ_{24≤i<31} b_i·2^(i−24) (t ∈
// [0, 127], zero exactly when the top 7 bits are all ones), a hinted z with w = t·z and
// lo·(1 − w) = 0: when t = 0, w = 0 and lo must be 0, so v = 127·2^24 = p − 1; when
// t ≠ 0, v < 127·2^24 = p − 1. Either way v ≤ p − 1 (p − 1 = 2^31 − 2^24).
//
// A constant v must be below p.
func (f *Field) Witness(v frontend.Variable) Elem {
	if c, ok := f.constant(v); ok {
		if c.Cmp(modulus) >= 0 {
			panic(fmt.Sprintf("gadget: constant witness %s is not below p", c))
		}
		return constElem(c)
	}
	f.checkCanonical(v)
	return Elem{V: v, max: pMinus1}
}

// checkCanonical proves 0 ≤ v < p as integers (the range argument is [Field.Witness]'s).
func (f *Field) checkCanonical(v frontend.Variable) {
	if !f.plain {
		f.rc.Check(v, WeakBits)
		f.rc.Check(f.api.Sub(pMinus1, v), WeakBits)
		return
	}
	api := f.api
	b := gbits.ToBinary(api, v, gbits.WithNbDigits(ElemBits))
	var lo, hi frontend.Variable = 0, 0
	for i := range canonLowBits {
		lo = api.Add(lo, api.Mul(b[i], new(big.Int).Lsh(bigOne, uint(i))))
	}
	for i := canonLowBits; i < ElemBits; i++ {
		hi = api.Add(hi, api.Mul(b[i], new(big.Int).Lsh(bigOne, uint(i-canonLowBits))))
	}
	t := api.Sub(canonTopAll, hi) // 0 exactly when the top 7 bits are all ones
	out, err := api.Compiler().NewHint(frInvHint, 1, t)
	if err != nil {
		panic(err)
	}
	w := api.Mul(t, out[0])
	api.AssertIsEqual(api.Mul(lo, api.Sub(1, w)), 0)
}

// canonLowBits is the number of low zero bits of p − 1 = 2^31 − 2^24 (its top 7 bits are
// ones): v < 2^31 is below p exactly when its top 7 bits are not all ones or its low 24
// bits are zero.
const canonLowBits = 24

// canonTopAll is the value of the top 31 − 24 = 7 bits of p − 1: all ones.
const canonTopAll = 1<<(ElemBits-canonLowBits) - 1

// checkWeak range-checks v to 32 bits.
func (f *Field) checkWeak(v frontend.Variable) { f.rc.Check(v, WeakBits) }

// alignedBits rounds a range-check width n up to a multiple of limbAlign, but not past
// most: widths 0 and 1 stay (a zero or a boolean check is one constraint). With the
// plain checker n stays: each bit is a constraint, and rounding up would only pay for
// a weaker bound.
func (f *Field) alignedBits(n, most int) int {
	if n <= 1 || f.plain {
		return n
	}
	return max(n, min((n+limbAlign-1)/limbAlign*limbAlign, most))
}

// fit weak-reduces the operand with the larger bound until need(a, b) < 2^MaxBits.
func (f *Field) fit(a, b Elem, need func(x, y *big.Int) *big.Int) (Elem, Elem) {
	for need(a.bound(), b.bound()).Cmp(limit) >= 0 {
		switch {
		case a.max.Cmp(b.max) >= 0 && a.max.Cmp(weakMax) > 0:
			a = f.weakReduce(a)
		case b.max.Cmp(weakMax) > 0:
			b = f.weakReduce(b)
		default:
			panic("gadget: bound overflow on reduced operands")
		}
	}
	return a, b
}

func addBounds(x, y *big.Int) *big.Int { return new(big.Int).Add(x, y) }
func mulBounds(x, y *big.Int) *big.Int { return new(big.Int).Mul(x, y) }

// subShift returns k·p for the least k with k·p ≥ m: adding it before subtracting a
// value ≤ m keeps the integer non-negative.
func subShift(m *big.Int) *big.Int {
	k := new(big.Int).Add(m, pMinus1)
	k.Quo(k, modulus)
	return k.Mul(k, modulus)
}

func subBounds(x, y *big.Int) *big.Int { return new(big.Int).Add(x, subShift(y)) }

// Add returns a + b, unreduced: bound a.Bound()+b.Bound(), no constraint (an operand
// is weakly reduced first if the sum could reach 2^MaxBits).
func (f *Field) Add(a, b Elem) Elem {
	a, b = f.fit(a, b, addBounds)
	return Elem{V: f.api.Add(a.V, b.V), max: addBounds(a.max, b.max)}
}

// Sub returns a − b as the non-negative integer a + k·p − b, where k·p is the least
// multiple of p at or above b's bound: bound a.Bound()+k·p, no constraint.
func (f *Field) Sub(a, b Elem) Elem {
	a, b = f.fit(a, b, subBounds)
	kp := subShift(b.max)
	return Elem{V: f.api.Sub(f.api.Add(a.V, kp), b.V), max: new(big.Int).Add(a.max, kp)}
}

// Neg returns −a as k·p − a (see [Field.Sub]).
func (f *Field) Neg(a Elem) Elem { return f.Sub(f.Zero(), a) }

// Mul returns a·b, unreduced: one constraint (none with a constant), bound
// a.Bound()·b.Bound() (operands are weakly reduced first if the product could reach
// 2^MaxBits).
func (f *Field) Mul(a, b Elem) Elem {
	a, b = f.fit(a, b, mulBounds)
	return Elem{V: f.api.Mul(a.V, b.V), max: mulBounds(a.max, b.max)}
}

// MulConst returns a·(c mod p), unreduced, with no constraint.
func (f *Field) MulConst(a Elem, c uint64) Elem { return f.Mul(a, f.Const(c)) }

// Square returns a², unreduced (see [Field.Mul]).
func (f *Field) Square(a Elem) Elem { return f.Mul(a, a) }

// quotient returns q = ⌊v/p⌋ from a hint and v − q·p. q is range-checked to the bit
// length of ⌊m/p⌋ (m is v's bound; at most 220 bits since m < 2^250), with [New]
// rounded up to a multiple of 16 but not past 222 bits (with [NewPlain] exactly). Range argument: q < 2^222, so q·p + r < 2^253 <
// r_BN254 for any r < 2^32, and a later check that bounds v − q·p by 2^32 (or proves it
// zero) makes v = q·p + (v − q·p) an identity over the integers.
func (f *Field) quotient(v frontend.Variable, m *big.Int) (q, rem frontend.Variable) {
	qbits := f.alignedBits(new(big.Int).Quo(m, modulus).BitLen(), maxQuotientBits)
	out, err := f.api.Compiler().NewHint(quoHint, 1, v, modulus)
	if err != nil {
		panic(err)
	}
	q = out[0]
	f.rc.Check(q, qbits)
	return q, f.api.Sub(v, f.api.Mul(q, modulus))
}

// weakReduce returns an Elem congruent to a below 2^32 (not necessarily below p).
//
// Range argument: q from [Field.quotient]; r = a − q·p is range-checked to 32 bits, so
// a = q·p + r holds over the integers and r ≡ a (mod p), 0 ≤ r < 2^32.
func (f *Field) weakReduce(a Elem) Elem {
	if a.bound().Cmp(weakMax) <= 0 {
		return a
	}
	if c, ok := f.constant(a.V); ok {
		return constElem(c)
	}
	for _, m := range f.weak[a.max] {
		if reflect.DeepEqual(m.v, a.V) { // the same variable: its reduction is proven
			return m.r
		}
	}
	_, r := f.quotient(a.V, a.max)
	f.checkWeak(r)
	z := Elem{V: r, max: weakMax}
	if f.weak == nil {
		f.weak = map[*big.Int][]weakMemo{}
	}
	f.weak[a.max] = append(f.weak[a.max], weakMemo{v: a.V, r: z})
	return z
}

// Reduce returns the canonical representative of a (below p). It costs nothing when a
// is already canonical.
//
// Range argument: q = ⌊a/p⌋ from a hint is range-checked as in [Field.quotient] (so
// q·p + r < 2^253 < r_BN254); r = a − q·p and p−1−r are range-checked to 32 bits, so
// 0 ≤ r ≤ p−1 (see [Field.Witness]) and a = q·p + r over the integers: r is a mod p.
func (f *Field) Reduce(a Elem) Elem {
	if a.bound().Cmp(modulus) < 0 {
		return a
	}
	if c, ok := f.constant(a.V); ok {
		return constElem(c)
	}
	_, r := f.quotient(a.V, a.max)
	f.checkCanonical(r)
	return Elem{V: r, max: pMinus1}
}

// Canonical returns the canonical value of a (below p) as a native variable.
func (f *Field) Canonical(a Elem) frontend.Variable { return f.Reduce(a).V }

// AssertEqual constrains a ≡ b (mod p).
//
// Range argument: when both are canonical, a = b natively. Otherwise d = a − b is
// formed as the non-negative integer a + k·p − b (see [Field.Sub]) and q = d/p from a
// hint is range-checked as in [Field.quotient]; the constraint d = q·p then holds over
// the integers (both sides are below 2^253 < r), so p divides a − b.
func (f *Field) AssertEqual(a, b Elem) {
	ca, okA := f.constant(a.V)
	cb, okB := f.constant(b.V)
	if okA && okB {
		f.api.AssertIsEqual(new(big.Int).Mod(ca, modulus), new(big.Int).Mod(cb, modulus))
		return
	}
	if a.IsCanonical() && b.IsCanonical() {
		f.api.AssertIsEqual(a.V, b.V)
		return
	}
	d := f.Sub(a, b)
	_, rem := f.quotient(d.V, d.max)
	f.api.AssertIsEqual(rem, 0) // d = q·p
}

// IsZero returns 1 when a ≡ 0 (mod p) and 0 otherwise (it reduces a).
func (f *Field) IsZero(a Elem) frontend.Variable { return f.api.IsZero(f.Canonical(a)) }

// Select returns a when cond is 1 and b when cond is 0; cond is constrained boolean.
// The bound is the larger of the two: the result is one of them.
func (f *Field) Select(cond frontend.Variable, a, b Elem) Elem {
	m := a.bound()
	if b.bound().Cmp(m) > 0 {
		m = b.max
	}
	return Elem{V: f.api.Select(cond, a.V, b.V), max: m}
}

// Inverse returns 1/a. The circuit is unsatisfiable when a ≡ 0.
//
// Range argument: the inverse comes from a hint and is range-checked to 32 bits (a
// weakly reduced Elem: below 2^32, congruent to the inverse, not necessarily canonical:
// a prover may hand in inv + p); then a·inv ≡ 1 (mod p) is constrained with
// [Field.AssertEqual].
func (f *Field) Inverse(a Elem) Elem {
	if c, ok := f.constant(a.V); ok {
		var e field.Elem
		e.SetBigInt(c)
		if e.IsZero() {
			panic("gadget: inverse of the constant 0")
		}
		e.Inverse(&e)
		return f.ConstElem(e)
	}
	out, err := f.api.Compiler().NewHint(invHint, 1, a.V)
	if err != nil {
		panic(err)
	}
	f.checkWeak(out[0])
	inv := Elem{V: out[0], max: weakMax}
	f.AssertEqual(f.Mul(a, inv), f.One())
	return inv
}

// Div returns a/b, unreduced (see [Field.Inverse]; unsatisfiable when b ≡ 0). A
// constant b costs no constraint.
func (f *Field) Div(a, b Elem) Elem { return f.Mul(a, f.Inverse(b)) }

// Exp returns a^k by square-and-multiply; intermediate products are weakly reduced, the
// last one is returned unreduced.
func (f *Field) Exp(a Elem, k uint64) Elem {
	if k == 0 {
		return f.One()
	}
	a = f.weakReduce(a)
	res := a
	for i := bits.Len64(k) - 2; i >= 0; i-- {
		r := f.weakReduce(res)
		res = f.Mul(r, r)
		if k>>i&1 == 1 {
			res = f.Mul(f.weakReduce(res), a)
		}
	}
	return res
}

// ToBits returns the low n bits (1 ≤ n ≤ 31), little-endian, of the canonical
// representative of a.
//
// Range argument: r = [Field.Reduce](a) < p < 2^31; hi = ⌊r/2^n⌋ from a hint is
// range-checked to 31−n bits (with [New] rounded up to a multiple of 16, at most 32) and lo = r − hi·2^n is
// decomposed into n constrained bits, so lo + 2^n·hi < 2^(n+32) and r = lo + 2^n·hi
// holds over the integers: the bits are those of r mod 2^n.
func (f *Field) ToBits(a Elem, n int) []frontend.Variable {
	if n < 1 || n > ElemBits {
		panic(fmt.Sprintf("gadget: ToBits of %d bits", n))
	}
	r := f.Reduce(a)
	if c, ok := f.constant(r.V); ok {
		out := make([]frontend.Variable, n)
		for i := range out {
			out[i] = c.Bit(i)
		}
		return out
	}
	lo := r.V
	if n < ElemBits {
		pow := new(big.Int).Lsh(bigOne, uint(n))
		out, err := f.api.Compiler().NewHint(quoHint, 1, r.V, pow)
		if err != nil {
			panic(err)
		}
		f.rc.Check(out[0], f.alignedBits(ElemBits-n, WeakBits))
		lo = f.api.Sub(r.V, f.api.Mul(out[0], pow))
	}
	return f.api.ToBinary(lo, n)
}
