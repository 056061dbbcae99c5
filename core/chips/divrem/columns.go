package divrem

import "github.com/oneiros-zk/oneiros/proving/air"

// Columns of the division chip.
type Columns struct {
	IsDIV, IsDIVU, IsREM, IsREMU air.Column
	XLo, XHi                     air.Column
	Y, Q                         []air.Column // bytes of the divisor and the quotient
	RLo, RHi                     air.Column   // the remainder
	TLo, THi                     air.Column   // (|Y| − 1) − |R|
	Kappa                        air.Column   // the carry between t_lo and t_hi, in {−1, 0, 1}
	Rho                          air.Column   // R < 0
	SignX, SignY, SignQ          air.Column
	Carry                        []air.Column // carries of X = Q·Y + R
	NZ, Inv                      air.Column   // y ≠ 0, and the inverse of y_lo + y_hi
}

// Width is the number of main columns.
const Width = 29

func newColumns(b *air.Builder) *Columns {
	return &Columns{
		IsDIV: b.Main("is_div"), IsDIVU: b.Main("is_divu"), IsREM: b.Main("is_rem"), IsREMU: b.Main("is_remu"),
		XLo: b.Main("x_lo"), XHi: b.Main("x_hi"),
		Y: b.MainN("y", 4), Q: b.MainN("q", 4),
		RLo: b.Main("r_lo"), RHi: b.Main("r_hi"),
		TLo: b.Main("t_lo"), THi: b.Main("t_hi"),
		Kappa: b.Main("kappa"), Rho: b.Main("rho"),
		SignX: b.Main("sign_x"), SignY: b.Main("sign_y"), SignQ: b.Main("sign_q"),
		Carry: b.MainN("carry", 4),
		NZ:    b.Main("nz"), Inv: b.Main("inv"),
	}
}

// limbs returns the 16-bit limbs (lo, hi) of a word held as four bytes.
func limbs(bytes []air.Column) (lo, hi air.Expr) {
	return bytes[0].Cur.Add(bytes[1].Cur.MulC(1 << 8)), bytes[2].Cur.Add(bytes[3].Cur.MulC(1 << 8))
}
