package exec_test

import (
	"context"
	"encoding/binary"
	"math/rand/v2"
	"testing"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/trace"
)

// BenchmarkRun measures the executor on the examples, without records (sink=none), with
// records built and dropped (sink=discard), and with records encoded into chunks
// (sink=codec). Compare with benchstat; the target is > 30 M cycles/s without records.
func BenchmarkRun(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	var words []byte
	for range 2000 {
		words = binary.LittleEndian.AppendUint32(words, rng.Uint32())
	}
	msg := make([]byte, 64<<10)
	for i := range msg {
		msg[i] = byte(rng.Uint32())
	}
	progs := []struct {
		name  string
		input []byte
	}{
		{"sort", words},
		{"fib", binary.LittleEndian.AppendUint32(nil, 100_000)},
		{"keccak", msg},
	}
	sinks := []struct {
		name string
		make func() exec.Sink
	}{
		{"none", func() exec.Sink { return nil }},
		{"discard", func() exec.Sink { return func(*trace.Record) error { return nil } }},
		{"codec", func() exec.Sink {
			w := trace.NewWriter(func([]byte) error { return nil })
			return w.Write
		}},
	}
	for _, p := range progs {
		prog := assembleExample(b, p.name+".s")
		for _, s := range sinks {
			b.Run("prog="+p.name+"/sink="+s.name, func(b *testing.B) {
				var cycles uint64
				for b.Loop() {
					res, err := exec.Run(context.Background(), prog, exec.Options{Input: p.input, Sink: s.make()})
					if err != nil || res.Trap != nil {
						b.Fatal(err, res.Trap)
					}
					cycles += res.Cycles
				}
				b.ReportMetric(float64(cycles)/b.Elapsed().Seconds(), "cycles/s")
			})
		}
	}
}
