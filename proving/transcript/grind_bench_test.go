package transcript_test

import (
	"fmt"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/transcript"
)

// BenchmarkGrind measures a proof-of-work search (the smallest nonce) at the bits the
// engine uses by default (engine.deep_grinding_bits 8, engine.logup_grinding_bits 12,
// engine.grinding_bits 16) on 1 and 2 workers; each iteration grinds from another
// transcript state, so the time is the average over states (2^bits hashes expected).
func BenchmarkGrind(b *testing.B) {
	for _, bits := range []int{8, 12, 16} {
		for _, workers := range []int{1, 2} {
			b.Run(fmt.Sprintf("bits=%d/workers=%d", bits, workers), func(b *testing.B) {
				tr := transcript.New("bench")
				i := uint64(0)
				for b.Loop() {
					i++
					tr.ObserveUint(i)
					tr.GrindParallel(bits, workers)
				}
			})
		}
	}
}
