package machine

import (
	"fmt"
	"testing"
)

// readAll reads its whole input, word by word, and halts.
const readAll = ".fp 0x1000\nmain: ecall input_len, [0]\nloop: beq [0], 0, done\n ecall read, [4]\n ecall input_len, [0]\n jmp loop\ndone: halt 0\n"

// BenchmarkInputCommitment proves runs with inputs of 0, 1 KiB and 64 KiB with the
// default engine parameters: program=none reads nothing (the cost of committing to the
// tape: the input and poseidon2 tables), program=all reads every word (the READs' CPU, I/O
// and memory rows on top). It reports input bytes proven per second and the two tables'
// rows.
func BenchmarkInputCommitment(b *testing.B) {
	for _, prog := range []struct{ name, src string }{{"none", noRead}, {"all", readAll}} {
		for _, n := range []int{0, 1 << 10, 64 << 10} {
			if testing.Short() && n > 1<<10 {
				continue
			}
			in := make([]byte, n)
			for i := range in {
				in[i] = byte(i*7 + 1)
			}
			m, keys, st, recs := benchRun(b, prog.src, in)
			b.Run(fmt.Sprintf("program=%s/bytes=%d", prog.name, n), func(b *testing.B) {
				var rep *Report
				for b.Loop() {
					var err error
					if _, rep, err = m.ProveReport(keys, st, recs); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "bytes/s")
				b.ReportMetric(float64(rep.Rows["input"]), "input-rows")
				b.ReportMetric(float64(rep.Rows["poseidon2"]), "poseidon2-rows")
				b.ReportMetric(float64(st.Cycles), "cycles")
			})
		}
	}
}
