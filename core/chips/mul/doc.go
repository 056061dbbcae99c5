// Package mul is the chip of 32-bit multiplication: the ALU ops MUL (the low word of
// the product), MULH (high word, signed × signed), MULHU (unsigned × unsigned) and
// MULHSU (signed × unsigned).
//
// # Statement
//
// Given rows (op, x, y, z) received on the ALU bus with op MUL, MULH, MULHU or MULHSU,
// this chip proves that z is the low word (MUL) or the high word (the others) of the
// 64-bit product X·Y, where X and Y are x and y read as signed or unsigned integers as
// the op says, and that z is a well-formed word (16-bit limbs); x and y arrive as
// 16-bit limbs from their producers.
//
// Each row is one operation: four boolean op flags, at most one set; the row receives
// (op, x, y, z) with multiplicity real = Σ flags. The operands are held as bytes x_i,
// y_i (i < 4; the bus limbs are x_lo = x_0 + 2^8·x_1, x_hi = x_2 + 2^8·x_3), all
// range-checked in pairs by the byte table's range op (package bytetable). The sign
// bits s_x, s_y are the top bits of x_3 and y_3: the lookup of
// (2·x_3 − 2^8·s_x, 2·y_3 − 2^8·s_y) as a byte pair only holds for those. X and Y are
// extended to eight bytes with e_x = 255·s_x·(mulh + mulhsu) and e_y = 255·s_y·mulh,
// their two's complement sign extensions (0 for unsigned operands), so that the 64-bit
// product X·Y mod 2^64 has the 16-bit limbs P_0 … P_3 given by
//
//	Σ_{i+j=2k} X_i·Y_j + 2^8·Σ_{i+j=2k+1} X_i·Y_j + c_(k−1) = P_k + 2^16·c_k,   k = 0 … 3,
//
// (c_(−1) = 0) with carries c_k < 2^12 (U12 range checks). Every term is below 2^28,
// so each equation holds over the integers and the P_k are the product's limbs. The
// result word (z_lo, z_hi) and the other half (w_lo, w_hi) are range-checked to 16
// bits (U16), and (P_0, P_1, P_2, P_3) = (z, w) for MUL and (w, z) for the high ops.
// Padding rows are all zero and satisfy every equation.
//
// # Usage
//
// [Trace] builds the rows from the CPU's ALU events ([Handles] picks them) and counts its
// lookups in a [rangetable.Counter] and a [bytetable.Counter]; a machine with this chip
// includes both tables.
//
// # Performance
//
// 22 main columns; fourteen interactions (the ALU receive, five byte-pair lookups,
// four U16 and four U12 range checks) in seven LogUp columns (extension field) besides
// the running sum. The 8-bit operand limbs keep each limb product below 2^16: products
// of 16-bit limbs reach 2^32 > p.
package mul
