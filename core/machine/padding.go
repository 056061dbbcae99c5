package machine

import (
	"fmt"
	"math/bits"

	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
)

// Padding a segment's tables to given heights (SegmentRun.MinLogN), so that its proof
// has one of a fixed catalogue of shapes (docs/leaf-shapes.md).
//
// Each table's trace builder takes the least number of rows asked of it and fills the
// rows past its data with the padding rows it fills anyway up to a power of two: rows
// that satisfy its constraints and send or receive nothing on any bus (their range
// lookups, where a padding row makes some, counted like the others). A padded proof
// proves the same statement: the verifier sees other heights, the same public values
// and messages.
//
// What cannot be padded is refused: a table with preprocessed columns (the ROM, the
// byte tables, the range table) has the height of its fixed columns; the hook table is
// present exactly when the segment makes hook calls (the verifier checks it); no table
// may pass the tallest the engine allows (maxRows).

// padTo checks the minimum log heights ev.minLogN against the tables and sets ev.least,
// the least rows of each table the trace builders pad to.
func (m *Machine) padTo(keys *Keys, ev *events) error {
	ev.least = nil
	// A ROM padded to a class (SetupROM): its trace has the preprocessed columns' height.
	for t, c := range m.chips {
		if c.name == "rom" && t < len(keys.VK.PrepLogN) && keys.VK.PrepLogN[t] >= 0 {
			if rows := 1 << keys.VK.PrepLogN[t]; rows > air.Height(len(ev.romCounts)) {
				ev.least = map[string]int{"rom": rows}
			}
		}
	}
	if len(ev.minLogN) == 0 {
		return nil
	}
	if len(ev.minLogN) != len(m.chips) {
		return fmt.Errorf("machine: %d minimum table heights for %d tables", len(ev.minLogN), len(m.chips))
	}
	maxLog := bits.Len(uint(m.maxRows())) - 1
	if ev.least == nil {
		ev.least = map[string]int{}
	}
	for t, l := range ev.minLogN {
		if l <= 0 {
			continue
		}
		c := &m.chips[t]
		if l > maxLog {
			return fmt.Errorf("machine: table %s: a minimum height of 2^%d passes the tallest a table may have (2^%d at log blowup %d: the field's two-adicity is %d)", c.name, l, maxLog, field.TwoAdicity-maxLog, field.TwoAdicity)
		}
		if p := keys.VK.PrepLogN[t]; p >= 0 {
			if l != p {
				return fmt.Errorf("machine: table %s has preprocessed columns of height 2^%d: it cannot be padded to 2^%d (ask for 2^%d or no minimum)", c.name, p, l, p)
			}
		}
		if c.name == "hook" && len(hookCalls(ev)) == 0 {
			return fmt.Errorf("machine: table hook: the segment makes no hook call, and its proof must then leave the hook table out (the verifier requires it): no minimum height can be asked of it")
		}
		ev.least[c.name] = 1 << l
	}
	return nil
}

// checkPadded refuses traces shorter than the rows asked of them (a trace builder that
// ignored its minimum), so that a proof never has a shape other than the one asked.
func (m *Machine) checkPadded(ev *events, main [][][]field.Elem) error {
	for t, c := range m.chips {
		want := ev.rows(c.name)
		if want == 0 {
			continue
		}
		if len(main[t]) == 0 || len(main[t][0]) < want {
			got := 0
			if len(main[t]) > 0 {
				got = len(main[t][0])
			}
			return fmt.Errorf("machine: table %s: %d rows built, %d asked (its trace builder does not pad)", c.name, got, want)
		}
	}
	return nil
}
