package cmp

import "github.com/oneiros-zk/oneiros/proving/air"

// Columns of the comparison chip.
type Columns struct {
	IsSLT, IsSLTU, IsEQ, IsNE, IsGE, IsGEU air.Column
	XLo, XHi, YLo, YHi                     air.Column
	Z                                      air.Column // z_lo; z_hi is 0
	Borrow0, Borrow1                       air.Column // borrows of x' − y'
	SignX, SignY                           air.Column // top bits of x and y (signed rows)
	Inv                                    air.Column // inverse of d_lo + d_hi, or 0
}

// Width is the number of main columns.
const Width = 16

func newColumns(b *air.Builder) *Columns {
	return &Columns{
		IsSLT: b.Main("is_slt"), IsSLTU: b.Main("is_sltu"), IsEQ: b.Main("is_eq"),
		IsNE: b.Main("is_ne"), IsGE: b.Main("is_ge"), IsGEU: b.Main("is_geu"),
		XLo: b.Main("x_lo"), XHi: b.Main("x_hi"), YLo: b.Main("y_lo"), YHi: b.Main("y_hi"),
		Z:       b.Main("z"),
		Borrow0: b.Main("borrow0"), Borrow1: b.Main("borrow1"),
		SignX: b.Main("sign_x"), SignY: b.Main("sign_y"),
		Inv: b.Main("inv"),
	}
}
