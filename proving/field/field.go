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

// BatchInvert returns the inverses of a (zero maps to zero) with one inversion.
func BatchInvert(a []Elem) []Elem { return koalabear.BatchInvert(a) }
