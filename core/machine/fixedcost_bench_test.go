package machine

import (
	"os"
	"testing"
)

// BenchmarkFixedCost splits what a small program's proof costs in one process into its
// phases, on the default engine parameters: examples/sort.s on examples/sort.in (7,139
// cycles), the program of the "a 7k-cycle program proven in 1 s". setup is the
// machine's keys for the program without the process-wide caches (AIR digests are
// computed once per process and kept; the keys' LRU is bypassed); prove and verify are
// the segment proof and its verification. The host and the backend each pay setup once
// per process; the host verifies once.
func BenchmarkFixedCost(b *testing.B) {
	src, err := os.ReadFile("../../examples/sort.s")
	if err != nil {
		b.Fatal(err)
	}
	input, err := os.ReadFile("../../examples/sort.in")
	if err != nil {
		b.Fatal(err)
	}
	m, _, st, recs := benchRun(b, string(src), input)
	p := st.Program
	b.Run("setup", func(b *testing.B) {
		for b.Loop() {
			if _, err := m.setup(p); err != nil {
				b.Fatal(err)
			}
		}
	})
	keys, err := m.setup(p) // what benchRun's keys are, made again outside the cache
	if err != nil {
		b.Fatal(err)
	}
	var proof *SegmentProof
	b.Run("prove", func(b *testing.B) {
		for b.Loop() {
			if proof, err = m.Prove(keys, st, recs); err != nil {
				b.Fatal(err)
			}
		}
	})
	vst := *st
	vst.Input = nil
	b.Run("verify", func(b *testing.B) {
		for b.Loop() {
			if err := m.Verify(keys.VK, &vst, proof); err != nil {
				b.Fatal(err)
			}
		}
	})
}
