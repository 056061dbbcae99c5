package field

import (
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/field/koalabear/extensions"
)

func randCoords(seed *uint64, d int) []Elem {
	c := make([]Elem, d)
	for i := range c {
		*seed = *seed*6364136223846793005 + 1442695040888963407
		c[i] = New(*seed >> 33)
	}
	return c
}

// TestExtMatchesGnark checks every operation of both degrees against gnark-crypto's E4
// and E6, and the base-field lift against either.
func TestExtMatchesGnark(t *testing.T) {
	seed := uint64(7)
	for range 50 {
		c4a, c4b := randCoords(&seed, 4), randCoords(&seed, 4)
		a, b := ExtFromCoords(c4a), ExtFromCoords(c4b)
		var ga, gb, gw extensions.E4
		ga.B0.A0, ga.B0.A1, ga.B1.A0, ga.B1.A1 = c4a[0], c4a[1], c4a[2], c4a[3]
		gb.B0.A0, gb.B0.A1, gb.B1.A0, gb.B1.A1 = c4b[0], c4b[1], c4b[2], c4b[3]
		check4 := func(op string, got Ext, want *extensions.E4) {
			t.Helper()
			w := ExtFromCoords([]Elem{want.B0.A0, want.B0.A1, want.B1.A0, want.B1.A1})
			if !got.Equal(&w) || got.Degree() != 4 {
				t.Fatalf("degree 4 %s: got %v want %v", op, got, w)
			}
		}
		var z Ext
		check4("mul", *z.Mul(&a, &b), gw.Mul(&ga, &gb))
		check4("add", *z.Add(&a, &b), gw.Add(&ga, &gb))
		check4("sub", *z.Sub(&a, &b), gw.Sub(&ga, &gb))
		check4("square", *z.Square(&a), gw.Square(&ga))
		check4("inverse", *z.Inverse(&a), gw.Inverse(&ga))
		check4("exp", *z.ExpInt64(a, 12345), new(extensions.E4).Exp(ga, big.NewInt(12345)))

		c6a, c6b := randCoords(&seed, 6), randCoords(&seed, 6)
		x, y := ExtFromCoords(c6a), ExtFromCoords(c6b)
		var gx, gy, gv extensions.E6
		gx.B0.A0, gx.B0.A1, gx.B1.A0, gx.B1.A1, gx.B2.A0, gx.B2.A1 = c6a[0], c6a[1], c6a[2], c6a[3], c6a[4], c6a[5]
		gy.B0.A0, gy.B0.A1, gy.B1.A0, gy.B1.A1, gy.B2.A0, gy.B2.A1 = c6b[0], c6b[1], c6b[2], c6b[3], c6b[4], c6b[5]
		check6 := func(op string, got Ext, want *extensions.E6) {
			t.Helper()
			w := ExtFromCoords([]Elem{want.B0.A0, want.B0.A1, want.B1.A0, want.B1.A1, want.B2.A0, want.B2.A1})
			if !got.Equal(&w) || got.Degree() != 6 {
				t.Fatalf("degree 6 %s: got %v want %v", op, got, w)
			}
		}
		check6("mul", *z.Mul(&x, &y), gv.Mul(&gx, &gy))
		check6("add", *z.Add(&x, &y), gv.Add(&gx, &gy))
		check6("sub", *z.Sub(&x, &y), gv.Sub(&gx, &gy))
		check6("square", *z.Square(&x), gv.Square(&gx))
		check6("inverse", *z.Inverse(&x), gv.Inverse(&gx))
		check6("exp", *z.Exp(x, big.NewInt(98765)), new(extensions.E6).Exp(gx, big.NewInt(98765)))

		// The base-field lift multiplies as a scalar in both.
		s := NewExt(c6a[0])
		var want Ext
		want.MulByElement(&x, &c6a[0])
		if got := *z.Mul(&s, &x); !got.Equal(&want) || got.Degree() != 6 {
			t.Fatal("lift · degree 6")
		}
		if got := *z.Mul(&a, &s); got.Degree() != 4 {
			t.Fatal("degree 4 · lift lost its degree")
		}
		var inv Ext
		inv.Inverse(&x)
		if p := *z.Mul(&inv, &x); !p.IsOne() {
			t.Fatal("x · 1/x ≠ 1")
		}
	}
}

func TestExtDegreesDoNotMix(t *testing.T) {
	a, b := ExtFromCoords(make([]Elem, 4)), ExtFromCoords(make([]Elem, 6))
	defer func() {
		if recover() == nil {
			t.Fatal("degree 4 + degree 6 did not panic")
		}
	}()
	a.Add(&a, &b)
}
