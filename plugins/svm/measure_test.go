package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/plugins/svm/compile"
	"github.com/oneiros-zk/oneiros/plugins/svm/output"
	"github.com/oneiros-zk/oneiros/plugins/svm/translate"
)

// cycleSplit runs a program and splits its cycles by the part of the code they ran in.
//
// parts[3] is the number of sBPF instructions run: the metered cost of the blocks
// entered (the exit record's units also count the syscalls' own costs).
func cycleSplit(t testing.TB, res *compile.Result, input []byte) (parts [4]uint64, units uint64) {
	t.Helper()
	r, err := exec.Run(context.Background(), res.Program, exec.Options{Input: input, Limits: exec.Limits{MaxCycles: 1 << 28},
		Sink: func(rec *trace.Record) error {
			parts[res.Info.Classify(rec.PC)]++
			parts[3] += uint64(res.Info.Meters[rec.PC])
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	out, err := output.Decode(r.Output, false)
	if err != nil {
		t.Fatal(err)
	}
	return parts, out.Exit.Units
}

// cpiMargin is how far a measured cycles-per-instruction figure may exceed the one the
// docs quote before the tests fail: 2 %, which covers the rounding of the quoted figures
// and nothing more.
const cpiMargin = 0.02

// measured are the example programs of docs/svm.md §14, by the name its table gives
// them, with their input.
var measured = []struct{ name, so, in string }{
	{"counter", "counter.so", "counter.in"}, {"counter_v0", "counter_v0.so", "counter.in"},
	{"transfer", "transfer.so", "transfer.in"}, {"hash", "hash.so", "hash.in"},
}

// split compiles and runs an example: the sBPF instructions it ran, and the cycles of
// their translated code (apart from the input copy, the exit record and the syscalls).
func split(tb testing.TB, so, in string) (insns, cycles uint64, parts [4]uint64) {
	tb.Helper()
	src, err := os.ReadFile(filepath.Join("examples", so))
	if err != nil {
		tb.Fatal(err)
	}
	input, err := os.ReadFile(filepath.Join("examples", in))
	if err != nil {
		tb.Fatal(err)
	}
	res, err := compile.Compile(src)
	if err != nil {
		tb.Fatal(err)
	}
	parts, _ = cycleSplit(tb, res, input)
	return parts[3], parts[translate.PartSBPF], parts
}

// quote is a row of docs/svm.md §14's table.
type quote struct {
	insns, cycles uint64
	cpi           float64
}

// quotedSVM reads docs/svm.md §14's table (program → figures; "all" is the last row's
// cycles per instruction) and the figure the README gives.
func quotedSVM(tb testing.TB) (rows map[string]quote, all, readme float64) {
	tb.Helper()
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "svm.md"))
	if err != nil {
		tb.Fatal(err)
	}
	_, sec, ok := strings.Cut(string(doc), "\n## 14. Cost: normalized cycles per sBPF instruction\n")
	if !ok {
		tb.Fatal("docs/svm.md: no section 14, cost")
	}
	sec, _, _ = strings.Cut(sec, "\n## ")
	num := func(cell string) float64 {
		v, err := strconv.ParseFloat(strings.Trim(strings.TrimSpace(cell), "*"), 64)
		if err != nil {
			return -1
		}
		return v
	}
	rows = map[string]quote{}
	for line := range strings.SplitSeq(sec, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) != 6 || !strings.HasPrefix(line, "|") {
			continue
		}
		name := strings.Trim(strings.TrimSpace(cells[1]), "*")
		if name == "all" {
			all = num(cells[4])
			continue
		}
		if insns, cycles, cpi := num(cells[2]), num(cells[3]), num(cells[4]); insns > 0 && cycles > 0 && cpi > 0 {
			rows[strings.Fields(name)[0]] = quote{uint64(insns), uint64(cycles), cpi}
		}
	}
	if len(rows) != len(measured) || all <= 0 {
		tb.Fatalf("docs/svm.md §14: %d programs and all = %v in the table, want %d and a figure", len(rows), all, len(measured))
	}
	readmeText, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		tb.Fatal(err)
	}
	m := regexp.MustCompile(`\(([0-9.]+) normalized cycles per sBPF\s+instruction`).FindSubmatch(readmeText)
	if m == nil {
		tb.Fatal("README.md: no figure of normalized cycles per sBPF instruction")
	}
	readme, _ = strconv.ParseFloat(string(m[1]), 64)
	return rows, all, readme
}

// TestCyclesPerInstruction checks the normalized cycles each sBPF instruction costs in
// the example programs against the figures docs/svm.md §14 quotes (read from its
// table) and the README's: the cycles of the translated instructions (metering, ALU,
// memory checks, calls, divisions) over the sBPF instructions executed, apart from the
// input copy, the exit record and the syscalls. The instruction counts are exact; the
// cycles per instruction, per program and over all four, may exceed the quoted figures
// by cpiMargin. A figure cheaper than quoted by more than the margin is noted, for the
// docs to follow.
func TestCyclesPerInstruction(t *testing.T) {
	rows, quotedAll, readme := quotedSVM(t)
	check := func(what string, cpi, quoted float64, doc string) {
		t.Helper()
		if cpi > quoted*(1+cpiMargin) {
			t.Errorf("%s: %.3f normalized cycles per sBPF instruction; %s quotes %.2f, and the margin is %.0f%%", what, cpi, doc, quoted, 100*cpiMargin)
		} else if cpi < quoted*(1-cpiMargin) {
			t.Logf("%s: %.3f normalized cycles per sBPF instruction, cheaper than the %.2f %s quotes: update it", what, cpi, quoted, doc)
		}
	}
	var sum, insns uint64
	for _, ex := range measured {
		q := rows[ex.name]
		n, c, parts := split(t, ex.so, ex.in)
		t.Logf("%-11s %5d sBPF instructions: %6d cycles in them (%.2f each), %6d in syscalls, %6d runtime (input copy, output)",
			ex.name, n, c, float64(c)/float64(n), parts[translate.PartSyscall], parts[translate.PartRuntime])
		if n != q.insns {
			t.Errorf("%s: %d sBPF instructions run; docs/svm.md §14 quotes %d", ex.name, n, q.insns)
		}
		check(ex.name, float64(c)/float64(n), q.cpi, "docs/svm.md §14")
		sum += c
		insns += n
	}
	all := float64(sum) / float64(insns)
	t.Logf("all examples: %.3f normalized cycles per sBPF instruction", all)
	check("all examples", all, quotedAll, "docs/svm.md §14")
	check("all examples", all, readme, "README.md")
}

// BenchmarkCyclesPerInstruction compiles and runs each example, reporting the
// normalized cycles per sBPF instruction of docs/svm.md §14 besides the time it takes:
//
//	go test -run '^$' -bench CyclesPerInstruction ./plugins/svm
func BenchmarkCyclesPerInstruction(b *testing.B) {
	for _, ex := range measured {
		b.Run("program="+ex.name, func(b *testing.B) {
			var n, c uint64
			var parts [4]uint64
			for b.Loop() {
				n, c, parts = split(b, ex.so, ex.in)
			}
			b.ReportMetric(float64(c)/float64(n), "cycles/instr")
			b.ReportMetric(float64(n), "instrs/op")
			b.ReportMetric(float64(parts[translate.PartSyscall]), "syscall-cycles/op")
			b.ReportMetric(float64(parts[translate.PartRuntime]), "runtime-cycles/op")
		})
	}
}
