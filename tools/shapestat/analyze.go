package main

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/oneiros-zk/oneiros/proving/air"
)

// minClass is the smallest segment size class (host/planner: segment_cycles ≥ 2^10).
const minClass = 10

// minOffset is the smallest budget offset: every scaling table holds at least 2^(k−8)
// rows in class k.
const minOffset = -8

type report struct{ segs []segStat }

// logH is a table's log height in a segment, -1 when it is left out.
func logH(s *segStat, t int) int {
	if !s.Present[t] {
		return -1
	}
	return log2(air.Height(s.Rows[t]))
}

func log2(n int) int {
	l := 0
	for 1<<l < n {
		l++
	}
	return l
}

// kinds of tables for the catalogues.
const (
	scaling = iota // rows grow with the segment's cycles: budget 2^(k+o)
	fixed          // preprocessed lookup tables of a fixed height (range, bytes_*)
	program        // the ROM: its height is the program's (a property of the key)
	input          // the input table: its height is the input's length, in every segment
)

func kindOf(name string) int {
	switch {
	case name == "rom":
		return program
	case name == "input":
		return input
	case name == "range" || strings.HasPrefix(name, "bytes_"):
		return fixed
	}
	return scaling
}

// group is a table's optional precompile group ("" for the core tables).
func group(name string) string {
	switch {
	case strings.HasPrefix(name, "keccak"):
		return "keccak"
	case strings.HasPrefix(name, "sha256"):
		return "sha256"
	case strings.HasPrefix(name, "u256"):
		return "u256"
	case name == "hook":
		return "hook"
	}
	return ""
}

// cells is a shape's committed cells: Σ width·height over its present tables.
func cells(ts *tables, h []int) float64 {
	c := 0.0
	for t, l := range h {
		if l >= 0 {
			c += float64(ts.width[t]) * math.Exp2(float64(l))
		}
	}
	return c
}

func naturalShape(ts *tables, s *segStat) []int {
	h := make([]int, len(ts.names))
	for t := range h {
		h[t] = logH(s, t)
	}
	return h
}

func unpaddedCells(ts *tables, s *segStat) float64 {
	c := 0.0
	for t, r := range s.Rows {
		if s.Present[t] {
			c += float64(ts.width[t]) * float64(max(r, 1))
		}
	}
	return c
}

func key(h []int) string { return fmt.Sprint(h) }

// budgetShape is the shape of class k under offsets o (scaling tables at 2^(k+o_t),
// floored at 2^0); the fixed, ROM and input tables keep the segment's own heights. With
// optional, a precompile group is present only if the segment uses it.
func budgetShape(ts *tables, o []int, k int, s *segStat, optional bool) []int {
	h := make([]int, len(ts.names))
	for t, name := range ts.names {
		switch kindOf(name) {
		case scaling:
			h[t] = max(k+o[t], 0)
			if name == "poseidon2" { // the input's share on top (see scaledRows)
				h[t] = log2(air.Height(1<<h[t] + inputShare(ts, s.Rows)))
			}
			if optional && group(name) != "" && !groupUsed(ts, s, group(name)) {
				h[t] = -1
			}
		case fixed:
			h[t] = 16 // the range table and every byte table present: 2^16 rows each
		default:
			h[t] = logH(s, t)
		}
	}
	return h
}

// scaledRows is a table's rows that grow with the segment: the Poseidon2 table's rows
// less the input's share (the input table's permutations, the same in every segment
// of a run: a dimension of its own, like the input table).
func scaledRows(ts *tables, rows []int, t int) int {
	if ts.names[t] == "poseidon2" {
		return rows[t] - inputShare(ts, rows)
	}
	return rows[t]
}

func inputShare(ts *tables, rows []int) int { return rows[ts.at("input")] - 1 }

// scaledLog is the log height of a table's scaled rows, -1 when it is left out.
func scaledLog(ts *tables, s *segStat, t int) int {
	if !s.Present[t] {
		return -1
	}
	return log2(air.Height(scaledRows(ts, s.Rows, t)))
}

func groupUsed(ts *tables, s *segStat, g string) bool {
	for t, name := range ts.names {
		if group(name) == g && s.Present[t] {
			return true
		}
	}
	return false
}

// fitsClass reports whether a segment's rows fit class k's budgets.
func fitsClass(ts *tables, o []int, k int, s *segStat) bool {
	for t, name := range ts.names {
		if kindOf(name) == scaling && s.Present[t] && scaledRows(ts, s.Rows, t) > 1<<max(k+o[t], 0) {
			return false
		}
	}
	return true
}

// classOf is the smallest class ≥ minClass and ≤ k whose budgets hold the segment
// (k itself for a full one).
func classOf(ts *tables, o []int, k int, s *segStat) int {
	for c := minClass; c < k; c++ {
		if fitsClass(ts, o, c, s) {
			return c
		}
	}
	return k
}

// offsets returns per table the largest log height offset (log H − k) among the
// segments (-inf: never present), and per workload.
func offsets(ts *tables, segs []segStat) (all []int, per map[string][]int) {
	all = make([]int, len(ts.names))
	per = map[string][]int{}
	for t := range all {
		all[t] = math.MinInt32
	}
	for i := range segs {
		s := &segs[i]
		// A full segment's offsets are against its class; a final one's against the
		// smallest class that has room for its cycles.
		base := s.K
		if s.Final {
			base = max(log2(air.Height(s.Cycles+1)), minClass)
		}
		p := per[s.Workload]
		if p == nil {
			p = slices.Repeat([]int{math.MinInt32}, len(ts.names))
			per[s.Workload] = p
		}
		for t := range ts.names {
			if l := scaledLog(ts, s, t); l >= 0 {
				all[t] = max(all[t], l-base)
				p[t] = max(p[t], l-base)
			}
		}
	}
	return all, per
}

func analyze(ts *tables, ws []workload, kList []int, segs []segStat) *report {
	out := &strings.Builder{}
	defer func() { fmt.Print(out.String()) }()
	pr := func(f string, a ...any) { fmt.Fprintf(out, f, a...) }

	pr("## Tables\n\n| table | optional | main | LogUp (ext) | committed cells per row |\n|---|---|---|---|---|\n")
	for t, n := range ts.names {
		pr("| %s | %v | %d | %d | %d |\n", n, ts.optional[t], ts.main[t], ts.aux[t], ts.width[t])
	}

	// Workloads and segment counts.
	pr("\n## Workloads\n\n| workload | cycles | ROM rows | input bytes |")
	for _, k := range kList {
		pr(" segs 2^%d |", k)
	}
	pr("\n|---|---|---|---|%s\n", strings.Repeat("---|", len(kList)))
	for _, w := range ws {
		var cyc int
		n := map[int]int{}
		for i := range segs {
			if segs[i].Workload == w.name {
				n[segs[i].K]++
				if segs[i].K == kList[0] {
					cyc += segs[i].Cycles
				}
			}
		}
		pr("| %s | %d | %d | %d |", w.name, cyc, len(w.prog.Code), len(w.input))
		for _, k := range kList {
			pr(" %d |", n[k])
		}
		pr("\n")
	}

	// Log heights of full segments per class: the max over each workload's full segments
	// (its min when it differs, as min–max).
	for _, k := range kList {
		pr("\n## Log heights, full segments of 2^%d cycles (min–max over a workload's full segments; - left out; · no full segment)\n\n| table |", k)
		for _, w := range ws {
			pr(" %s |", w.name)
		}
		pr("\n|---|%s\n", strings.Repeat("---|", len(ws)))
		for t, name := range ts.names {
			pr("| %s |", name)
			for _, w := range ws {
				lo, hi, any := 99, -2, false
				for i := range segs {
					s := &segs[i]
					if s.Workload == w.name && s.K == k && !s.Final {
						l := logH(s, t)
						lo, hi, any = min(lo, l), max(hi, l), true
					}
				}
				switch {
				case !any:
					pr(" · |")
				case lo == hi && lo < 0:
					pr(" - |")
				case lo == hi:
					pr(" %d |", lo)
				default:
					pr(" %s–%s |", dash(lo), dash(hi))
				}
			}
			pr("\n")
		}
	}

	// Rows per cycle of the scaling tables (full segments at the largest class).
	kMax := kList[len(kList)-1]
	pr("\n## Rows per cycle, full segments of 2^%d (max over the workload's full segments)\n\n| table |", kMax)
	for _, w := range ws {
		pr(" %s |", w.name)
	}
	pr("\n|---|%s\n", strings.Repeat("---|", len(ws)))
	for t, name := range ts.names {
		if kindOf(name) != scaling {
			continue
		}
		pr("| %s |", name)
		for _, w := range ws {
			r, any := 0.0, false
			for i := range segs {
				s := &segs[i]
				if s.Workload == w.name && s.K == kMax && !s.Final {
					r, any = max(r, float64(s.Rows[t])/float64(s.Cycles)), true
				}
			}
			if !any {
				pr(" · |")
			} else {
				pr(" %.3f |", r)
			}
		}
		pr("\n")
	}

	// Option N: natural heights (today).
	pr("\n## Shapes today (every table at the power of two above its rows)\n\n| class | segments | distinct shapes | of full segments | of final segments | padding to 2^n (cells / unpadded cells) |\n|---|---|---|---|---|---|\n")
	natCells := map[int]float64{}
	totalShapes := map[string]bool{}
	for _, k := range kList {
		all, full, fin := map[string]bool{}, map[string]bool{}, map[string]bool{}
		n := 0
		var nat, unp float64
		for i := range segs {
			s := &segs[i]
			if s.K != k {
				continue
			}
			n++
			h := naturalShape(ts, s)
			all[key(h)] = true
			totalShapes[key(h)] = true
			if s.Final {
				fin[key(h)] = true
			} else {
				full[key(h)] = true
			}
			nat += cells(ts, h)
			unp += unpaddedCells(ts, s)
		}
		natCells[k] = nat
		pr("| 2^%d | %d | %d | %d | %d | %.2f |\n", k, n, len(all), len(full), len(fin), nat/unp)
	}
	pr("\nAll classes together: %d distinct shapes.\n", len(totalShapes))

	oMax, per := offsets(ts, segs)
	pr("\n## Budget offsets (log H − k, the largest over the segments; a final segment's k is the smallest class ≥ 2^%d that has room for its cycles)", minClass)
	pr("\n\n| table | all workloads |")
	for _, w := range ws {
		pr(" %s |", w.name)
	}
	pr("\n|---|---|%s\n", strings.Repeat("---|", len(ws)))
	for t, name := range ts.names {
		if kindOf(name) != scaling {
			continue
		}
		pr("| %s | %s |", name, off(oMax[t]))
		for _, w := range ws {
			if p := per[w.name]; p != nil {
				pr(" %s |", off(p[t]))
			} else {
				pr(" · |")
			}
		}
		pr("\n")
	}
	for t := range oMax {
		// A floor: no scaling table's budget below 2^(k−8) rows (a table seen with a
		// handful of rows must not end a segment at its second row).
		oMax[t] = max(oMax[t], minOffset)
	}

	// Option A: one shape per class (budgets oMax), final segments in the smallest class
	// that holds them; A2: precompile groups optional.
	pr("\n## Option A: one budget shape per class (offsets = the largest measured)\n\n")
	misfits := 0
	pr("| class | A1 shapes used | A1 cells / today | A2 shapes used | A2 cells / today | final segments' classes |\n|---|---|---|---|---|---|\n")
	for _, k := range kList {
		a1, a2 := map[string]bool{}, map[string]bool{}
		var c1, c2 float64
		classes := map[int]int{}
		for i := range segs {
			s := &segs[i]
			if s.K != k {
				continue
			}
			c := k
			if s.Final {
				c = classOf(ts, oMax, k, s)
				classes[c]++
			}
			if !fitsClass(ts, oMax, c, s) {
				misfits++
			}
			h1 := budgetShape(ts, oMax, c, s, false)
			h2 := budgetShape(ts, oMax, c, s, true)
			a1[key(h1)], a2[key(h2)] = true, true
			c1 += cells(ts, h1)
			c2 += cells(ts, h2)
		}
		pr("| 2^%d | %d | %.2f | %d | %.2f | %s |\n", k, len(a1), c1/natCells[k], len(a2), c2/natCells[k], classList(classes))
	}
	if misfits > 0 {
		pr("\n%d segments do not fit their class's budgets (their cells are understated).\n", misfits)
	}

	// Where option A2's cells go, at the largest class: per table, today's cells and A2's
	// (both per cycle of the natural segments).
	{
		k := kMax
		natT, a2T := make([]float64, len(ts.names)), make([]float64, len(ts.names))
		var cyc float64
		for i := range segs {
			s := &segs[i]
			if s.K != k {
				continue
			}
			cyc += float64(s.Cycles)
			c := k
			if s.Final {
				c = classOf(ts, oMax, k, s)
			}
			hn, ha := naturalShape(ts, s), budgetShape(ts, oMax, c, s, true)
			for t := range ts.names {
				if hn[t] >= 0 {
					natT[t] += float64(ts.width[t]) * math.Exp2(float64(hn[t]))
				}
				if ha[t] >= 0 {
					a2T[t] += float64(ts.width[t]) * math.Exp2(float64(ha[t]))
				}
			}
		}
		pr("\n## Where the cells go at 2^%d: committed cells per cycle, all workloads together (today, A2)\n\n| table | today | A2 |\n|---|---|---|\n", k)
		var sn, sa float64
		for t, name := range ts.names {
			if natT[t] == 0 && a2T[t] == 0 {
				continue
			}
			pr("| %s | %.1f | %.1f |\n", name, natT[t]/cyc, a2T[t]/cyc)
			sn += natT[t] / cyc
			sa += a2T[t] / cyc
		}
		pr("| all | %.1f | %.1f |\n", sn, sa)
	}

	// Option A with tighter budgets: every scaling table but the CPU's at 2^-δ of the
	// largest measured, segments ending when a budget would overflow.
	pr("\n## Option A with tighter budgets (offsets = largest − δ, CPU's kept; segments end when a table's budget would overflow; precompile groups optional)\n\n")
	pr("| δ | class | segments (natural) | shapes used | cells / today's | final segments' classes |\n|---|---|---|---|---|---|\n")
	for _, delta := range []int{1, 2} {
		o := slices.Clone(oMax)
		for t, name := range ts.names {
			if kindOf(name) == scaling && name != "cpu" {
				o[t] = max(o[t]-delta, minOffset)
			}
		}
		var bsegs []segStat
		for _, w := range ws {
			ss, err := measure(ts, w, func(ts *tables) []*segmenter {
				var out []*segmenter
				for _, k := range kList {
					b := make([]int, len(ts.names))
					for t, name := range ts.names {
						b[t] = math.MaxInt
						if kindOf(name) == scaling {
							b[t] = 1 << max(k+o[t], 0)
						}
					}
					out = append(out, &segmenter{mode: fmt.Sprintf("A-%d", delta), k: k, cap: capacity(k), budget: b, seg: newSegment(len(ts.names))})
				}
				return out
			})
			if err != nil {
				panic(err)
			}
			bsegs = append(bsegs, ss...)
		}
		for _, k := range kList {
			shapes := map[string]bool{}
			classes := map[int]int{}
			var c float64
			n, nn := 0, 0
			for i := range bsegs {
				s := &bsegs[i]
				if s.K != k {
					continue
				}
				n++
				cl := k
				if s.Final {
					cl = classOf(ts, o, k, s)
					classes[cl]++
				}
				h := budgetShape(ts, o, cl, s, true)
				shapes[key(h)] = true
				c += cells(ts, h)
			}
			for i := range segs {
				if segs[i].K == k && segs[i].Mode == "natural" {
					nn++
				}
			}
			pr("| %d | 2^%d | %d (%d) | %d | %.2f | %s |\n", delta, k, n, nn, len(shapes), c/natCells[k], classList(classes))
		}
		segs = append(segs, bsegs...)
	}

	// Option C: a few budget profiles per class, each segment in the cheapest that holds it.
	pr("\n## Option C: a few budget profiles per class (greedy from the workloads' own offsets; the largest-offset profile of option A2 as the fallback)\n\n")
	var cands [][]int
	var candNames []string
	for _, w := range ws {
		if p := per[w.name]; p != nil {
			o := make([]int, len(p))
			for t := range p {
				o[t] = max(p[t], minOffset)
			}
			cands = append(cands, o)
			candNames = append(candNames, w.name)
		}
	}
	var nat []segStat
	for i := range segs {
		if segs[i].Mode == "natural" {
			nat = append(nat, segs[i])
		}
	}
	// cost of the natural segments under a profile set: each segment in the cheapest
	// profile (and class) that holds it.
	costOf := func(profiles [][]int, k int, optional bool) (float64, int) {
		var c float64
		shapes := map[string]bool{}
		for i := range nat {
			s := &nat[i]
			if s.K != k {
				continue
			}
			best, bestH := math.Inf(1), []int(nil)
			for _, o := range profiles {
				cl := k
				if s.Final {
					cl = classOf(ts, o, k, s)
				}
				if !fitsClass(ts, o, cl, s) {
					continue
				}
				h := budgetShape(ts, o, cl, s, optional)
				if x := cells(ts, h); x < best {
					best, bestH = x, h
				}
			}
			c += best
			shapes[key(bestH)] = true
		}
		return c, len(shapes)
	}
	pr("| profiles (+ fallback) | chosen | class | shapes used (precompile groups optional) | cells / today's | shapes used (every table present) | cells / today's |\n|---|---|---|---|---|---|---|\n")
	chosen := [][]int{oMax}
	var chosenNames []string
	for p := 0; p <= 4 && p <= len(cands); p++ {
		if p > 0 {
			bestI, bestC := -1, math.Inf(1)
			for i, o := range cands {
				if slices.Contains(chosenNames, candNames[i]) {
					continue
				}
				var c float64
				for _, k := range kList {
					x, _ := costOf(append(slices.Clone(chosen), o), k, true)
					c += x / natCells[k]
				}
				if c < bestC {
					bestI, bestC = i, c
				}
			}
			if bestI < 0 {
				break
			}
			chosen = append(chosen, cands[bestI])
			chosenNames = append(chosenNames, candNames[bestI])
		}
		for _, k := range kList {
			c, n := costOf(chosen, k, true)
			c1, n1 := costOf(chosen, k, false)
			pr("| %d | %s | 2^%d | %d | %.2f | %d | %.2f |\n", p, strings.Join(chosenNames, ", "), k, n, c/natCells[k], n1, c1/natCells[k])
		}
	}

	// Option B: a few allowed heights per table relative to the class's budget.
	pr("\n## Option B: per table a few allowed log heights, k+o, k+o−s, …, k+o−(n−1)s (optional tables may be left out)\n\n")
	pr("| s, n | class | shapes used | catalogue size per class | cells / today's |\n|---|---|---|---|---|\n")
	for _, g := range [][2]int{{1, 4}, {2, 3}, {4, 2}, {8, 2}} {
		step, nh := g[0], g[1]
		catalogue := 1.0
		for t, name := range ts.names {
			if kindOf(name) == scaling && name != "cpu" {
				n := float64(nh)
				if ts.optional[t] {
					n++
				}
				catalogue *= n
			}
		}
		for _, k := range kList {
			shapes := map[string]bool{}
			var c float64
			for i := range segs {
				s := &segs[i]
				if s.K != k || s.Mode != "natural" {
					continue
				}
				cl := k
				if s.Final {
					cl = classOf(ts, oMax, k, s)
				}
				h := budgetShape(ts, oMax, cl, s, false)
				for t, name := range ts.names {
					if kindOf(name) != scaling || name == "cpu" {
						continue
					}
					l := logH(s, t)
					if l < 0 {
						h[t] = -1
						continue
					}
					top := h[t]
					for j := 0; j < nh; j++ {
						if a := top - j*step; a >= l && a >= 0 {
							h[t] = a
						}
					}
				}
				shapes[key(h)] = true
				c += cells(ts, h)
			}
			pr("| %d, %d | 2^%d | %d | %.3g | %.2f |\n", step, nh, k, len(shapes), catalogue, c/natCells[k])
		}
	}
	return &report{segs: segs}
}

func dash(l int) string {
	if l < 0 {
		return "-"
	}
	return fmt.Sprint(l)
}

func off(o int) string {
	if o == math.MinInt32 {
		return "-"
	}
	return fmt.Sprintf("%+d", o)
}

func classList(m map[int]int) string {
	var ks []int
	for k := range m {
		ks = append(ks, k)
	}
	sort.Ints(ks)
	var b []string
	for _, k := range ks {
		b = append(b, fmt.Sprintf("2^%d×%d", k, m[k]))
	}
	return strings.Join(b, " ")
}
