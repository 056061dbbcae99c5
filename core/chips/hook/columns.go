package hook

import (
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// Columns of the hook table: row k < n is the k-th hook call of the segment, row n is
// the final row, rows after it are padding.
type Columns struct {
	Real, Final, K air.Column
	// The call as the CPU sent it on the Syscall bus: its cycle, number, the answer
	// written to [a] and B, as 16-bit limbs.
	Clk, Number        air.Column
	ALo, AHi, BLo, BHi air.Column
	// DClkLo, DClkHi: the next real row's clk − clk − 1 = lo + 2^16·hi.
	DClkLo, DClkHi air.Column
	// State is the sponge state before the row's call (the segment's start on row 0,
	// its end on the final row).
	State [hash.Width]air.Column
}

// Width is the number of main columns.
const Width = 11 + hash.Width

func newColumns(b *air.Builder) *Columns {
	c := &Columns{Real: b.Main("real"), Final: b.Main("final"), K: b.Main("k"), Clk: b.Main("clk"), Number: b.Main("number"),
		ALo: b.Main("a_lo"), AHi: b.Main("a_hi"), BLo: b.Main("b_lo"), BHi: b.Main("b_hi"),
		DClkLo: b.Main("dclk_lo"), DClkHi: b.Main("dclk_hi")}
	copy(c.State[:], b.MainN("state", hash.Width))
	return c
}
