// Package input is the table of the private input tape: it holds the input's words,
// answers the I/O chip's READs from them over the Input bus, and absorbs them into a
// Poseidon2 sponge, a segment the blocks its READs reach (the final segment the rest
// too), between two sponge states that are public values. The last state's rate is the
// input digest: a proven commitment to exactly the bytes the program could read.
//
// # The digest
//
// For an input of n bytes (n < 2^30), the tape is its words w_i = bytes 4i … 4i+3, little
// endian, zero past the end — what READ returns at offset 4i (core/exec). A word enters
// the sponge as two 16-bit limbs (w mod 2^16, w div 2^16), which is injective on words;
// a block is four words, eight limbs. With P = hash.Permute (width 16), blocks =
// max(1, ⌈n/16⌉) and the initial state IV(n) = (0, …, 0 | [Domain], n, 0, …, 0) — zero rate,
// the capacity holding the domain tag and the length:
//
//	s_0 = IV(n);  s_{k+1} = P(s_k + (block_k ‖ 0^8));  digest = s_blocks[0:8]
//
// ([Digest]). The length in the capacity makes the zero padding of the last block
// unambiguous (inputs of different lengths start from different states; one length
// fixes the number of blocks), and the domain tag keeps the sponge apart from the
// engine's other uses of the permutation (Merkle compression, hash.Tagged). Collision
// resistance is the sponge's with an 8-element (≈248-bit) capacity: ≈124 bits, the
// engine's hash bound. sdk/envelope.InputDigest is this function.
//
// # Segments
//
// A run proven in segments splits the digest's computation: a segment's table absorbs
// only the blocks its READs reach, from the sponge state where the previous segment
// left it. The boundary between segments is a [State]: the sponge state after the
// blocks absorbed so far (IV(n) before any) and Carry, the 8 limbs of the last of them
// (zero before any). A segment that starts at input offset inStart and ends at inEnd
// absorbs blocks [first, end) ([Span]): first = ⌈inStart/16⌉ (the blocks before it were
// absorbed earlier), end = ⌈inEnd/16⌉, or Blocks(n) in the run's final segment, which
// absorbs the blocks nobody read so that its end state's rate is the digest; the
// verifier (core/machine's Linker) compares that rate with the claim's input digest.
// The digest is the function above whatever the cuts: claims do not change.
//
// A block can straddle a cut (segment i reads part of block k, segment i+1 the rest).
// The segment that first reaches block k absorbs it whole (its end is ⌈inEnd/16⌉) and
// leaves its limbs as the carried block; the next segment answers READs in block k (its
// block first − 1) from the carried limbs, which the verifier gives it as public values
// equal to the previous segment's. The carry is fixed-size (8 limbs), and the
// alternative — absorbing a block additively across the cut, as the output table does
// — would leave the next segment's words of the block unbound until its permutation,
// with the same 8 limbs to carry. The prover computes a segment's start state from the
// input (At: one native permutation per 16 bytes before inStart); workers receive the
// whole input in the boundary anyway, so the job formats need not carry the state.
//
// # Statement
//
// Given the public values start, start_carry, end, end_carry (16 + 8 + 16 + 8 elements),
// first, blocks and the masks zero[8], half[8] (computed by the verifier: [Publics]; the
// masks are zero unless end = Blocks(n) and blocks > 0), the verifier's message sending
// (KindOut, DomInput, 1, start) on bus.Poseidon2 ([Message]), and the poseidon2 chip
// answering bus.Poseidon2, this chip proves that there are blocks b_first … b_{first+blocks−1}
// (8 limbs each, 16-bit) with end = P(…P(start + b_first)… + b_last) (start itself when
// blocks = 0), end_carry = the last of them (start_carry when blocks = 0), the input's
// last block zero past byte n when the segment absorbs it, and that it receives
// (offset, lo, hi) on the Input bus only for offset = 16k + 4j with k ∈ [first − 1,
// first + blocks − 1], (lo, hi) word j of block k, block first − 1 being start_carry.
//
// Soundness across a run: the Linker starts from Start(n), gives each segment the
// previous segment's end state as its start, and sets first to the previous segment's
// end (first = ⌈inStart/16⌉ = ⌈InEnd_prev/16⌉ = end_prev, the I/O chip's offsets
// chaining). The segments therefore absorb blocks 0, 1, …, Blocks(n) − 1 each once, in
// order, from IV(n), and the final state's rate is the claim's digest: by the sponge's
// collision resistance the absorbed blocks are the blocks of the input the claim
// commits to. The carried block at a segment's start is the last block absorbed before
// it, block first − 1 (induction: a segment that absorbs nothing passes its start carry
// on). A segment's READs are at offsets in [inStart, inEnd) (package io), inside blocks
// first − 1 … end − 1: each is answered from a block bound to the sponge or from the
// carry, which is one, and a READ outside has no receiver.
//
// With the I/O chip sending (in_off, a) for every READ, the buses close only if every
// READ's word is the input's word at its offset: a READ of a word that is not the
// tape's has no receiver (its tuple, sent once or a few times, fewer than p, cannot be
// cancelled).
//
// # Constraints
//
// Rows: row 0 is the carry row (carry = 1), rows 1 … blocks absorb (absorb = 1), row
// blocks + 1 is the final row (final = 1), padding rows follow. r is the row index (0 on
// the first row, +1 per row) and the row holds block k = r + first − 1. carry, absorb,
// final are boolean and exclusive (one_kind); carry = 1 on the first row and 0 on every
// other (carry_once); live = carry + absorb; absorb_next·(1 − live) = 0 (absorbing rows
// follow the carry row contiguously); final_next = live − absorb_next (exactly the row
// after the last live row is final); live = 0 on the last row (so the final row
// exists); final·(r − blocks − 1) = 0. Hence exactly blocks rows absorb. last =
// final_next (transition; 0 on the last row) marks row blocks: the last absorbed block,
// or the carry row when blocks = 0.
//
// Words: lo_j, hi_j (j < 4) are U16 lookups on every row; the row receives
// (16k + 4j, lo_j, hi_j) on the Input bus with multiplicity mult_j, which is 0 unless the
// row is live ((1 − live)·mult_j = 0). The carry row's limbs are start_carry (carry_in,
// first row); the last row's are end_carry (carry_out: last·(limb_i − end_carry_i) = 0).
// In the input's last block, with r = n − 16·(Blocks(n) − 1) bytes of input in it (the
// verifier's masks, nonzero only when that block is the segment's last absorbed one):
// limb i with 2i ≥ r is zero (last·zero_i·limb_i = 0), and the limb holding one byte of
// input (2i + 1 = r, when r is odd) is sent on the U8 bus (tuple Σ half_i·limb_i,
// multiplicity last), so its upper byte is zero.
//
// Sponge: an absorbing row r sends (KindIn, DomInput, r + 1, state + (limbs ‖ 0)) on
// bus.Poseidon2; absorbing and final rows receive (KindOut, DomInput, r, state). The
// identifiers are the row indices, distinct, and only this table uses DomInput, so
// (package poseidon2) row r + 1's state is P of row r's state plus its block, and row 1's
// state is the verifier's start. The final row's state equals the public end (end[i]).
//
// # Range arguments
//
// Every value that enters as a field element:
//
//   - lo, hi: U16 lookups, so a word's limbs are its 16-bit halves and the block is the
//     injective encoding of the bytes (the digest of a non-canonical limb sequence would
//     name no byte string); start_carry and end_carry equal limbs of U16-checked rows;
//   - the half limb: U8 lookup (< 2^8); zero limbs are constrained to 0;
//   - r: the row index, below the table height (≤ 2^24, the field's two-adicity); k =
//     r + first − 1 with first ≤ 2^26 the verifier's, so k ∈ [−1, 2^26 + 2^24) and the
//     offsets 16k + 4j ∈ [−16, 2^31) are distinct integers below p (−16 … −4 stand for
//     p − 16 … p − 4, which no READ sends); the I/O chip's in_off is below
//     input_len < 2^30 < p. An offset therefore names one word both sides;
//   - first, blocks ≤ 2^26 are the verifier's, compared with r exactly;
//   - n enters only through IV(n) (a field element, n < 2^30 < p: the verifier refuses
//     longer inputs) and the masks, both computed by the verifier;
//   - state, start and end elements are field elements of the permutation: no range;
//   - mult_j: field elements, 0 off the live rows and otherwise free. They can only
//     help balance tuples that somebody sends, and the only sender (the I/O chip) sends
//     fewer than p tuples, each with the word the tape holds at its offset.
//
// The table is not optional (an optional table's public values would go unchecked when
// it is left out): every proof, with or without input, proves its input digest.
//
// # Usage
//
//	d := input.Digest(in)                  // the claim's input digest
//	start := input.At(in, inStart)         // where the segment finds the sponge
//	main, calls, end := input.Trace(in, start, inStart, inEnd, final, reads, rc)
//	pub := input.Publics(uint32(len(in)), inStart, inEnd, final, start, end)
//	msg := input.Message(start)            // the verifier's bus message
//	// after the final segment: end.Digest() == d
//
// # Performance
//
// [Width] = 33 main columns per block row, 15 interactions (8 U16, 4 Input, 1 U8, 2
// Poseidon2), plus one poseidon2 row (136 + 8 cells) per absorbed block. A segment has
// blocks + 2 rows (carry and final rows), blocks ≈ its READ bytes / 16 (+1 at a
// straddling cut), and the final segment adds the unread rest: a run reading its input
// once pays for each block once over all its segments, where every segment used to pay
// for the whole input (a 300 KB input: 2^15 input rows and 18,750 permutations per
// segment before; now a segment reading 16 KB has 2^10 rows). A segment's shape no
// longer depends on the input's length, only on what it reads (and, in the final
// segment, on the unread rest). The prover's start state costs one native permutation
// per 16 bytes before inStart (At), a few ms per 100 KB.
//
// Limits: the table has blocks + 2 rows, which the engine's largest trace height bounds
// (the field's two-adicity, 2^24, less the blowup); the backend receives the input in
// the segment boundary (core/machine.Boundary), one gRPC message of at most 64 MiB.
package input
