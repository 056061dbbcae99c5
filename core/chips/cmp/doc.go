// Package cmp is the chip of 32-bit comparisons: the ALU ops SLT, SLTU, EQ and NE, and
// the branch conditions bus.OpGE and bus.OpGEU (BEQ, BNE, BLT and BLTU use EQ, NE, SLT
// and SLTU).
//
// # Statement
//
// Given rows (op, x, y, z) received on the ALU bus with op one of SLT, SLTU, EQ, NE,
// OpGE, OpGEU, this chip proves z_hi = 0 and z_lo = 1 if the comparison holds, 0
// otherwise: x < y signed (SLT), x < y unsigned (SLTU), x = y (EQ), x ≠ y (NE), x ≥ y
// signed (OpGE), x ≥ y unsigned (OpGEU), for x and y whose 16-bit limbs are well-formed
// (their producers range-checked them). The result is 0 or 1 by construction, so it is
// a well-formed word.
//
// Each row is one operation: six boolean op flags, at most one set; the row receives
// (op, x, y, z) with multiplicity real = Σ flags and op = Σ flag·code. A signed
// comparison is the unsigned comparison of x' = x XOR 2^31 and y' = y XOR 2^31: with
// the sign bits s_x, s_y (the top bit of x_hi, proven by the range check
// 2·x_hi − 2^16·s_x < 2^16 on signed rows), x'_hi = x_hi + 2^15 − 2^16·s_x, and
// likewise y'. The difference x' − y' (x − y on unsigned rows) is proven by a borrow
// chain with boolean borrows b0, b1:
//
//	d_lo = x_lo − y_lo + 2^16·b0,   d_hi = x'_hi − y'_hi − b0 + 2^16·b1,
//
// with d_lo and d_hi range-checked to 16 bits, so that x' − y' + 2^32·b1 ∈ [0, 2^32)
// and b1 = [x' < y']. On EQ and NE rows (unsigned) x = y exactly when d_lo + d_hi = 0
// (two limbs in [0, 2^16) cannot cancel); with the inverse witness inv,
// e = 1 − (d_lo + d_hi)·inv and (d_lo + d_hi)·e = 0 make e = [x = y]. The result is
//
//	z_lo = (slt + sltu)·b1 + (ge + geu)·(1 − b1) + eq·e + ne·(1 − e).
//
// Padding rows have all flags 0 and constrain nothing.
//
// # Usage
//
// [Trace] builds the rows from the CPU's ALU events ([Handles] picks them) and counts its
// range lookups in a [rangetable.Counter].
//
// # Performance
//
// 16 main columns; five interactions (the ALU receive and four U16 range checks, the
// d_hi check of degree 2 alone) in three LogUp columns
// (extension field) besides the running sum.
package cmp
