package field

import (
	"github.com/consensys/gnark-crypto/field/koalabear"
)

// Elem is an element of the KoalaBear field, p = 2^31 − 2^24 + 1, in Montgomery form.
// It is gnark-crypto's concrete type: hot loops use it directly.
type Elem = koalabear.Element

// Vector is a slice of base-field elements with gnark-crypto's batch (AVX-512) operations.
type Vector = koalabear.Vector

// Modulus is p as an integer.
const Modulus = 2130706433

// Bytes is the size of one canonical encoded element.
const Bytes = koalabear.Bytes

// TwoAdicity is the largest k with 2^k | p − 1: the largest NTT domain is 2^24.
const TwoAdicity = 24

// New returns the element with canonical value v mod p.
func New(v uint64) Elem {
	var e Elem
	e.SetUint64(v)
	return e
}

// NewInt returns v mod p for a signed v.
func NewInt(v int64) Elem {
	var e Elem
	e.SetInt64(v)
	return e
}

// Canonical reports whether the 4 little-endian bytes in b hold a canonical element.
func Canonical(v uint32) bool { return v < Modulus }

// BatchInvert returns the inverses of a (zero maps to zero) in a new slice, as
// gnark-crypto's koalabear.BatchInvert (Montgomery's trick: one inversion). Where the
// AVX2 kernels run (amd64 built with GOEXPERIMENT=simd, any CPU with AVX2; gnark-crypto
// has no vector kernel for it) the largest multiple of 8 elements runs as eight
// interleaved chains, 8 lanes at a time, with eight inversions; the tail runs
// gnark-crypto's. An inverse being unique, the words are the same.
func BatchInvert(a []Elem) []Elem {
	n := len(a) &^ 7
	if !kernels8 || n < batchInvertMin {
		return koalabear.BatchInvert(a)
	}
	res := make([]Elem, len(a))
	batchInvertVec8(res[:n], a[:n])
	copy(res[n:], koalabear.BatchInvert(a[n:]))
	return res
}

// batchInvertMin is the length below which the eight inversions of the 8-lane path
// cost more than they save.
const batchInvertMin = 256
