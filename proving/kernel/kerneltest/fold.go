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
		r.foldCase(fmt.Sprintf("%d → %d, random β", 2*m, m), 4, g.exts(2*m), beta, g, m)
	}
	for _, m := range []int{1, 1000, 4097} { // the degree-6 extension (the 128-bit preset)
		r.foldCase(fmt.Sprintf("%d → %d, degree 6", 2*m, m), 6, g.extsOf(field.ExtDegree6, 2*m), g.extOf(field.ExtDegree6), g, m)
	}
	r.foldCase("64 → 32, β = 0", 4, g.exts(64), field.Ext{}, g, 32)
	r.foldCase("64 → 32, β in the base field", 4, g.exts(64), field.NewExt(g.elem()), g, 32)
	r.foldCase("64 → 32, degree 6, β in the base field", 6, g.extsOf(6, 64), field.NewExt(g.elem()), g, 32)

	for _, bad := range []struct {
		cs                  string
		dst, cw, invX       int
		dstDeg, cwDeg, bDeg int
	}{
		{"codeword of 9 for 4", 4, 9, 4, 4, 4, 4},
		{"codeword of 6 for 4", 4, 6, 4, 4, 4, 4},
		{"3 inverse points for 4", 4, 8, 3, 4, 4, 4},
		{"5 inverse points for 4", 4, 8, 5, 4, 4, 4},
		{"codeword of 2 for 0", 0, 2, 0, 4, 4, 4},
		{"degree 6 into degree 4", 4, 8, 4, 4, 6, 6},
		{"β of degree 6 on degree 4", 4, 8, 4, 4, 4, 6},
	} {
		dst, cw, invX := field.NewExtVec(bad.dstDeg, bad.dst), toVec(bad.cwDeg, g.extsOf(bad.cwDeg, bad.cw)), make([]field.Elem, bad.invX)
		for i := range invX {
			invX[i] = g.nonzero()
		}
		beta := g.extOf(bad.bDeg)
		r.mustReject(K, bad.cs, func(k kernel.Kernels) error {
			return k.FoldFRI(dst, cw, beta, invX)
		})
	}
}

// toVec lays extension elements of degree d out coordinate-wise.
func toVec(d int, v []field.Ext) field.ExtVec {
	out := field.NewExtVec(d, len(v))
	for i := range v {
		out.Set(i, &v[i])
	}
	return out
}

// fromVec is toVec's inverse.
func fromVec(v field.ExtVec) []field.Ext {
	out := make([]field.Ext, v.Len())
	for i := range out {
		out[i] = v.At(i)
	}
	return out
}

func (r *runner) foldCase(cs string, d int, cws []field.Ext, beta field.Ext, g *gen, m int) {
	const K = "FoldFRI"
	invX := make([]field.Elem, m)
	for i := range invX {
		invX[i] = g.nonzero()
	}
	garbage := g.extsOf(d, m) // dst starts dirty: every entry must be written
	want, got := toVec(d, garbage), toVec(d, garbage)
	cw := toVec(d, cws)
	invX0 := slices.Clone(invX)
	if !r.both(K, cs, func(k kernel.Kernels) error {
		return k.FoldFRI(want, cw, beta, invX)
	}, func(k kernel.Kernels) error {
		return k.FoldFRI(got, cw, beta, invX)
	}) {
		return
	}
	if !slices.Equal(fromVec(cw), cws) || !slices.Equal(invX, invX0) {
		r.fail(K, cs, "modified its input")
	}
	if d := diff(fromVec(got), fromVec(want)); d != "" {
		r.fail(K, cs, "%s", d)
	}
}
