// Package shift is the chip of the 32-bit shifts SLL, SRL and SRA, by the amount
// y mod 32.
//
// # Statement
//
// Given rows (op, x, y, z) received on the ALU bus with op SLL, SRL or SRA, this chip
// proves z = x << k (SLL), z = x >> k (SRL, zero fill) or z = x >> k (SRA, sign fill)
// with k = y mod 32, and that z is a well-formed word, for x and y whose 16-bit limbs
// are well-formed (their producers range-checked them).
//
// Every shift is a multiplication by a power of two: x << k is the low word of x·2^k,
// and x >> k is the high word of X·2^(32−k), X being x unsigned (SRL) or signed (SRA).
// The row holds an exponent E < 32: E = k for SLL and E = 31 − k for the right shifts
// (sr = srl + sra), bound to y by
//
//	y_lo = K + 32·q,   K = E + sr·(31 − 2E),   q < 2^16 (U16),
//
// so that K = y_lo mod 32 = k. E is split as E = e_0 + 2·e_1 + 4·e_2 + 8·b with
// boolean bits e_i and a one-hot byte shift b (sel_0 … sel_3, Σ sel = real). The
// multiplier m = 2^(e_0 + 2e_1 + 4e_2) = (1 + e_0)(1 + 3e_1)(1 + 15e_2) and
// m' = m·(1 + sr) ≤ 2^8 multiply x into five bytes w_0 … w_4 (a 40-bit two's
// complement number for SRA):
//
//	x_lo·m' = w_0 + 2^8·w_1 + 2^16·c,
//	x_hi·m' + c = w_2 + 2^8·w_3 + 2^16·(w_4 + s_x·(m' − 2^8)),
//
// with every w_i and c range-checked as bytes (pairs looked up in the byte table's range
// op, package bytetable) and s_x the sign bit of x on SRA rows (zero on the others),
// proven by the range check 2·x_hi − 2^16·s_x < 2^16. All terms are below 2^25, so the
// equations hold over the integers and W = Σ w_i·2^(8i) − 2^40·s_x = X·m'. The product
// X·2^E (SLL) or X·2^(E+1) (right shifts) is W·2^(8b): its byte j is w_(j−b), zero
// below, and 255·s_x above w_4. The result is its bytes 0 … 3 (SLL) or 4 … 7 (right
// shifts), one linear combination per value of b:
//
//	z_lo = Σ_b sel_b·(sll·(p_0 + 2^8·p_1) + sr·(p_4 + 2^8·p_5)),   likewise z_hi,
//
// so z is made of range-checked bytes. m's constraint reads
// m = (1 + e_0)(1 + 3e_1)(1 + 15e_2) − 1 + real, so that all-zero padding rows
// (real = 0) satisfy every constraint.
//
// # Usage
//
// [Trace] builds the rows from the CPU's ALU events ([Handles] picks them) and counts its
// lookups in a [rangetable.Counter] and a [bytetable.Counter]; a machine with this chip
// includes both tables.
//
// # Performance
//
// 25 main columns; six interactions (the ALU receive, two U16 range checks and three
// byte-pair lookups) in three LogUp columns (extension field) besides the running
// sum.
package shift
