// Command shapestat measures the shapes of a zkVM run's segments: for each workload and
// segment size 2^k, every segment's row count and height per table, without proving. It
// then evaluates shape catalogues for the aggregation leaf (docs/leaf-shapes.md): how
// many shapes each needs, how many committed cells its padding costs, and how many more
// segments a budget rule makes.
//
//	go run ./tools/shapestat [-k 16,18,20,21] [-json FILE] [-check] PROGRAM[,INPUT] ...
//
// PROGRAM is a .s file (assembled with core/isa) or a normalized program's encoding
// (`oneiros translate --isa ISA SRC -O FILE`). INPUT is a file, u32=N (N as a
// little-endian u32), zero=N (N zero bytes) or words=N (the u32s N-1 … 0, little endian).
// -check proves the first segments of each workload at 2^10 cycles with fast parameters
// and compares every table's height with machine.ProveSegment's report.
package main

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/machine"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/proving/hemera"
)

const maxCycles = machine.MaxCycles

// workload is a program and its input.
type workload struct {
	name  string
	prog  *isa.Program
	input []byte
}

// segStat is one segment's measurement.
type segStat struct {
	Workload string `json:"workload"`
	Mode     string `json:"mode"` // "natural" or a budget option's name
	K        int    `json:"k"`    // segment size class 2^k
	Index    int    `json:"index"`
	Cycles   int    `json:"cycles"`
	Final    bool   `json:"final"`
	Rows     []int  `json:"rows"` // per table; 0 and absent for a left-out optional table
	Present  []bool `json:"present"`
}

func main() {
	ks := flag.String("k", "16,18,20,21", "segment size classes (log2 of the segment size)")
	jsonOut := flag.String("json", "", "write every segment's measurement to this file")
	check := flag.Bool("check", false, "prove the first segments at 2^10 and compare heights with machine's report")
	flag.Parse()
	var kList []int
	for _, s := range strings.Split(*ks, ",") {
		k, err := strconv.Atoi(s)
		if err != nil || k < 10 || k > 22 {
			fail(fmt.Errorf("bad -k %q", s))
		}
		kList = append(kList, k)
	}
	var ws []workload
	for _, a := range flag.Args() {
		w, err := load(a)
		if err != nil {
			fail(err)
		}
		ws = append(ws, w)
	}
	if len(ws) == 0 {
		fail(fmt.Errorf("no workloads (PROGRAM[,INPUT] ...)"))
	}
	e, err := hemera.New(chiptest.Params)
	if err != nil {
		fail(err)
	}
	m := machine.New(e)
	ts, err := tableList(m, ws[0].prog)
	if err != nil {
		fail(err)
	}
	if *check {
		for _, w := range ws {
			if err := checkHeights(m, ts, w); err != nil {
				fail(err)
			}
		}
		return
	}
	var all []segStat
	for _, w := range ws {
		segs, err := measure(ts, w, natural(kList))
		if err != nil {
			fail(fmt.Errorf("%s: %w", w.name, err))
		}
		all = append(all, segs...)
	}
	rep := analyze(ts, ws, kList, all)
	if *jsonOut != "" {
		b, _ := json.Marshal(map[string]any{"tables": ts.names, "width": ts.width, "segments": rep.segs})
		if err := os.WriteFile(*jsonOut, b, 0o644); err != nil {
			fail(err)
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "shapestat:", err)
	os.Exit(1)
}

// load reads PROGRAM[,INPUT].
func load(arg string) (workload, error) {
	path, in, _ := strings.Cut(arg, ",")
	src, err := os.ReadFile(path)
	if err != nil {
		return workload{}, err
	}
	var p *isa.Program
	if strings.HasSuffix(path, ".s") {
		p, err = isa.Assemble(filepath.Base(path), src)
	} else {
		p, err = isa.Decode(src)
	}
	if err != nil {
		return workload{}, fmt.Errorf("%s: %w", path, err)
	}
	w := workload{name: strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)), prog: p}
	if in != "" {
		w.name += "(" + in + ")"
		kind, v, ok := strings.Cut(in, "=")
		n, nerr := strconv.Atoi(v)
		switch {
		case ok && kind == "u32" && nerr == nil:
			w.input = binary.LittleEndian.AppendUint32(nil, uint32(n))
		case ok && kind == "zero" && nerr == nil:
			w.input = make([]byte, n)
		case ok && kind == "text" && nerr == nil:
			w.input = text(n)
		case ok && kind == "words" && nerr == nil:
			for i := range n {
				w.input = binary.LittleEndian.AppendUint32(w.input, uint32(n-1-i))
			}
		default:
			if w.input, err = os.ReadFile(in); err != nil {
				return workload{}, err
			}
			w.name = w.name[:strings.Index(w.name, "(")] + "(" + filepath.Base(in) + ")"
		}
	}
	return w, nil
}

// text is n bytes of deterministic pseudo-text: words of 1 to 8 lowercase letters,
// separated by spaces, a newline every 12 words or so.
func text(n int) []byte {
	b := make([]byte, 0, n)
	x := uint32(1)
	next := func() uint32 { x = x*1664525 + 1013904223; return x >> 16 }
	for len(b) < n {
		for range 1 + next()%8 {
			b = append(b, byte('a'+next()%26))
		}
		if next()%12 == 0 {
			b = append(b, '\n')
		} else {
			b = append(b, ' ')
		}
	}
	return b[:n]
}

// tableList reads the machine's tables and their widths from a verifying key.
func tableList(m *machine.Machine, p *isa.Program) (*tables, error) {
	keys, err := m.Setup(p)
	if err != nil {
		return nil, err
	}
	vk := keys.VK
	ext := m.Engine().Params().FRI.Ext()
	ts := &tables{index: map[string]int{}}
	for i, a := range vk.AIRs {
		ts.names = append(ts.names, a.Name)
		ts.index[a.Name] = i
		ts.optional = append(ts.optional, vk.Optional[i])
		aux := vk.Layouts[i].NumAux()
		ts.main = append(ts.main, len(a.Main))
		ts.aux = append(ts.aux, aux)
		// Committed per row: the main columns, the LogUp columns and the quotient's
		// chunks (extension elements, ext base-field cells each).
		ts.width = append(ts.width, len(a.Main)+ext*aux+ext*(1<<vk.LogQuot[i]))
	}
	if got, want := strings.Join(ts.names, ","), strings.Join(m.Tables(), ","); got != want {
		return nil, fmt.Errorf("the verifying key's tables %s are not the machine's %s", got, want)
	}
	return ts, nil
}

// segmenter cuts a run into segments: at a cycle capacity (natural) or when a table's
// row budget would overflow.
type segmenter struct {
	mode   string
	k      int
	cap    int
	budget []int // rows allowed per table (nil: natural)
	seg    *segment
	index  int
	out    []segStat
}

func natural(kList []int) func(ts *tables) []*segmenter {
	return func(ts *tables) []*segmenter {
		var ss []*segmenter
		for _, k := range kList {
			ss = append(ss, &segmenter{mode: "natural", k: k, cap: capacity(k), seg: newSegment(len(ts.names))})
		}
		return ss
	}
}

// measure executes a workload and feeds its records to the segmenters.
func measure(ts *tables, w workload, mk func(ts *tables) []*segmenter) ([]segStat, error) {
	ss := mk(ts)
	c := newCounter(machine.New(nil))
	d := c.rc.NewDelta()
	ri := runInfo{code: len(w.prog.Code), inputLen: uint32(len(w.input))}
	for _, s := range ss {
		s.seg.bind(c, ri)
	}
	sink := func(r *trace.Record) error {
		c.of(r, d)
		for _, s := range ss {
			s.push(ts, ri, w.name, d)
		}
		return nil
	}
	res, err := exec.Run(context.Background(), w.prog, exec.Options{Input: w.input, Sink: sink, Limits: exec.Limits{MaxCycles: 1 << 34}})
	if err != nil {
		return nil, err
	}
	if res.ExitStatus != isa.StatusHalted {
		return nil, fmt.Errorf("the run did not halt: %v", res.Trap)
	}
	var out []segStat
	for _, s := range ss {
		s.emit(ts, ri, w.name, true)
		out = append(out, s.out...)
	}
	return out, nil
}

func (s *segmenter) push(ts *tables, ri runInfo, name string, d *delta) {
	if s.seg.cycles >= s.cap {
		s.emit(ts, ri, name, false)
	}
	s.seg.add(d)
	if s.budget != nil && s.seg.cycles > 1 && !s.fits(ts, ri) {
		s.seg.remove(d)
		s.emit(ts, ri, name, false)
		s.seg.add(d)
	}
}

// fits reports whether the segment's rows stay within the budget.
func (s *segmenter) fits(ts *tables, ri runInfo) bool {
	rows, _ := s.seg.rows(ts, ri, false)
	for i := range rows {
		if scaledRows(ts, rows, i) > s.budget[i] {
			return false
		}
	}
	return true
}

func (s *segmenter) emit(ts *tables, ri runInfo, name string, final bool) {
	if s.seg.cycles == 0 {
		return
	}
	rows, present := s.seg.rows(ts, ri, final)
	s.out = append(s.out, segStat{Workload: name, Mode: s.mode, K: s.k, Index: s.index, Cycles: s.seg.cycles, Final: final, Rows: rows, Present: present})
	s.index++
	s.seg.reset()
}
