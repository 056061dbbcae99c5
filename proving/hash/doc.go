// Package hash is the Poseidon2 hash of the Hemera Engine: the permutation, the 2-to-1
// compression of Merkle nodes, the leaf chain, and byte hashing with domain separation.
//
// # Usage
//
//	d := hash.Tagged("oneiros/program", image) // a digest of bytes
//	n := hash.Compress(&left, &right)          // a Merkle node
//	l := hash.Elems(row)                       // a Merkle leaf
//
// # Security
//
// Parameters are fixed once: width t = 16 over KoalaBear (p = 2^31 − 2^24 + 1), S-box
// x^3 (gcd(3, p−1) = 1, so it is a permutation; 3 is the smallest such exponent for this
// field), R_F = 6 full rounds and R_P = 21 partial rounds, round constants derived by
// gnark-crypto from Keccak-256 of the string "Poseidon2-koalabear[t=16,rF=6,rP=21,d=3]",
// internal diagonal taken from Plonky3. These are gnark-crypto's defaults, chosen because
// its AVX-512 kernels exist only for them.
//
// The argument, following the Poseidon2 paper (eprint 2023/323, §3 and the Poseidon
// paper's §5): statistical (differential and linear) attacks need R_F ≥ 6 for a 16-wide
// state over a 31-bit field, since each full round has 16 active S-boxes of differential
// uniformity 2/p and a wide-trail bound makes the best 6-round trail probability far
// below 2^-128. Interpolation and Gröbner-basis attacks bound R_F + R_P: for d = 3,
// log_3(2^128) ≈ 81 degrees of freedom must be exceeded; with the counting of the Poseidon2
// paper (eqs. 2–4) the binding bound for t = 16, p ≈ 2^31 and 128-bit security is
// R_P ≥ 20 when R_F = 6 … 8. We take R_P = 21. The margin is therefore thin on R_F
// (Plonky3 uses R_F = 8, R_P = 20 for the same field and width, adding the customary two
// full rounds of margin), and we record that departure here: the AVX-512 kernels and the
// bit-for-bit agreement with gnark-crypto's reference matter to every proof, and the
// engine's conjectured security (package stark) is capped at the hash's 124-bit collision
// bound anyway. A digest is 8 elements (≈248 bits), giving ≈124-bit collision resistance.
//
// # The Wide scheme
//
// [Scheme] selects the hash of a proof's commitments and transcript. [Narrow] is the
// above. [Wide] (engine.hash: poseidon2-w24, for the 128-bit preset) is a width-24
// Poseidon2 with R_F = 8 and R_P = 23 (gnark-crypto's generic path, round constants from
// "Poseidon2-koalabear[t=24,rF=8,rP=23,d=3]"): the customary two full rounds of margin
// over the statistical bound, and R_P above the algebraic bound the Poseidon2 paper
// gives for t = 24 at 128 bits (the parameters Plonky3 publishes for this field and
// width). Its digests ([Node]) are 12 elements (≈372 bits, ≈186-bit collision
// resistance), its compression P(l ‖ r)[12:24] + r, its leaf hash the chain of that
// compression over blocks of 12, and the transcript's sponge has rate 12 and capacity
// 12. The claim's digests and the verifying key's stay Narrow [Digest]s.
//
// The Merkle–Damgård chain [Elems] is collision resistant for fixed-length inputs, which
// is how the Merkle tree uses it; [Tagged] absorbs the tag and length first for inputs of
// varying length.
//
// # Performance
//
// On amd64 with AVX-512 gnark-crypto permutes 16 states at once; package merkle hashes
// 16 leaves per call through it. Elsewhere gnark-crypto runs generic Go (about 0.6
// million permutations per second per core on a Zen 4 EPYC). [Permute8] and
// [Compress8] permute eight states at once: built with GOEXPERIMENT=simd on amd64 and
// run on a CPU with AVX2 ([Vector8]), they are AVX2 vector code written with
// simd/archsimd (permute8_avx2.go documents the arithmetic and its ranges), about 7
// million permutations per second per core on the same machine, 12 times the generic
// path and two thirds of gnark-crypto's 16-lane AVX-512 kernel; in any other build they
// run the permutation lane by lane. Their results are bit for bit gnark-crypto's in
// every build (tests compare them on random and edge states). Package merkle uses them
// where gnark-crypto has no AVX-512 kernel.
package hash
