// Package u256 is the chip of the 256-bit integer syscalls (isa.SysU256*, 0x20–0x2F):
// arithmetic, comparisons, shifts and bitwise operations on 256-bit values in memory, and the
// moves a stack machine needs (SET, COPY, SWAP). A value is 8 little-endian words,
// least significant first; docs/isa.md §6.1 gives each syscall's operands.
//
// # Statement
//
// Given tuples (clk, n, a, b) received on the Syscall bus with n a 256-bit syscall,
// this chip proves that a is a multiple of 4 and that the call made, in the slots
// 3 + 8g + w (group g, word w), the accesses of its syscall at the word indices
// a/4 + 8g' + w (g' the operand's position: 0, 1 or 2 values of 32 bytes from a, or
// b/32 of them for COPY's source and SWAP's second value, with 32 ≤ b < 2^16 a multiple
// of 32), reading the operands it only reads and writing the result over the last one,
// so that the result is the syscall's function of the operands (and, for CMP, BIT and
// UNARY, of the selector b, which then must be below 2^16 and among the selectors the
// syscall defines). A call whose words would lie past the top of memory has addresses
// ≥ 2^30, which no memory table holds. It relies on the Syscall bus carrying at most
// one tuple per clk and on the words of memory being well-formed (16-bit limbs); the
// results it writes are well-formed.
//
// # Tables
//
//   - The memory table ([MemoryAIR], "u256_memory"), one row per call: it receives the
//     call, makes up to 24 accesses with the memory gadget (write-capable, forced to
//     read where the syscall only reads), proves SET (the new words are b, 0, …),
//     COPY and SWAP itself, and sends every other call on the U256 bus as (n, b, x, y,
//     n₃, z): the operands and the result as 16-bit limbs (zero for operands the call
//     has not), which the three arithmetic tables receive.
//   - The add/sub/compare table ([ArithAIR], "u256_arith"): ADD, SUB, LT, GT, SLT, SGT,
//     EQ, ISZERO, NOT. Each but NOT is one 256-bit addition A + B = C + 2^256·c15 over
//     16-bit limbs with boolean carries, the flags choosing the roles (ADD: x + y = z;
//     SUB: z + y = x; LT: y + d = x, so that c15 = [x < y]; GT: x + d = y; the signed
//     comparisons on x and y with their top bits flipped, proven bits of limb 15; EQ and
//     ISZERO: d = x − y is zero, by an inverse). Free limbs (z of ADD and SUB, d) are
//     range-checked.
//   - The bitwise table ([BitsAIR], "u256_bits"): AND, OR, XOR look each byte triple up
//     in the byte table (which range-checks them); BSWAP range-checks x's bytes and its
//     result is them reversed.
//   - The multiply/divide table ([MulDivAIR], "u256_muldiv"): MUL, DIV, MOD, ADDMOD,
//     MULMOD prove x·B + C = Q·M + R (+ Q·2^256 for MUL) byte position by byte position
//     (96 positions, signed carries range-checked with an offset) and R < M by
//     R + D + 1 = M with bit carries when the modulus is live, with (B, C, M) = (y, 0,
//     0) for MUL, (1, 0, y) for DIV and MOD, (1, y, n) for ADDMOD, (y, 0, n) for MULMOD;
//     a zero modulus (tested by an inverse of the sum of its bytes) zeroes B and C, so
//     that R = 0, and the result, as the EVM defines it. Every byte is range-checked.
//     Integer soundness: every byte is below 2^8 and every carry below 2^15 in absolute
//     value, so no position's equation exceeds 2^23 ≪ p and the field equations are the
//     integer ones.
//   - The shift table ([ShiftAIR], "u256_shift"): SHL, SHR, SAR. The amount is 256 or
//     more (a non-zero byte above the first, by an inverse), or its low byte is 8q + r
//     with q and r one-hot; SHL multiplies the value by 2^r byte by byte with byte
//     carries and moves the product up q bytes (selected through the one-hot q); SHR
//     moves the value down q bytes and proves it equals the result·2^r + a remainder
//     below 2^r, with byte carries; SAR does SHR on the complement of a negative value
//     (its top bit proven) and complements the result. Large amounts give 0, or all ones
//     for SAR of a negative value.
//
// # Usage
//
//	calls, err := u256.Calls(events) // the Syscall-bus events with a 256-bit number
//	mem := u256.MemoryTrace(calls, rc)
//	arith, bits := u256.ArithTrace(calls, rc), u256.BitsTrace(calls, bc)
//	muldiv := u256.MulDivTrace(calls, rc, bc) // nil when no call needs the table
//	shift := u256.ShiftTrace(calls, rc, bc)
//
// # Performance
//
// Per call: the memory table's row (188 main columns, about 100 interactions) and one
// row of one arithmetic table: 94 columns (add/sub/compare), 100 (bitwise), 305
// (shift) or 488 with about 200 interactions (multiply/divide). A stack machine pays one ECALL per 256-bit
// operation: EVM ADD is two normalized cycles.
package u256
