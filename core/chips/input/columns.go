package input

import (
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// Columns of the input table of a segment that absorbs blocks [first, first+blocks):
// row 0 is the carry row (the block before first, as the previous segment left it), row
// r = 1 … blocks absorbs block first + r − 1, row blocks + 1 is the final row; rows after
// it are padding.
type Columns struct {
	// Carry is set on row 0, Absorb on rows 1 … blocks, Final on row blocks+1, Last on
	// row blocks (the row before the final one).
	Carry, Absorb, Final, Last air.Column
	// R is the row index; the row holds block k = first + R − 1.
	R air.Column
	// Lo and Hi are the 16-bit limbs of the row's block's words: word 4k+j of the tape,
	// at byte offset 16k + 4j.
	Lo, Hi [BlockWords]air.Column
	// Mult[j] is the number of READs of word j of the block.
	Mult [BlockWords]air.Column
	// State is the sponge state before the row's block (absorbing rows) or after the
	// segment's last block (the final row).
	State [hash.Width]air.Column
}

// Width is the number of main columns.
const Width = 5 + 3*BlockWords + hash.Width

// The table's public values, by index.
const (
	PublicStart      = 0                        // 16 values: the sponge state where the segment starts
	PublicStartCarry = PublicStart + hash.Width // 8 values: the carried block where it starts
	PublicEnd        = PublicStartCarry + Rate  // 16 values: the sponge state where it ends
	PublicEndCarry   = PublicEnd + hash.Width   // 8 values: the carried block where it ends
	PublicFirst      = PublicEndCarry + Rate    // the first absorbed block
	PublicBlocks     = PublicFirst + 1          // the number of absorbed blocks
	PublicZero       = PublicBlocks + 1         // 8 values: limb i of the last block is past the end
	PublicHalf       = PublicZero + Rate        // 8 values: limb i of the last block holds one byte of input
	NumPublics       = PublicHalf + Rate
)

func newColumns(b *air.Builder) *Columns {
	c := &Columns{Carry: b.Main("carry"), Absorb: b.Main("absorb"), Final: b.Main("final"), Last: b.Main("last"), R: b.Main("r")}
	copy(c.Lo[:], b.MainN("lo", BlockWords))
	copy(c.Hi[:], b.MainN("hi", BlockWords))
	copy(c.Mult[:], b.MainN("mult", BlockWords))
	copy(c.State[:], b.MainN("state", hash.Width))
	return c
}

// limb is limb i of the block: Lo[i/2] or Hi[i/2].
func (c *Columns) limb(i int) air.Column {
	if i%2 == 0 {
		return c.Lo[i/2]
	}
	return c.Hi[i/2]
}
