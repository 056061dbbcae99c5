// Package rom is the program ROM chip: the program's instructions, decoded, as
// preprocessed columns.
//
// # Statement
//
// Given the program's instructions (fixed by the verifying key, which the verifier
// derives from the program itself), this chip proves that every instruction the CPU
// fetches on the Program bus is the decoded instruction at that pc: each ROM row sends
// (pc, kind, sub_op, a_off, b_off, c_off, b_imm_lo, b_imm_hi, c_imm_lo, c_imm_hi) with a
// multiplicity (the number of executions), and the CPU receives one tuple per executed
// row, so a fetch of anything not in the ROM leaves the bus unbalanced. kind packs the
// instruction class (1 … 10) and the flags b-read, c-read, a-read, a-write ([Decode]);
// padding rows have kind 0, which no real CPU row can have.
package rom
