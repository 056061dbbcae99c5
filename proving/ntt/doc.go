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
// Twiddle tables are cached: gnark-crypto's domains per size, and for the AVX2 kernels
// one table per direction whose prefix serves every smaller size (twiddle.go).
// gnark-crypto's FFT has AVX-512 kernels on amd64 and otherwise generic Go. Built with
// GOEXPERIMENT=simd on amd64, on a CPU with AVX2 where gnark-crypto runs no AVX-512
// (cpu.SupportAVX512 false: no AVX-512 F/DQ/VBMI2, or the purego build tag), CosetLDE, Interpolate and Evaluate from 16 elements
// on (blowups up to 16) run this package's 8-lane kernels instead (ntt_avx2.go: radix-2
// butterflies two layers a pass, the last three layers with lane shuffles, recursion
// above 2^12 elements for the cache), about 6× gnark-crypto's generic FFT; where
// gnark-crypto's AVX-512 FFT runs it is about 1.3× faster than these and is kept.
// BitReverse uses 8×8 register transposes on any AVX2 CPU (gnark-crypto's permutation is
// scalar everywhere). Outputs are the same words on every path (lanes_test.go). Callers
// parallelise across columns and pass tasks = 1 for each transform; tasks > 1 splits
// one transform's passes and recursion.
package ntt
