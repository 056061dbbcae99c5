package merkle

import (
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// lanes is the number of hashes gnark-crypto's AVX-512 kernels compute at once.
const lanes = 16

// vector8 selects the 8-lane path (hash.Elems8 and hash.CompressDigests8, AVX2 under
// GOEXPERIMENT=simd) for the Narrow tree where hash.Prefer8: gnark-crypto's 16-lane
// AVX-512 path stays in use where it exists (it is faster). Elsewhere gnark-crypto's
// 16-lane calls run its generic code. Tests turn it off to compare.
var vector8 = hash.Prefer8()

// hashRows writes into out[r] the leaf hash of row r of the concatenation of mats
// (all of height len(out)): hash.Elems of the row, each matrix's salt after its columns,
// 16 rows per kernel call (8 on the vector8 path, hash.Elems8).
func hashRows(out []hash.Digest, mats []Matrix, workers int) {
	var cols [][]field.Elem
	for _, m := range mats {
		cols = append(cols, m.Cols...)
		cols = append(cols, m.Salt...)
	}
	n := len(out)
	width := len(cols)
	padded := (width + hash.Rate - 1) / hash.Rate * hash.Rate
	if n < lanes || width == 0 {
		row := make([]field.Elem, width)
		for r := range n {
			for c := range cols {
				row[c] = cols[c][r]
			}
			out[r] = hash.Elems(row)
		}
		return
	}
	if vector8 {
		hashRows8(out, cols, workers)
		return
	}
	perm := hash.Permutation()
	parallelChunks(n, lanes, workers, func(lo, hi int) {
		buf := make([]field.Elem, padded*lanes) // buf[c*16+lane]: column-major block of 16 leaves
		var res [lanes][8]field.Elem
		for r := lo; r < hi; r += lanes {
			for c, col := range cols {
				copy(buf[c*lanes:(c+1)*lanes], col[r:r+lanes])
			}
			perm.Compressx16Columns(buf, padded, res[:])
			for l := range lanes {
				out[r+l] = res[l]
			}
		}
	})
}

// compressPairs writes out[i] = Compress(in[2i], in[2i+1]).
func compressPairs(out, in []hash.Digest, workers int) {
	n := len(out)
	if n < lanes {
		for i := range out {
			out[i] = hash.Compress(&in[2*i], &in[2*i+1])
		}
		return
	}
	if vector8 {
		compress8(out, in, in[1:], 2, workers)
		return
	}
	perm := hash.Permutation()
	parallelChunks(n, lanes, workers, func(lo, hi int) {
		var state, blk [8 * lanes]field.Elem
		var res [lanes][8]field.Elem
		for i := lo; i < hi; i += lanes {
			for l := range lanes {
				left, right := &in[2*(i+l)], &in[2*(i+l)+1]
				for p := range 8 {
					state[p*lanes+l] = left[p]
					blk[p*lanes+l] = right[p]
				}
			}
			perm.Compressx16ColumnsWithState(state[:], blk[:], 8, res[:])
			for l := range lanes {
				out[i+l] = res[l]
			}
		}
	})
}

// compressEach writes cur[i] = Compress(cur[i], inj[i]).
func compressEach(cur, inj []hash.Digest, workers int) {
	n := len(cur)
	if n < lanes {
		for i := range cur {
			cur[i] = hash.Compress(&cur[i], &inj[i])
		}
		return
	}
	if vector8 {
		compress8(cur, cur, inj, 1, workers)
		return
	}
	perm := hash.Permutation()
	parallelChunks(n, lanes, workers, func(lo, hi int) {
		var state, blk [8 * lanes]field.Elem
		var res [lanes][8]field.Elem
		for i := lo; i < hi; i += lanes {
			for l := range lanes {
				for p := range 8 {
					state[p*lanes+l] = cur[i+l][p]
					blk[p*lanes+l] = inj[i+l][p]
				}
			}
			perm.Compressx16ColumnsWithState(state[:], blk[:], 8, res[:])
			for l := range lanes {
				cur[i+l] = res[l]
			}
		}
	})
}

// hashRows8 is hashRows through hash.Elems8: 8 rows per call, the columns read in
// place (no copy into a block buffer). len(out) is a multiple of 8.
func hashRows8(out []hash.Digest, cols [][]field.Elem, workers int) {
	const l8 = hash.Lanes8
	parallelChunks(len(out), l8, workers, func(lo, hi int) {
		for r := lo; r < hi; r += l8 {
			hash.Elems8(out[r:r+l8], cols, r)
		}
	})
}

// compress8 writes out[i] = hash.Compress(&left[i·step], &right[i·step]) through
// hash.CompressDigests8, 8 digests per call. out may be left itself (step 1): each batch
// is read before it is written. len(out) is a multiple of 8.
func compress8(out, left, right []hash.Digest, step, workers int) {
	const l8 = hash.Lanes8
	parallelChunks(len(out), l8, workers, func(lo, hi int) {
		for i := lo; i < hi; i += l8 {
			hash.CompressDigests8(out[i:i+l8], left[i*step:], right[i*step:], step)
		}
	})
}

// commitWide builds a Wide tree: the same shape as a Narrow one, hashed lane-wise by
// hash.WideBatch (wideLanes rows or node pairs per batch), chunks split among the
// workers.
func commitWide(mats []Matrix, logMax, workers int) *Tree {
	return commitNodes(hash.Wide, mats, logMax, workers, wideLeaves, wideCompress)
}

// commitNodes builds a tree of hash.Nodes (the Wide and Outer schemes) with the
// scheme's leaf hash of the rows of a group of matrices and its compression of node
// pairs, each spreading its work over the workers.
func commitNodes(s hash.Scheme, mats []Matrix, logMax, workers int,
	leaves func(out []hash.Node, g []Matrix, workers int),
	compress func(out []hash.Node, pair func(i int) (*hash.Node, *hash.Node), workers int)) *Tree {
	t := &Tree{scheme: s, mats: mats, logMax: logMax, wide: make([][]hash.Node, logMax+1)}
	t.wide[0] = make([]hash.Node, 1<<logMax)
	leaves(t.wide[0], t.group(logMax), workers)
	for k := 1; k <= logMax; k++ {
		prev := t.wide[k-1]
		cur := make([]hash.Node, len(prev)/2)
		compress(cur, func(i int) (*hash.Node, *hash.Node) { return &prev[2*i], &prev[2*i+1] }, workers)
		if g := t.group(logMax - k); len(g) > 0 {
			inj := make([]hash.Node, len(cur))
			leaves(inj, g, workers)
			compress(cur, func(i int) (*hash.Node, *hash.Node) { return &cur[i], &inj[i] }, workers)
		}
		t.wide[k] = cur
	}
	return t
}

// wideLanes is the number of lanes of a Wide batch: enough to amortise the vector
// calls, few enough to stay in cache.
const wideLanes = 256

// wideLeaves writes into out[r] the Wide leaf hash of row r of mats (columns, then each
// matrix's salt): the chain st ← P(st ‖ blk)[12:24] + blk over blocks of 12.
func wideLeaves(out []hash.Node, mats []Matrix, workers int) {
	var cols [][]field.Elem
	for _, m := range mats {
		cols = append(cols, m.Cols...)
		cols = append(cols, m.Salt...)
	}
	const d = hash.WideDigestLen
	parallelChunks(len(out), 1, workers, func(lo, hi int) {
		b := hash.NewWideBatch(min(wideLanes, hi-lo))
		var st [d]field.Vector
		for i := range st {
			st[i] = make(field.Vector, b.Lanes())
		}
		for r := lo; r < hi; r += b.Lanes() {
			m := min(b.Lanes(), hi-r)
			for i := range st {
				clear(st[i][:m])
			}
			for c0 := 0; c0 < len(cols); c0 += hash.WideRate {
				for i := range d {
					copy(b.S[i][:m], st[i][:m])
					if c := c0 + i; c < len(cols) {
						copy(b.S[d+i][:m], cols[c][r:r+m])
					} else {
						clear(b.S[d+i][:m])
					}
				}
				b.Permute(m)
				for i := range d {
					dst := st[i][:m]
					if c := c0 + i; c < len(cols) {
						dst.Add(b.S[d+i][:m], field.Vector(cols[c][r:r+m]))
					} else {
						copy(dst, b.S[d+i][:m])
					}
				}
			}
			for l := range m {
				for i := range d {
					out[r+l][i] = st[i][l]
				}
			}
		}
	})
}

// wideCompress writes out[i] = hash.Wide.Compress(pair(i)): P(l ‖ r)[12:24] + r.
func wideCompress(out []hash.Node, pair func(i int) (*hash.Node, *hash.Node), workers int) {
	const d = hash.WideDigestLen
	parallelChunks(len(out), 1, workers, func(lo, hi int) {
		b := hash.NewWideBatch(min(wideLanes, hi-lo))
		for i0 := lo; i0 < hi; i0 += b.Lanes() {
			m := min(b.Lanes(), hi-i0)
			for l := range m {
				left, right := pair(i0 + l)
				for i := range d {
					b.S[i][l], b.S[d+i][l] = left[i], right[i]
				}
			}
			b.Permute(m)
			for l := range m {
				_, right := pair(i0 + l)
				var n hash.Node
				for i := range d {
					n[i].Add(&b.S[d+i][l], &right[i])
				}
				out[i0+l] = n
			}
		}
	})
}

// commitOuter builds an Outer tree (Poseidon2 over BN254's scalar field, one F_r
// element per node): rows and node pairs hashed one at a time by hash.Outer, chunks
// split among the workers. It is the hash of the Injector's outer layer, whose tables
// are small; no vector kernel serves it.
func commitOuter(mats []Matrix, logMax, workers int) *Tree {
	return commitNodes(hash.Outer, mats, logMax, workers, outerLeaves, outerCompress)
}

// outerLeaves writes into out[r] the Outer leaf hash of row r of mats (columns, then
// salt, matrix by matrix).
func outerLeaves(out []hash.Node, mats []Matrix, workers int) {
	parallelChunks(len(out), 1, workers, func(lo, hi int) {
		var row []field.Elem
		for r := lo; r < hi; r++ {
			row = row[:0]
			for _, m := range mats {
				for _, c := range m.Cols {
					row = append(row, c[r])
				}
				for _, c := range m.Salt {
					row = append(row, c[r])
				}
			}
			out[r] = hash.Outer.Elems(row)
		}
	})
}

// outerCompress writes out[i] = hash.Outer.Compress(pair(i)).
func outerCompress(out []hash.Node, pair func(i int) (*hash.Node, *hash.Node), workers int) {
	parallelChunks(len(out), 1, workers, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			out[i] = hash.Outer.Compress(pair(i))
		}
	})
}
