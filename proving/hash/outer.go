package hash

import (
	"encoding/binary"
	"math/big"
	"sync"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	bnposeidon2 "github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"

	"github.com/oneiros-zk/oneiros/proving/field"
)

// The Outer scheme ("poseidon2-bn254") hashes a proof's Merkle trees and transcript
// with Poseidon2 over BN254's scalar field r (width 2, gnark-crypto's default BN254
// parameters: R_F = 6, R_P = 50, S-box x^5), so that a Groth16 circuit over BN254 (the
// Hemera Injector's wrap) checks them natively, at about 190 R1CS constraints per
// compression instead of thousands for the KoalaBear permutation emulated in the circuit.
//
//   - A digest is one element of F_r (≈254 bits, ≈127-bit collision resistance). A
//     [Node] holds it as OuterLimbs little-endian limbs of OuterLimbBits bits (each limb
//     a KoalaBear element below 2^30), the canonical integer below r.
//   - OuterCompress(l, r) = P(l, r)[1] + r (gnark-crypto's and gnark's Compress).
//   - OuterPack packs k (1 ≤ k ≤ 8) KoalaBear elements x_i as Σ x_i·2^(31i) + k·2^248:
//     injective on canonical inputs (each x_i < 2^31, and k names the count), below
//     2^252 < r. OuterPack of nothing is 0.
//   - OuterElems, the leaf hash, chains OuterCompress from the zero state over blocks
//     of 8 elements: st ← OuterCompress(st, OuterPack(block)).
//
// The transcript's sponge over this scheme is in package transcript.
const (
	OuterRate     = 8  // KoalaBear elements packed into one F_r element
	OuterLimbs    = 9  // limbs of a Node holding an F_r element
	OuterLimbBits = 30 // bits per limb
)

var outerPerm = sync.OnceValue(bnposeidon2.NewDefaultPermutation)

// OuterCompress is the Outer scheme's 2-to-1 compression P(l, r)[1] + r.
func OuterCompress(l, r fr.Element) fr.Element {
	st := [2]fr.Element{l, r}
	// Permutation fails only on a wrong length, which the array rules out.
	_ = outerPerm().Permutation(st[:])
	var out fr.Element
	out.Add(&st[1], &r)
	return out
}

// OuterPack packs at most 8 KoalaBear elements and their count into one F_r element
// (see the package comment on the Outer scheme). It panics on more than 8 elements (an
// invariant of its callers).
func OuterPack(in []field.Elem) fr.Element {
	if len(in) > OuterRate {
		panic("hash: OuterPack of more than 8 elements") // invariant of callers
	}
	var v fr.Element
	if len(in) == 0 {
		return v
	}
	// Σ x_i·2^(31i) + k·2^248 < 2^252 fits in four 64-bit words; set them directly.
	var w [4]uint64
	put := func(x uint64, at int) {
		w[at/64] |= x << (at % 64)
		if at%64 > 64-32 && at/64 < 3 {
			w[at/64+1] |= x >> (64 - at%64)
		}
	}
	for i := range in {
		put(in[i].Uint64(), 31*i)
	}
	put(uint64(len(in)), 248)
	var b [fr.Bytes]byte // big-endian, below r: SetBytes takes it as is
	for i := range w {
		binary.BigEndian.PutUint64(b[fr.Bytes-8*(i+1):], w[i])
	}
	v.SetBytes(b[:])
	return v
}

// OuterElems is the Outer scheme's leaf hash: the chain of OuterCompress from the zero
// state over blocks of 8 elements (rows of a fixed width, as the Merkle tree hashes
// them; the packing binds each block's count).
func OuterElems(in []field.Elem) fr.Element {
	var st fr.Element
	for i := 0; i < len(in); i += OuterRate {
		blk := OuterPack(in[i:min(i+OuterRate, len(in))])
		st = OuterCompress(st, blk)
	}
	return st
}

// OuterNode stores an F_r element in a Node (OuterLimbs limbs of 30 bits).
func OuterNode(v fr.Element) Node {
	var b big.Int
	v.BigInt(&b)
	var n Node
	mask := big.NewInt(1<<OuterLimbBits - 1)
	for i := range OuterLimbs {
		var l big.Int
		l.And(&b, mask)
		n[i] = field.New(l.Uint64())
		b.Rsh(&b, OuterLimbBits)
	}
	return n
}

// OuterValue reads the F_r element of a Node; ok is false unless the node is canonical
// (every limb below 2^30, the elements past the limbs zero, the integer below r).
func OuterValue(n *Node) (v fr.Element, ok bool) {
	var b big.Int
	for i := MaxDigestLen - 1; i >= 0; i-- {
		x := n[i].Uint64()
		if i >= OuterLimbs {
			if x != 0 {
				return v, false
			}
			continue
		}
		if x >= 1<<OuterLimbBits {
			return v, false
		}
		b.Lsh(&b, OuterLimbBits)
		b.Or(&b, new(big.Int).SetUint64(x))
	}
	if b.Cmp(fr.Modulus()) >= 0 {
		return v, false
	}
	v.SetBigInt(&b)
	return v, true
}

// outerCompressNodes is OuterCompress on Nodes; a non-canonical input (which a verifier
// refuses before hashing, see Scheme.Canonical) reads as zero.
func outerCompressNodes(l, r *Node) Node {
	a, _ := OuterValue(l)
	b, _ := OuterValue(r)
	return OuterNode(OuterCompress(a, b))
}
