package input

import (
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// Columns of the input table: row k < blocks absorbs block k; row blocks is the final
// row; rows after it are padding.
type Columns struct {
	// Absorb is set on rows 0 … blocks−1, Final on row blocks, Last on row blocks−1.
	Absorb, Final, Last air.Column
	// K is the row index.
	K air.Column
	// Lo and Hi are the 16-bit limbs of the block's words: word 4k+j of the tape, at byte
	// offset 16k + 4j.
	Lo, Hi [BlockWords]air.Column
	// Mult[j] is the number of READs of word j of the block.
	Mult [BlockWords]air.Column
	// State is the sponge state before the block: IV on row 0, the digest in its first 8
	// elements on the final row.
	State [hash.Width]air.Column
}

// Width is the number of main columns.
const Width = 4 + 3*BlockWords + hash.Width

// The table's public values, by index.
const (
	PublicDigest = 0                 // 8 values: the digest
	PublicBlocks = hash.DigestLen    // the number of absorbed blocks
	PublicZero   = PublicBlocks + 1  // 8 values: limb i of the last block is past the end
	PublicHalf   = PublicZero + Rate // 8 values: limb i of the last block holds one byte of input
	NumPublics   = PublicHalf + Rate
)

func newColumns(b *air.Builder) *Columns {
	c := &Columns{Absorb: b.Main("absorb"), Final: b.Main("final"), Last: b.Main("last"), K: b.Main("k")}
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
