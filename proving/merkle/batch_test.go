package merkle

import (
	"fmt"
	"testing"

	"github.com/consensys/gnark-crypto/utils/cpu"

	"github.com/oneiros-zk/oneiros/proving/hash"
)

// withVector8 runs f with the 8-lane path forced on or off, restoring the selection.
func withVector8(on bool, f func()) {
	saved := vector8
	vector8 = on
	defer func() { vector8 = saved }()
	f()
}

func saltedMatrix(width, salt, height int, seed uint64) Matrix {
	m := testMatrix(width, height, seed)
	m.Salt = testMatrix(salt, height, seed+100).Cols
	return m
}

// The 8-lane path (hash.Compress8: AVX2 under GOEXPERIMENT=simd, lane by lane
// otherwise) gives the roots of the 16-lane path (gnark-crypto's AVX-512 kernels, or
// their generic code) and of scalar hashing, for every shape: injected shorter
// matrices, salts, widths around the rate, any number of workers.
func TestVector8Roots(t *testing.T) {
	t.Logf("selected: vector8=%v (hash.Vector8=%v, gnark-crypto AVX-512=%v)", vector8, hash.Vector8(), cpu.SupportAVX512)
	for i, mats := range [][]Matrix{
		{testMatrix(1, 16, 1)},
		{testMatrix(8, 32, 2)},
		{testMatrix(32, 256, 3)},
		{testMatrix(13, 64, 2), testMatrix(5, 64, 3)},
		{testMatrix(9, 256, 4), testMatrix(2, 32, 5), testMatrix(16, 8, 6), testMatrix(1, 1, 7)},
		{saltedMatrix(7, 4, 128, 8), testMatrix(3, 16, 9), saltedMatrix(17, 2, 1024, 10)},
	} {
		for _, w := range []int{1, 2, 3} {
			var roots [2]hash.Node
			for j, on := range []bool{true, false} {
				withVector8(on, func() {
					tr, err := Commit(mats, w)
					if err != nil {
						t.Fatal(err)
					}
					roots[j] = tr.Root()
				})
			}
			if roots[0] != roots[1] {
				t.Fatalf("shape %d, workers %d: 8-lane root %v, 16-lane root %v", i, w, roots[0], roots[1])
			}
			if !salted(mats) && roots[0] != naiveRoot(hash.Narrow, mats) {
				t.Fatalf("shape %d, workers %d: root differs from naive", i, w)
			}
		}
	}
}

func salted(mats []Matrix) bool {
	for _, m := range mats {
		if len(m.Salt) > 0 {
			return true
		}
	}
	return false
}

// BenchmarkCommitPath commits one 2^16 × 32 matrix with the Narrow hash on one worker,
// through the 8-lane path (hash.Compress8) and the 16-lane path (gnark-crypto's
// Compressx16Columns: AVX-512 assembly where gnark-crypto has it, its generic code
// under -tags purego or without AVX-512). path=auto is what Commit selects.
func BenchmarkCommitPath(b *testing.B) {
	const logH, width = 16, 32
	m := testMatrix(width, 1<<logH, 1)
	for _, p := range []struct {
		name string
		on   bool
	}{{"auto", vector8}, {"lanes8", true}, {"lanes16", false}} {
		b.Run(fmt.Sprintf("rows=2^%d/cols=%d/path=%s", logH, width, p.name), func(b *testing.B) {
			withVector8(p.on, func() {
				for b.Loop() {
					if _, err := Commit([]Matrix{m}, 1); err != nil {
						b.Fatal(err)
					}
				}
			})
			s := b.Elapsed().Seconds()
			// One permutation per rate block of every row, one per internal node.
			perms := (width+hash.Rate-1)/hash.Rate<<logH + 1<<logH - 1
			b.ReportMetric(float64(b.N)*float64(width<<logH)/s, "cells/s")
			b.ReportMetric(float64(b.N)*float64(perms)/s, "perms/s")
		})
	}
}
