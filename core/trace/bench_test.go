package trace_test

import (
	"testing"

	"github.com/oneiros-zk/oneiros/core/trace"
)

// BenchmarkCodec measures encoding and decoding the records of a Keccak-256 run.
func BenchmarkCodec(b *testing.B) {
	msg := make([]byte, 16<<10)
	_, recs := records(b, "keccak.s", msg)
	chunks, err := trace.EncodeChunks(recs)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("op=encode", func(b *testing.B) {
		n := 0
		for b.Loop() {
			w := trace.NewWriter(func([]byte) error { return nil })
			for i := range recs {
				if err := w.Write(&recs[i]); err != nil {
					b.Fatal(err)
				}
			}
			if err := w.Flush(); err != nil {
				b.Fatal(err)
			}
			n += len(recs)
		}
		b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "records/s")
	})
	b.Run("op=decode", func(b *testing.B) {
		n := 0
		for b.Loop() {
			for _, c := range chunks {
				rs, err := trace.DecodeChunk(c)
				if err != nil {
					b.Fatal(err)
				}
				n += len(rs)
			}
		}
		b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "records/s")
	})
}
