package output

import (
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/chips/poseidon2"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/lookup"
)

const benchBytes = 64 << 10

// BenchmarkTrace fills the output and poseidon2 tables for 64 KiB of output.
func BenchmarkTrace(b *testing.B) {
	share := bytesN(benchBytes, 5)
	for b.Loop() {
		_, calls, _ := Trace(IV(), 0, share, new(rangetable.Counter))
		_ = poseidon2.Trace(calls)
	}
}

// BenchmarkProve proves the output, poseidon2 and range tables for 64 KiB of output
// (4096 blocks: 4097 rows padded to 8192, 4096 permutations) with the default engine
// parameters, the stand-in I/O chip's 65,536 Output messages balancing the bus (the
// witness is built outside the timing), and reports the proof's size and the output
// table's auxiliary columns.
func BenchmarkProve(b *testing.B) {
	for _, n := range []int{0, benchBytes} {
		b.Run(map[int]string{0: "empty", benchBytes: "64KiB"}[n], func(b *testing.B) {
			share := bytesN(n, 5)
			rc := new(rangetable.Counter)
			main, calls, end := Trace(IV(), 0, share, rc)
			tabs := []chiptest.Table{
				{AIR: AIR(), Main: main, Publics: Publics(0, uint32(n), IV(), end)},
				{AIR: poseidon2.AIR(), Main: poseidon2.Trace(calls)},
				chiptest.RangeTable(rc),
			}
			proof := chiptest.BenchProve(b, hemera.DefaultParams, tabs, messages(0, share))
			l, err := lookup.NewLayout(AIR(), 3)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(len(main[0])), "rows")
			b.ReportMetric(float64(len(calls)), "perms")
			b.ReportMetric(float64(l.NumAux()), "aux_cols")
			b.ReportMetric(float64(len(proof.Encode())), "proof_bytes")
		})
	}
}
