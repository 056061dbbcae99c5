package translate

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/core/trace"
	conf "github.com/oneiros-zk/oneiros/plugins/evm/conformance"
	"github.com/oneiros-zk/oneiros/plugins/evm/container"
)

// opStats counts, per EVM opcode, how often translated code ran it and the normalized
// cycles it took, runtime routines included (a routine's cycles go to the opcode of the
// innermost EVM frame that called it). Cycles outside any opcode (the transaction's
// setup and the output) are overhead.
type opStats struct {
	count, cycles [256]uint64
	overhead      uint64
	interp        uint64 // cycles of interpreted code (not broken down)
	byRoutine     map[string]uint64
}

type opRange struct {
	start, end uint32
	op         byte
}

func (s *opStats) add(bt *Translation, recs func(func(*trace.Record))) {
	var ranges []opRange
	for _, tr := range bt.Contracts {
		for k, st := range tr.Starts {
			end := tr.End
			if k+1 < len(tr.Starts) {
				end = tr.Starts[k+1]
			}
			ranges = append(ranges, opRange{st, end, tr.Ops[k]})
		}
	}
	sort.SliceStable(ranges, func(i, j int) bool { return ranges[i].start < ranges[j].start })
	lookup := func(pc uint32) (opRange, bool) {
		k := sort.Search(len(ranges), func(i int) bool { return ranges[i].end > pc })
		if k < len(ranges) && ranges[k].start <= pc {
			// Fused ops share a start: the last of them owns the cycles.
			for k+1 < len(ranges) && ranges[k+1].start == ranges[k].start && ranges[k+1].start <= pc {
				k++
			}
			return ranges[k], true
		}
		return opRange{}, false
	}
	type frame struct {
		fp uint32
		op int
	}
	var stack []frame
	recs(func(r *trace.Record) {
		for len(stack) > 0 && stack[len(stack)-1].fp > r.FP {
			stack = stack[:len(stack)-1]
		}
		if rg, ok := lookup(r.PC); ok {
			if len(stack) == 0 || stack[len(stack)-1].fp != r.FP {
				stack = append(stack, frame{r.FP, -1})
			}
			top := &stack[len(stack)-1]
			if r.PC == rg.start {
				for _, o := range ranges {
					if o.start == rg.start {
						s.count[o.op]++
					}
				}
			}
			top.op = int(rg.op)
			s.cycles[rg.op]++
			return
		}
		if len(stack) > 0 && stack[len(stack)-1].op >= 0 {
			s.cycles[stack[len(stack)-1].op]++
			return
		}
		s.overhead++
		if s.byRoutine == nil {
			s.byRoutine = map[string]uint64{}
		}
		s.byRoutine[routineOf(bt, r.PC)]++
	})
}

// groups sums the statistics by opcode group ("all" for every opcode): instructions run
// and their cycles.
func (s *opStats) groups() map[string][2]uint64 {
	out := map[string][2]uint64{}
	for op := range 256 {
		for _, g := range []string{container.Info(byte(op)).Group, "all"} {
			v := out[g]
			v[0] += s.count[op]
			v[1] += s.cycles[op]
			out[g] = v
		}
	}
	return out
}

// table prints cycles per EVM instruction by opcode group and for the busiest opcodes.
func (s *opStats) table() string {
	var b strings.Builder
	type row struct {
		name          string
		count, cycles uint64
	}
	groups := map[string]*row{}
	var all row
	for op := range 256 {
		if s.count[op] == 0 && s.cycles[op] == 0 {
			continue
		}
		g := container.Info(byte(op)).Group
		if groups[g] == nil {
			groups[g] = &row{name: g}
		}
		groups[g].count += s.count[op]
		groups[g].cycles += s.cycles[op]
		all.count += s.count[op]
		all.cycles += s.cycles[op]
	}
	var rows []*row
	for _, r := range groups {
		rows = append(rows, r)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].name < rows[j].name })
	fmt.Fprintf(&b, "%-16s %10s %12s %10s\n", "group", "EVM instrs", "cycles", "cycles/instr")
	for _, r := range rows {
		fmt.Fprintf(&b, "%-16s %10d %12d %10.1f\n", r.name, r.count, r.cycles, float64(r.cycles)/float64(max(r.count, 1)))
	}
	fmt.Fprintf(&b, "%-16s %10d %12d %10.1f\n", "all", all.count, all.cycles, float64(all.cycles)/float64(max(all.count, 1)))
	fmt.Fprintf(&b, "transaction setup and output: %d cycles\n", s.overhead)
	for n, c := range s.byRoutine {
		fmt.Fprintf(&b, "  %-14s %10d\n", n, c)
	}
	b.WriteString("\n")
	var opsRows []row
	for op := range 256 {
		if s.count[op] > 0 {
			opsRows = append(opsRows, row{container.Info(byte(op)).Name, s.count[op], s.cycles[op]})
		}
	}
	sort.Slice(opsRows, func(i, j int) bool { return opsRows[i].name < opsRows[j].name })
	for _, r := range opsRows {
		fmt.Fprintf(&b, "%-14s %8d %10d %8.1f\n", r.name, r.count, r.cycles, float64(r.cycles)/float64(r.count))
	}
	return b.String()
}

func routineOf(bt *Translation, pc uint32) string {
	best, name := uint32(0), "main"
	for p, n := range bt.Routines {
		if p <= pc && p >= best {
			best, name = p, n
		}
	}
	return name
}

// measure translates and runs containers and gathers their statistics; total is the
// cycles of the runs in all (the transaction's set-up and output included).
func measure(tb testing.TB, cs ...*container.Container) (st *opStats, total uint64) {
	tb.Helper()
	st = &opStats{}
	var recs []trace.Record
	for _, c := range cs {
		recs = recs[:0]
		_, res, bt := runContainer(tb, c, func(r *trace.Record) error {
			recs = append(recs, trace.Record{Clk: r.Clk, PC: r.PC, FP: r.FP})
			return nil
		})
		st.add(bt, func(f func(*trace.Record)) {
			for i := range recs {
				f(&recs[i])
			}
		})
		total += res.Cycles
	}
	return st, total
}

func suiteContainers(tb testing.TB) []*container.Container {
	cases, err := conf.Load(suiteDir(tb))
	if err != nil {
		tb.Fatal(err)
	}
	cs := make([]*container.Container, len(cases))
	for k, c := range cases {
		cs[k] = c.Container
	}
	return cs
}

func exampleContainer(tb testing.TB, name string) *container.Container {
	src, err := os.ReadFile(filepath.Join(examplesDir, name+".json"))
	if err != nil {
		tb.Fatal(err)
	}
	return mustParse(tb, string(src))
}

// cpiMargin is how far a measured cycles-per-instruction figure may exceed the one the
// docs quote before the tests fail: 2 %, which covers the rounding of the quoted
// figures (one decimal) and nothing more.
const cpiMargin = 0.02

var docsEVM = filepath.Join("..", "..", "..", "docs", "evm.md")

// quotedGroup is a row of docs/evm.md's table "Cycles per EVM instruction".
type quotedGroup struct {
	group string
	insns uint64
	cpi   float64
}

// docNumber reads a figure as the docs print it ("55 382", "31.5", "**122 300**").
func docNumber(cell string) (float64, error) {
	return strconv.ParseFloat(strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r == '.' {
			return r
		}
		return -1
	}, cell), 64)
}

// quotedGroups reads the table of docs/evm.md's section "Cycles per EVM instruction".
func quotedGroups(tb testing.TB) []quotedGroup {
	doc, err := os.ReadFile(docsEVM)
	if err != nil {
		tb.Fatal(err)
	}
	_, sec, ok := strings.Cut(string(doc), "\n## Cycles per EVM instruction\n")
	if !ok {
		tb.Fatalf("%s: no section \"Cycles per EVM instruction\"", docsEVM)
	}
	sec, _, _ = strings.Cut(sec, "\n## ")
	var out []quotedGroup
	for line := range strings.SplitSeq(sec, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 5 || !strings.HasPrefix(line, "|") {
			continue
		}
		insns, err1 := docNumber(cells[2])
		cpi, err2 := docNumber(cells[3])
		if err1 != nil || err2 != nil {
			continue // the header and the rule
		}
		name := strings.Fields(strings.Trim(strings.TrimSpace(cells[1]), "*"))[0]
		out = append(out, quotedGroup{strings.Trim(name, "*"), uint64(insns), cpi})
	}
	if len(out) < 12 {
		tb.Fatalf("%s: %d rows in the table of cycles per EVM instruction, want the 11 groups and all", docsEVM, len(out))
	}
	return out
}

// checkCPI fails when a measured figure exceeds the quoted one by more than cpiMargin,
// and notes when it has become cheaper than quoted by more than the margin (the docs
// could quote the new figure).
func checkCPI(t *testing.T, what string, insns, cycles uint64, quoted float64) {
	t.Helper()
	cpi := float64(cycles) / float64(max(insns, 1))
	switch {
	case cpi > quoted*(1+cpiMargin):
		t.Errorf("%s: %.2f cycles per EVM instruction (%d in %d); the docs quote %.1f, and the margin is %.0f%%",
			what, cpi, cycles, insns, quoted, 100*cpiMargin)
	case cpi < quoted*(1-cpiMargin):
		t.Logf("%s: %.2f cycles per EVM instruction, cheaper than the %.1f quoted: update the docs", what, cpi, quoted)
	}
}

// TestCyclesPerInstruction checks the cycles per EVM instruction of every group of the
// shared suite against the table docs/evm.md prints (read from it): the instruction
// counts are exact (they change only with the suite or the semantics), the cycles per
// instruction may exceed the quoted ones by cpiMargin.
func TestCyclesPerInstruction(t *testing.T) {
	st, _ := measure(t, suiteContainers(t)...)
	t.Logf("\n%s", st.table())
	got := st.groups()
	for _, q := range quotedGroups(t) {
		v, ok := got[q.group]
		if !ok {
			t.Errorf("docs/evm.md quotes group %q, which no opcode belongs to", q.group)
			continue
		}
		if v[0] != q.insns {
			t.Errorf("%s: %d EVM instructions run; docs/evm.md quotes %d", q.group, v[0], q.insns)
		}
		checkCPI(t, q.group, v[0], v[1], q.cpi)
	}
}

// quotedExamples are the Solidity examples' figures as docs/evm.md's text gives them
// ("phrase" must appear there, so that the two cannot drift apart).
var quotedExamples = []struct {
	name   string
	insns  uint64
	cpi    float64
	total  uint64 // the run's cycles, the transaction's set-up and output included
	phrase string
}{
	{"token_transfer", 270, 10.9, 5657, "270 EVM instructions in 2 939 cycles (10.9 per instruction), 5 657 with"},
	{"squares_fill", 5459, 9.5, 55900, "5 459 instructions in 51 941 cycles (9.5), 55 900 in all"},
}

// TestCyclesPerInstructionExamples checks the Solidity examples against docs/evm.md:
// the EVM instructions run (exact), their cycles per instruction and the run's total
// cycles (within cpiMargin).
func TestCyclesPerInstructionExamples(t *testing.T) {
	doc, err := os.ReadFile(docsEVM)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(doc)), " ")
	for _, ex := range quotedExamples {
		if !strings.Contains(text, ex.phrase) {
			t.Errorf("docs/evm.md no longer says %q: update quotedExamples with it", ex.phrase)
		}
		st, total := measure(t, exampleContainer(t, ex.name))
		t.Logf("%s: %d cycles\n%s", ex.name, total, st.table())
		all := st.groups()["all"]
		if all[0] != ex.insns {
			t.Errorf("%s: %d EVM instructions run; docs/evm.md quotes %d", ex.name, all[0], ex.insns)
		}
		checkCPI(t, ex.name, all[0], all[1], ex.cpi)
		if float64(total) > float64(ex.total)*(1+cpiMargin) {
			t.Errorf("%s: %d cycles in all; docs/evm.md quotes %d, and the margin is %.0f%%", ex.name, total, ex.total, 100*cpiMargin)
		}
	}
}

// BenchmarkCyclesPerInstruction translates and runs the shared suite and the Solidity
// examples, reporting normalized cycles per EVM instruction (in all and by group, the
// figures of docs/evm.md) besides the time the translation and the run take:
//
//	go test -run '^$' -bench CyclesPerInstruction ./plugins/evm/translate
func BenchmarkCyclesPerInstruction(b *testing.B) {
	report := func(b *testing.B, st *opStats, total uint64) {
		groups := st.groups()
		for g, v := range groups {
			if v[0] == 0 {
				continue
			}
			unit := "cycles/instr"
			if g != "all" {
				unit = g + "-cycles/instr"
			}
			b.ReportMetric(float64(v[1])/float64(max(v[0], 1)), unit)
		}
		b.ReportMetric(float64(groups["all"][0]), "instrs/op")
		b.ReportMetric(float64(total), "cycles/op")
	}
	b.Run("suite", func(b *testing.B) {
		cs := suiteContainers(b)
		var st *opStats
		var total uint64
		for b.Loop() {
			st, total = measure(b, cs...)
		}
		report(b, st, total)
	})
	for _, ex := range quotedExamples {
		b.Run("example="+ex.name, func(b *testing.B) {
			c := exampleContainer(b, ex.name)
			var st *opStats
			var total uint64
			for b.Loop() {
				st, total = measure(b, c)
			}
			report(b, st, total)
		})
	}
}
