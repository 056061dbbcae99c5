package memtree

import (
	"math/rand/v2"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/chips/poseidon2"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/proving/hemera"
)

// benchTouched are n touched words: spread uniformly over memory (the worst case: a
// path of its own per word below height log2 n), or clustered in four runs of
// consecutive words (a program's code, data, heap and stack).
func benchTouched(n int, spread bool) []Touch {
	r := rand.New(rand.NewPCG(uint64(n), 9))
	seen := map[uint32]bool{}
	var ts []Touch
	for len(ts) < n {
		var a uint32
		if spread {
			a = r.Uint32() >> 2
		} else {
			base := [4]uint32{0x1000, 0x40000, 0x1000000, 1<<30 - 1<<16}[len(ts)%4]
			a = base + uint32(len(ts)/4)
		}
		if !seen[a] {
			seen[a] = true
			ts = append(ts, Touch{a, r.Uint32()})
		}
	}
	return ts
}

// benchImage is a program image of 4096 words at the code cluster.
func benchImage() map[uint32]uint32 {
	m := map[uint32]uint32{}
	for i := range uint32(4096) {
		m[0x1000+i] = i*2654435761 + 1
	}
	return m
}

func benchCases() []struct {
	name   string
	spread bool
} {
	return []struct {
		name   string
		spread bool
	}{{"spread", true}, {"clustered", false}}
}

// BenchmarkWitness builds the tree of the image, applies 1,000 touched words and fills
// the tables (node, leaf, poseidon2).
func BenchmarkWitness(b *testing.B) {
	img := benchImage()
	for _, c := range benchCases() {
		b.Run(c.name, func(b *testing.B) {
			ts := benchTouched(1000, c.spread)
			for b.Loop() {
				tr, _ := FromWords(img)
				w, _ := tr.Apply(ts)
				_, _, calls := Trace(w, new(rangetable.Counter))
				_ = poseidon2.Trace(calls)
			}
		})
	}
}

// BenchmarkProve proves the chip (node, leaf, poseidon2 and range tables) for 1,000
// touched words with the default engine parameters (the witness is built outside the
// timing), and reports the tables' rows.
func BenchmarkProve(b *testing.B) {
	img := benchImage()
	for _, c := range benchCases() {
		b.Run(c.name, func(b *testing.B) {
			tr, _ := FromWords(img)
			w, err := tr.Apply(benchTouched(1000, c.spread))
			if err != nil {
				b.Fatal(err)
			}
			rc := new(rangetable.Counter)
			node, leaf, calls := Trace(w, rc)
			tabs := []chiptest.Table{
				{AIR: NodeAIR(), Main: node},
				{AIR: LeafAIR(), Main: leaf},
				{AIR: poseidon2.AIR(), Main: poseidon2.Trace(calls)},
				chiptest.RangeTable(rc),
			}
			proof := chiptest.BenchProve(b, hemera.DefaultParams, tabs, messages(w))
			b.ReportMetric(float64(len(w.Nodes)), "node_rows")
			b.ReportMetric(float64(len(w.Leaves)), "leaf_rows")
			b.ReportMetric(float64(len(calls)), "perms")
			b.ReportMetric(float64(len(proof.Encode())), "proof_bytes")
		})
	}
}
