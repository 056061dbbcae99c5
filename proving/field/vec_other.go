//go:build !goexperiment.simd || !amd64

package field

// kernels8 and vecAVX2 are false: this build has no simd/archsimd (GOEXPERIMENT=simd on
// amd64 enables vec_avx2.go), so the Vec functions call gnark-crypto's Vector methods.
const (
	kernels8 = false
	vecAVX2  = false
)

func mulVec8(dst, a, b Vector)            { panic("field: no AVX2 kernels in this build") }
func addVec8(dst, a, b Vector)            { panic("field: no AVX2 kernels in this build") }
func subVec8(dst, a, b Vector)            { panic("field: no AVX2 kernels in this build") }
func scalarMulVec8(dst, a Vector, b Elem) { panic("field: no AVX2 kernels in this build") }
func innerProductVec8(a, b Vector) Elem   { panic("field: no AVX2 kernels in this build") }

func scalarOpVec8(dst, a Vector, s Elem, sub, rev bool) {
	panic("field: no AVX2 kernels in this build")
}

func batchInvertVec8(res, a Vector) { panic("field: no AVX2 kernels in this build") }

func mulAccVec8(acc, a, b Vector, s *Elem, sub bool) { panic("field: no AVX2 kernels in this build") }

func dot4Vec8(acc Vector, a *[4]Vector, s *[4]Elem, n int) {
	panic("field: no AVX2 kernels in this build")
}
