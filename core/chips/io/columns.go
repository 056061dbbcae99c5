package io

import "github.com/oneiros-zk/oneiros/proving/air"

// Columns of the I/O chip.
type Columns struct {
	IsRead, IsLen, IsWrite air.Column
	// Count[i] is set when a READ or WRITE moves i+1 bytes (one-hot on those rows).
	Count          [4]air.Column
	Clk            air.Column
	A              [4]air.Column // the bytes of [a]
	BLo, BHi       air.Column
	InOff, OutOff  air.Column // input and output offsets before the call
	GapLo, GapHi   air.Column // a full READ: input_len − in_off − 4 = lo + 2^16·hi < 2^30
	DClkLo, DClkHi air.Column // next clk − clk − 1 = lo + 2^16·hi < 2^28
}

// Width is the number of main columns.
const Width = 20

// MaxInputLen bounds the public input_len: the chip sees it as a field element, so a
// statement's length must be below p to mean one integer, and INPUT_LEN's answer is
// proven below 2^30. A verifier must refuse a statement with a longer input: p + k
// would read as k.
const MaxInputLen = 1 << 30

// The table's public values, by index.
const (
	PublicInputLen  = 0 // the length of the input tape
	PublicOutputLen = 1 // the output offset where the segment ends (a run's last: the output's length)
	PublicInStart   = 2 // the input offset where the segment starts (0 for a run's first)
	PublicOutStart  = 3 // the output offset where the segment starts (0 for a run's first)
	PublicInEnd     = 4 // the input offset where the segment ends
	numPublics      = 5
)

func newColumns(b *air.Builder) *Columns {
	c := &Columns{IsRead: b.Main("is_read"), IsLen: b.Main("is_input_len"), IsWrite: b.Main("is_write")}
	copy(c.Count[:], b.MainN("count", 4))
	c.Clk = b.Main("clk")
	copy(c.A[:], b.MainN("a", 4))
	c.BLo, c.BHi = b.Main("b_lo"), b.Main("b_hi")
	c.InOff, c.OutOff = b.Main("in_off"), b.Main("out_off")
	c.GapLo, c.GapHi = b.Main("gap_lo"), b.Main("gap_hi")
	c.DClkLo, c.DClkHi = b.Main("dclk_lo"), b.Main("dclk_hi")
	return c
}
