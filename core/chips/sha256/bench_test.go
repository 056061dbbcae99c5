package sha256chip

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/trace"
)

// benchCalls builds n calls on random states and blocks (state at 0x1000, block at
// 0x2000), without executing a program.
func benchCalls(n int) []Call {
	r := rand.New(rand.NewPCG(5, 6))
	cs := make([]Call, n)
	for k := range cs {
		c := &cs[k]
		c.Clk, c.A, c.B = uint64(10*k+1), 0x1000, 0x2000
		var h [StateWords]uint32
		var m [BlockWords]uint32
		for i := range m {
			m[i] = r.Uint32()
			c.Block[i] = trace.Access{Addr: c.B + 4*uint32(i), Before: m[i], After: m[i], TS: trace.TS(c.Clk, BlockSlot+i), PrevTS: 1}
		}
		for i := range h {
			h[i] = r.Uint32()
		}
		out := h
		for i := range m {
			m[i] = bits.ReverseBytes32(m[i])
		}
		for i := range h {
			h[i] = bits.ReverseBytes32(h[i])
		}
		exec.SHA256Compress(&h, &m)
		for i := range h {
			c.State[i] = trace.Access{Kind: trace.Write, Addr: c.A + 4*uint32(i), Before: out[i], After: bits.ReverseBytes32(h[i]),
				TS: trace.TS(c.Clk, StateSlot+i), PrevTS: 1}
		}
	}
	return cs
}

// BenchmarkTrace measures filling the round table.
func BenchmarkTrace(b *testing.B) {
	for _, n := range []int{16, 64} {
		cs := benchCalls(n)
		b.Run(fmt.Sprintf("calls=%d", n), func(b *testing.B) {
			for b.Loop() {
				RoundTrace(cs)
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "calls/s")
		})
	}
}

// BenchmarkProve measures proving the chip's tables (the range table included) with
// chiptest's fast test parameters.
func BenchmarkProve(b *testing.B) {
	for _, n := range []int{4, 16} {
		cs := benchCalls(n)
		tb := tables(cs, nil)
		pub := append(cpuSends(cs), memorySide(cs)...)
		b.Run(fmt.Sprintf("calls=%d", n), func(b *testing.B) {
			for b.Loop() {
				if err := chiptest.ProveVerify(tb, pub); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "calls/s")
		})
	}
}
