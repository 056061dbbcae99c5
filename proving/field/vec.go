package field

import "github.com/consensys/gnark-crypto/field/koalabear"

// Element-wise vector operations for the hot loops (quotient, LogUp columns, openings).
//
// Each function computes the same as gnark-crypto's [koalabear.Vector] method of the
// same name, bit for bit: dst[i] = a[i] op b[i]. dst may alias a or b; the lengths must
// be equal. Where gnark-crypto has its AVX-512 kernels (cpu.SupportAVX512) or this build
// has no simd/archsimd, they call gnark-crypto's methods; on amd64 built with
// GOEXPERIMENT=simd, on a machine with AVX2 and without AVX-512 (where gnark-crypto
// runs its generic Go loops), they run the 8-lane AVX2 kernels of vec_avx2.go, and the
// tails of fewer than 8 elements element by element with gnark-crypto's scalar code.

// VecAVX2 reports whether VecMul, VecAdd, VecSub, VecScalarMul and VecInnerProduct
// run the AVX2 kernels.
func VecAVX2() bool { return vecAVX2 }

// lanes8 runs an element-wise operation with the AVX2 kernel on the largest multiple of
// 8 elements and the scalar operation on the rest.
func lanes8(name string, dst, a, b Vector, kernel func(dst, a, b Vector), one func(z, x, y *Elem) *Elem) {
	checkLen3(name, dst, a, b)
	n := len(a) &^ 7
	if n > 0 {
		kernel(dst[:n], a[:n], b[:n])
	}
	for i := n; i < len(a); i++ {
		one(&dst[i], &a[i], &b[i])
	}
}

// VecMul sets dst[i] = a[i]·b[i], as dst.Mul(a, b).
func VecMul(dst, a, b Vector) {
	if !vecAVX2 {
		dst.Mul(a, b)
		return
	}
	lanes8("VecMul", dst, a, b, mulVec8, (*Elem).Mul)
}

// VecAdd sets dst[i] = a[i] + b[i], as dst.Add(a, b).
func VecAdd(dst, a, b Vector) {
	if !vecAVX2 {
		dst.Add(a, b)
		return
	}
	lanes8("VecAdd", dst, a, b, addVec8, (*Elem).Add)
}

// VecSub sets dst[i] = a[i] − b[i], as dst.Sub(a, b).
func VecSub(dst, a, b Vector) {
	if !vecAVX2 {
		dst.Sub(a, b)
		return
	}
	lanes8("VecSub", dst, a, b, subVec8, (*Elem).Sub)
}

// VecScalarMul sets dst[i] = a[i]·b, as dst.ScalarMul(a, b).
func VecScalarMul(dst, a Vector, b *Elem) {
	if !vecAVX2 {
		dst.ScalarMul(a, b)
		return
	}
	if len(dst) != len(a) {
		panic("field.VecScalarMul: vectors don't have the same length")
	}
	n := len(a) &^ 7
	if n > 0 {
		scalarMulVec8(dst[:n], a[:n], *b)
	}
	for i := n; i < len(a); i++ {
		dst[i].Mul(&a[i], b)
	}
}

func checkLen3(name string, dst, a, b koalabear.Vector) {
	if len(a) != len(b) || len(a) != len(dst) {
		panic("field." + name + ": vectors don't have the same length")
	}
}

// VecInnerProduct returns Σ a[i]·b[i], as a.InnerProduct(b).
func VecInnerProduct(a, b Vector) Elem {
	if !vecAVX2 {
		return a.InnerProduct(b)
	}
	if len(a) != len(b) {
		panic("field.VecInnerProduct: vectors don't have the same length")
	}
	n := len(a) &^ 7
	var res, t Elem
	if n > 0 {
		res = innerProductVec8(a[:n], b[:n])
	}
	for i := n; i < len(a); i++ {
		t.Mul(&a[i], &b[i])
		res.Add(&res, &t)
	}
	return res
}

// VecAddScalar sets dst[i] = a[i] + s. gnark-crypto has no vector kernel for it, so
// the AVX2 kernel runs wherever the build and CPU have it (AVX-512 machines included);
// elsewhere, and on the tail of fewer than 8 elements, the scalar addition.
func VecAddScalar(dst, a Vector, s *Elem) { scalarOp("VecAddScalar", dst, a, s, false, false) }

// VecSubScalar sets dst[i] = a[i] − s (AVX2 as VecAddScalar).
func VecSubScalar(dst, a Vector, s *Elem) { scalarOp("VecSubScalar", dst, a, s, true, false) }

// VecScalarSub sets dst[i] = s − a[i] (AVX2 as VecAddScalar).
func VecScalarSub(dst Vector, s *Elem, a Vector) { scalarOp("VecScalarSub", dst, a, s, true, true) }

// scalarOp is dst[i] = a[i] + s, a[i] − s (sub) or s − a[i] (sub and rev).
func scalarOp(name string, dst, a Vector, s *Elem, sub, rev bool) {
	if len(dst) != len(a) {
		panic("field." + name + ": vectors don't have the same length")
	}
	n := 0
	if kernels8 {
		n = len(a) &^ 7
		if n > 0 {
			scalarOpVec8(dst[:n], a[:n], *s, sub, rev)
		}
	}
	for i := n; i < len(a); i++ {
		switch {
		case !sub:
			dst[i].Add(&a[i], s)
		case rev:
			dst[i].Sub(s, &a[i])
		default:
			dst[i].Sub(&a[i], s)
		}
	}
}

// VecMulAcc sets acc[i] += a[i]·b[i], or acc[i] −= a[i]·b[i] when sub; with b nil it
// multiplies by the scalar s instead (acc[i] ± a[i]·s). On the AVX2 kernels' path
// (VecAVX2) it is one pass; elsewhere it is gnark-crypto's Mul (or ScalarMul) into tmp
// (len(tmp) ≥ len(a)) and its Add or Sub, as the callers did before. The words are
// the same either way.
func VecMulAcc(acc, a, b Vector, s *Elem, sub bool, tmp Vector) {
	if len(acc) != len(a) || (b != nil && len(b) != len(a)) {
		panic("field.VecMulAcc: vectors don't have the same length")
	}
	if !vecAVX2 {
		t := tmp[:len(a)]
		if b != nil {
			t.Mul(a, b)
		} else {
			t.ScalarMul(a, s)
		}
		if sub {
			acc.Sub(acc, t)
		} else {
			acc.Add(acc, t)
		}
		return
	}
	n := len(a) &^ 7
	if n > 0 {
		var bn Vector
		if b != nil {
			bn = b[:n]
		}
		mulAccVec8(acc[:n], a[:n], bn, s, sub)
	}
	for i := n; i < len(a); i++ {
		var t Elem
		if b != nil {
			t.Mul(&a[i], &b[i])
		} else {
			t.Mul(&a[i], s)
		}
		if sub {
			acc[i].Sub(&acc[i], &t)
		} else {
			acc[i].Add(&acc[i], &t)
		}
	}
}

// VecScalarMulAcc4 sets acc[i] += a[0][i]·s[0] + a[1][i]·s[1] + a[2][i]·s[2] + a[3][i]·s[3].
// On the AVX2 kernels' path (VecAVX2) the four products are summed as 64-bit integers
// and reduced once (see dot4Vec8); elsewhere it is four VecMulAcc through tmp
// (len(tmp) ≥ len(acc)). The words are the same either way.
func VecScalarMulAcc4(acc Vector, a *[4]Vector, s *[4]Elem, tmp Vector) {
	for k := range a {
		if len(a[k]) != len(acc) {
			panic("field.VecScalarMulAcc4: vectors don't have the same length")
		}
	}
	if !vecAVX2 {
		for k := range a {
			VecMulAcc(acc, a[k], nil, &s[k], false, tmp)
		}
		return
	}
	n := len(acc) &^ 7
	if n > 0 {
		dot4Vec8(acc[:n], a, s, n)
	}
	for i := n; i < len(acc); i++ {
		for k := range a {
			var t Elem
			t.Mul(&a[k][i], &s[k])
			acc[i].Add(&acc[i], &t)
		}
	}
}
