package frame

import (
	"github.com/oneiros-zk/oneiros/core/chips/memory"
	"github.com/oneiros-zk/oneiros/proving/air"
)

// Columns of the frame chip.
type Columns struct {
	IsCall, IsRet air.Column
	Clk           air.Column
	FP            air.Column // word index of the frame
	Wrap          air.Column // fp = 2^30 − 1: the link word is word 0
	PCLo, PCHi    air.Column // pc = pc_lo + 2^16·pc_hi, the word [fp]
	// saved_fp = saved_lo + 2^14·saved_hi; the word [fp+1] is (4·saved_lo, saved_hi),
	// the byte address 4·saved_fp.
	SavedLo, SavedHi air.Column
	PCWord, FPWord   *memory.Access // [fp] (slot 3) and [fp+1] (slot 4)
}

// Width is the number of main columns.
const Width = 19

func newColumns(b *air.Builder) *Columns {
	return &Columns{
		IsCall: b.Main("is_call"), IsRet: b.Main("is_ret"),
		Clk: b.Main("clk"), FP: b.Main("fp"), Wrap: b.Main("wrap"),
		PCLo: b.Main("pc_lo"), PCHi: b.Main("pc_hi"),
		SavedLo: b.Main("saved_lo"), SavedHi: b.Main("saved_hi"),
		PCWord: memory.NewAccess(b, "pc_word", true),
		FPWord: memory.NewAccess(b, "fp_word", true),
	}
}
