package benchsuite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/oneiros-zk/oneiros/host/plugin"
	"github.com/oneiros-zk/oneiros/host/plugin/plugintest"
	"github.com/oneiros-zk/oneiros/sdk/config"
)

// TestRunAggregateRow runs a prove case with aggregate: true through the plugins: a
// prove row, then an aggregate row with its time, throughput, the aggregated proof's
// size and the peak memory (the segment proofs' cheap parameters; the aggregation's own).
func TestRunAggregateRow(t *testing.T) {
	dir := plugintest.Binaries(t, plugintest.Frontend("asm", "github.com/oneiros-zk/oneiros/plugins/asm"), plugintest.CPUBackend)
	cfg, err := config.Parse("test.yaml", []byte("engine:\n  num_queries: 24\n  min_security_bits: 30\n  min_provable_bits: 0\n"))
	if err != nil {
		t.Fatal(err)
	}
	s := &Suite{Name: "test", Proves: []ProveCase{{ID: "sort", ISA: "asm", Program: "examples/sort.s", InputFile: "examples/sort.in",
		Profile: "continuations", SegmentCycles: 4096, Reps: 1, Aggregate: true}}}
	res, err := Run(context.Background(), s, Machine(), Options{Config: cfg, Backend: "cpu", Plugins: plugin.Options{Dirs: []string{dir}}, Root: filepath.Join("..", "..")})
	if err != nil || !res.Complete || len(res.Rows) != 2 {
		t.Fatalf("%v, complete %v, %d rows", err, res.Complete, len(res.Rows))
	}
	p, a := res.Rows[0], res.Rows[1]
	if p.ID != "prove/sort" || p.Skipped != "" || p.Segments != 2 {
		t.Fatalf("prove row %+v", p)
	}
	if a.ID != "aggregate/sort" || a.Kind != "aggregate" || a.Skipped != "" || a.Segments != 2 || a.Cycles != p.Cycles ||
		!(a.Seconds.Median > 0) || !(a.Throughput > 0) || a.ProofBytes == 0 || a.PeakBytes == 0 {
		t.Fatalf("aggregate row %+v (prove row %+v)", a, p)
	}
	t.Logf("aggregate/sort: %.1f s, %d bytes (segments %d), peak %d MiB", a.Seconds.Median, a.ProofBytes, p.ProofBytes, a.PeakBytes>>20)
}
