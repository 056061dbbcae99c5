// Package cpu is the CPU chip of the zkVM: one row per executed instruction.
//
// # Statement
//
// Given the program ROM (package rom) and the public entry pc, initial frame pointer
// (word index) and cycle count, this chip proves that its real rows are the cycles
// 0 … cycles−1 of one run of the normalized ISA:
//
//   - row 0 is real, at clk 0, the entry pc and the initial fp; clk grows by one per row;
//     each real row's (pc, fp) is the previous row's (next_pc, next_fp);
//   - each real row fetches its decoded instruction from the ROM at pc (Program bus),
//     which fixes its class (one-hot), its operand modes and offsets and its immediates;
//   - operands read from frame slots ([fp+b] in slot 0, [fp+c] in slot 1) and the access
//     of [fp+a] (slot 2; slot 5 for loads, which write after their data reads) go through
//     the memory argument (package memory) with timestamp 128·(clk+1)+slot, so every
//     value read is the value last written;
//   - next_pc is pc+1 for ALU, load, store and ECALL; the target C for JMP and CALL;
//     pc+1 or the target c for a branch according to cond; every jump, call and taken
//     branch target is below 2^30 (range-checked), so a target of p + k never lands on k; next_fp is fp except for CALL
//     (fp + a/4) and RET; RET's next (pc, fp), CALL's frame words, ALU results and branch
//     conditions, loads and stores, and syscalls are proven by the chips that receive the
//     CPU's messages on the Frame, ALU, LoadStore and Syscall buses;
//   - the run ends with exactly one HALT or TRAP, whose row has clk = cycles − 1 and
//     sends (status, code) on the public Exit bus; every later row is padding (no
//     messages, no memory access: its access flags are 0), and the last row of the
//     table is padding.
//
// Slot addresses are fp + off computed in the field on word indices; a run whose slot
// address would leave [0, 2^32) traps in the executor and has no proof here (the memory
// table only holds addresses below 2^30).
package cpu
