package kerneltest

import (
	"fmt"
	"slices"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/kernel"
)

func (r *runner) fold() {
	const K = "FoldFRI"
	g := r.gen("fold")
	top := 1 << r.opts.MaxLogN
	for _, m := range []int{0, 1, 2, 3, 16, 1000, 1024, 4097, top} {
		beta := g.ext()
		r.foldCase(fmt.Sprintf("%d → %d, random β", 2*m, m), g.exts(2*m), beta, g, m)
	}
	for _, m := range []int{1, 1000, 4097} { // the degree-6 extension (the 128-bit preset)
		r.foldCase(fmt.Sprintf("%d → %d, degree 6", 2*m, m), g.extsOf(field.ExtDegree6, 2*m), g.extOf(field.ExtDegree6), g, m)
	}
	r.foldCase("64 → 32, β = 0", g.exts(64), field.Ext{}, g, 32)
	r.foldCase("64 → 32, β in the base field", g.exts(64), field.NewExt(g.elem()), g, 32)

	for _, bad := range []struct {
		cs            string
		dst, cw, invX int
	}{
		{"codeword of 9 for 4", 4, 9, 4},
		{"codeword of 6 for 4", 4, 6, 4},
		{"3 inverse points for 4", 4, 8, 3},
		{"5 inverse points for 4", 4, 8, 5},
		{"codeword of 2 for 0", 0, 2, 0},
	} {
		dst, cw, invX := make([]field.Ext, bad.dst), g.exts(bad.cw), make([]field.Elem, bad.invX)
		for i := range invX {
			invX[i] = g.nonzero()
		}
		r.mustReject(K, bad.cs, func(k kernel.Kernels) error {
			return k.FoldFRI(dst, cw, g.ext(), invX)
		})
	}
}

func (r *runner) foldCase(cs string, cw []field.Ext, beta field.Ext, g *gen, m int) {
	const K = "FoldFRI"
	invX := make([]field.Elem, m)
	for i := range invX {
		invX[i] = g.nonzero()
	}
	garbage := g.exts(m) // dst starts dirty: every entry must be written
	want, got := slices.Clone(garbage), slices.Clone(garbage)
	cw0, invX0 := slices.Clone(cw), slices.Clone(invX)
	if !r.both(K, cs, func(k kernel.Kernels) error {
		return k.FoldFRI(want, cw, beta, invX)
	}, func(k kernel.Kernels) error {
		return k.FoldFRI(got, cw, beta, invX)
	}) {
		return
	}
	if !slices.Equal(cw, cw0) || !slices.Equal(invX, invX0) {
		r.fail(K, cs, "modified its input")
	}
	if d := diff(got, want); d != "" {
		r.fail(K, cs, "%s", d)
	}
}
