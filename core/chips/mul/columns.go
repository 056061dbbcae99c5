package mul

import "github.com/oneiros-zk/oneiros/proving/air"

// Columns of the multiplication chip.
type Columns struct {
	IsMUL, IsMULH, IsMULHU, IsMULHSU air.Column
	X, Y                             []air.Column // bytes, least significant first
	SignX, SignY                     air.Column   // top bits of x and y
	ZLo, ZHi                         air.Column   // the result word
	WLo, WHi                         air.Column   // the other half of the product
	Carry                            []air.Column // carries out of the product's limbs
}

// Width is the number of main columns.
const Width = 22

func newColumns(b *air.Builder) *Columns {
	return &Columns{
		IsMUL: b.Main("is_mul"), IsMULH: b.Main("is_mulh"), IsMULHU: b.Main("is_mulhu"), IsMULHSU: b.Main("is_mulhsu"),
		X: b.MainN("x", 4), Y: b.MainN("y", 4),
		SignX: b.Main("sign_x"), SignY: b.Main("sign_y"),
		ZLo: b.Main("z_lo"), ZHi: b.Main("z_hi"), WLo: b.Main("w_lo"), WHi: b.Main("w_hi"),
		Carry: b.MainN("carry", 4),
	}
}
