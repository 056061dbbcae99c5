package trace_test

import (
	"testing"

	"github.com/oneiros-zk/oneiros/core/trace"
)

// FuzzDecodeChunk: DecodeChunk never panics, and what it accepts re-encodes to records
// that decode to the same records.
func FuzzDecodeChunk(f *testing.F) {
	_, recs := records(f, "isa_tour.s", tourInput())
	chunks, err := trace.EncodeChunks(recs)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(chunks[0])
	_, recs = records(f, "keccak.s", []byte("abc"))
	chunks, _ = trace.EncodeChunks(recs[len(recs)-40:])
	f.Add(chunks[0])
	f.Fuzz(func(t *testing.T, b []byte) {
		recs, err := trace.DecodeChunk(b)
		if err != nil {
			return
		}
		again, err := trace.EncodeChunks(recs)
		if err != nil {
			t.Fatalf("decoded records do not encode: %v", err)
		}
		var back []trace.Record
		for _, c := range again {
			rs, err := trace.DecodeChunk(c)
			if err != nil {
				t.Fatalf("re-encoded chunk does not decode: %v", err)
			}
			back = append(back, rs...)
		}
		if len(back) != len(recs) {
			t.Fatalf("%d records, then %d", len(recs), len(back))
		}
		for i := range recs {
			if !back[i].Equal(&recs[i]) {
				t.Fatalf("record %d changed:\n%v\n%v", i, &recs[i], &back[i])
			}
		}
	})
}
