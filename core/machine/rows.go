package machine

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/chips/addsub"
	"github.com/oneiros-zk/oneiros/core/chips/bitwise"
	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/bytetable"
	"github.com/oneiros-zk/oneiros/core/chips/cmp"
	"github.com/oneiros-zk/oneiros/core/chips/divrem"
	"github.com/oneiros-zk/oneiros/core/chips/hook"
	chipinput "github.com/oneiros-zk/oneiros/core/chips/input"
	chipio "github.com/oneiros-zk/oneiros/core/chips/io"
	"github.com/oneiros-zk/oneiros/core/chips/keccak"
	"github.com/oneiros-zk/oneiros/core/chips/memtree"
	"github.com/oneiros-zk/oneiros/core/chips/mul"
	"github.com/oneiros-zk/oneiros/core/chips/output"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/core/chips/rom"
	sha256chip "github.com/oneiros-zk/oneiros/core/chips/sha256"
	"github.com/oneiros-zk/oneiros/core/chips/shift"
	"github.com/oneiros-zk/oneiros/core/chips/u256"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
)

// Counting a segment's rows per table from its records, without building any trace:
// each count is the row count the trace builders (chips.go) pass to air.NewTrace, whose
// height is the next power of two, from the same events collect derives from the
// records. A segmenter feeds the records as they stream (RowCounter.Delta, then
// SegmentRows.Add) and asks after each whether the segment still fits a shape of the
// catalogue (Catalogue.Fits); tools/shapestat measures workloads with it. The counts
// are checked against real proofs' heights by TestRowCounterMatchesProofs (and
// `shapestat -check`): a count that disagreed with the prover would make the segmenter
// cut a segment the prover then builds taller than its shape, which the host refuses
// (Catalogue.Check) before aggregation.
//
// A count is a pure function of the records, the program's length and the input's:
// nothing here is a security boundary (the proof's heights are what the verifier sees).

// RowCounter turns records into what each adds to a segment's rows (a RowDelta). It
// keeps small caches (the 256-bit calls' byte-table use), so it is not safe for
// concurrent use.
type RowCounter struct {
	n        int
	alu      [6]int
	aluH     [6]func(uint32) bool
	cpu, ls  int
	frame    int
	io       int
	km, kr   int
	sm, sr   int
	u256t    [5]int
	hook     int
	rc       *rangetable.Counter
	bc       *bytetable.Counter
	u256Byte map[[2]uint32][3]bool
	tables   rowTables
}

// rowTables are the indices of the tables whose rows SegmentRows.Rows sets itself.
type rowTables struct {
	cpu, rom, input, hook, poseidon2, node, leaf, output, memory, rng, sha256 int
	bytes                                                                     [3]int
	optional                                                                  []bool
}

// RowDelta is what one record adds to a segment, before its memory accesses.
type RowDelta struct {
	inc   []int16 // rows added per table (cpu, ALU chips, loadstore, frame, io, keccak, sha256, u256, hook)
	hooks int     // hook calls (a Poseidon2 row each)
	bytes [3]bool // byte tables looked up
	words []uint32
	out   int // output bytes the record writes (the output table absorbs them)
	in    int // input bytes the record reads (the input table's blocks cover them)
}

// NewRowCounter returns a counter of the machine's tables (Machine.Tables' order). It
// panics if the machine lacks one of the standard tables (a broken invariant: every
// machine New returns has them).
func (m *Machine) NewRowCounter() *RowCounter {
	at := func(name string) int {
		for i, c := range m.chips {
			if c.name == name {
				return i
			}
		}
		panic("machine: no table " + name)
	}
	c := &RowCounter{n: len(m.chips), rc: new(rangetable.Counter), bc: new(bytetable.Counter), u256Byte: map[[2]uint32][3]bool{}}
	for i, n := range []string{"addsub", "cmp", "bitwise", "mul", "divrem", "shift"} {
		c.alu[i] = at(n)
	}
	c.aluH = [6]func(uint32) bool{addsub.Handles, cmp.Handles, bitwise.Handles, mul.Handles, divrem.Handles, shift.Handles}
	c.cpu, c.ls, c.frame, c.io = at("cpu"), at("loadstore"), at("frame"), at("io")
	c.km, c.kr, c.sm, c.sr = at("keccak_memory"), at("keccak"), at("sha256_memory"), at("sha256")
	for i, n := range []string{"u256_memory", "u256_arith", "u256_bits", "u256_muldiv", "u256_shift"} {
		c.u256t[i] = at(n)
	}
	c.hook = at("hook")
	t := &c.tables
	t.cpu, t.rom, t.input, t.hook, t.poseidon2 = at("cpu"), at("rom"), at("input"), at("hook"), at("poseidon2")
	t.node, t.leaf, t.output, t.memory, t.rng, t.sha256 = at("memtree_node"), at("memtree_leaf"), at("output"), at("memory"), at("range"), at("sha256")
	for j, op := range bytetable.Ops {
		t.bytes[j] = at(bytetable.Name(op))
	}
	for _, ch := range m.chips {
		t.optional = append(t.optional, ch.optional)
	}
	return c
}

// NewDelta returns a delta to fill with Delta.
func (c *RowCounter) NewDelta() *RowDelta { return &RowDelta{inc: make([]int16, c.n)} }

// Delta fills d with record r's delta.
func (c *RowCounter) Delta(r *trace.Record, d *RowDelta) {
	clear(d.inc)
	d.hooks, d.bytes, d.words = 0, [3]bool{}, d.words[:0]
	d.out, d.in = len(r.Sys.Output), len(r.Sys.Input)
	d.inc[c.cpu] = 1
	for _, a := range r.Accesses {
		d.words = append(d.words, a.Addr/4)
	}
	var aluOp uint32
	isALU := false
	switch r.Inst.Op.Class() {
	case isa.ClassALU:
		aluOp, isALU = uint32(r.Inst.Op), true
	case isa.ClassBranch:
		aluOp, isALU = rom.BranchOp[r.Inst.Op], true
	case isa.ClassLoad, isa.ClassStore:
		d.inc[c.ls] = 1
	case isa.ClassCall, isa.ClassRet:
		d.inc[c.frame] = 1
	case isa.ClassEcall:
		n := r.Inst.C
		switch {
		case chipio.Handles(n):
			d.inc[c.io] = 1
		case n == isa.SysKeccakF:
			d.inc[c.km], d.inc[c.kr] = 1, keccak.Rounds
		case n == isa.SysSHA256Compress:
			d.inc[c.sm], d.inc[c.sr] = 1, sha256chip.Rounds
		case hook.Handles(n):
			d.inc[c.hook] = 1
			d.hooks = 1
		case u256.Handles(n):
			c.u256Rows(r, d)
		}
	}
	if isALU {
		for i, h := range c.aluH {
			if h(aluOp) {
				d.inc[c.alu[i]] = 1
				if i == 2 { // bitwise: its op's byte table
					for j, op := range bytetable.Ops {
						if op == aluOp {
							d.bytes[j] = true
						}
					}
				}
				break
			}
		}
	}
}

// u256Rows classifies one 256-bit call by building each table's trace of it alone (the
// tables' filters are the package's own).
func (c *RowCounter) u256Rows(r *trace.Record, d *RowDelta) {
	calls, err := u256.Calls([]bus.SyscallEvent{{Clk: r.Clk, Number: r.Inst.C, A: r.A, B: r.B, Rec: r}})
	if err != nil || len(calls) != 1 {
		return
	}
	d.inc[c.u256t[0]] = 1
	if u256.ArithTrace(calls, c.rc) != nil {
		d.inc[c.u256t[1]] = 1
	}
	if u256.MulDivTrace(calls, c.rc, c.bc) != nil {
		d.inc[c.u256t[3]] = 1
	}
	if u256.ShiftTrace(calls, c.rc, c.bc) != nil {
		d.inc[c.u256t[4]] = 1
	}
	key := [2]uint32{r.Inst.C, r.B}
	ops, seen := c.u256Byte[key]
	bc := new(bytetable.Counter)
	if u256.BitsTrace(calls, bc) != nil {
		d.inc[c.u256t[2]] = 1
		if !seen {
			for j, op := range bytetable.Ops {
				ops[j] = bc.Trace(op) != nil
			}
			c.u256Byte[key] = ops
		}
	}
	for j := range ops {
		d.bytes[j] = d.bytes[j] || ops[j]
	}
}

// SegmentRows is one segment's rows so far: Add each record's delta, Rows for the
// counts, Reset to start the next segment where this one ends.
type SegmentRows struct {
	t        *rowTables
	code     int    // the program's instructions (the ROM's rows)
	inputLen uint32 // the whole input's length (a final segment absorbs the unread rest)
	cycles   int
	inc      []int // the per-record tables' rows
	hooks    int
	bytes    [3]bool
	// outStart is the run's output offset where the segment starts, outBytes the
	// output bytes its records write so far (the output table's share); inStart and
	// inBytes the same for the input its READs read.
	outStart, outBytes int
	inStart, inBytes   int
	words              map[uint32]struct{}
	blocks             map[uint32]struct{}
	nodes              map[uint32]struct{}
	undo               []rowUndo // keys the last Add inserted (Undo removes them)
	bytesBefore        [3]bool   // the byte flags before the last Add
}

type rowUndo struct {
	set *map[uint32]struct{}
	key uint32
}

// NewSegmentRows returns the rows of an empty segment of a run of the program of code
// instructions and an input of inputLen bytes, starting at input and output offsets 0.
func (c *RowCounter) NewSegmentRows(code int, inputLen uint32) *SegmentRows {
	return &SegmentRows{t: &c.tables, code: code, inputLen: inputLen, inc: make([]int, c.n),
		words: map[uint32]struct{}{}, blocks: map[uint32]struct{}{}, nodes: map[uint32]struct{}{}}
}

// Cycles is the number of records added since the segment started.
func (s *SegmentRows) Cycles() int { return s.cycles }

// Offsets are the run's input and output offsets where the segment starts.
func (s *SegmentRows) Offsets() (in, out uint32) { return uint32(s.inStart), uint32(s.outStart) }

// SetOffsets sets the run's input and output offsets where an empty segment starts (a
// segmenter resuming a run in the middle).
func (s *SegmentRows) SetOffsets(in, out uint32) error {
	if s.cycles != 0 {
		return fmt.Errorf("machine: row counts: offsets set on a segment of %d records", s.cycles)
	}
	s.inStart, s.outStart = int(in), int(out)
	return nil
}

// Reset empties the segment; the next starts where this one ends.
func (s *SegmentRows) Reset() {
	s.cycles, s.hooks, s.bytes, s.undo = 0, 0, [3]bool{}, s.undo[:0]
	s.outStart, s.outBytes = s.outStart+s.outBytes, 0
	s.inStart, s.inBytes = s.inStart+s.inBytes, 0
	clear(s.inc)
	clear(s.words)
	clear(s.blocks)
	clear(s.nodes)
}

func (s *SegmentRows) insert(m *map[uint32]struct{}, k uint32) bool {
	if _, ok := (*m)[k]; ok {
		return false
	}
	(*m)[k] = struct{}{}
	s.undo = append(s.undo, rowUndo{m, k})
	return true
}

// Add applies a record's delta (its undo log replaces the previous record's).
func (s *SegmentRows) Add(d *RowDelta) {
	s.undo = s.undo[:0]
	s.bytesBefore = s.bytes
	s.cycles++
	for i, v := range d.inc {
		s.inc[i] += int(v)
	}
	s.hooks += d.hooks
	s.outBytes += d.out
	s.inBytes += d.in
	for j := range 3 {
		s.bytes[j] = s.bytes[j] || d.bytes[j]
	}
	for _, w := range d.words {
		if !s.insert(&s.words, w) {
			continue
		}
		b := w / memtree.BlockWords
		if !s.insert(&s.blocks, b) {
			continue
		}
		// The expanded nodes: every ancestor of a touched block (memtree.Apply).
		for id := (memtree.NumBlocks + b) >> 1; id >= memtree.RootID; id >>= 1 {
			if !s.insert(&s.nodes, id) {
				break
			}
		}
	}
}

// Undo takes back the last Add, which was of d (once: a second Undo before the next
// Add would take back what the undo log no longer holds, and is refused).
func (s *SegmentRows) Undo(d *RowDelta) error {
	if s.cycles == 0 || s.undo == nil {
		return fmt.Errorf("machine: row counts: nothing to undo")
	}
	s.cycles--
	for i, v := range d.inc {
		s.inc[i] -= int(v)
	}
	s.hooks -= d.hooks
	s.outBytes -= d.out
	s.inBytes -= d.in
	s.bytes = s.bytesBefore
	for _, u := range s.undo {
		delete(*u.set, u.key)
	}
	s.undo = nil
	return nil
}

// Rows returns the segment's row count per table (Machine.Tables' order; 0 for an
// optional table left out) if it were proven now; final: the segment ends the run (its
// input table absorbs the unread input).
func (s *SegmentRows) Rows(final bool) []int {
	t := s.t
	rows := make([]int, len(s.inc))
	copy(rows, s.inc)
	rows[t.cpu] = s.cycles + 1 // at least one padding row
	rows[t.rom] = s.code
	// The input table (core/chips/input's Trace): a carry row, a row per block from the
	// first not yet absorbed to the last its READs reach (to the input's end in a final
	// segment), a final row; a permutation per absorbed block.
	first, end := chipinput.Span(s.inputLen, uint32(s.inStart), uint32(s.inStart+s.inBytes), final)
	nb := end - first
	rows[t.input] = nb + 2
	rows[t.hook] = 0
	if s.hooks > 0 {
		rows[t.hook] = s.hooks + 1
	}
	rows[t.poseidon2] = nb + s.hooks
	nodes := max(len(s.nodes), 1) // an empty touched set: the root alone
	rows[t.node] = nodes
	rows[t.leaf] = len(s.blocks)
	rows[t.poseidon2] += 2 * (nodes + len(s.blocks))
	// The output table (core/chips/output's Trace): a row per block of the share and a
	// final row; a permutation per absorbed block but a partial last one.
	outStart, outEnd := uint32(s.outStart), uint32(s.outStart+s.outBytes)
	ob := output.Blocks(outStart, outEnd)
	rows[t.output] = ob + 1
	if ob > 0 {
		perms := ob - 1
		if int(output.Base(outStart))+output.BlockBytes*ob == int(outEnd) {
			perms = ob
		}
		rows[t.poseidon2] += perms
	}
	rows[t.memory] = len(s.words) + 1
	for j := range bytetable.Ops {
		rows[t.bytes[j]] = 0
		if s.bytes[j] {
			rows[t.bytes[j]] = bytetable.Height
		}
	}
	rows[t.rng] = rangetable.Height
	if rows[t.sha256] > 0 {
		rows[t.sha256] = max(rows[t.sha256], sha256chip.Rounds)
	}
	return rows
}

// Present reports, per table, whether a segment with these rows (Rows' output) has the
// table in its proof: every required table, an optional one with rows.
func (c *RowCounter) Present(rows []int) []bool {
	p := make([]bool, len(rows))
	for i := range rows {
		p[i] = !c.tables.optional[i] || rows[i] > 0
	}
	return p
}
