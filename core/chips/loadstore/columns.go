package loadstore

import (
	"github.com/oneiros-zk/oneiros/core/chips/memory"
	"github.com/oneiros-zk/oneiros/proving/air"
)

// Columns of the load/store chip. The window is the 8 bytes of the words w and w+1,
// little endian: window byte m is byte m mod 4 of word w + m/4.
type Columns struct {
	// One selector per opcode; their sum is the row's is_real.
	IsLW, IsLH, IsLHU, IsLB, IsLBU, IsSW, IsSH, IsSB air.Column
	Clk                                              air.Column
	BaseLo, BaseHi, OffLo, OffHi                     air.Column
	Val                                              [4]air.Column // bytes of val
	// addr = base + off mod 2^32 = k + 4·word_lo + 2^16·addr_hi, with carries c0, c1;
	// the word index is w = word_lo + 2^14·addr_hi.
	C0, C1         air.Column
	WordLo, AddrHi air.Column
	K              [4]air.Column // one-hot byte offset k = addr mod 4
	Wrap           air.Column    // w = 2^30 − 1: the second word is word 0
	Neg            air.Column    // sign bit of a signed load's top byte
	Before, After  [8]air.Column // the window before and after the access
	Sel            [4]air.Column // Sel[j] = Before[k + j]
	Lo, Hi         *memory.Access
}

// Width is the number of main columns.
const Width = 57

func newColumns(b *air.Builder) *Columns {
	c := &Columns{
		IsLW: b.Main("is_lw"), IsLH: b.Main("is_lh"), IsLHU: b.Main("is_lhu"),
		IsLB: b.Main("is_lb"), IsLBU: b.Main("is_lbu"),
		IsSW: b.Main("is_sw"), IsSH: b.Main("is_sh"), IsSB: b.Main("is_sb"),
		Clk:    b.Main("clk"),
		BaseLo: b.Main("base_lo"), BaseHi: b.Main("base_hi"),
		OffLo: b.Main("off_lo"), OffHi: b.Main("off_hi"),
	}
	copy(c.Val[:], b.MainN("val", 4))
	c.C0, c.C1 = b.Main("carry0"), b.Main("carry1")
	c.WordLo, c.AddrHi = b.Main("word_lo"), b.Main("addr_hi")
	copy(c.K[:], b.MainN("k", 4))
	c.Wrap = b.Main("wrap")
	c.Neg = b.Main("neg")
	copy(c.Before[:], b.MainN("before", 8))
	copy(c.After[:], b.MainN("after", 8))
	copy(c.Sel[:], b.MainN("sel", 4))
	c.Lo = memory.NewAccess(b, "word0", true)
	c.Hi = memory.NewAccess(b, "word1", true)
	return c
}
