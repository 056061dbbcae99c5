// Package gadget is the arithmetic of the Hemera Injector's Groth16 circuit: gnark
// gadgets (R1CS over BN254's scalar field r, [frontend.API]) for the KoalaBear field
// (p = 2^31 − 2^24 + 1), its degree-4 extension, the "poseidon2-bn254" hash of the
// engine's outer layer, and the canonical bits of a BN254 element, which is what a
// circuit verifying Hemera STARK proofs is built from.
//
// # Usage
//
//	func (c *Circuit) Define(api frontend.API) error {
//		f := gadget.New(api)
//		x := f.ExtWitness(c.X)            // four canonical coordinates
//		a := f.Witness(c.A)               // a canonical base element
//		y := f.ExtMul(x, f.ExtMulByElem(x, a))
//		f.ExtAssertEqual(y, f.ExtWitness(c.Y))
//		leaf := f.LeafHash([]gadget.Elem{a, f.Const(7)})
//		api.AssertIsEqual(leaf, c.Leaf)
//		return nil
//	}
//
// Assign witnesses with [Assign] and [ExtAssign] (canonical values of [field.Elem] and
// [field.Ext]). The hints are registered with gnark's solver when the package loads
// ([GetHints] lists them).
//
// # Representation and bounds
//
// KoalaBear elements fit in BN254's scalar field, so an [Elem] is one native variable
// V, some integer representative of its element, together with a bound proven for it:
// 0 ≤ V ≤ Bound() < 2^[MaxBits] (250). Operations work on representatives and track
// the bound exactly:
//
//   - Add: bound a+b. Sub: a + k·p − b with k·p the least multiple of p at or above
//     b's bound, so the integer never goes negative (bound a + k·p). Mul: bound a·b, one
//     constraint. None of them reduces.
//   - Before a result could reach 2^250, the operand with the larger bound is weakly
//     reduced first. With every value below 2^250, sums, shifted differences and
//     quotient recompositions stay below 2^253 < r: every native equality the package
//     relies on is an equality of integers.
//   - Three levels of reduction: canonical (below p; [Field.Reduce], [Field.Canonical],
//     [Field.Witness], the inputs of [Field.Pack] and [Field.ToBits]), weak (below 2^32,
//     congruent: reductions for bound control, [Field.ExtMul]'s outputs, hinted
//     inverses and quotients), and unreduced (what Add, Sub, Mul, [Field.ExtMulLazy]
//     return).
//   - A weak reduction is remembered ([Field.ExtWeak], and the reductions a product makes
//     for bound control): reducing the same variable again returns the first reduction,
//     so a value that several products take is reduced once.
//   - Equality is mod p: [Field.AssertEqual] of two canonical values is one native
//     equality; otherwise it proves p | a − b with one range-checked quotient, cheaper
//     than reducing both.
//
// An [Ext4] is four Elems in the coordinate order of the engine's [field.Ext] of degree
// 4: gnark-crypto's tower F[u]/(u² − 3), [v]/(v² − u), coordinates (1, u, v, u·v).
// Since u = v² it is F[v]/(v⁴ − 3). [Field.ExtMulLazy] computes the seven coefficients
// of the product polynomial from seven native products (Toom-Cook at 0, ±1, ±2, 3, ∞,
// interpolated with constants of BN254's field: exact, because each coefficient is an
// integer below its bound < r) and folds v⁴ = 3; [Field.ExtMul] then reduces each
// coordinate once.
//
// # Security
//
// Every value that enters as a field element has a range argument, stated in the doc
// comment of the operation that makes it:
//
//   - Witness: v and p−1−v are both range-checked to 32 bits, so 0 ≤ v ≤ p−1; with
//     [NewPlain], v is decomposed into 31 bits and "top 7 bits all ones ⇒ low 24 bits
//     zero" is constrained (p − 1 = 2^31 − 2^24), 34 constraints instead of 66.
//   - Reduction of a (bound m): a hint supplies q = ⌊a/p⌋, range-checked to the bits of
//     ⌊m/p⌋ (with [New] rounded up to a multiple of 16, at most 222), and r = a − q·p is a linear combination, range-checked to 32
//     bits (weak) or with p−1−r as well (canonical). Then a = q·p + r over the integers
//     (both sides < 2^253 < r) and r ≡ a (mod p).
//   - Hinted inverses and quotients (Inverse, ExtInverse, ExtDiv): each coordinate is
//     range-checked to 32 bits, then the defining product is constrained mod p. The
//     prover may choose between the (at most two) weak representatives of the same
//     element, never between elements; whatever observes the integer (Pack, ToBits,
//     IsZero, equality) reduces to the canonical one first.
//   - ToBits: the canonical r splits into n constrained bits and a range-checked high
//     part; FrBits: gnark's full-width bits.ToBinary and a comparison of the bits with
//     r−1, run by run of r−1's bits (about 150 constraints where gnark's bitwise one
//     takes 253), so that the decomposition is unique (without it a value below 2^254 − r has a
//     second decomposition, v + r, and a transcript drawing challenges from the bits
//     would let the prover pick between two challenges).
//
// Range checks go through gnark's std/rangecheck: in Groth16 a log-derivative lookup
// argument over a table of 2^b values, bound to the witness by the BSB22 commitment.
// The tests play cheating provers (witnesses ≥ p, quotients forged so that any
// remainder fits natively, wrong inverses, a non-canonical bit decomposition) and show
// both gnark's test engine and the compiled R1CS solver reject them; a Groth16 test
// proves an honest witness and fails to prove forged ones.
//
// [Field.ExtDiv] does not prove b ≠ 0: for b = 0 and a = 0 its result is unconstrained.
// Use it where the divisor is known nonzero; ExtMul(a, ExtInverse(b)) proves it.
//
// # Performance
//
// Constraint counts, gnark v0.16.0, marginal cost per use in a circuit with 50 000 uses
// (where the range checker settles on 16-bit limbs: a 32-bit check costs 3 constraints,
// its share of the table included):
//
//	Witness                  ≈ 7       Mul (lazy)                 1
//	Mul + Reduce             ≈ 11      Mul + weak reduction     ≈ 8
//	AssertEqual(a·b, c)      ≈ 6       Inverse                  ≈ 9
//	ExtMulLazy                 7       ExtMul (weak)            ≈ 36
//	ExtMul + ExtReduce       ≈ 48      ExtInverse, ExtDiv       ≈ 40
//	Compress                 186       LeafHash (100 elements)  2418
//	FrBits                   398
//
// In small circuits the checker picks shorter limbs and each check costs more;
// TestConstraintCounts logs the counts at a small scale. Reductions dominate: keep
// values unreduced while they only flow into sums and products (ExtMulLazy, Add, Sub),
// and compare unreduced values with AssertEqual rather than reducing both sides.
package gadget
