package main

import (
	"github.com/oneiros-zk/oneiros/core/machine"
	"github.com/oneiros-zk/oneiros/core/trace"
)

// This file adapts core/machine's row counter (machine.RowCounter, machine.SegmentRows:
// the row count each trace builder passes to air.NewTrace, from the records) to the
// segmenters here. The -check mode compares the resulting heights with the Report of
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

// delta is what one record adds to a segment (machine.RowDelta).
type delta = machine.RowDelta

// counter turns records into deltas.
type counter struct{ rc *machine.RowCounter }

func newCounter(m *machine.Machine) *counter { return &counter{rc: m.NewRowCounter()} }

// of fills d with the record's delta.
func (c *counter) of(r *trace.Record, d *delta) { c.rc.Delta(r, d) }

// segment is one segment's counts so far: the library's, made on the first record (when
// the run's program and input lengths are known).
type segment struct {
	cycles int
	sr     *machine.SegmentRows
	rc     *machine.RowCounter
}

func newSegment(int) *segment { return &segment{} }

// bind makes the segment count rows of the run ri with the counter c.
func (s *segment) bind(c *counter, ri runInfo) {
	s.rc, s.sr = c.rc, c.rc.NewSegmentRows(ri.code, ri.inputLen)
}

func (s *segment) reset() {
	s.sr.Reset()
	s.cycles = 0
}

// add applies a record's delta.
func (s *segment) add(d *delta) {
	s.sr.Add(d)
	s.cycles = s.sr.Cycles()
}

// remove undoes the last add of d.
func (s *segment) remove(d *delta) {
	if err := s.sr.Undo(d); err != nil {
		panic("shapestat: " + err.Error()) // remove follows its add
	}
	s.cycles = s.sr.Cycles()
}

// run is what a segment's row counts depend on beyond its records.
type runInfo struct {
	code     int    // the program's instructions (ROM rows)
	inputLen uint32 // the input table absorbs the unread input in the final segment
}

// rows returns the segment's row count per table and whether each table is present;
// final: the segment ends the run (its input table absorbs the unread input).
func (s *segment) rows(_ *tables, _ runInfo, final bool) (rows []int, present []bool) {
	rows = s.sr.Rows(final)
	return rows, s.rc.Present(rows)
}

// capacity is the most cycles a segment of size 2^k holds (host/planner.Capacity).
func capacity(k int) int { return min(1<<k-1, maxCycles) }
