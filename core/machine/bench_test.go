package machine

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"testing"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/proving/hemera"
)

// benchRun executes a program on an input and sets up its keys on the default engine
// parameters, for benchmarks that prove it.
func benchRun(b *testing.B, src string, input []byte) (*Machine, *Keys, *Statement, []trace.Record) {
	b.Helper()
	p := assemble(b, src)
	res, recs, err := Execute(context.Background(), p, exec.Options{Input: input})
	if err != nil {
		b.Fatal(err)
	}
	e, err := hemera.New(hemera.DefaultParams)
	if err != nil {
		b.Fatal(err)
	}
	m := New(e)
	keys, err := m.Setup(p)
	if err != nil {
		b.Fatal(err)
	}
	return m, keys, StatementOf(p, res, input), recs
}

// BenchmarkProve proves examples/mix.s (about 11 cycles per iteration, every ALU
// family, loads, stores and a branch) with the default engine parameters and reports
// normalized cycles proven per second.
func BenchmarkProve(b *testing.B) {
	src, err := os.ReadFile("../../examples/mix.s")
	if err != nil {
		b.Fatal(err)
	}
	for _, iters := range []int{2000, 20000, 90000} {
		if testing.Short() && iters > 2000 {
			continue
		}
		m, keys, st, recs := benchRun(b, string(src), binary.LittleEndian.AppendUint32(nil, uint32(iters)))
		b.Run(fmt.Sprintf("program=mix/cycles=%d", st.Cycles), func(b *testing.B) {
			for b.Loop() {
				if _, err := m.Prove(keys, st, recs); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(st.Cycles)*float64(b.N)/b.Elapsed().Seconds(), "cycles/s")
		})
	}
}
