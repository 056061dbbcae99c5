package machine

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
)

// Cutter cuts a run into segments of a catalogue's shapes as its records stream: a
// segment of class k ends when it holds 2^k − 1 cycles (MaxCycles at 2^21) or when the
// next record would make it fit no shape of the class; the run's last segment takes the
// cheapest shape of any class that holds it. Each shape the Cutter returns is what the
// segment's proof must be padded to (CatalogueShape.MinLogN) under the keys of the
// program's ROM class (SetupROM with RomLogN).
type Cutter struct {
	cat     *Catalogue
	counter *RowCounter
	rows    *SegmentRows
	d       *RowDelta
	k       int
	romLog  int
	cap     int
}

// NewCutter returns a cutter of a run of program p with an input of inputLen bytes into
// segments of class k (a class of the catalogue's family for p's ROM class).
func (c *Catalogue) NewCutter(m *Machine, p *isa.Program, inputLen uint32, k int) (*Cutter, error) {
	romLog, err := c.ROMLogN(len(p.Code))
	if err != nil {
		return nil, err
	}
	found := false
	for _, x := range c.Classes(romLog) {
		found = found || x == k
	}
	if !found {
		return nil, fmt.Errorf("machine: catalogue %s has no segments of 2^%d cycles for a program of %d instructions (ROM class 2^%d: classes %v)",
			c.name, k, len(p.Code), romLog, c.Classes(romLog))
	}
	rc := m.NewRowCounter()
	return &Cutter{cat: c, counter: rc, rows: rc.NewSegmentRows(len(p.Code), inputLen), d: rc.NewDelta(), k: k, romLog: romLog,
		cap: min(1<<k-1, MaxCycles)}, nil
}

// ROMLogN is the run's ROM class: the keys its segments are proven under are
// SetupROM(p, ROMLogN()).
func (c *Cutter) ROMLogN() int { return c.romLog }

// Capacity is the most cycles a segment holds.
func (c *Cutter) Capacity() int { return c.cap }

// Add takes the run's next record. When the segment so far must end before it, Add
// returns the ended segment's shape (the record then starts the next segment);
// otherwise nil. It refuses a record that fits no shape even alone in a segment.
func (c *Cutter) Add(r *trace.Record) (*CatalogueShape, error) {
	c.counter.Delta(r, c.d)
	c.rows.Add(c.d)
	if c.rows.Cycles() <= c.cap && c.cat.Fits(c.rows.Rows(false), false, c.k, c.romLog) {
		return nil, nil
	}
	if c.rows.Cycles() == 1 {
		_, err := c.cat.Fit(c.rows.Rows(false), false, c.k)
		return nil, fmt.Errorf("machine: the record at pc %d (clk %d) fits no segment shape alone: %w", r.PC, r.Clk, err)
	}
	if err := c.rows.Undo(c.d); err != nil {
		return nil, err
	}
	s, err := c.cat.Fit(c.rows.Rows(false), false, c.k)
	if err != nil {
		return nil, err // it fitted before this record: a broken invariant of Fits and Fit
	}
	c.rows.Reset()
	c.rows.Add(c.d)
	if !c.cat.Fits(c.rows.Rows(false), false, c.k, c.romLog) {
		_, err := c.cat.Fit(c.rows.Rows(false), false, c.k)
		return nil, fmt.Errorf("machine: the record at pc %d (clk %d) fits no segment shape alone: %w", r.PC, r.Clk, err)
	}
	return s, nil
}

// Cycles is the number of records in the current segment.
func (c *Cutter) Cycles() int { return c.rows.Cycles() }

// Finish is the shape of the run's last segment (the current one), of the cheapest
// class that holds it, or why none does.
func (c *Cutter) Finish() (*CatalogueShape, error) {
	if c.rows.Cycles() == 0 {
		return nil, fmt.Errorf("machine: no records in the last segment")
	}
	return c.cat.Fit(c.rows.Rows(true), true, 0)
}
