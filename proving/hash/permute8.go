package hash

import "github.com/oneiros-zk/oneiros/proving/field"

// Lanes8 is the number of states [Permute8] and [Compress8] work on at once.
const Lanes8 = 8

// Vector8 reports whether [Permute8] and [Compress8] run as AVX2 vector code: a build
// with GOEXPERIMENT=simd on amd64, on a CPU with AVX2. Elsewhere they run the
// permutation lane by lane and give the same results, only slower.
func Vector8() bool { return hasVector8 }

// Prefer8 reports whether the 8-lane kernel is the fastest Poseidon2 here: it runs as
// vector code and gnark-crypto has no AVX-512 assembly (which stays in use where it
// exists). Single permutations (Permute) and package merkle's Narrow trees take it then.
func Prefer8() bool { return prefer8 }

// Permute8 applies the permutation to eight states held lane-wise: s[i][l] is element
// i of state l. The result is bit for bit that of [Permute] on each state.
func Permute8(s *[Width][Lanes8]field.Elem) {
	if hasVector8 {
		permute8Vec(s)
		return
	}
	permute8Generic(s)
}

// Compress8 runs eight Merkle–Damgård chains of [Compress] at once, lane-wise.
// state[i][l] is element i of lane l's chaining value, and blocks[(k*Rate+i)*Lanes8+l]
// is element i of lane l's k-th block: the layout of eight consecutive rows of column
// k*Rate+i stored one after the other. Each step sets st ← Compress(st, blk) =
// P(st ‖ blk)[8:16] + blk; state holds the final chaining values on return. len(blocks)
// must be a multiple of Rate·Lanes8 (64).
//
// A leaf hash [Elems] of eight rows is Compress8 from a zero state over the rows'
// zero-padded columns; a Merkle node layer is Compress8 of the left digests with the
// right ones as a single block.
func Compress8(state *[DigestLen][Lanes8]field.Elem, blocks []field.Elem) {
	if len(blocks)%(Rate*Lanes8) != 0 {
		panic("hash: Compress8 blocks are not a whole number of 8-lane blocks")
	}
	if hasVector8 {
		compress8Vec(state, blocks)
		return
	}
	compress8Generic(state, blocks)
}

// permute8Generic is Permute8 one lane at a time through gnark-crypto.
func permute8Generic(s *[Width][Lanes8]field.Elem) {
	for l := range Lanes8 {
		var st [Width]field.Elem
		for i := range st {
			st[i] = s[i][l]
		}
		_ = perm().Permutation(st[:]) // gnark-crypto's: the reference the kernel is tested against
		for i := range st {
			s[i][l] = st[i]
		}
	}
}

// compress8Generic is Compress8 one lane at a time through Compress.
func compress8Generic(state *[DigestLen][Lanes8]field.Elem, blocks []field.Elem) {
	for l := range Lanes8 {
		var st, blk Digest
		for i := range st {
			st[i] = state[i][l]
		}
		for k := 0; k < len(blocks); k += Rate * Lanes8 {
			for i := range blk {
				blk[i] = blocks[k+i*Lanes8+l]
			}
			st = Compress(&st, &blk)
		}
		for i := range st {
			state[i][l] = st[i]
		}
	}
}

// Elems8 sets out[l] = [Elems](row r+l of cols) for l < 8 (len(out) ≥ 8), where row j of cols is
// (cols[0][j], cols[1][j], …): the leaf hashes of eight consecutive rows of a matrix held
// column by column, read in place (each column must hold rows r to r+7). It is
// Compress8 from a zero state over the rows' columns zero-padded to a multiple of Rate,
// with the chaining values transposed into digests. len(cols) must be positive.
func Elems8(out []Digest, cols [][]field.Elem, r int) {
	out = out[:Lanes8]
	if len(cols) == 0 {
		panic("hash: Elems8 of no columns")
	}
	for _, c := range cols {
		_ = c[r+Lanes8-1]
	}
	if hasVector8 {
		elems8Vec(out, cols, r)
		return
	}
	elems8Generic(out, cols, r)
}

// CompressDigests8 sets out[l] = [Compress](&left[l·step], &right[l·step]) for l < 8
// (len(out) ≥ 8).
// out may overlap left or right: every input is read before out is written.
func CompressDigests8(out, left, right []Digest, step int) {
	out = out[:Lanes8]
	_, _ = left[7*step], right[7*step]
	if hasVector8 {
		compressDigests8Vec(out, left, right, step)
		return
	}
	var res [Lanes8]Digest
	for l := range res {
		res[l] = Compress(&left[l*step], &right[l*step])
	}
	copy(out, res[:])
}

// elems8Generic is Elems8 through compress8Generic.
func elems8Generic(out []Digest, cols [][]field.Elem, r int) {
	padded := (len(cols) + Rate - 1) / Rate * Rate
	blocks := make([]field.Elem, padded*Lanes8)
	for c, col := range cols {
		copy(blocks[c*Lanes8:(c+1)*Lanes8], col[r:r+Lanes8])
	}
	var st [DigestLen][Lanes8]field.Elem
	compress8Generic(&st, blocks)
	for l := range Lanes8 {
		for i := range DigestLen {
			out[l][i] = st[i][l]
		}
	}
}
