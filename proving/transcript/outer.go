package transcript

import (
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// The transcript of the Outer scheme (hash.Outer, Poseidon2 over BN254's scalar field
// r) is a chain over one F_r element s, built so that a Groth16 circuit over BN254
// replays it natively (package proving/injector):
//
//   - start: s = OuterCompress(0, OuterPack(tag digest)), the tag digest being the
//     Narrow digest NewFor computes for every scheme;
//   - a word w is absorbed as s ← OuterCompress(s, w);
//   - observed KoalaBear elements wait in a buffer; 8 of them, or fewer when a
//     commitment is observed or a challenge is drawn, are absorbed as the word
//     OuterPack(buffer) (≥ 2^248: the count is packed with them);
//   - a commitment (an Outer node) is absorbed as its F_r element, after the buffer;
//   - a draw with nothing new absorbs the word 0, so that successive draws differ;
//   - after an absorption, the draws are x_j = ((s >> 62j) mod 2^62) mod p for
//     j = 0 … 3 (bits 0 … 247 of the canonical integer of s), handed out from x_3 down
//     to x_0, as the other schemes hand out their rate elements from the last.
//
// Each draw is within statistical distance 2^-31 of uniform on F_p (62-bit integers
// reduced mod p ≈ 2^31), and every probability that a draw lands in a set grows by a
// factor of at most 1 + 2^-30: soundness bounds multiply by it.
const outerDraws = 4

// duplexOuter absorbs the buffered elements (the word 0 when there are none) and
// refills the output with the draws of the new state.
func (c *Challenger) duplexOuter() {
	var w fr.Element
	if len(c.input) > 0 {
		w = hash.OuterPack(c.input)
	}
	c.input = c.input[:0]
	c.outer = hash.OuterCompress(c.outer, w)
	c.output = append(c.output[:0], OuterDraws(c.outer)...)
}

// observeOuterNode absorbs the buffer (if any), then the node's F_r element. A
// non-canonical node reads as zero (verifiers refuse one before observing it).
func (c *Challenger) observeOuterNode(n hash.Node) {
	if len(c.input) > 0 {
		c.duplexOuter()
	}
	v, _ := hash.OuterValue(&n)
	c.outer = hash.OuterCompress(c.outer, v)
	c.output = c.output[:0]
}

// OuterDraws returns the four draws x_0 … x_3 of an Outer transcript state s (in that
// order; Sample hands out x_3 first).
func OuterDraws(s fr.Element) []field.Elem {
	var b big.Int
	s.BigInt(&b)
	mask := new(big.Int).SetUint64(1<<62 - 1)
	out := make([]field.Elem, outerDraws)
	for j := range out {
		var chunk big.Int
		chunk.Rsh(&b, uint(62*j))
		chunk.And(&chunk, mask)
		out[j] = field.New(chunk.Uint64()) // field.New reduces mod p
	}
	return out
}

// OuterState returns the Outer transcript's F_r state (for the Injector's tests, which
// replay a transcript in a circuit and compare states).
func (c *Challenger) OuterState() fr.Element { return c.outer }
