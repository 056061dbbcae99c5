package machine

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/stark"
)

// BenchmarkProvePadded proves examples/mix.s (BenchmarkProve's and bench prove's
// workload, 20,000 iterations: 220,005 cycles, the CPU table 2^18) as one segment on
// the default engine parameters at three shapes: natural (every table at its own
// height), cpu (every table present by nature and without preprocessed columns padded
// to the CPU table's height) and cpu+optional (the same with every optional table left
// out by nature forced present at the CPU's height too, the hook table excepted, the
// byte tables at their fixed height). It reports the cells committed (main trace, rows
// × columns) and verifies the proof (outside the timing). Peak memory is measured per process: run one shape per process under
// /usr/bin/time -v (docs/leaf-shapes.md, "Padding").
func BenchmarkProvePadded(b *testing.B) {
	src, err := os.ReadFile("../../examples/mix.s")
	if err != nil {
		b.Fatal(err)
	}
	iters := 20000
	if testing.Short() {
		iters = 2000
	}
	m, keys, st, recs := benchRun(b, string(src), binary.LittleEndian.AppendUint32(nil, uint32(iters)))
	run := func(minLogN []int) (*SegmentProof, *Report, error) {
		return m.ProveSegment(context.Background(), keys, &SegmentRun{Program: st.Program, Input: st.Input, MinLogN: minLogN}, recs)
	}
	natural, _, err := run(nil)
	if err != nil {
		b.Fatal(err)
	}
	nat := natural.Proof.LogN
	cpuLog := nat[0]
	shapes := []struct {
		name     string
		optional bool
		pad      bool
	}{{"natural", false, false}, {"cpu", false, true}, {"cpu+optional", true, true}}
	for _, s := range shapes {
		minLogN := make([]int, len(nat))
		if s.pad {
			for i, c := range m.chips {
				switch {
				case keys.VK.PrepLogN[i] >= 0:
					if s.optional && nat[i] == stark.Absent {
						minLogN[i] = keys.VK.PrepLogN[i]
					}
				case nat[i] != stark.Absent || s.optional && c.name != "hook":
					minLogN[i] = cpuLog
				}
			}
		}
		b.Run(fmt.Sprintf("program=mix/cycles=%d/shape=%s", st.Cycles, s.name), func(b *testing.B) {
			var rep *Report
			var sp *SegmentProof
			for b.Loop() {
				if sp, rep, err = run(minLogN); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			if err := m.Verify(keys.VK, st, sp); err != nil { // the default floors too
				b.Fatalf("%s: %v", s.name, err)
			}
			cells := 0
			for name, rows := range rep.Rows {
				cells += rows * rep.Columns[name]
			}
			b.ReportMetric(float64(cells), "cells")
			b.ReportMetric(rep.TraceSeconds, "trace-s")
			b.ReportMetric(rep.ProveSeconds, "stark-s")
		})
	}
}
