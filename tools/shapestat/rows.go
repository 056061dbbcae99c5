package main

import (
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

// This file counts a segment's rows per table without building any trace: each count is
// the row count core/machine's trace builders pass to air.NewTrace (whose height is the
// next power of two), from the same events core/machine's collect derives from the
// records. The -check mode compares the resulting heights with the Report of
// machine.ProveSegment on small segments.

// tables is the machine's table list (names in proof order, from the verifying key),
// with the index of each name.
type tables struct {
	names    []string
	index    map[string]int
	optional []bool
	width    []int // committed base-field columns per row: main + ext·LogUp columns
	main     []int
	aux      []int // LogUp columns (extension elements)
}

func (ts *tables) at(name string) int {
	i, ok := ts.index[name]
	if !ok {
		panic("shapestat: the machine has no table " + name)
	}
	return i
}

// delta is what one record adds to a segment, before memory.
type delta struct {
	inc   []int16 // rows added per table (cpu, ALU chips, loadstore, frame, io, keccak, sha256, u256, hook)
	hooks int     // hook calls (poseidon2 rows: one per call)
	bytes [3]bool // byte tables looked up (bitwise ops)
	words []uint32
	out   int // output bytes the record writes (the output table absorbs them)
	in    int // input bytes the record reads (the input table's blocks cover them)
}

// counter turns records into deltas.
type counter struct {
	ts       *tables
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
}

func newCounter(ts *tables) *counter {
	c := &counter{ts: ts, rc: new(rangetable.Counter), bc: new(bytetable.Counter), u256Byte: map[[2]uint32][3]bool{}}
	for i, n := range []string{"addsub", "cmp", "bitwise", "mul", "divrem", "shift"} {
		c.alu[i] = ts.at(n)
	}
	c.aluH = [6]func(uint32) bool{addsub.Handles, cmp.Handles, bitwise.Handles, mul.Handles, divrem.Handles, shift.Handles}
	c.cpu, c.ls, c.frame, c.io = ts.at("cpu"), ts.at("loadstore"), ts.at("frame"), ts.at("io")
	c.km, c.kr, c.sm, c.sr = ts.at("keccak_memory"), ts.at("keccak"), ts.at("sha256_memory"), ts.at("sha256")
	for i, n := range []string{"u256_memory", "u256_arith", "u256_bits", "u256_muldiv", "u256_shift"} {
		c.u256t[i] = ts.at(n)
	}
	c.hook = ts.at("hook")
	return c
}

// of fills d with the record's delta (d.inc zeroed first).
func (c *counter) of(r *trace.Record, d *delta) {
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

// u256Rows classifies one u256 call by building each table's trace of it alone (the
// tables' filters are the packages' own).
func (c *counter) u256Rows(r *trace.Record, d *delta) {
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

// segment is one segment's counts so far.
type segment struct {
	cycles int
	inc    []int // the per-record tables' rows
	hooks  int
	bytes  [3]bool
	// outStart is the run's output offset where the segment starts, outBytes the
	// output bytes its records write so far (the output table's share).
	outStart, outBytes int
	// inStart is the run's input offset where the segment starts, inBytes the input
	// bytes its READs read so far (the input table absorbs the blocks they reach).
	inStart, inBytes int
	words            map[uint32]struct{}
	blocks           map[uint32]struct{}
	nodes            map[uint32]struct{}
	undo             []undo // keys inserted by the last record (for a budget segmenter's cut)
}

type undo struct {
	set *map[uint32]struct{}
	key uint32
}

func newSegment(n int) *segment {
	return &segment{inc: make([]int, n), words: map[uint32]struct{}{}, blocks: map[uint32]struct{}{}, nodes: map[uint32]struct{}{}}
}

func (s *segment) reset() {
	s.cycles, s.hooks, s.bytes, s.undo = 0, 0, [3]bool{}, s.undo[:0]
	s.outStart, s.outBytes = s.outStart+s.outBytes, 0
	s.inStart, s.inBytes = s.inStart+s.inBytes, 0
	clear(s.inc)
	clear(s.words)
	clear(s.blocks)
	clear(s.nodes)
}

func (s *segment) insert(m *map[uint32]struct{}, k uint32) bool {
	if _, ok := (*m)[k]; ok {
		return false
	}
	(*m)[k] = struct{}{}
	s.undo = append(s.undo, undo{m, k})
	return true
}

// add applies a record's delta (its undo log replaces the previous record's).
func (s *segment) add(d *delta) {
	s.undo = s.undo[:0]
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

// remove undoes the last add of d (its bytes flags are not undone: a cut segment keeps
// them only if an earlier record set them, which add's caller checks before).
func (s *segment) remove(d *delta, bytesBefore [3]bool) {
	s.cycles--
	for i, v := range d.inc {
		s.inc[i] -= int(v)
	}
	s.hooks -= d.hooks
	s.outBytes -= d.out
	s.inBytes -= d.in
	s.bytes = bytesBefore
	for _, u := range s.undo {
		delete(*u.set, u.key)
	}
	s.undo = s.undo[:0]
}

// run is what a segment's row counts depend on beyond its records.
type runInfo struct {
	code     int    // the program's instructions (ROM rows)
	inputLen uint32 // the input table absorbs the unread input in the final segment
}

// rows returns the segment's row count per table and whether each table is present
// (core/machine/chips.go's trace builders; an absent table is an optional one without
// rows); final: the segment ends the run (its input table absorbs the unread input).
func (s *segment) rows(ts *tables, ri runInfo, final bool) (rows []int, present []bool) {
	n := len(ts.names)
	rows, present = make([]int, n), make([]bool, n)
	copy(rows, s.inc)
	rows[ts.at("cpu")] = s.cycles + 1 // at least one padding row
	rows[ts.at("rom")] = ri.code
	// The input table (core/chips/input's Trace): a carry row, a row per block from the
	// first not yet absorbed to the last its READs reach (to the input's end in a final
	// segment), a final row; a permutation per absorbed block.
	first, end := chipinput.Span(ri.inputLen, uint32(s.inStart), uint32(s.inStart+s.inBytes), final)
	nb := end - first
	rows[ts.at("input")] = nb + 2
	if h := ts.at("hook"); s.hooks > 0 {
		rows[h] = s.hooks + 1
	}
	rows[ts.at("poseidon2")] = nb + s.hooks
	nodes := max(len(s.nodes), 1) // an empty touched set: the root alone
	rows[ts.at("memtree_node")] = nodes
	rows[ts.at("memtree_leaf")] = len(s.blocks)
	rows[ts.at("poseidon2")] += 2 * (nodes + len(s.blocks))
	// The output table (core/chips/output's Trace): a row per block of the share
	// and a final row; a permutation per absorbed block but a partial last one.
	outStart, outEnd := uint32(s.outStart), uint32(s.outStart+s.outBytes)
	ob := output.Blocks(outStart, outEnd)
	rows[ts.at("output")] = ob + 1
	if ob > 0 {
		perms := ob - 1
		if int(output.Base(outStart))+output.BlockBytes*ob == int(outEnd) {
			perms = ob
		}
		rows[ts.at("poseidon2")] += perms
	}
	rows[ts.at("memory")] = len(s.words) + 1
	for j, op := range bytetable.Ops {
		if s.bytes[j] {
			rows[ts.at(bytetable.Name(op))] = bytetable.Height
		}
	}
	rows[ts.at("range")] = rangetable.Height
	if sr := ts.at("sha256"); rows[sr] > 0 {
		rows[sr] = max(rows[sr], sha256chip.Rounds)
	}
	for i := range rows {
		present[i] = !ts.optional[i] || rows[i] > 0
	}
	return rows, present
}

// capacity is the most cycles a segment of size 2^k holds (host/planner.Capacity).
func capacity(k int) int { return min(1<<k-1, maxCycles) }
