//go:build !goexperiment.simd || !amd64

package hash

import "github.com/oneiros-zk/oneiros/proving/field"

// hasVector8 is false: this build has no simd/archsimd (GOEXPERIMENT=simd on amd64
// enables permute8_avx2.go), so Permute8 and Compress8 run lane by lane.
const hasVector8 = false

func permute8Vec(*[Width][Lanes8]field.Elem) {
	panic("hash: no vector Permute8 in this build")
}

func permute1Vec(*[Width]field.Elem) {
	panic("hash: no vector Permute in this build")
}

func compress8Vec(*[DigestLen][Lanes8]field.Elem, []field.Elem) {
	panic("hash: no vector Compress8 in this build")
}

func elems8Vec([]Digest, [][]field.Elem, int) {
	panic("hash: no vector Elems8 in this build")
}

func compressDigests8Vec([]Digest, []Digest, []Digest, int) {
	panic("hash: no vector CompressDigests8 in this build")
}
