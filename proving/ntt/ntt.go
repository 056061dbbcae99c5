package ntt

import (
	"fmt"
	"math/bits"
	"sync"

	"github.com/consensys/gnark-crypto/field/koalabear/fft"
	"github.com/consensys/gnark-crypto/utils"

	"github.com/oneiros-zk/oneiros/proving/field"
)

// Generator is the generator of the multiplicative group of KoalaBear that every coset
// shift is derived from (gnark-crypto's choice, 3).
var Generator = fft.GeneratorFullMultiplicativeGroup()

var domains sync.Map // uint64 size → *fft.Domain

// Domain returns the cached gnark-crypto domain of the given power-of-two size.
func Domain(size int) *fft.Domain {
	if d, ok := domains.Load(uint64(size)); ok {
		return d.(*fft.Domain)
	}
	d, _ := domains.LoadOrStore(uint64(size), fft.NewDomain(uint64(size)))
	return d.(*fft.Domain)
}

// RootOfUnity returns the generator of the subgroup of order 2^logN.
func RootOfUnity(logN int) field.Elem {
	g, err := fft.Generator(uint64(1) << logN)
	if err != nil {
		panic(fmt.Sprintf("ntt: no root of unity of order 2^%d", logN)) // invariant: logN ≤ 24
	}
	return g
}

// Log2 returns log2(n) for a power of two n, or -1.
func Log2(n int) int {
	if n <= 0 || n&(n-1) != 0 {
		return -1
	}
	return bits.TrailingZeros(uint(n))
}

// Reverse returns the bit reversal of i on logN bits.
func Reverse(i uint64, logN int) uint64 {
	if logN == 0 {
		return 0
	}
	return bits.Reverse64(i) >> (64 - logN)
}

// BitReverse permutes v (a power-of-two length) into bit-reversed order, in place. With
// the AVX2 kernels (ntt_avx2.go; any AVX2 machine, gnark-crypto has no vector code for
// this) it swaps 8×8 blocks transposed in registers (bitreverse_avx2.go). Otherwise, for
// 4-byte elements gnark-crypto's cache-blocked (COBRA) permutation beats the naive one
// from 2^22 elements on (34 against 51 ms at 2^22, 64 against 197 ms at 2^23 on the
// 2-core development machine; slower below), which gnark-crypto's BitReverse never picks
// for elements under 8 bytes.
func BitReverse(v []field.Elem) {
	if kernels8 && len(v) >= 64 {
		bitReverse8(v)
		return
	}
	bitReverseGnark(v)
}

func bitReverseGnark(v []field.Elem) {
	if len(v) >= 1<<22 {
		utils.BitReverseCobra(v)
		return
	}
	utils.BitReverse(v)
}

// CosetLDE extends a column of evaluations on the subgroup H_n (natural order) to the
// evaluations on the coset shift·H_{n·2^logBlowup}, written to out in bit-reversed order.
// len(out) must be n·2^logBlowup; col is not modified. tasks bounds the goroutines the
// transforms may use (1 when the caller parallelises across columns).
func CosetLDE(out, col []field.Elem, logBlowup int, shift field.Elem, tasks int) {
	if len(out) != len(col)<<logBlowup {
		panic("ntt: CosetLDE output length") // invariant of the callers
	}
	if lanes8 && fits8(len(col), logBlowup) {
		cosetLDE8(out, col, logBlowup, shift, tasks)
		return
	}
	cosetLDEGnark(out, col, logBlowup, shift, tasks)
}

// fits8 reports whether the AVX2 kernels take a transform from n elements with the
// given blowup: at least 16 elements (two vectors), a blowup of at most 16.
func fits8(n, logBlowup int) bool { return n >= 16 && logBlowup <= 4 }

// cosetLDEGnark is CosetLDE on gnark-crypto's FFT.
func cosetLDEGnark(out, col []field.Elem, logBlowup int, shift field.Elem, tasks int) {
	n := len(col)
	N := n << logBlowup
	copy(out, col)
	if n > 1 {
		Domain(n).FFTInverse(out[:n], fft.DIF, fft.WithNbTasks(tasks))
		BitReverse(out[:n])
	}
	v := field.Vector(out[:n])
	v.Mul(v, Powers(n, shift))
	clear(out[n:])
	if N > 1 {
		Domain(N).FFT(out, fft.DIF, fft.WithNbTasks(tasks))
	}
}

type powersKey struct {
	n int
	s field.Elem
}

var powers sync.Map // powersKey → field.Vector

// Powers returns the cached vector 1, s, s², …, s^(n−1) (read-only).
func Powers(n int, s field.Elem) field.Vector {
	k := powersKey{n, s}
	if v, ok := powers.Load(k); ok {
		return v.(field.Vector)
	}
	v := make(field.Vector, n)
	if n > 0 {
		v[0].SetOne()
	}
	for i := 1; i < n; i++ {
		v[i].Mul(&v[i-1], &s)
	}
	p, _ := powers.LoadOrStore(k, v)
	return p.(field.Vector)
}

// ScaleByPowers multiplies v[k] by s^k.
func ScaleByPowers(v []field.Elem, s field.Elem) {
	var p field.Elem
	p.SetOne()
	for k := range v {
		v[k].Mul(&v[k], &p)
		p.Mul(&p, &s)
	}
}

// Interpolate turns evaluations on H_n (natural order) into coefficients (natural order), in place.
func Interpolate(v []field.Elem, tasks int) {
	if lanes8 && fits8(len(v), 0) {
		interpolate8(v, tasks)
		return
	}
	interpolateGnark(v, tasks)
}

func interpolateGnark(v []field.Elem, tasks int) {
	if len(v) <= 1 {
		return
	}
	Domain(len(v)).FFTInverse(v, fft.DIF, fft.WithNbTasks(tasks))
	BitReverse(v)
}

// Evaluate turns coefficients (natural order) into evaluations on H_n (natural order), in place.
func Evaluate(v []field.Elem, tasks int) {
	if lanes8 && fits8(len(v), 0) {
		evaluate8(v, tasks)
		return
	}
	evaluateGnark(v, tasks)
}

func evaluateGnark(v []field.Elem, tasks int) {
	if len(v) <= 1 {
		return
	}
	BitReverse(v)
	Domain(len(v)).FFT(v, fft.DIT, fft.WithNbTasks(tasks))
}

// CosetPoints returns the points of shift·H_N in bit-reversed order.
func CosetPoints(logN int, shift field.Elem) []field.Elem {
	N := 1 << logN
	pts := make([]field.Elem, N)
	w := RootOfUnity(logN)
	var p field.Elem
	p.Set(&shift)
	for i := range N {
		pts[i] = p
		p.Mul(&p, &w)
	}
	BitReverse(pts)
	return pts
}

// CosetShift returns the coset shift of an LDE of size 2^logN inside a commitment whose
// tallest LDE has size 2^logMax: Generator^(2^(logMax−logN)). With this choice a point of
// the tallest coset, squared k times, lands on the coset of size 2^(logMax−k), which lets
// FRI fold tall and short matrices together.
func CosetShift(logN, logMax int) field.Elem {
	s := Generator
	for range logMax - logN {
		s.Square(&s)
	}
	return s
}

// EvalExt evaluates the polynomial with base-field coefficients coeffs at an extension point.
func EvalExt(coeffs []field.Elem, z field.Ext) field.Ext {
	var acc field.Ext
	for i := len(coeffs) - 1; i >= 0; i-- {
		acc.Mul(&acc, &z)
		c := field.NewExt(coeffs[i])
		acc.Add(&acc, &c)
	}
	return acc
}
