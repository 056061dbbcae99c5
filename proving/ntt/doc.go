// Package ntt wraps gnark-crypto's KoalaBear FFT into the transforms the Hemera Engine
// uses: coset low-degree extension in bit-reversed order, interpolation, and the
// conventions for coset shifts and point orderings.
//
// # Usage
//
//	ntt.CosetLDE(out, col, logBlowup, ntt.CosetShift(logN, logMax), 1)
//
// Evaluations of committed polynomials are stored in bit-reversed order: then the two
// points x and −x sit side by side (FRI folds them), and the first 2^k entries of an LDE
// are exactly the coset of size 2^k (the quotient domain is a prefix).
//
// # Performance
//
// Domains (twiddle tables) are cached per size. gnark-crypto's kernels use AVX-512 on
// amd64. Callers parallelise across columns and pass tasks = 1 for each transform.
package ntt
