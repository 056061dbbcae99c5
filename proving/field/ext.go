package field

import (
	"fmt"
	"math/big"
	"strings"
	"unsafe"

	"github.com/consensys/gnark-crypto/field/koalabear/extensions"
)

// The extension fields the engine draws its challenges from. Degree 4 is the default
// (about 2^124 elements); degree 6 (about 2^186) is what a 128-bit provable security
// level needs (docs/security-computation.md). Both are gnark-crypto's towers:
//
//	degree 4: F[u]/(u² − 3), then [v]/(v² − u); coordinates (B0.A0, B0.A1, B1.A0, B1.A1)
//	degree 6: F[u]/(u² − 3), then [w]/(w³ − (u + 1)); coordinates (B0.A0, B0.A1, B1.A0, B1.A1, B2.A0, B2.A1)
const (
	ExtDegree4   = 4
	ExtDegree6   = 6
	MaxExtDegree = 6
)

// ValidExtDegree reports whether d names a supported extension.
func ValidExtDegree(d int) bool { return d == ExtDegree4 || d == ExtDegree6 }

// Ext is an element of an extension field of degree 4 or 6, or of the base field
// embedded in either. It carries its degree: 0 for an element known to lie in the base
// field (what NewExt, SetOne and the zero value make; it combines with an element of
// either extension), 4 or 6 otherwise. Arithmetic between a degree-4 and a degree-6
// element is a programming error and panics; arithmetic takes the larger degree.
// Elements compare with Equal (coordinates), never with ==.
type Ext struct {
	c [MaxExtDegree]Elem
	d uint8
}

// NewExt lifts a base element into the extensions.
func NewExt(v Elem) Ext { return Ext{c: [MaxExtDegree]Elem{v}} }

// ExtFromCoords returns the element of the degree-len(c) extension with coordinates c
// (in the order ExtCoords returns them). len(c) must be 4 or 6.
func ExtFromCoords(c []Elem) Ext {
	if !ValidExtDegree(len(c)) {
		panic(fmt.Sprintf("field: %d coordinates, want 4 or 6", len(c)))
	}
	var e Ext
	copy(e.c[:], c)
	e.d = uint8(len(c))
	return e
}

// ExtCoords returns the coordinates of e; the first Degree (or the context's degree for
// a base element) are meaningful, the rest are zero.
func ExtCoords(e *Ext) [MaxExtDegree]Elem { return e.c }

// Degree is 4 or 6, or 0 for an element of the base field.
func (z *Ext) Degree() int { return int(z.d) }

// InDegree reports whether z can be read as an element of the degree-d extension.
func (z *Ext) InDegree(d int) bool { return z.d == 0 || int(z.d) == d }

// WithDegree returns z as an element of the degree-d extension (z must be InDegree(d)).
func (z Ext) WithDegree(d int) Ext {
	if !z.InDegree(d) {
		panic(fmt.Sprintf("field: a degree-%d element used as degree %d", z.d, d))
	}
	z.d = uint8(d)
	return z
}

// Base returns coordinate 0 (the element itself when it lies in the base field).
func (z *Ext) Base() Elem { return z.c[0] }

func join(x, y *Ext) uint8 {
	if x.d == y.d || y.d == 0 {
		return x.d
	}
	if x.d == 0 {
		return y.d
	}
	panic(fmt.Sprintf("field: degree-%d and degree-%d extension elements combined", x.d, y.d))
}

func (z *Ext) e4() *extensions.E4 { return (*extensions.E4)(unsafe.Pointer(&z.c)) }
func (z *Ext) e6() *extensions.E6 { return (*extensions.E6)(unsafe.Pointer(&z.c)) }

// Set sets z = x.
func (z *Ext) Set(x *Ext) *Ext { *z = *x; return z }

// SetZero sets z = 0.
func (z *Ext) SetZero() *Ext { *z = Ext{}; return z }

// SetOne sets z = 1.
func (z *Ext) SetOne() *Ext { *z = Ext{}; z.c[0].SetOne(); return z }

// IsZero reports z = 0.
func (z *Ext) IsZero() bool {
	for i := range z.c {
		if !z.c[i].IsZero() {
			return false
		}
	}
	return true
}

// IsOne reports z = 1.
func (z *Ext) IsOne() bool {
	for i := 1; i < MaxExtDegree; i++ {
		if !z.c[i].IsZero() {
			return false
		}
	}
	return z.c[0].IsOne()
}

// Equal compares the coordinates (a base element equals its image in either extension).
func (z *Ext) Equal(x *Ext) bool { return z.c == x.c }

// Add sets z = x + y.
func (z *Ext) Add(x, y *Ext) *Ext {
	d := join(x, y)
	for i := range z.c {
		z.c[i].Add(&x.c[i], &y.c[i])
	}
	z.d = d
	return z
}

// Sub sets z = x − y.
func (z *Ext) Sub(x, y *Ext) *Ext {
	d := join(x, y)
	for i := range z.c {
		z.c[i].Sub(&x.c[i], &y.c[i])
	}
	z.d = d
	return z
}

// Double sets z = 2x.
func (z *Ext) Double(x *Ext) *Ext {
	for i := range z.c {
		z.c[i].Double(&x.c[i])
	}
	z.d = x.d
	return z
}

// Neg sets z = −x.
func (z *Ext) Neg(x *Ext) *Ext {
	for i := range z.c {
		z.c[i].Neg(&x.c[i])
	}
	z.d = x.d
	return z
}

// MulByElement sets z = x·y for a base element y.
func (z *Ext) MulByElement(x *Ext, y *Elem) *Ext {
	for i := range z.c {
		z.c[i].Mul(&x.c[i], y)
	}
	z.d = x.d
	return z
}

// Mul sets z = x·y.
func (z *Ext) Mul(x, y *Ext) *Ext {
	d := join(x, y)
	switch {
	case x.d == 0:
		b := x.c[0]
		return z.MulByElement(y, &b)
	case y.d == 0:
		b := y.c[0]
		return z.MulByElement(x, &b)
	case d == ExtDegree4:
		var t Ext
		t.e4().Mul(x.e4(), y.e4())
		*z = t
	default:
		var t Ext
		t.e6().Mul(x.e6(), y.e6())
		*z = t
	}
	z.d = d
	return z
}

// Square sets z = x².
func (z *Ext) Square(x *Ext) *Ext {
	return z.unary(x, (*Elem).Square, (*extensions.E4).Square, (*extensions.E6).Square)
}

// Inverse sets z = 1/x (0 for x = 0).
func (z *Ext) Inverse(x *Ext) *Ext {
	return z.unary(x, (*Elem).Inverse, (*extensions.E4).Inverse, (*extensions.E6).Inverse)
}

// unary sets z = f(x) with the operation of x's field.
func (z *Ext) unary(x *Ext, f1 func(*Elem, *Elem) *Elem, f4 func(*extensions.E4, *extensions.E4) *extensions.E4,
	f6 func(*extensions.E6, *extensions.E6) *extensions.E6) *Ext {
	var t Ext
	switch x.d {
	case 0:
		f1(&t.c[0], &x.c[0])
	case ExtDegree4:
		f4(t.e4(), x.e4())
	default:
		f6(t.e6(), x.e6())
	}
	t.d = x.d
	*z = t
	return z
}

// ExpInt64 sets z = x^k for k ≥ 0.
func (z *Ext) ExpInt64(x Ext, k int64) *Ext {
	r := NewExt(New(1))
	b := x
	for ; k > 0; k >>= 1 {
		if k&1 == 1 {
			r.Mul(&r, &b)
		}
		b.Square(&b)
	}
	*z = r
	return z
}

// Exp sets z = x^k for k ≥ 0.
func (z *Ext) Exp(x Ext, k *big.Int) *Ext {
	r := NewExt(New(1))
	for i := k.BitLen() - 1; i >= 0; i-- {
		r.Square(&r)
		if k.Bit(i) == 1 {
			r.Mul(&r, &x)
		}
	}
	*z = r
	return z
}

// String lists the meaningful coordinates.
func (z Ext) String() string {
	n := max(int(z.d), 1)
	parts := make([]string, n)
	for i := range n {
		parts[i] = z.c[i].String()
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// Coord returns a pointer to coordinate i of z (i below z's degree, or 0 for a base
// element), for code that edits elements in place: tests that tamper with a proof.
func (z *Ext) Coord(i int) *Elem {
	if i >= max(int(z.d), 1) {
		panic(fmt.Sprintf("field: coordinate %d of a degree-%d element", i, z.d))
	}
	return &z.c[i]
}
