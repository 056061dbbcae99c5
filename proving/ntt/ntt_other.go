//go:build !goexperiment.simd || !amd64

package ntt

import "github.com/oneiros-zk/oneiros/proving/field"

// kernels8 and lanes8 are false: this build has no simd/archsimd (GOEXPERIMENT=simd on
// amd64 enables ntt_avx2.go), so the transforms run gnark-crypto's FFT.
const (
	kernels8 = false
	lanes8   = false
)

func cosetLDE8(out, col []field.Elem, logBlowup int, shift field.Elem, tasks int) {
	panic("ntt: no AVX2 kernels in this build")
}
func interpolate8(v []field.Elem, tasks int) { panic("ntt: no AVX2 kernels in this build") }
func evaluate8(v []field.Elem, tasks int)    { panic("ntt: no AVX2 kernels in this build") }
func bitReverse8(v []field.Elem)             { panic("ntt: no AVX2 kernels in this build") }
