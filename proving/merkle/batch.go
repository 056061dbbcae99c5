package merkle

import (
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// lanes is the number of hashes gnark-crypto's AVX-512 kernels compute at once.
const lanes = 16

// hashRows writes into out[r] the leaf hash of row r of the concatenation of mats
// (all of height len(out)): hash.Elems of the row, each matrix's salt after its columns,
// 16 rows per kernel call.
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

// commitWide builds a Wide tree: the same shape as a Narrow one, each node hashed on
// its own (gnark-crypto has no batch kernel for the width-24 permutation), rows split
// among the workers.
func commitWide(mats []Matrix, logMax, workers int) *Tree {
	s := hash.Wide
	t := &Tree{scheme: s, mats: mats, logMax: logMax, wide: make([][]hash.Node, logMax+1)}
	leaves := func(out []hash.Node, g []Matrix) {
		var cols [][]field.Elem
		for _, m := range g {
			cols = append(cols, m.Cols...)
			cols = append(cols, m.Salt...)
		}
		parallelChunks(len(out), 1, workers, func(lo, hi int) {
			row := make([]field.Elem, len(cols))
			for r := lo; r < hi; r++ {
				for c := range cols {
					row[c] = cols[c][r]
				}
				out[r] = s.Elems(row)
			}
		})
	}
	t.wide[0] = make([]hash.Node, 1<<logMax)
	leaves(t.wide[0], t.group(logMax))
	for k := 1; k <= logMax; k++ {
		prev := t.wide[k-1]
		cur := make([]hash.Node, len(prev)/2)
		parallelChunks(len(cur), 1, workers, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				cur[i] = s.Compress(&prev[2*i], &prev[2*i+1])
			}
		})
		if g := t.group(logMax - k); len(g) > 0 {
			inj := make([]hash.Node, len(cur))
			leaves(inj, g)
			parallelChunks(len(cur), 1, workers, func(lo, hi int) {
				for i := lo; i < hi; i++ {
					cur[i] = s.Compress(&cur[i], &inj[i])
				}
			})
		}
		t.wide[k] = cur
	}
	return t
}
