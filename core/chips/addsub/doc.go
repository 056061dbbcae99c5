// Package addsub is the chip of 32-bit addition and subtraction (ALU ops ADD and SUB).
//
// # Statement
//
// Given rows (x, y, z) received on the ALU bus with op ADD or SUB, this chip proves
// z = x + y mod 2^32 (ADD) or z = x − y mod 2^32 (SUB), for x and y whose 16-bit limbs
// are well-formed (their producers range-checked them), and range-checks z's limbs, so
// that z is a well-formed word. SUB is proven as z + y = x.
//
// Each row is one operation: is_add and is_sub are boolean, at most one is set, and the
// row receives (op, x, y, z) with multiplicity is_add + is_sub, where
// op = ADD·is_add + SUB·is_sub. With s = x (ADD) or z (SUB) and r = z (ADD) or x (SUB),
// the limbs satisfy s_lo + y_lo = r_lo + 2^16·c0 and s_hi + y_hi + c0 = r_hi + 2^16·c1
// with boolean carries. Padding rows have is_add = is_sub = 0 and constrain nothing.
package addsub
