//go:build goexperiment.simd && amd64

package hash

import (
	"math/rand/v2"
	"simd/archsimd"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/field/ssecheck"
)

// Each vector operation of the AVX2 kernel is the field operation on canonical
// Montgomery words, on edge words (0, 1, 2, p−2, p−1, 2^24 ± 1, 2^30, p−2^24, the
// words whose low bits are all ones) and random ones, paired every way.
func TestVector8Ops(t *testing.T) {
	if !archsimd.X86.AVX2() {
		t.Skip("no AVX2")
	}
	if pp, m := uint32(prime), uint32(muInv); pp*m != 1 || prime != field.Modulus {
		t.Fatal("μ is not p^−1 mod 2^32")
	}
	words := []uint32{0, 1, 2, 3, prime - 2, prime - 1, 1<<24 - 1, 1 << 24, 1<<24 + 1, 1 << 30, prime - 1<<24,
		1<<3 - 1, 1<<4 - 1, 1<<8 - 1, 1<<24 - 1, 1<<31 - 1<<24, prime >> 1, prime>>1 + 1}
	rng := rand.New(rand.NewPCG(7, 8))
	for len(words) < 4096 {
		words = append(words, rng.Uint32N(prime))
	}
	p, mu := consts()
	var a, b [8]uint32
	check := func(name string, got vec, want func(x, y field.Elem) field.Elem) {
		t.Helper()
		var g [8]uint32
		got.Store(&g)
		for l := range 8 {
			w := want(field.Elem{a[l]}, field.Elem{b[l]})
			if g[l] != w[0] {
				t.Fatalf("%s(%#x, %#x) = %#x, want %#x", name, a[l], b[l], g[l], w[0])
			}
		}
	}
	for i := 0; i < len(words); i += 8 {
		for j := 0; j < len(words); j += 8 * 7 {
			for l := range 8 {
				a[l] = words[(i+l)%len(words)]
				b[l] = words[(j+3*l)%len(words)]
			}
			x, y := archsimd.LoadUint32x8(&a), archsimd.LoadUint32x8(&b)
			check("add", add(x, y, p), func(x, y field.Elem) field.Elem { x.Add(&x, &y); return x })
			check("sub", sub(x, y, p), func(x, y field.Elem) field.Elem { x.Sub(&x, &y); return x })
			// cubeKey(x, negKey(y)) = (x + y)^3 through the signed, unreduced products.
			var nk [8]uint32
			for l := range 8 {
				nk[l] = negKey(b[l])
			}
			check("cubeKey", cubeKey(x, archsimd.LoadUint32x8(&nk), p, mu), func(x, y field.Elem) field.Elem {
				var z field.Elem
				x.Add(&x, &y)
				z.Square(&x).Mul(&z, &x)
				return z
			})
			// fullRound's S-box, written out in its loop, is cubeKey's: on sixteen
			// rotations of the words and keys, fullRound equals cubeKey then external.
			var st, want vstate
			var keys [Width]vec
			for i := range Width {
				var w, k [8]uint32
				for l := range 8 {
					w[l], k[l] = a[(l+i)%8], nk[(l+3*i)%8]
				}
				st[i], keys[i] = archsimd.LoadUint32x8(&w), archsimd.LoadUint32x8(&k)
				want[i] = cubeKey(st[i], keys[i], p, mu)
			}
			external(&want, p)
			fullRound(&st, &keys, p, mu)
			for i := range Width {
				var g, w [8]uint32
				st[i].Store(&g)
				want[i].Store(&w)
				if g != w {
					t.Fatalf("fullRound element %d: %#x, want cubeKey then external %#x", i, g, w)
				}
			}
			check("halve", halve(x, p, kc.one), func(x, _ field.Elem) field.Elem { x.Halve(); return x })
			for _, n := range []uint64{1, 3, 4, 8, 24} {
				check("mul2n", mul2n(x, n, p, kc.one, kc.eight), func(x, _ field.Elem) field.Elem {
					var z field.Elem
					z.Mul2ExpNegN(&x, uint32(n))
					return z
				})
			}
		}
	}
}

// The kernels' machine code has no legacy SSE write among dirty vector state, and each
// clears the upper halves before it returns to ordinary Go code (package ssecheck says
// why: ≈130 ns per such instruction on Zen 3).
func TestKernelsClearUpperHalves(t *testing.T) {
	ssecheck.Check(t, "github.com/oneiros-zk/oneiros/proving/hash", "permute8Vec", "permute1Vec", "compress8Vec", "elems8Vec", "compressDigests8Vec")
}
