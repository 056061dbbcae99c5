package keccak

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/trace"
)

// benchPerms builds n calls on random states at 0x1000, without executing a program.
func benchPerms(n int) []Perm {
	r := rand.New(rand.NewPCG(5, 6))
	ps := make([]Perm, n)
	for k := range ps {
		p := &ps[k]
		p.Clk, p.A = uint64(10*k+1), 0x1000
		var st [Lanes]uint64
		for i := range st {
			st[i] = r.Uint64()
		}
		in := st
		exec.KeccakF1600(&st)
		for w := range Words {
			p.Words[w] = trace.Access{
				Kind: trace.Write, Addr: p.A + 4*uint32(w),
				Before: uint32(in[w/2] >> (32 * (w % 2))), After: uint32(st[w/2] >> (32 * (w % 2))),
				TS: trace.TS(p.Clk, FirstSlot+w), PrevTS: 1,
			}
		}
	}
	return ps
}

// BenchmarkTrace measures filling the round table.
func BenchmarkTrace(b *testing.B) {
	for _, n := range []int{16, 64} {
		ps := benchPerms(n)
		b.Run(fmt.Sprintf("perms=%d", n), func(b *testing.B) {
			for b.Loop() {
				RoundTrace(ps)
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "perms/s")
		})
	}
}

// BenchmarkProve measures proving the chip's tables (the range table included) with
// chiptest's fast test parameters.
func BenchmarkProve(b *testing.B) {
	for _, n := range []int{5, 21} { // 120 and 504 of 128 and 512 rows
		ps := benchPerms(n)
		tb := tables(ps, nil)
		pub := append(cpuSends(ps), memorySide(ps)...)
		b.Run(fmt.Sprintf("perms=%d", n), func(b *testing.B) {
			for b.Loop() {
				if err := chiptest.ProveVerify(tb, pub); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "perms/s")
		})
	}
}
