// Package frame is the chip of the frame words of CALL and RET: the return pc at [fp]
// and the caller's frame pointer at [fp+1].
//
// # Statement
//
// Given rows (clk, kind, fp, pc, saved_fp) received on the Frame bus (kind 0 = CALL,
// 1 = RET; fp and saved_fp word indices, pc an instruction index), this chip proves,
// with link = fp + 1, or word 0 when fp = 2^30 − 1 (the byte address fp·4 + 4 wraps, as
// in package exec):
//
//   - CALL writes the word [fp] = pc at timestamp TS(clk, 3) and the word
//     [link] = 4·saved_fp (the caller's frame as a byte address) at TS(clk, 4);
//   - RET reads the same two words at the same timestamps, leaves them unchanged, and
//     proves that [fp] is pc and that [link] is a multiple of 4 whose quarter is
//     saved_fp. A RET that finds a misaligned byte address in [link] cannot be proven —
//     package exec traps there (isa.StatusBadFrame);
//   - pc < 2^30 and saved_fp < 2^30, so the words are well-formed and a word holds one
//     value of each. A RET to a word ≥ 2^30 cannot be proven (exec would run into an
//     invalid pc right after it, for any program shorter than 2^30 instructions).
//
// The chip does not range-check fp: the CPU, which owns the frame pointer, sends a word
// index below 2^30.
//
// # Constraints
//
// One row per CALL or RET: booleans is_call and is_ret, at most one set (is_real =
// their sum); the row receives (clk, is_ret, fp, pc, saved_fp) with multiplicity
// is_real, where pc = pc_lo + 2^16·pc_hi and saved_fp = saved_lo + 2^14·saved_hi, with
// U16 lookups of pc_lo, pc_hi, 4·pc_hi, saved_lo, 4·saved_lo and saved_hi (so
// pc_hi, saved_lo < 2^14). The words are (pc_lo, pc_hi) and (4·saved_lo, saved_hi):
// the value sent by the memory gadgets, whose previous value must equal it on RET rows
// (the gadgets' read-only check with is_ret). A boolean wrap with
// wrap·(fp − (2^30 − 1)) = 0 gives link = fp + 1 − 2^30·wrap; left clear at the top word,
// link = 2^30 is no word and the row cannot balance the memory bus.
//
// Padding rows are all zero except the gadgets' previous timestamps (ts − 1) and
// constrain nothing.
//
// # Usage
//
//	rc := new(rangetable.Counter)
//	main := frame.Trace(events, rc) // events: the Frame messages with their two words
//
// The table is [Width] columns wide; [AIR] builds its constraints.
package frame
