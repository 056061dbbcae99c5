package kerneltest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/kernel"
	"github.com/oneiros-zk/oneiros/proving/merkle"
)

// shape is a matrix to commit: 2^logH rows of width columns.
type shape struct{ logH, width int }

func (r *runner) merkle() {
	const K = "MerkleCommit"
	g := r.gen("merkle")
	top := r.opts.MaxLogN
	var cases [][]shape
	for _, logH := range []int{0, 1, 3, 4, 5, top} {
		for _, w := range []int{1, 8, 9, 24} {
			cases = append(cases, []shape{{logH, w}})
		}
	}
	cases = append(cases,
		[]shape{{6, 3}, {4, 8}, {6, 1}, {0, 5}, {2, 17}, {4, 2}}, // around the 16-lane batch
		[]shape{{3, 4}, {1, 1}, {3, 9}},                          // all below it
		[]shape{{top, 7}, {top - 3, 16}, {top - 4, 1}, {5, 9}, {0, 3}},
		[]shape{{4, 3}, {4, 5}}, // two matrices of one height: order matters
		[]shape{{4, 5}, {4, 3}},
	)
	for _, shapes := range cases {
		mats := make([]merkle.Matrix, len(shapes))
		desc := make([]string, len(shapes))
		for i, s := range shapes {
			mats[i] = merkle.Matrix{Cols: g.cols(s.width, 1<<s.logH)}
			desc[i] = fmt.Sprintf("%d×%d", 1<<s.logH, s.width)
		}
		r.merkleCase("matrices "+strings.Join(desc, ", "), mats, g)
	}

	for _, bad := range []struct {
		cs   string
		mats []merkle.Matrix
	}{
		{"no matrices", nil},
		{"a matrix without columns", []merkle.Matrix{{Cols: g.cols(2, 16)}, {}}},
		{"height 3", []merkle.Matrix{{Cols: g.cols(2, 3)}}},
		{"height 0", []merkle.Matrix{{Cols: [][]field.Elem{{}}}}},
		{"ragged matrix of 16 and 8 rows", []merkle.Matrix{{Cols: [][]field.Elem{g.col(16), g.col(8)}}}},
	} {
		r.mustReject(K, bad.cs, func(k kernel.Kernels) error {
			_, err := k.MerkleCommit(bad.mats)
			return err
		})
	}
}

func (r *runner) merkleCase(cs string, mats []merkle.Matrix, g *gen) {
	const K = "MerkleCommit"
	orig := make([][][]field.Elem, len(mats))
	for i, m := range mats {
		orig[i] = clone2(m.Cols)
	}
	var want, got *merkle.Tree
	if !r.both(K, cs, func(k kernel.Kernels) (err error) {
		want, err = k.MerkleCommit(mats)
		return err
	}, func(k kernel.Kernels) (err error) {
		got, err = k.MerkleCommit(mats)
		return err
	}) {
		return
	}
	for i, m := range mats {
		if !equal2(m.Cols, orig[i]) {
			r.fail(K, cs, "modified matrix %d", i)
		}
	}
	if got == nil {
		r.fail(K, cs, "nil tree and no error")
		return
	}
	if err := r.treeEqual(got, want, g); err != "" {
		r.fail(K, cs, "%s", err)
	}
}

// treeEqual compares two trees through their public API; "" when they agree.
func (r *runner) treeEqual(got, want *merkle.Tree, g *gen) (msg string) {
	defer func() {
		if p := recover(); p != nil {
			msg = fmt.Sprintf("the tree panicked: %v", p)
		}
	}()
	if got.Root() != want.Root() {
		return fmt.Sprintf("root %v, want %v", got.Root(), want.Root())
	}
	if got.LogHeight() != want.LogHeight() {
		return fmt.Sprintf("log height %d, want %d", got.LogHeight(), want.LogHeight())
	}
	dims := want.Dims()
	if !slices.Equal(got.Dims(), dims) {
		return fmt.Sprintf("dimensions %v, want %v", got.Dims(), dims)
	}
	n := 1 << want.LogHeight()
	var idx []int
	if n <= 64 {
		for i := range n {
			idx = append(idx, i)
		}
	} else {
		idx = []int{0, 1, n - 2, n - 1}
		for range 28 {
			idx = append(idx, g.r.IntN(n))
		}
	}
	for _, i := range idx {
		o, w := got.Open(i), want.Open(i)
		if len(o.Rows) != len(w.Rows) {
			return fmt.Sprintf("opening %d: %d rows, want %d", i, len(o.Rows), len(w.Rows))
		}
		for m := range w.Rows {
			if d := diff(o.Rows[m], w.Rows[m]); d != "" {
				return fmt.Sprintf("opening %d, matrix %d row: %s", i, m, d)
			}
		}
		if d := diff(o.Path, w.Path); d != "" {
			return fmt.Sprintf("opening %d, path: %s", i, d)
		}
		if err := merkle.Verify(hash.Narrow, want.Root(), dims, i, o); err != nil {
			return fmt.Sprintf("opening %d does not verify against the reference root: %v", i, err)
		}
	}
	return ""
}
