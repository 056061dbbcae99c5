package fri

import (
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/kernel/cpu"
)

// TestDeepReduceMatchesPointwise: the block-by-block DEEP reduction of one LDE height
// (T and 1/(x − z) computed per block, never over the whole LDE) equals the definition
// evaluated point by point, Σ_g (T_g(x) − U_g(x))/Π_(z∈Z_g) (x − z) in Newton form, for
// groups that share a point, members of widths around the four-column pass, an LDE
// spanning several blocks, and 1 to 3 workers; extensions of degree 4 and 6.
func TestDeepReduceMatchesPointwise(t *testing.T) {
	for _, d := range []int{4, 6} {
		for _, workers := range []int{1, 2, 3} {
			p := Params{LogBlowup: 1, NumQueries: 8, GrindingBits: 2, LogArity: 2, LogFinalPolyLen: 1, ExtDegree: d}
			s, err := New(p, cpu.New(workers), workers)
			if err != nil {
				t.Fatal(err)
			}
			const logL = 12 // 4 blocks of extBlock
			pc := newPointCache()
			z1, z2, z3 := attackPoint(d, 11), attackPoint(d, 21), attackPoint(d, 31)
			var seed uint64
			coeffsOf := func(w int) []field.Ext {
				c := make([]field.Ext, w)
				for i := range c {
					seed++
					c[i] = attackPoint(d, 1000*seed)
				}
				return c
			}
			mk := func(z []field.Ext, widths ...int) *group {
				g := &group{logL: logL, z: z, values: make([]field.Ext, len(z))}
				for j := range g.values {
					seed++
					g.values[j] = attackPoint(d, 7*seed)
				}
				for _, w := range widths {
					seed++
					g.members = append(g.members, member{cols: randMatrix(w, logL, seed), coeffs: coeffsOf(w)})
				}
				return g
			}
			gs := []*group{mk([]field.Ext{z1, z2}, 5, 3), mk([]field.Ext{z1}, 8), mk([]field.Ext{z3, z2, z1}, 1, 4, 7)}
			got, err := s.deepReduce(pc, logL, gs)
			if err != nil {
				t.Fatal(err)
			}
			pts := pc.ldePoints(logL)
			dds := make([][]field.Ext, len(gs))
			for i, g := range gs {
				if dds[i], err = g.dividedDifferences(); err != nil {
					t.Fatal(err)
				}
			}
			for i, x := range pts {
				var want field.Ext
				for gi, g := range gs {
					var q field.Ext
					for _, m := range g.members {
						for c, col := range m.cols {
							var v field.Ext
							v.MulByElement(&m.coeffs[c], &col[i])
							q.Add(&q, &v)
						}
					}
					for j, z := range g.z {
						den := field.NewExt(x)
						den.Sub(&den, &z)
						den.Inverse(&den)
						q.Sub(&q, &dds[gi][j])
						q.Mul(&q, &den)
					}
					want.Add(&want, &q)
				}
				if g := got.At(i); !g.Equal(&want) {
					t.Fatalf("degree %d, %d workers: point %d: %v, want %v", d, workers, i, g, want)
				}
			}
		}
	}
}
