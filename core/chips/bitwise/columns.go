package bitwise

import "github.com/oneiros-zk/oneiros/proving/air"

// Columns of the bitwise chip.
type Columns struct {
	IsAND, IsOR, IsXOR air.Column
	X, Y, Z            []air.Column // bytes, least significant first
}

// Width is the number of main columns.
const Width = 15

func newColumns(b *air.Builder) *Columns {
	return &Columns{
		IsAND: b.Main("is_and"), IsOR: b.Main("is_or"), IsXOR: b.Main("is_xor"),
		X: b.MainN("x", 4), Y: b.MainN("y", 4), Z: b.MainN("z", 4),
	}
}

// limbs returns the 16-bit limbs (lo, hi) of a word held as four bytes.
func limbs(bytes []air.Column) (lo, hi air.Expr) {
	return bytes[0].Cur.Add(bytes[1].Cur.MulC(1 << 8)), bytes[2].Cur.Add(bytes[3].Cur.MulC(1 << 8))
}
