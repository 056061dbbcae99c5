// Package loadstore is the chip of the loads and stores (LW, LH, LHU, LB, LBU, SW, SH,
// SB): it computes the byte address, makes the data-word accesses of the memory
// argument, and moves bytes between memory and the value of [a].
//
// # Statement
//
// Given rows (clk, op, base, off, val) received on the LoadStore bus, with base and off
// well-formed words (their producers range-checked their limbs), this chip proves, for
// addr = base + off mod 2^32, w = ⌊addr/4⌋ < 2^30, k = addr mod 4 and n = 4, 2 or 1 the
// size of op:
//
//   - the accessed bytes are bytes k … k+n−1 of the 8-byte window formed by word w and
//     the next word w' (w + 1, or word 0 when w = 2^30 − 1: the byte address wraps, as in
//     package exec); word w is accessed at timestamp TS(clk, 3), and w' at TS(clk, 4)
//     exactly when the access crosses a word boundary (k + n > 4);
//   - a load (LW, LH, LHU, LB, LBU) leaves both words unchanged and val is the accessed
//     bytes, little endian, sign-extended (LH, LB) or zero-extended (LHU, LBU) to 32 bits;
//   - a store (SW, SH, SB) replaces exactly the accessed bytes with val's low n bytes and
//     leaves every other byte of the words unchanged;
//   - val is a well-formed word (its four bytes are range-checked), so a loaded value
//     may be written to [a] as it is.
//
// Words read from memory are assumed well-formed (the bus convention); the chip
// decomposes them into range-checked bytes all the same, so a malformed word cannot be
// accessed here.
//
// # Constraints
//
// One row per load or store. Eight boolean opcode selectors, at most one set
// (is_real = their sum); the row receives (clk, op, base_lo, base_hi, off_lo, off_hi,
// val_lo, val_hi) with multiplicity is_real, op = Σ selector·opcode and
// val_lo = val[0] + 2^8·val[1], val_hi = val[2] + 2^8·val[3].
//
// Address: boolean carries c0, c1 and a one-hot byte offset k[0..3] (Σ k[i] = is_real)
// with base_lo + off_lo = k + 4·word_lo + 2^16·c0 and
// base_hi + off_hi + c0 = addr_hi + 2^16·c1, word_lo < 2^14 (U16 lookups of word_lo and
// 4·word_lo) and addr_hi < 2^16, so w = word_lo + 2^14·addr_hi. A boolean wrap with
// wrap·(w − (2^30 − 1)) = 0 gives w' = w + 1 − 2^30·wrap: wrap can only be set at the
// top word (where w' = 0); left clear there, w' = 2^30 is no word and the row cannot
// balance the memory bus.
//
// Bytes: before[0..7] (range-checked) are the window's bytes before the access; the
// memory gadget's previous-value limbs of w and w' are their pairs. after[0..7] are the
// bytes after it, the new values sent by the gadgets. sel[j] = Σ_i k[i]·before[i+j] is
// window byte k + j (degree 2; sel are columns so that later constraints stay at
// degree 3).
//
// Loads: for each j < n, val[j] = sel[j]; for j ≥ n, val[j] = 0xff·neg, where the
// boolean neg is zero except for LH and LB, whose top loaded byte t (val[1], val[0])
// satisfies 2·(t − 128·neg) < 2^8 (a U8 lookup), which holds exactly when neg is t's
// bit 7.
//
// Window: with u[j] = sel[j] + st[j]·(val[j] − sel[j]), st[j] = 1 for a store with
// j < n, every window byte m satisfies after[m] = before[m] + Σ_i k[i]·[0 ≤ m−i < 4]·
// (u[m−i] − before[m]) (degree 3): bytes k … k+3 become u, all others keep their value.
// For a load u = sel, so after = before.
//
// Memory: the access of w (slot 3) has multiplicity is_real; the access of w' (slot 4)
// has multiplicity cross = (is_lw + is_sw)·(k[1] + k[2] + k[3]) + (is_lh + is_lhu +
// is_sh)·k[3]. On rows without the second access, w' and its bytes are unconstrained
// but no byte of it is selected, loaded or stored.
//
// Padding rows are all zero except the gadgets' previous timestamps (ts − 1) and
// constrain nothing.
//
// # Usage
//
//	rc := new(rangetable.Counter)
//	main := loadstore.Trace(events, rc) // events: the LoadStore messages with their words
//
// The table is [Width] columns wide; [AIR] builds its constraints.
package loadstore
