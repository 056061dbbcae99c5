// Package divrem is the chip of 32-bit division and remainder: the ALU ops DIV, DIVU,
// REM and REMU, with RISC-V semantics (no traps): x/0 has quotient 2^32 − 1 and
// remainder x, and the signed overflow −2^31 / −1 has quotient −2^31 and remainder 0.
//
// # Statement
//
// Given rows (op, x, y, z) received on the ALU bus with op DIV, DIVU, REM or REMU,
// this chip proves that z is the quotient (DIV, DIVU) or the remainder (REM, REMU) of
// x by y, signed (DIV, REM: quotient rounded toward zero, remainder with the sign of
// x) or unsigned, with the semantics above for y = 0 and overflow, and that z is a
// well-formed word; x and y arrive as 16-bit limbs from their producers. It proves
// everything itself: it sends no sub-operation to other ALU chips.
//
// Each row is one operation: four boolean op flags, at most one set, real = Σ flags,
// sgn = div + rem. The row holds the quotient q as bytes q_i, y as bytes y_i (all
// range-checked in pairs by the byte table's range op, package bytetable), the
// remainder r as 16-bit limbs (U16), and the sign bits s_x, s_y (the top bits of x and
// y on signed rows, by the range checks 2·x_hi − 2^16·s_x < 2^16 and likewise y; zero
// on unsigned rows). With the integers X = x − 2^32·s_x, Y = y − 2^32·s_y,
// Q = q − 2^32·s_q (s_q a free boolean, zero on unsigned rows) and R = r − 2^32·ρ, it
// proves:
//
//  1. X = Q·Y + R. The product is checked modulo 2^64 limb by limb, as in package mul:
//     with X, Y, Q and R sign-extended to 64 bits,
//     Σ_{i+j=2k} Q_i·Y_j + 2^8·Σ_{i+j=2k+1} Q_i·Y_j + R_k + c_(k−1) = X_k + 2^16·c_k
//     for k = 0 … 3 with carries c_k < 2^12 (U12). Every term is below 2^28, so the
//     equations hold over the integers, and |Q·Y + R − X| < 2^64 makes the congruence an
//     equality.
//  2. R has the sign of X or is zero: ρ is boolean, ρ ≤ s_x, and s_x·(1 − ρ)·(r_lo +
//     r_hi) = 0 (for a negative x, ρ = 0 only with r = 0).
//  3. |R| < |Y| when y ≠ 0: the row proves D = (|Y| − 1) − |R| ∈ [0, 2^32) with
//     |Y| − 1 = y − 1 (s_y = 0) or NOT y (s_y = 1) and |R| = r (s_x = 0) or 2^32·ρ − r
//     (s_x = 1), by the limbs
//     t_lo = ŷ_lo + σ·r_lo + 2^16·κ,   t_hi = ŷ_hi + σ·r_hi − κ − 2^16·ρ,
//     where (ŷ_lo, ŷ_hi) = (y_lo − 1, y_hi) or (2^16 − 1 − y_lo, 2^16 − 1 − y_hi) are
//     limbs of |Y| − 1, σ = 2·s_x − 1, κ ∈ {−1, 0, 1} (κ(κ − 1)(κ + 1) = 0), and t_lo,
//     t_hi are range-checked (U16) on rows where nz = 1. All terms are below 2^18, so
//     t_lo + 2^16·t_hi = D over the integers.
//  4. nz = [y ≠ 0]: nz = (y_lo + y_hi)·inv and (y_lo + y_hi)·(1 − nz) = 0 (the limbs
//     are nonnegative and small, so their sum is zero only for y = 0); when y = 0,
//     q = 2^32 − 1.
//
// For y ≠ 0, (1)–(3) leave exactly one pair (Q, R): the quotient rounded toward zero
// and its remainder; then q = Q mod 2^32 (for the overflow Q = 2^31, s_q = 0 and
// q = 2^31, as RISC-V wants). For y = 0, (1) gives R = X, so r = x. The row receives
// (op, x, y, z) with z = (div + divu)·q + (rem + remu)·r, limb by limb. Padding rows
// are all zero and satisfy every constraint.
//
// # Usage
//
// [Trace] builds the rows from the CPU's ALU events ([Handles] picks them), computing the
// quotient and remainder itself, and counts its lookups in a [rangetable.Counter] and a
// [bytetable.Counter]; a machine with this chip includes both tables.
//
// # Performance
//
// 29 main columns; fifteen interactions (the ALU receive of degree 2, four byte-pair
// lookups, six U16 and four U12 range checks) in eight LogUp columns (extension field)
// besides the running sum.
package divrem
