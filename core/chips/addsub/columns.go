package addsub

import "github.com/oneiros-zk/oneiros/proving/air"

// Columns of the add/sub chip.
type Columns struct {
	IsAdd, IsSub       air.Column
	XLo, XHi, YLo, YHi air.Column
	ZLo, ZHi           air.Column
	C0, C1             air.Column
}

// Width is the number of main columns.
const Width = 10

func newColumns(b *air.Builder) *Columns {
	return &Columns{
		IsAdd: b.Main("is_add"), IsSub: b.Main("is_sub"),
		XLo: b.Main("x_lo"), XHi: b.Main("x_hi"),
		YLo: b.Main("y_lo"), YHi: b.Main("y_hi"),
		ZLo: b.Main("z_lo"), ZHi: b.Main("z_hi"),
		C0: b.Main("carry0"), C1: b.Main("carry1"),
	}
}
