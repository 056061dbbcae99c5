package bench

import (
	"sync"

	"github.com/consensys/gnark-crypto/field/koalabear/fft"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// The gnark-raw rows: the same work as the kernels, written as the bare gnark-crypto
// calls a hand-rolled prover would make, with the same parallel split as package
// kernel/cpu (columns for FFTs, aligned row ranges for hashing).

// gnarkLDE extends columns of 2^logN rows by 2^logB onto the coset shift·H_N, in
// bit-reversed order: an inverse FFT on H_n (natural order in, bit-reversed out), a
// bit reversal, zero padding and a coset FFT on a domain built with the shift.
type gnarkLDE struct {
	small, big *fft.Domain
	logB       int
	workers    int
}

func newGnarkLDE(logN, logB int, shift field.Elem, workers int) *gnarkLDE {
	return &gnarkLDE{
		small:   fft.NewDomain(uint64(1) << logN),
		big:     fft.NewDomain(uint64(1)<<(logN+logB), fft.WithShift(shift)),
		logB:    logB,
		workers: workers,
	}
}

func (g *gnarkLDE) extend(cols [][]field.Elem) [][]field.Elem {
	n := len(cols[0])
	N := n << g.logB
	back := make([]field.Elem, len(cols)*N)
	out := make([][]field.Elem, len(cols))
	for i := range out {
		out[i] = back[i*N : (i+1)*N]
	}
	tasks := 1
	if len(cols) < g.workers {
		tasks = g.workers
	}
	parallel(len(cols), 1, g.workers, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			o := out[i]
			copy(o, cols[i])
			g.small.FFTInverse(o[:n], fft.DIF, fft.WithNbTasks(tasks))
			fft.BitReverse(o[:n])
			g.big.FFT(o, fft.DIF, fft.OnCoset(), fft.WithNbTasks(tasks))
		}
	})
	return out
}

// gnarkTree hashes the rows of cols (2^k rows, a multiple of 8 columns or zero-padded
// to one) into leaves with Compressx16Columns, 16 rows per call, then compresses pairs
// of nodes level by level with Compressx16ColumnsWithState, 16 pairs per call. Lanes
// past the end of a level shorter than 16 are hashed as zeros and dropped. It returns
// every level, leaves first, as a tree that can answer openings.
func gnarkTree(cols [][]field.Elem, workers int) [][][8]field.Elem {
	perm := hash.Permutation() // gnark-crypto's *poseidon2.Permutation
	n := len(cols[0])
	padded := (len(cols) + 7) / 8 * 8
	leaves := make([][8]field.Elem, n)
	parallel(n, 16, workers, func(lo, hi int) {
		buf := make([]field.Elem, padded*16) // buf[c*16+lane]
		var res [16][8]field.Elem
		for r := lo; r < hi; r += 16 {
			lanes := min(16, hi-r)
			for c, col := range cols {
				copy(buf[c*16:c*16+lanes], col[r:r+lanes])
			}
			perm.Compressx16Columns(buf, padded, res[:])
			copy(leaves[r:r+lanes], res[:lanes])
		}
	})
	levels := [][][8]field.Elem{leaves}
	for cur := leaves; len(cur) > 1; {
		next := make([][8]field.Elem, len(cur)/2)
		parallel(len(next), 16, workers, func(lo, hi int) {
			var state, blk [8 * 16]field.Elem
			var res [16][8]field.Elem
			for i := lo; i < hi; i += 16 {
				lanes := min(16, hi-i)
				for l := range lanes {
					left, right := &cur[2*(i+l)], &cur[2*(i+l)+1]
					for p := range 8 {
						state[p*16+l] = left[p]
						blk[p*16+l] = right[p]
					}
				}
				perm.Compressx16ColumnsWithState(state[:], blk[:], 8, res[:])
				copy(next[i:i+lanes], res[:lanes])
			}
		})
		levels = append(levels, next)
		cur = next
	}
	return levels
}

// parallel splits [0, n) into at most workers ranges, each a multiple of align long
// except the last, and runs f on each concurrently.
func parallel(n, align, workers int, f func(lo, hi int)) {
	parts := max(1, min(workers, (n+align-1)/align))
	if parts == 1 {
		f(0, n)
		return
	}
	per := ((n+align-1)/align + parts - 1) / parts * align
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += per {
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			f(lo, hi)
		}(lo, min(lo+per, n))
	}
	wg.Wait()
}
