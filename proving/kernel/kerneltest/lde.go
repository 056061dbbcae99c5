package kerneltest

import (
	"fmt"
	"slices"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/kernel"
	"github.com/oneiros-zk/oneiros/proving/ntt"
)

func (r *runner) lde() {
	const K = "CosetLDE"
	g := r.gen("lde")
	heights := []int{0, 1, 2, 4}
	if r.opts.MaxLogN > 4 {
		heights = append(heights, r.opts.MaxLogN)
	}
	for _, logN := range heights {
		for logB := 1; logB <= 4; logB++ {
			shifts := []struct {
				name string
				s    field.Elem
			}{
				{"1", field.New(1)},
				{"g", ntt.Generator},
				{"fri", ntt.CosetShift(logN+logB, field.TwoAdicity)},
				{"random", g.nonzero()},
			}
			for _, sh := range shifts {
				for _, width := range []int{1, 9} {
					cs := fmt.Sprintf("height %d, blowup 2^%d, shift %s, %d columns", 1<<logN, logB, sh.name, width)
					r.ldeCase(cs, g.cols(width, 1<<logN), logB, sh.s)
				}
			}
		}
	}

	// No columns: nothing to extend, and no error.
	var refOut, implOut [][]field.Elem
	if r.both(K, "no columns", func(k kernel.Kernels) (err error) {
		refOut, err = k.CosetLDE(nil, 1, ntt.Generator)
		return err
	}, func(k kernel.Kernels) (err error) {
		implOut, err = k.CosetLDE(nil, 1, ntt.Generator)
		return err
	}) && len(implOut) != len(refOut) {
		r.fail(K, "no columns", "%d columns out, want %d", len(implOut), len(refOut))
	}

	for _, bad := range []struct {
		cs   string
		cols [][]field.Elem
		logB int
	}{
		{"ragged columns of 16 and 8 rows", [][]field.Elem{g.col(16), g.col(8)}, 1},
		{"height 3", [][]field.Elem{g.col(3)}, 1},
		{"height 12, 2 columns", g.cols(2, 12), 1},
		{"height 0", [][]field.Elem{{}}, 1},
		{"height 16, blowup 2^21 (past the 2^24 domain)", [][]field.Elem{g.col(16)}, 21},
	} {
		r.mustReject(K, bad.cs, func(k kernel.Kernels) error {
			_, err := k.CosetLDE(bad.cols, bad.logB, ntt.Generator)
			return err
		})
	}
}

func (r *runner) ldeCase(cs string, cols [][]field.Elem, logB int, shift field.Elem) {
	const K = "CosetLDE"
	orig := clone2(cols)
	var want, got [][]field.Elem
	if !r.both(K, cs, func(k kernel.Kernels) (err error) {
		want, err = k.CosetLDE(cols, logB, shift)
		return err
	}, func(k kernel.Kernels) (err error) {
		got, err = k.CosetLDE(cols, logB, shift)
		return err
	}) {
		return
	}
	if !equal2(cols, orig) {
		r.fail(K, cs, "modified its input")
	}
	if len(got) != len(want) {
		r.fail(K, cs, "%d columns out, want %d", len(got), len(want))
		return
	}
	for c := range want {
		if d := diff(got[c], want[c]); d != "" {
			r.fail(K, cs, "column %d: %s", c, d)
			return // one column is enough to tell
		}
	}
}

func clone2(m [][]field.Elem) [][]field.Elem {
	out := make([][]field.Elem, len(m))
	for i := range m {
		out[i] = slices.Clone(m[i])
	}
	return out
}

func equal2(a, b [][]field.Elem) bool {
	return slices.EqualFunc(a, b, func(x, y []field.Elem) bool { return slices.Equal(x, y) })
}
