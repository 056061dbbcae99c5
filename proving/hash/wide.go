package hash

import (
	"fmt"
	"math"
	"sync"

	"github.com/consensys/gnark-crypto/field/koalabear/poseidon2"

	"github.com/oneiros-zk/oneiros/proving/field"
)

// Scheme selects the hash of a proof's Merkle trees and transcript (engine.hash).
//
//   - Narrow ("poseidon2", the default): the width-16 permutation of this package,
//     8-element digests (≈248 bits, ≈124-bit collision resistance), rate 8.
//   - Wide ("poseidon2-w24"): a width-24 Poseidon2 with R_F = 8 and R_P = 23, 12-element
//     digests (≈372 bits, ≈186-bit collision resistance), rate 12: what the 128-bit
//     preset needs, since no proof is sounder than its commitments.
//
// The claim's digests (program, input, output) and the verifying key's digest are
// Narrow [Digest]s under every scheme.
type Scheme uint8

const (
	Narrow Scheme = iota
	Wide
	// Outer ("poseidon2-bn254") is Poseidon2 over BN254's scalar field: the hash of the
	// Hemera Injector's outer layer, which a Groth16 circuit over BN254 checks natively
	// (see OuterCompress). Its digests are one F_r element.
	Outer
)

// Names of the schemes in configuration files (engine.hash).
const (
	NameNarrow = "poseidon2"
	NameWide   = "poseidon2-w24"
	NameOuter  = "poseidon2-bn254"
)

// ParseScheme reads a scheme's configuration name.
func ParseScheme(name string) (Scheme, error) {
	switch name {
	case NameNarrow, "":
		return Narrow, nil
	case NameWide:
		return Wide, nil
	case NameOuter:
		return Outer, nil
	}
	return Narrow, fmt.Errorf("hash %q: want %s, %s or %s", name, NameNarrow, NameWide, NameOuter)
}

// String is the configuration name.
func (s Scheme) String() string {
	switch s {
	case Narrow:
		return NameNarrow
	case Wide:
		return NameWide
	case Outer:
		return NameOuter
	}
	return fmt.Sprintf("hash.Scheme(%d)", uint8(s))
}

// MarshalText writes the configuration name (JSON and YAML show "poseidon2").
func (s Scheme) MarshalText() ([]byte, error) {
	if !s.Valid() {
		return nil, fmt.Errorf("hash: %v", s)
	}
	return []byte(s.String()), nil
}

// UnmarshalText reads a configuration name.
func (s *Scheme) UnmarshalText(b []byte) error {
	v, err := ParseScheme(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Valid reports whether s names a scheme.
func (s Scheme) Valid() bool { return s == Narrow || s == Wide || s == Outer }

// Parameters of the wide scheme.
const (
	WideWidth         = 24
	WideRate          = 12
	WideDigestLen     = 12
	WideFullRounds    = 8
	WidePartialRounds = 23
)

// MaxDigestLen is the longest digest of any scheme: a [Node]'s size.
const MaxDigestLen = WideDigestLen

// DigestLen is the number of elements of a digest of the scheme (for Outer, the limbs
// of its F_r element).
func (s Scheme) DigestLen() int {
	switch s {
	case Wide:
		return WideDigestLen
	case Outer:
		return OuterLimbs
	}
	return DigestLen
}

// Width is the permutation's state in KoalaBear elements (Narrow, Wide; Outer's
// permutation is over F_r and has no such width: 0); Rate what a sponge absorbs per call.
func (s Scheme) Width() int {
	if s == Outer {
		return 0
	}
	if s == Wide {
		return WideWidth
	}
	return Width
}

// Rate is the number of elements absorbed per permutation by the leaf chain and the
// transcript; the capacity is Width − Rate (8 or 12 elements). Outer packs 8 elements
// into one F_r element per permutation.
func (s Scheme) Rate() int {
	if s == Outer {
		return OuterRate
	}
	if s == Wide {
		return WideRate
	}
	return Rate
}

// CollisionBits is ⌊DigestLen·log2(p)/2⌋: 123 (Narrow) or 185 (Wide); ⌊log2(r)/2⌋ =
// 126 for Outer.
func (s Scheme) CollisionBits() int {
	if s == Outer {
		return 126
	}
	return int(float64(s.DigestLen()) * math.Log2(field.Modulus) / 2)
}

// Node is a digest of either scheme: a Narrow digest in its first 8 elements (the rest
// zero), a Wide one in all 12. Merkle roots and paths are Nodes.
type Node [MaxDigestLen]field.Elem

// NodeOf embeds a Narrow digest.
func NodeOf(d Digest) Node {
	var n Node
	copy(n[:], d[:])
	return n
}

// Narrow returns the first 8 elements (the digest of a Narrow node).
func (n Node) Narrow() Digest {
	var d Digest
	copy(d[:], n[:DigestLen])
	return d
}

// Canonical reports whether n is a digest of s: a Narrow node's last 4 elements are
// zero; an Outer node holds an F_r element in canonical limbs (OuterValue).
func (s Scheme) Canonical(n *Node) bool {
	if s == Outer {
		_, ok := OuterValue(n)
		return ok
	}
	for i := s.DigestLen(); i < MaxDigestLen; i++ {
		if !n[i].IsZero() {
			return false
		}
	}
	return true
}

var widePerm = sync.OnceValue(func() *poseidon2.Permutation {
	return poseidon2.NewPermutation(WideWidth, WideFullRounds, WidePartialRounds)
})

// PermuteWide applies the width-24 permutation to state in place.
func PermuteWide(state *[WideWidth]field.Elem) {
	// Permutation only fails on a wrong length, which the array type rules out.
	_ = widePerm().Permutation(state[:])
}

// Permute applies the scheme's permutation to a state of Width elements (Narrow and
// Wide; Outer's permutation is over F_r: OuterCompress).
func (s Scheme) Permute(state []field.Elem) {
	if s == Outer {
		panic("hash: Permute of the Outer scheme") // invariant: callers branch on Outer
	}
	if s == Wide {
		PermuteWide((*[WideWidth]field.Elem)(state))
		return
	}
	Permute((*[Width]field.Elem)(state))
}

// Compress is the scheme's 2-to-1 compression: Compress of this package for Narrow;
// for Wide P24(l ‖ r)[12:24] + r; for Outer OuterCompress.
func (s Scheme) Compress(l, r *Node) Node {
	if s == Outer {
		return outerCompressNodes(l, r)
	}
	if s != Wide {
		a, b := l.Narrow(), r.Narrow()
		return NodeOf(Compress(&a, &b))
	}
	var st [WideWidth]field.Elem
	copy(st[:WideDigestLen], l[:])
	copy(st[WideDigestLen:], r[:])
	PermuteWide(&st)
	var out Node
	for i := range out {
		out[i].Add(&st[WideDigestLen+i], &r[i])
	}
	return out
}

// Elems is the scheme's leaf hash: Elems of this package for Narrow; for Wide the
// Merkle–Damgård chain of Compress from the zero state over blocks of 12 elements,
// the last zero-padded (rows of a fixed width, as the Merkle tree hashes them); for
// Outer OuterElems.
func (s Scheme) Elems(in []field.Elem) Node {
	if s == Outer {
		return OuterNode(OuterElems(in))
	}
	if s != Wide {
		return NodeOf(Elems(in))
	}
	var st, blk Node
	for i := 0; i < len(in); i += WideRate {
		blk = Node{}
		copy(blk[:], in[i:min(i+WideRate, len(in))])
		st = s.Compress(&st, &blk)
	}
	return st
}
