// Package trace defines the record each executed instruction leaves for the chips, the
// compact chunked codec that streams records between processes, and a [Checker] that
// verifies the consistency the chips rely on.
//
// A [Record] holds the cycle number, pc and fp before and after, the instruction, its
// operand values, its memory accesses and, for ECALL, the syscall data. Each [Access]
// names an aligned word with its value before and after, its timestamp
// TS = (clk+1)·128 + slot and the timestamp of the previous access to the same word.
// docs/isa.md ("Execution records", "Record stream format") is the specification.
//
// # Usage
//
//	w := trace.NewWriter(func(chunk []byte) error { return stream.Send(chunk) })
//	res, err := exec.Run(ctx, prog, exec.Options{Sink: w.Write})
//	err = w.Flush()
//	…
//	recs, err := trace.DecodeChunk(chunk) // on the other side
//
// A frontend or chip author checks a run's records with a Checker:
//
//	c := trace.NewChecker(prog)
//	for i := range recs {
//		if err := c.Check(&recs[i]); err != nil { … }
//	}
//
// # Security
//
// [DecodeChunk] reads untrusted bytes: it never panics (fuzzed by FuzzDecodeChunk),
// bounds allocations by the chunk size, and accepts only records the [Writer] could
// produce (valid instruction, increasing slots, aligned addresses, prev ts below ts). It
// does not prove anything: the chips constrain records; the Checker is a test tool.
//
// # Performance
//
// Chunks are self-contained (decodable in parallel) and at most [MaxChunkSize] bytes;
// records take 24–38 bytes each. BenchmarkCodec reports records/s for both directions.
package trace
