package wrap

import (
	"github.com/consensys/gnark/frontend"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/injector/gadget"
)

// ops is the circuit's arithmetic: KoalaBear and its degree-4 extension emulated in
// BN254's scalar field (package gadget), and the Outer hash.
type ops struct {
	api frontend.API
	f   *gadget.Field
}

type (
	elem = gadget.Elem
	ext  = gadget.Ext4
)

// newOps range-checks by bits (gadget.NewPlain): about 2.2 times the constraints of
// the log-derivative checker, but no commitment in the Groth16 proof, so the proof is
// the bare 256 bytes (128 compressed) and verifies on chain with one pairing check
// (about 190k gas instead of 316k with the commitment's proof of knowledge).
func newOps(api frontend.API) *ops { return &ops{api: api, f: gadget.NewPlain(api)} }

func (o *ops) cst(v uint64) elem            { return o.f.Const(v) }
func (o *ops) ce(v field.Elem) elem         { return o.f.ConstElem(v) }
func (o *ops) cx(v field.Ext) ext           { return o.f.ExtConst(v) }
func (o *ops) base(a elem) ext              { return o.f.ExtFromBase(a) }
func (o *ops) wit(v frontend.Variable) elem { return o.f.Witness(v) }
func (o *ops) witx(v [4]frontend.Variable) ext {
	return o.f.ExtWitness(v)
}
func (o *ops) add(a, b ext) ext       { return o.f.ExtAdd(a, b) }
func (o *ops) sub(a, b ext) ext       { return o.f.ExtSub(a, b) }
func (o *ops) mulb(a ext, b elem) ext { return o.f.ExtMulByElem(a, b) }
func (o *ops) div(a, b ext) ext       { return o.mul(a, o.f.ExtInverse(b)) } // proves b ≠ 0, as the native verifier checks
func (o *ops) neg(a ext) ext          { return o.f.ExtSub(o.cx(field.Ext{}), a) }

// mul returns a·b unreduced (gadget's ExtMulLazy: 7 constraints, each output coordinate
// the exact integer sum of its products, with its bound). Sums of products are then
// reduced once, where a product, a hash or an equality needs it, instead of every
// product being reduced. An operand whose bound exceeds 2^lazyBits is weakly reduced
// first: the gadget remembers its reductions, so a value that several products take is
// reduced once; below that, carrying its bits into the product costs less than the
// reduction (each bit of a quotient is a constraint). The gadget's own bound tracking
// still reduces an operand whenever a product could reach 2^250.
func (o *ops) mul(a, b ext) ext { return o.f.ExtMulLazy(o.operand(a), o.operand(b)) }
func (o *ops) sq(a ext) ext     { return o.mul(a, a) }

// lazyBits is the widest operand a product takes unreduced (150: measured on the outer
// layer's wrap circuit between 68 and 250 bits; 120 to 180 are within 0.6%).
const lazyBits = 150

// operand weak-reduces a when a coordinate's bound exceeds 2^lazyBits.
func (o *ops) operand(a ext) ext {
	for i := range a {
		if a[i].Bits() > lazyBits {
			return o.f.ExtWeak(a)
		}
	}
	return a
}

// nonzero asserts a ≠ 0 (it has an inverse).
func (o *ops) nonzero(a ext)                            { o.f.ExtInverse(a) }
func (o *ops) eq(a, b ext)                              { o.f.ExtAssertEqual(a, b) }
func (o *ops) sel(c frontend.Variable, a, b ext) ext    { return o.f.ExtSelect(c, a, b) }
func (o *ops) badd(a, b elem) elem                      { return o.f.Add(a, b) }
func (o *ops) bmul(a, b elem) elem                      { return o.f.Mul(a, b) }
func (o *ops) bsel(c frontend.Variable, a, b elem) elem { return o.f.Select(c, a, b) }
func (o *ops) red(a elem) elem                          { return o.f.Reduce(a) }
func (o *ops) bits(a elem, n int) []frontend.Variable   { return o.f.ToBits(a, n) }

// Outer hash.
func (o *ops) compress(l, r frontend.Variable) frontend.Variable { return o.f.Compress(l, r) }
func (o *ops) pack(in []elem) frontend.Variable                  { return o.f.Pack(in) }
func (o *ops) leaf(row []elem) frontend.Variable                 { return o.f.LeafHash(row) }
func (o *ops) draws(s frontend.Variable) [gadget.DrawCount]elem  { return o.f.Draws(s) }
