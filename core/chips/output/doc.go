// Package output is the table of a segment's public output: it receives the bytes that
// the I/O chip's WRITEs put on the Output bus and absorbs them into a Poseidon2 sponge
// whose states where the segment's output starts and ends are public values. The
// verifier's part in the output is then 66 field elements whatever the output's length
// — instead of one public message per byte — which is what a recursion leaf needs: a
// segment's statement of fixed size.
//
// # The sponge, across segments
//
// The sponge runs over the whole run's output, not over each segment's share. Block m
// is the output's bytes 16m … 16m+15, limb i of it is byte 2i + 256·byte 2i+1 (as in
// package input: injective on bytes), and with P = hash.Permute and IV = (0, …, 0 |
// [Domain], 0, …, 0):
//
//	T(n) = the state after the first n bytes: byte b at position q is added to limb
//	       (q mod 16)/2 of the rate as b·256^(q mod 2), and the state is permuted after
//	       each byte with q mod 16 = 15 (so T(16m) = P(…P(IV + block_0)… + block_{m−1}),
//	       and T(16m + r) is T(16m) with the block's first r bytes already added);
//	digest = P(T(N) + (0^8 | 0, N, 0, …))[0:8] for an output of N bytes.
//
// ([Absorb], [Finish], [Digest].) A state thus holds the bytes of an unfinished block,
// added but not yet permuted, and Absorb(Absorb(s, a, x), a+len(x), y) = Absorb(s, a,
// x ‖ y): a segment whose share is [outStart, outEnd) takes T(outStart) to T(outEnd),
// the segments' states chain like the host answers' (package hook), and the digest is
// the same however the run is cut. That is why this package does not hash each share
// as a sponge of its own and chain the shares' digests (c_{i+1} = Compress(c_i, d_i)):
// such a commitment depends on the cut, so a verifier holding the output could not
// recompute it without the segment boundaries, and a claim would differ between
// profiles. The costs are the same (one permutation per 16 bytes of output, plus one
// to finish); the state carried between segments is 16 elements rather than 8.
//
// The length in the finishing permutation's capacity makes the zero padding of the last
// block unambiguous (outputs of different lengths finish from different inputs), the
// finishing permutation keeps the digest apart from the states a longer output passes
// through, and the domain tag keeps the sponge apart from the input tape's, the hooks'
// and the engine's other uses of the permutation. Collision resistance is the sponge's
// with an 8-element capacity, ≈124 bits, the engine's hash bound.
//
// Use: the native verifier (package machine's Linker) keeps T(outOff) beside outOff,
// starting from IV, computes each segment's public values from it and the segment's
// claimed end state, and after the last segment checks Finish(T(N), N) against the
// claim (or, holding the output, Digest(output)); it no longer needs the output's bytes
// segment by segment. A recursion leaf reads start and end from a segment's public
// values, a join checks end_i = start_{i+1} (with outEnd_i = outStart_{i+1}), and the
// root applies Finish once: one permutation.
//
// # Statement
//
// Given the public values ([Publics]: computed by the verifier from outStart, outEnd
// and the two states; outEnd − outStart < 2^30 and outEnd < 2^30), and the poseidon2
// chip answering bus.Poseidon2 under [Dom] (which no other table uses), this table
// proves that there is a byte string B of outEnd − outStart bytes with
//
//	end = Absorb(start, outStart, B),
//
// and that its net multiplicity on the Output bus is +1 on (outStart + i, B[i]) for each
// i < len(B) — it receives each position of the share exactly once, in order, with its
// byte — and 0 on every other tuple. With the I/O chip sending (q, byte) once for each
// position q ∈ [outStart, outEnd) its WRITEs produce (package io; its offsets start at
// outStart and end at outEnd), the Output bus closes only if B is exactly the bytes the
// WRITEs wrote: a position's byte that differs, or a position the table does not
// receive, leaves a tuple that nothing else cancels.
//
// # Layout
//
// Rows: row k < blocks absorbs block ⌊outStart/16⌋ + k of the output, positions
// base + 16k + j (j < 16, base = 16⌊outStart/16⌋); row blocks is the final row; padding
// follows. blocks = ⌈outEnd/16⌉ − ⌊outStart/16⌋, or 0 for an empty share (then row 0 is
// final and end = start). The table has blocks + 1 rows, padded to a power of two.
//
// Columns ([Width] = 38): absorb, final, first (row 0), last (row blocks − 1), fresh
// (the row's state is a permutation's output), k, byte[16], state[16] (the state before
// the row's bytes: start on row 0, end on the final row). Public values ([NumPublics] =
// 66): start[16], end[16], base, blocks, pre[16] (byte j of the first block lies before
// outStart) and post[16] (byte j of the last block lies at or past outEnd).
//
// # Constraints
//
// Shape: k = 0 on the first row, k_next = k + 1; final = 1 − absorb on the first row,
// final_next = absorb − absorb_next, final·(k − blocks) = 0, absorb = 0 on the last row.
// These imply absorb = [k < blocks] and final = [k = blocks], and that the table has
// more than blocks rows: off row blocks final is 0, so absorb is constant but where
// k + 1 = blocks; it starts at 1 unless blocks = 0 and it ends at 0 (were blocks ≥ the
// height, absorb would be 1 on the last row). first = 1 on the first row, first_next = 0;
// last = absorb − absorb_next on transitions (so last = [k = blocks − 1] but on the
// table's last row, where it is free; see below).
//
// Bytes: every byte column is a U8 lookup on every row. Row k receives (base + 16k + j,
// byte_j) on the Output bus with multiplicity absorb − first·pre_j − last·post_j, and
// masked_j: (first·pre_j + last·post_j)·byte_j = 0. The verifier's masks are disjoint
// (pre_j = [j < outStart mod 16], post_j = [j ≥ outEnd − base − 16(blocks − 1)], and a
// one-block share has outStart < outEnd), so every position of the blocks is either
// received once or masked, the masked ones being exactly those outside [outStart,
// outEnd), whose bytes are 0.
//
// Sponge: with sum = state + (limbs ‖ 0), perm = absorb − last·post_15 (the row's block
// ends within the share: every absorbing row but the last, and the last when outEnd
// ends its block) and carry = last·post_15: the row sends (KindIn, Dom, k + 1, sum) on
// bus.Poseidon2 with multiplicity perm and receives (KindOut, Dom, k, state) with
// multiplicity fresh; carry·(state_next − sum) = 0 on transitions (the final row after a
// partial last block holds the sum itself); state = start on the first row;
// final·(state − end) = 0.
//
// fresh is constrained by the bus alone: only this table sends KindIn under Dom, once
// per identifier k + 1 with perm ∈ {0, 1}, so the poseidon2 chip answers identifier k
// exactly perm_{k−1} times (0 for k = 0, which no row sends), with P(sum_{k−1}); row k's
// receive balances only with fresh = perm_{k−1} and, where that is 1, state =
// P(sum_{k−1}). On the table's last row (k = n − 1 ≥ blocks, absorb = 0) last is free,
// with perm = −last·post_15: were last·post_15 ≠ 0 there, the table would ask for
// permutation n, which the poseidon2 chip would answer with an output no row receives
// (no row has k = n); and post_15 = 0 means no post mask is set (post_j = [j ≥ r] with
// r ≤ 16), so there last has no effect at all. Hence, by induction over k, state_k =
// T(base + 16k) with the first row's bytes before outStart already in start (the caller
// passes T(outStart)), and the final row's state, end, is T(outEnd).
//
// The deletion scan in the tests (TestDeletionScan) removes each of these 73
// constraints and 34 interactions in turn and finds, for each constraint, a forgery
// that the mutant accepts and the full AIR refuses; deleting an interaction unbalances
// an honest witness. (k_next's forgery is a reordering of rows, which still proves the
// honest statement, since the sponge follows the identifiers: k_next is what makes k the
// row index, which the range argument below uses.) The constraints the scan found no
// forgery for were removed: absorb ∈ {0,1} and absorbing rows forming a prefix follow
// from the shape constraints above, fresh from the bus, and last on the table's last
// row has no effect.
//
// # Range arguments
//
// Every value that enters as a field element:
//
//   - byte_j: U8 lookup, so limbs are < 2^16 and the block is the injective encoding of
//     its bytes; the Output bus carries the byte itself (the I/O chip's bytes are
//     range-checked on its side too);
//   - k: the row index, below the table height (≤ 2^24, the field's two-adicity), so the
//     permutation identifiers k + 1 are distinct and positions base + 16k + j <
//     2^30 + 2^28 + 16 < p are distinct integers, each naming one output position;
//   - base < 2^30 (a multiple of 16) and blocks ≤ 2^26 are the verifier's, from
//     outStart, outEnd < 2^30 (core/machine.MaxOutput); blocks is compared with k
//     exactly;
//   - pre, post: the verifier's 0/1 masks;
//   - absorb, final, first, last, fresh: not range-checked, fixed as above;
//   - state, start, end: field elements of the permutation: no range.
//
// # Usage
//
//	start := output.Absorb(output.IV(), 0, out[:outStart]) // T(outStart), carried
//	main, calls, end := output.Trace(start, outStart, share, rc) // with output.AIR(); calls go to poseidon2.Trace
//	pub := output.Publics(outStart, outEnd, start, end)
//	d := output.Finish(endOfLastSegment, uint32(len(out))) // = output.Digest(out)
//
// The verifier sends no bus message for this table: start and end are public values,
// which a recursion leaf reads directly (a message would have to be fingerprinted in
// the circuit). [Dom] = 5 is declared here; package poseidon2's list of domains and
// bus.Poseidon2's comment name it. Package machine has the table in every segment (an
// empty share has one row), its permutations answered by the machine's poseidon2 table
// and its U8 lookups by the range table; SegmentState.OutState carries T(outEnd), and
// the claim's output digest (sdk/envelope.OutputDigest) is [Digest].
//
// # Performance
//
// Per 16 bytes of output: one row of [Width] = 38 main columns with 34 interactions (16
// U8, 16 Output, 2 Poseidon2: 18 extension auxiliary columns at degree 3, 72 base
// cells), and one poseidon2 row (136 + 8 cells): about 254 base-field cells, ≈16 per
// output byte, and one U8 lookup per byte, before the power-of-two padding. Measured on
// a 2-core AMD EPYC (shared, load ≈6; default engine parameters; BenchmarkProve with
// the poseidon2 and range tables, the range table's 2^16 rows being most of the fixed
// cost; the minimum of 15 proofs): the empty share proves in 0.27 s, 64 KiB (8192
// output rows, 4096 permutations) in 0.49 s, about 3 µs per output byte (the
// measurements vary by ±30% under the load), and the proof grows from 1.25 MB to
// 1.32 MB. The verifier's part is 66 public values instead of 65,536 messages.
package output
