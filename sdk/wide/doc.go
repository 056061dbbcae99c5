// Package wide lowers 64-bit integer arithmetic onto the normalized ISA's 32-bit words,
// once for every frontend whose source machine has 64-bit registers (WebAssembly's i64,
// sBPF, a RISC-V RV64 frontend). A value is two words, low and high ([Val]), each a frame
// slot or an immediate ([Word]); results go to two slots ([Dst]).
//
// # Usage
//
// An [Emitter] writes into the frontend's [isa.Builder] with a few scratch slots of the
// frontend's frame ([Temps] at most):
//
//	e := wide.New(b, t0, t1, t2, t3, t4, t5, t6, t7)
//	e.Add(wide.At(dst), wide.Slots(x), wide.Const(1))         // dst = x + 1
//	e.Shift(wide.ShrS, wide.At(dst), wide.Slots(x), wide.Slot(k)) // dst = x >> k
//	e.BranchIf(wide.LtU, wide.Slots(x), wide.Slots(y), loop)  // if x < y goto loop
//
// Division is split between an inline part and a routine the frontend places once and
// calls in its own convention (CALL and RET, or a return address and an indirect jump):
//
//	e.Div(wide.DivS, d, x, y, wide.Traps{DivZero: trapZero, Overflow: trapOverflow},
//		func(x, y wide.Val) wide.Val { /* move x, y to the routine's slots, call it */ return res })
//	// …once, where the frontend keeps its routines:
//	e.DivRoutine(wide.DivS, wide.At(8), wide.At(16), wide.At(8), traps, scratch)
//
// Where the source machine faults — a zero divisor, −2^63 / −1 — is the frontend's
// choice: [Traps] holds the labels to jump to, and a zero label gives RISC-V's results
// instead (WebAssembly traps on both for div_s and only on zero for rem_s; sBPF faults on
// both for sdiv and srem).
//
// The emitters fold what immediates allow (x + 0, a high word known to be 0, x ^ x,
// shifts and rotations by constants) and accept destinations that share slots with
// their operands as [Emitter] describes, so a two-address machine (sBPF's dst op= src)
// and a stack machine (WebAssembly) use the same calls.
//
// # Security
//
// What a frontend emits is what gets proven: a wrong lowering proves a wrong run. Every
// operation is tested here against Go's 64-bit arithmetic (edge values, powers of two,
// signs, random pairs; every operand shape the aliasing rules allow; immediates on either
// side; every choice of traps), executed on core/exec. Panics mean a frontend's bug (too
// few scratch slots, a MulH destination overlapping its operands), never a program's.
//
// # Performance
//
// Cycles (normalized instructions executed), checked by TestCycles: add and sub 4 (3
// with a zero high word), mul 6 (4 with one zero high word, 2 with two), shifts by a
// constant 2 or 4, by a slot 4 or 9, rotations by a constant 6, by a slot 14 (left) or
// 16 (right), comparisons 3 to 6 as values and 2 or 3 branches, clz 27, ctz 19, popcnt
// 26, mulhu 21, mulhs up to 31. A division whose operands fit 32 bits is one DIVU, DIV,
// REMU or REM inline (6 to 9 cycles with its checks); the routine, with a call that
// costs the frontend about 6, takes about 31 for a 64-bit dividend and a 16-bit divisor,
// 70 for a 32-bit divisor and 96 for a wider one — where sBPF's former restoring loop
// took 1 100 to 1 300.
package wide
