package hash

import (
	"math/rand/v2"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
)

// states8 returns lane-wise batches of 8 states: random ones and the edge cases
// (zero, p−1, all p−1, raw Montgomery words 0, 1, p−1 and mixtures of them).
func states8(rng *rand.Rand) [][Width][Lanes8]field.Elem {
	pm1 := field.New(field.Modulus - 1)
	raw := func(v uint32) field.Elem { return field.Elem{v} } // a Montgomery word as is
	edge := []field.Elem{{}, pm1, field.New(1), raw(1), raw(field.Modulus - 1), raw(field.Modulus - 2), field.New(2)}
	var out [][Width][Lanes8]field.Elem
	fill := func(f func(i, l int) field.Elem) {
		var s [Width][Lanes8]field.Elem
		for i := range s {
			for l := range s[i] {
				s[i][l] = f(i, l)
			}
		}
		out = append(out, s)
	}
	for _, e := range edge {
		fill(func(int, int) field.Elem { return e })
	}
	fill(func(i, l int) field.Elem { return edge[(i+l)%len(edge)] })
	fill(func(i, l int) field.Elem { return edge[rng.IntN(len(edge))] })
	for range 200 {
		fill(func(int, int) field.Elem { return field.Elem{rng.Uint32N(field.Modulus)} })
	}
	// One lane all p−1, the others random: lanes must not interfere.
	fill(func(_, l int) field.Elem {
		if l == 3 {
			return pm1
		}
		return field.Elem{rng.Uint32N(field.Modulus)}
	})
	return out
}

// Permute8 is bit for bit gnark-crypto's Permutation on every lane (the vector kernel
// where the build and CPU have it, the lane-by-lane path otherwise).
func TestPermute8(t *testing.T) {
	t.Logf("Vector8() = %v", Vector8())
	rng := rand.New(rand.NewPCG(1, 2))
	perm := Permutation()
	for n, s := range states8(rng) {
		want := s
		for l := range Lanes8 {
			var st [Width]field.Elem
			for i := range st {
				st[i] = want[i][l]
			}
			if err := perm.Permutation(st[:]); err != nil {
				t.Fatal(err)
			}
			for i := range st {
				want[i][l] = st[i]
			}
		}
		got := s
		Permute8(&got)
		if got != want {
			t.Fatalf("batch %d: Permute8 differs from gnark-crypto's Permutation\n got %v\nwant %v", n, got, want)
		}
		got = s
		permute8Generic(&got)
		if got != want {
			t.Fatalf("batch %d: permute8Generic differs", n)
		}
	}
}

// Compress8 is eight chains of Compress: leaf hashes (Elems) of rows and node pairs.
func TestCompress8(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, width := range []int{1, 8, 13, 32} {
		padded := (width + Rate - 1) / Rate * Rate
		rows := make([][]field.Elem, Lanes8)
		blocks := make([]field.Elem, padded*Lanes8)
		for l := range rows {
			rows[l] = make([]field.Elem, width)
			for c := range rows[l] {
				rows[l][c] = field.Elem{rng.Uint32N(field.Modulus)}
				blocks[c*Lanes8+l] = rows[l][c]
			}
		}
		var st [DigestLen][Lanes8]field.Elem
		Compress8(&st, blocks)
		for l := range Lanes8 {
			want := Elems(rows[l])
			for i := range want {
				if st[i][l] != want[i] {
					t.Fatalf("width %d lane %d: Compress8 differs from Elems", width, l)
				}
			}
		}
	}
	var st [DigestLen][Lanes8]field.Elem
	var left, right [Lanes8]Digest
	blk := make([]field.Elem, Rate*Lanes8)
	for l := range Lanes8 {
		for i := range DigestLen {
			left[l][i] = field.Elem{rng.Uint32N(field.Modulus)}
			right[l][i] = field.Elem{rng.Uint32N(field.Modulus)}
			st[i][l] = left[l][i]
			blk[i*Lanes8+l] = right[l][i]
		}
	}
	Compress8(&st, blk)
	for l := range Lanes8 {
		want := Compress(&left[l], &right[l])
		for i := range want {
			if st[i][l] != want[i] {
				t.Fatalf("lane %d: Compress8 differs from Compress", l)
			}
		}
	}
}

// BenchmarkPermutation measures permutations per second: gnark-crypto's Permutation one
// state at a time (AVX-512 assembly where gnark-crypto has it, generic Go under
// -tags purego or without AVX-512), gnark-crypto's 16-lane Compressx16Columns with one
// block (AVX-512 or its generic fallback), and Permute8 (AVX2 under GOEXPERIMENT=simd).
func BenchmarkPermutation(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	b.Run("impl=gnark", func(b *testing.B) {
		var s [Width]field.Elem
		for i := range s {
			s[i] = field.Elem{rng.Uint32N(field.Modulus)}
		}
		perm := Permutation()
		for b.Loop() {
			_ = perm.Permutation(s[:])
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "perms/s")
	})
	b.Run("impl=gnark-x16", func(b *testing.B) {
		var m [16 * 8]field.Elem
		for i := range m {
			m[i] = field.Elem{rng.Uint32N(field.Modulus)}
		}
		var res [16][8]field.Elem
		perm := Permutation()
		for b.Loop() {
			perm.Compressx16Columns(m[:], 8, res[:])
		}
		b.ReportMetric(float64(16*b.N)/b.Elapsed().Seconds(), "perms/s")
	})
	b.Run("impl=lanes8", func(b *testing.B) {
		var s [Width][Lanes8]field.Elem
		for i := range s {
			for l := range s[i] {
				s[i][l] = field.Elem{rng.Uint32N(field.Modulus)}
			}
		}
		for b.Loop() {
			Permute8(&s)
		}
		b.ReportMetric(float64(Lanes8*b.N)/b.Elapsed().Seconds(), "perms/s")
		if !Vector8() {
			b.Log("Permute8 runs lane by lane in this build")
		}
	})
}

// Elems8 is Elems row by row and CompressDigests8 is Compress pair by pair (the vector
// kernel where the build and CPU have it), for widths around multiples of Rate, an
// offset row, strides 1 and 2, and outputs written over the left inputs; the generic
// Elems8 agrees as well.
func TestElems8CompressDigests8(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	elem := func() field.Elem {
		if rng.IntN(8) == 0 {
			return field.Elem{field.Modulus - 1}
		}
		return field.Elem{rng.Uint32N(field.Modulus)}
	}
	for _, width := range []int{1, 2, 7, 8, 9, 15, 16, 17, 42, 64, 65} {
		const r = 5
		cols := make([][]field.Elem, width)
		for c := range cols {
			cols[c] = make([]field.Elem, r+Lanes8+3)
			for j := range cols[c] {
				cols[c][j] = elem()
			}
		}
		var got, gen [Lanes8]Digest
		Elems8(got[:], cols, r)
		elems8Generic(gen[:], cols, r)
		for l := range Lanes8 {
			row := make([]field.Elem, width)
			for c := range cols {
				row[c] = cols[c][r+l]
			}
			if want := Elems(row); got[l] != want || gen[l] != want {
				t.Fatalf("width %d lane %d: Elems8 %v, generic %v, want %v", width, l, got[l], gen[l], want)
			}
		}
	}
	for _, step := range []int{1, 2} {
		for range 50 {
			left := make([]Digest, 8*step)
			right := make([]Digest, 8*step)
			for i := range left {
				for j := range DigestLen {
					left[i][j], right[i][j] = elem(), elem()
				}
			}
			var want [Lanes8]Digest
			for l := range want {
				want[l] = Compress(&left[l*step], &right[l*step])
			}
			var got [Lanes8]Digest
			CompressDigests8(got[:], left, right, step)
			if got != want {
				t.Fatalf("step %d: CompressDigests8 %v, want %v", step, got, want)
			}
			if step == 1 { // in place over the left digests
				CompressDigests8(left, left, right, 1)
				if [Lanes8]Digest(left) != want {
					t.Fatal("CompressDigests8 in place differs")
				}
			}
		}
	}
}
