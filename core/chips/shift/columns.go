package shift

import "github.com/oneiros-zk/oneiros/proving/air"

// Columns of the shift chip.
type Columns struct {
	IsSLL, IsSRL, IsSRA air.Column
	XLo, XHi, YLo, YHi  air.Column
	ZLo, ZHi            air.Column
	E                   []air.Column // the bits of E mod 8
	Sel                 []air.Column // one-hot E / 8
	Q                   air.Column   // y_lo / 32
	M                   air.Column   // 2^(E mod 8)
	W                   []air.Column // the bytes of x·m' (two's complement for SRA)
	C                   air.Column   // carry out of x_lo·m'
	SignX               air.Column   // x's top bit on SRA rows
}

// Width is the number of main columns.
const Width = 25

func newColumns(b *air.Builder) *Columns {
	return &Columns{
		IsSLL: b.Main("is_sll"), IsSRL: b.Main("is_srl"), IsSRA: b.Main("is_sra"),
		XLo: b.Main("x_lo"), XHi: b.Main("x_hi"), YLo: b.Main("y_lo"), YHi: b.Main("y_hi"),
		ZLo: b.Main("z_lo"), ZHi: b.Main("z_hi"),
		E: b.MainN("e", 3), Sel: b.MainN("sel", 4),
		Q: b.Main("q"), M: b.Main("m"),
		W: b.MainN("w", 5), C: b.Main("c"),
		SignX: b.Main("sign_x"),
	}
}
