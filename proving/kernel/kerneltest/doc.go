// Package kerneltest is the conformance kit for kernel sets: [Run] feeds an
// implementation and a reference (package kernel/cpu) the same random inputs and reports
// every place where their outputs differ, bit for bit, like testing/fstest.TestFS.
//
// # Usage
//
// A backend's test checks its kernels against the CPU ones:
//
//	func TestConformance(t *testing.T) {
//		kerneltest.Test(t, cpu.New(0), icicle.New(dev), kerneltest.Options{})
//	}
//
// or, outside a test (oneiros plugins check), collects the failures:
//
//	for _, err := range kerneltest.Run(cpu.New(0), impl, kerneltest.Options{Seed: 7}) {
//		fmt.Println(err) // kerneltest: CosetLDE(height 16, blowup 2^2, shift g, 9 columns): …
//	}
//
// What is checked, per kernel of [kernel.Kernels]:
//
//   - CosetLDE: heights 1, 2, 4, 16 and 2^MaxLogN, blowups 2^1 … 2^4, the shift 1, the
//     generator, the FRI coset shift and a random one, one column and many; no column;
//     the input is left unchanged. Ragged, non-power-of-two, empty and too tall columns
//     return errors.
//   - MerkleCommit: single matrices of heights 1 … 2^MaxLogN and widths 1 … 24, and
//     mixed heights (above and below the 16-lane batch, several matrices of one height);
//     roots, heights, dimensions and openings (rows and paths) agree, and every opening
//     of the implementation verifies against the reference root. No matrix, a
//     matrix without columns, a non-power-of-two height and a ragged matrix return errors.
//   - FoldFRI: random codewords of lengths 2 … 2^(MaxLogN+1) (odd halves too), random
//     β and 1/x; every entry of dst is overwritten; inputs are left unchanged;
//     mismatched lengths return errors.
//   - Quotient: a job that records its calls: every row of [0, Len) evaluated exactly
//     once, in batches [lo, hi) of at most BatchLen rows, no worker function called from
//     two goroutines at once, and the rows' computed outputs equal the reference's. A
//     negative length or a non-positive batch length returns an error.
//   - MSM: 0, 1, 2, … MaxMSM random points with random scalars, zero scalars, the
//     scalars 1 and −1, cancelling pairs and points at infinity; results compared in
//     affine form; inputs are left unchanged; mismatched lengths return an error.
//
// A panic inside a kernel call is reported as a failure of that case, not raised
// (a panic in a goroutine the kernel started cannot be caught and still crashes).
//
// # Security
//
// Kernels are trusted for completeness only (package kernel): a kernel that fails this
// kit makes the prover emit proofs that verifiers reject. The kit is not a soundness
// check of anything.
//
// # Performance
//
// With the default options Run takes well under a second against the CPU kernels;
// MaxLogN and MaxMSM scale it.
package kerneltest
