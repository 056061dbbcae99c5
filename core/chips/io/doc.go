// Package io is the chip of the I/O syscalls READ, INPUT_LEN and WRITE: it keeps the
// input tape's and the public output's running offsets and puts the output bytes on the
// Output bus, where the output table (package output) receives them.
//
// # Statement
//
// Given rows (clk, number, a, b) received on the Syscall bus with number READ,
// INPUT_LEN or WRITE, and the table's public values input_len and output_len, this chip
// proves that, taking the calls in increasing clk order (each clk once), with the input
// offset and the output offset both starting at 0:
//
//   - READ happens with input_len − in_off ≥ 1 bytes left, consumes
//     count = min(4, input_len − in_off) of them (in_off grows by count), and its a — the
//     word the CPU writes to [a] — is a well-formed word whose bytes past count are 0:
//     package exec's zero-padded last word. It sends (in_off, a_lo, a_hi) on the Input
//     bus: a is the input tape's word at byte offset in_off. A READ with no input left
//     cannot be proven (exec traps there);
//   - INPUT_LEN's a is input_len − in_off (the bytes left), a word below 2^30;
//   - WRITE has b = B ∈ 1..4 and sends (out_off + j, byte j of a) on the Output bus for
//     each j < B (out_off grows by B), a being the value of [a] the CPU read;
//   - output_len is the output offset after the last call.
//
// With the output table receiving (i, B[i]) on the Output bus for every i in the
// segment's share [out_start, output_len) and absorbing B into the output sponge (its
// public values are the sponge's states where the share starts and ends, which the
// verifier checks against the public output's bytes: package output), the chip's sends
// prove that the public output is exactly the bytes the WRITEs sent, in order. The input's content is bound by package input: its table
// receives each Input message from the tape word at that offset (a table of exactly
// input_len bytes, zero-padded, absorbed into the public input digest), so every word a
// READ returns is the committed input's word at its offset. As in_off only grows, the
// READs' offsets are distinct multiples of 4 (every READ but the input's last is full).
//
// Bounds: input_len < 2^30 ([MaxInputLen], for INPUT_LEN's answer) and clks below 2^28
// apart (the clk gap is a 16 + 12-bit value; segments are far shorter). The chip sees
// input_len as a field element, so the verifier must refuse a statement with a longer
// input (package machine does): a length of p + k would read as k. The offsets start at 0,
// which fits a single-segment proof; a continuation would make the starting offsets
// public values too.
//
// # Constraints
//
// Selectors is_read, is_input_len, is_write, at most one set (is_real = their sum);
// real rows come first (is_real_next·(1 − is_real) = 0). Between real rows,
// clk_next − clk − 1 = dclk_lo + 2^16·dclk_hi with U16 and U12 lookups (sent by real
// rows only: a padding row's gap is never used). The row receives
// (clk, number, a_lo, a_hi, b_lo, b_hi) with multiplicity is_real, number =
// Σ selector·syscall number and a's limbs made of the four range-checked bytes a[0..3].
// A one-hot count[1..4] is set exactly on READ and WRITE rows (Σ count = is_read +
// is_write), count = Σ j·count[j].
//
// Offsets: in_off = out_off = 0 on the first row; in_off_next = in_off + is_read·count
// and out_off_next = out_off + is_write·count on every transition (padding rows carry
// them); on the last row out_off + is_write·count = output_len.
//
// READ, with rem = input_len − in_off: sends (in_off, a_lo, a_hi) on the Input bus with
// multiplicity is_read; is_read·count[4]·(rem − 4 − gap) = 0 with gap =
// gap_lo + 2^16·gap_hi < 2^30 (U16 lookups of gap_lo, gap_hi, 4·gap_hi on READ rows), so rem ≥ 4;
// is_read·count[j]·(rem − j) = 0 for j = 1, 2, 3; is_read·[count ≤ j]·a[j] = 0 for
// j = 1, 2, 3. As in_off only grows by steps that keep it ≤ input_len, rem is never
// negative and the range checks cannot wrap.
//
// INPUT_LEN: is_input_len·(a_lo + 2^16·a_hi − rem) = 0 and a U8 lookup of 4·a[3] when
// is_input_len (a < 2^30 < p, so a is rem itself).
//
// WRITE: is_write·(b_lo − count) = 0, is_write·b_hi = 0, and sends (out_off + j, a[j])
// on the Output bus with multiplicity is_write·[count > j].
//
// # Usage
//
//	rc := new(rangetable.Counter)
//	main, publics := io.Trace(events, uint32(len(input)), rc)
//
// publics holds input_len and output_len at [PublicInputLen] and [PublicOutputLen].
// The table is [Width] columns wide; [AIR] builds its constraints.
package io
