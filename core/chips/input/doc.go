// Package input is the table of the private input tape: it holds the input's words,
// answers the I/O chip's READs from them over the Input bus, and absorbs all of them
// into a Poseidon2 sponge whose digest is a public value. A proof's input digest is
// therefore a proven commitment to exactly the bytes the program could read.
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
// # Statement
//
// Given the public values digest, blocks, zero[8] and half[8] (all computed by the
// verifier from n and the claimed digest: [Publics]), the verifier's message sending
// (KindOut, DomInput, 0, IV(n)) on bus.Poseidon2 ([Message]), and the poseidon2 chip
// answering bus.Poseidon2, this chip proves that there is a byte string B of n bytes with
// Digest(B) = digest, and that it receives (offset, lo, hi) on the Input bus only for
// offset = 4i, i < ⌈n/16⌉·4, and (lo, hi) the limbs of B's zero-padded word i (each
// such tuple any number of times: the multiplicities are the prover's).
//
// With the I/O chip sending (in_off, a) for every READ, the buses close only if every
// READ's word is B's word at its offset: a READ of a word that is not the tape's has no
// receiver (its tuple, sent once or a few times, fewer than p, cannot be cancelled).
//
// # Constraints
//
// Rows: row k < blocks absorbs block k (absorb = 1), row blocks is the final row
// (final = 1), padding rows follow. k is the row index (0 on the first row, +1 per
// row). absorb, final are boolean and exclusive; absorb = 1 on the first row and 0 on
// the last; absorb_next·(1 − absorb) = 0 (absorbing rows form a prefix);
// final_next = absorb − absorb_next (exactly the row after the last absorbing row is
// final — it exists since the last row does not absorb); final·(k − blocks) = 0. Hence
// exactly blocks rows absorb. last = absorb − absorb_next (transition; 0 on the last
// row) marks row blocks − 1.
//
// Words: lo_j, hi_j (j < 4) are U16 lookups on every row; the row receives
// (16k + 4j, lo_j, hi_j) on the Input bus with multiplicity mult_j, which is 0 unless the
// row absorbs ((1 − absorb)·mult_j = 0). In the last block,
// with r = n − 16·(blocks − 1) bytes of input in it (the verifier's masks): limb i with
// 2i ≥ r is zero (last·zero_i·limb_i = 0), and the limb holding one byte of input
// (2i + 1 = r, when r is odd) is sent on the U8 bus (tuple Σ half_i·limb_i, multiplicity
// last), so its upper byte is zero. The words of the table are B's, zero-padded.
//
// Sponge: an absorbing row sends (KindIn, DomInput, k + 1, state + (limbs ‖ 0)) on
// bus.Poseidon2; absorbing and final rows receive (KindOut, DomInput, k, state). The
// identifiers are the row indices, distinct, and only this table uses DomInput, so
// (package poseidon2) row k + 1's state is P of row k's state plus its block, and row 0's
// state is the verifier's IV(n). The final row's state[0:8] equals the public digest.
//
// # Range arguments
//
// Every value that enters as a field element:
//
//   - lo, hi: U16 lookups, so a word's limbs are its 16-bit halves and the block is the
//     injective encoding of the bytes (the digest of a non-canonical limb sequence would
//     name no byte string);
//   - the half limb: U8 lookup (< 2^8); zero limbs are constrained to 0;
//   - k: the row index, below the table height (≤ 2^24, the field's two-adicity), so the
//     offsets 16k + 4j < 2^28 < p are distinct integers; the I/O chip's in_off is below
//     input_len < 2^30 < p. An offset therefore names one word both sides;
//   - blocks = max(1, ⌈n/16⌉) ≤ 2^26 is the verifier's, compared with k exactly;
//   - n enters only through IV(n) (a field element, n < 2^30 < p: the verifier refuses
//     longer inputs) and the masks, both computed by the verifier;
//   - state and digest elements are field elements of the permutation: no range;
//   - mult_j: field elements, 0 off the absorbing rows and otherwise free. They can
//     only help balance tuples that somebody sends, and the only sender (the I/O chip)
//     sends fewer than p tuples, each with the word the tape holds at its offset.
//
// The table is not optional (an optional table's public values would go unchecked when
// it is left out): every proof, with or without input, proves its input digest.
//
// # Usage
//
//	d := input.Digest(in)                           // the claim's input digest
//	main, calls := input.Trace(in, readOffsets, rc) // with input.AIR(); calls go to poseidon2.Trace
//	pub := input.Publics(uint32(len(in)), d)        // the table's public values
//	msg := input.Message(uint32(len(in)))           // the verifier's bus message
//
// # Performance
//
// [Width] = 32 main columns per 16 bytes of input, 15 interactions (8 U16, 4 Input, 1
// U8, 2 Poseidon2: 8 LogUp groups at degree 3, 9 extension auxiliary columns), plus one
// poseidon2 row (136 + 8 cells) per 16 bytes: about 212 base-field cells and 8 U16
// lookups per 16 bytes, ≈13 cells per input byte, before the power-of-two padding (the
// final row makes an input of exactly 2^m blocks round up to 2^(m+1) rows here, not in
// the poseidon2 table). Measured on a 2-core AMD EPYC (shared, loaded; the minimum of 5
// proofs, default engine parameters): a program without READs proves in 0.79 s with no
// input, 0.83 s with 1 KiB, 0.91 s with 63 KiB and 0.97 s with 64 KiB (input table 8192
// rows, poseidon2 4096 rows): about 3 µs per input byte, most of the fixed 0.79 s being
// the 2^16-row lookup tables. The two tables add about 200 KB to every proof, input or
// not (their openings).
//
// Limits: the table has blocks + 1 rows, which the engine's largest trace height bounds
// (the field's two-adicity, 2^24, less the blowup); the backend receives the input in
// the segment boundary (core/machine.Boundary), one gRPC message of at most 64 MiB.
package input
