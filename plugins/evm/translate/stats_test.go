package translate

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/core/trace"
	conf "github.com/oneiros-zk/oneiros/host/conformance/evm"
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

// checkStats fails when a group ran another number of instructions than quoted, or
// took more cycles (a lowering that gets cheaper updates docs/evm.md and the quotes).
func checkStats(t *testing.T, what string, s *opStats, quoted map[string][2]uint64) {
	t.Helper()
	got := s.groups()
	for g, q := range quoted {
		if v := got[g]; v[0] != q[0] || v[1] > q[1] {
			t.Errorf("%s, %s: %d EVM instructions in %d cycles; docs/evm.md quotes %d in %d", what, g, v[0], v[1], q[0], q[1])
		}
	}
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

// TestCycleStats measures normalized cycles per EVM instruction on the shared suite
// (go test -run TestCycleStats -v ./plugins/evm prints the table) and checks them
// against the table of docs/evm.md (every case; in -short mode one case in eight,
// whose figures are quoted here).
func TestCycleStats(t *testing.T) {
	cases, err := conf.Load(suiteDir(t))
	if err != nil {
		t.Fatal(err)
	}
	var st opStats
	for k, c := range cases {
		if testing.Short() && k%8 != 0 {
			continue
		}
		var recs []trace.Record
		_, _, bt := runContainer(t, c.Container, func(r *trace.Record) error {
			recs = append(recs, trace.Record{Clk: r.Clk, PC: r.PC, FP: r.FP})
			return nil
		})
		st.add(bt, func(f func(*trace.Record)) {
			for i := range recs {
				f(&recs[i])
			}
		})
	}
	t.Logf("\n%s", st.table())
	quoted := map[string][2]uint64{"all": {122300, 3858324}, "stack": {55382, 93434}, "bitwise_compare": {4280, 9383},
		"arithmetic": {14101, 654488}, "flow": {22466, 127134}, "memory": {15226, 440373}, "storage": {6231, 943274}}
	if testing.Short() {
		quoted = map[string][2]uint64{"all": {9889, 235844}, "stack": {4488, 9209}, "storage": {640, 82809}}
	}
	checkStats(t, "shared suite", &st, quoted)
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

// TestCycleStatsExamples checks the statistics of the Solidity examples against
// docs/evm.md: EVM instructions run, their cycles, and the run's total.
func TestCycleStatsExamples(t *testing.T) {
	for _, ex := range []struct {
		name                 string
		insns, cycles, total uint64
	}{{"token_transfer", 270, 2939, 5657}, {"squares_fill", 5459, 51941, 55900}} {
		name := ex.name
		src, err := os.ReadFile(filepath.Join(examplesDir, name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var st opStats
		var recs []trace.Record
		_, res, bt := runContainer(t, mustParse(t, string(src)), func(r *trace.Record) error {
			recs = append(recs, trace.Record{Clk: r.Clk, PC: r.PC, FP: r.FP})
			return nil
		})
		st.add(bt, func(f func(*trace.Record)) {
			for i := range recs {
				f(&recs[i])
			}
		})
		t.Logf("%s: %d cycles\n%s", name, res.Cycles, st.table())
		checkStats(t, name, &st, map[string][2]uint64{"all": {ex.insns, ex.cycles}})
		if res.Cycles > ex.total {
			t.Errorf("%s: %d cycles in all; docs/evm.md quotes %d", name, res.Cycles, ex.total)
		}
	}
}
