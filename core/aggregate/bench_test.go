package aggregate

import (
	"testing"

	"github.com/oneiros-zk/oneiros/proving/hemera"
)

// BenchmarkJoin proves one join of two leaf proofs: params=test at the tests'
// parameters (1 query), params=recursion at Params (not in -short; setting the tree
// up takes 20–60 s, a join about 18 s on two cores).
func BenchmarkJoin(b *testing.B) {
	for _, c := range []struct {
		name string
		p    hemera.Params
	}{{"params=test", testParams}, {"params=recursion", Params}} {
		b.Run(c.name, func(b *testing.B) {
			if testing.Short() && c.p.FRI.NumQueries != testParams.FRI.NumQueries {
				b.Skip("full parameters")
			}
			e, err := hemera.New(c.p)
			if err != nil {
				b.Fatal(err)
			}
			tr, err := NewTree(e, lay, toyLeaf(1), toyLeaf(0))
			if err != nil {
				b.Fatal(err)
			}
			x, err := tr.ProveLeaf(0, leafInputs(tr.Root(), []uint64{1, 2}, []uint64{7}))
			if err != nil {
				b.Fatal(err)
			}
			y, err := tr.ProveLeaf(1, leafInputs(tr.Root(), []uint64{2, 3}, []uint64{7}))
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := tr.Join(x, y); err != nil {
					b.Fatal(err)
				}
			}
			// After the loop: b.Loop resets the timer and the reported metrics.
			b.ReportMetric(float64(len(tr.JoinProgram().Insts)), "instructions")
		})
	}
}
