// Package sha256chip is the chip of the SHA256_COMPRESS syscall (isa.SysSHA256Compress):
// the SHA-256 compression function (FIPS 180-4, §6.2.2) on the 8-word chaining state at
// the byte address [a], in place, with the 16-word block at the byte address B. Both
// buffers hold SHA-256's big-endian byte order: the SHA-256 word of a memory word m is
// rev(m), its bytes reversed (memory words are little endian), so the state after the
// last block is the digest's bytes. The package is not named sha256, so that it does not
// shadow crypto/sha256 where both are used.
//
// # Statement
//
// Given tuples (clk, SHA256_COMPRESS, a, b) received on the Syscall bus, this chip
// proves that a and b are multiples of 4, that for i = 0 … 15 it read the word at index
// b/4 + i mod 2^30 with timestamp TS(clk, 3 + i), finding m_i, and that for i = 0 … 7
// it made one access to the word at index a/4 + i mod 2^30 with timestamp
// TS(clk, 19 + i), which found s_i and left s'_i, where
//
//	(rev(s'_0) … rev(s'_7)) = compress((rev(s_0) … rev(s_7)), (rev(m_0) … rev(m_15)))
//
// and the new values are well-formed words (16-bit limbs). These are exactly the
// accesses of core/exec (block reads in slots 3–18, then state writes in slots 19–26,
// each with the word before and after). It relies on the Syscall bus carrying at most
// one tuple per clk (the CPU sends one per ECALL) and on the memory argument's words
// being well-formed. A misaligned pointer traps in the executor before any buffer
// access; such a call has no row here ([Calls] refuses it).
//
// # Tables
//
// The chip is two AIRs talking over [StateBus]:
//
//   - The memory table ([MemoryAIR], "sha256_memory"), one row per call: it receives
//     the call on the Syscall bus, makes the 16 read-only block accesses and the 8
//     write-capable state accesses with the memory gadget, and holds every block word,
//     old state word and new state word as four bytes, each range-checked (U8): a memory
//     word's limbs are (byte0 + 2^8·byte1, byte2 + 2^8·byte3) and its SHA-256 word's
//     limbs (2^8·byte2 + byte3, 2^8·byte0 + byte1), so the byte reversal costs no
//     constraint. It sends (clk, 0, H, M) — old state and block as SHA-256 limbs — and
//     receives (clk, 1, V), the working variables a … h after round 63, then proves
//     H'_i = H_i + V_i mod 2^32 limb by limb with boolean carries (H' from range-checked
//     bytes, so the carries are exact). V's a and e are range-checked (U16) here; the
//     other six are bit sums in the round table. a = a_lo + 2^16·a_hi is word aligned
//     because a_lo/4 passes a 16-bit range check (for a_lo mod 4 ≠ 0 the field quotient
//     is above 2^28), and likewise b. Word i of a buffer at x is at
//     x/4 + i − 2^30·wrap_i with wrap_i boolean and only allowed when x_hi = 0xffff, so a
//     buffer that runs past the top of the address space wraps to its bottom as the
//     executor's does, and no other address can be reached.
//   - The round table ([AIR], "sha256"), 64 rows per call, row t computing round t and
//     one message-schedule step. The round counter t = 8i + j is two one-hot digits
//     i[0..7], j[0..7]: t = 0 on row 0, j steps on every row and i when j wraps, so calls
//     occupy rows 64k … 64k+63; last = i[7]·j[7] is a column (so that "not last" has
//     degree 1 and gates the row-to-row copies at degree 3 with the transition
//     selector). real and clk are constant within a call. The round-0 row receives
//     (clk, 0, H, M) and the round-63 row sends (clk, 1, V), both with multiplicity
//     real. The height is a power of two ≥ 64, padded with compressions of the zero
//     state and block with real = 0, so no call is cut short.
//
// Row t holds (constraints of degree ≤ 3):
//
//   - the bits of a, b, c and of e, f, g before round t (boolean), and the limbs of d
//     and h; the limbs of the schedule window w_t … w_{t+15}, with the bits of w_{t+1}
//     and w_{t+14} (whose limbs are their bit sums);
//   - the limbs of the new a and e: Σ0, Σ1, σ0 and σ1 are XORs of three rotated or
//     shifted bits, x ⊕ y ⊕ z = x + y + z − 2(xy + yz + zx) + 4xyz (degree 3);
//     Ch = g + e(f − g); Maj = ab + ac + bc − 2abc; K_t = Σ_i i[i]·Σ_j j[j]·K_{8i+j}
//     (degree 2). new e = d + h + Σ1(e) + Ch + K_t + w_t and new a = h + Σ1(e) + Ch +
//     K_t + w_t + Σ0(a) + Maj, mod 2^32: Σ lo = new_lo + 2^16·c_lo and
//     Σ hi + c_lo = new_hi + 2^16·c_hi with 3-bit carries;
//   - the limbs of w_{t+16} = σ1(w_{t+14}) + w_{t+9} + σ0(w_{t+1}) + w_t mod 2^32, the
//     same way with 2-bit carries (computed on every row; the words past w_63 are
//     never used).
//
// Between rows t and t+1 of a call (t < 63): the next row's a bits sum to the new a's
// limbs, b ← a and c ← b bit by bit, d ← c as limbs, and the same for e … h; the window
// moves down one word and w_{t+16} enters it. Every summand of a limb sum is an exact
// 16-bit value — bits, limbs equal to bit sums on this row or the next, or words that the
// StateBus equates with range-checked bytes — and there are at most 7 of them, so every
// limb equation holds over the integers (all values stay below 2^20 < p) and the limbs
// of the new a, e and w are the true ones. The words w_16 … w_63 are range-exact because
// each passes position 14 of the window (bit-decomposed) within its call, and the new a
// and e of round 63 are range-checked by the memory table. So a real call's round-63 row
// sends the true working variables of the compression of the input its round-0 row
// received, and the memory table's carries make its new state words their sum with the
// old ones.
//
// # Usage
//
//	calls, err := sha256chip.Calls(events)     // the Syscall-bus events with number SHA256_COMPRESS
//	rounds := sha256chip.RoundTrace(calls)     // with sha256chip.AIR()
//	mem := sha256chip.MemoryTrace(calls, rc)   // with sha256chip.MemoryAIR(); rc counts range lookups
//
// [MemoryTrace] takes the new state words from the records (After), without
// compressing, and [RoundTrace] compresses the records' inputs: a record whose output is
// not the compression of its input gives tables that do not balance.
//
// # Performance
//
// The round table is [Width] = 333 main columns (16 counter digits and last, real, clk;
// 192 bits of a, b, c, e, f, g; 4 limbs of d and h; 32 window limbs and 64 window bits;
// 6 new-word limbs and 16 carry bits) and 3 extension auxiliary columns (the two
// StateBus interactions, each in its own group, and the running sum), 64 rows per call.
// The memory table is [MemoryWidth] = 280 main columns (3 per block read and 5 per state
// access, 128 bytes, 24 wrap bits, 8 working-variable limbs … ) and 118 extension
// auxiliary columns, one row per call. A call costs about 64 × (333 + 12) + 280 + 472 ≈
// 22,800 base-field cells, plus the power-of-two padding of the round table (up to 2×),
// and 182 range lookups (128 bytes, 48 timestamp-difference limbs, 2 pointer quarters,
// 4 limbs of the final a and e). The bits-of-the-working-variables layout makes every
// rotation free; only additions cost columns (limbs and carries).
package sha256chip
