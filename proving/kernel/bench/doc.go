// Package bench measures a kernel set on the engine's reference workload and the bare
// gnark-crypto calls that do the same work, for `oneiros bench kernels`.
//
// # Usage
//
//	rows, err := bench.Run(ctx, cpu.New(0), bench.Config{LogN: 20, Cols: 64, Reps: 3}, nil)
//	fmt.Println(bench.Summarize(rows).CommitRatio) // hemera commit time / bare gnark-crypto's
//
// Each [Row] is one kernel on one implementation, its time the median of Reps runs (a
// garbage collection runs before each, untimed; a first run under 250 ms is a warm-up
// and not counted). The kernels:
//
//	lde              CosetLDE of Cols columns of 2^LogN rows, blowup 2, FRI's coset shift   cells/s (input)
//	merkle           MerkleCommit of that LDE (2^(LogN+1) rows)                             cells/s (LDE)
//	commit           both, as the FRI commitment runs them                                  cells/s (input)
//	quotient         the Quotient kernel on starktest.Wide(LogN, Cols, 6), through stark    rows/s (quotient domain)
//	fri_fold         FoldFRI of a 2^(LogN+1) codeword                                       elements/s (input)
//	msm              MSM of 2^min(LogN,16) BN254 G1 points                                  points/s
//	gnark_fft        the same LDE with fft.Domain.FFTInverse and a coset FFT                cells/s
//	gnark_poseidon2  the same tree with Permutation.Compressx16Columns(WithState)           cells/s
//	gnark_commit     both                                                                   cells/s
//	gnark_msm        G1Jac.MultiExp on the same points                                      points/s
//
// The first six run on the kernel set given (Impl "hemera"), the last four on
// gnark-crypto directly (Impl "gnark-raw"), with the same inputs, the same output
// buffers allocated per run, and the same parallelism (Config.Workers goroutines). The
// raw pipelines compute the same values as the kernels (the package's tests check it),
// so [Summary.CommitRatio], hemera commit time over gnark_commit time, is the price of
// the engine's layer over gnark-crypto: 1.0 is none.
//
// The quotient kernel has no input of its own (the stark package builds its job), so
// it is measured inside a real proof: hemera proves the Wide table on a kernel set that
// times its Quotient call and then stops the proof. Only the kernel call is timed, not
// the commitment before it nor the interpolation of the quotient after it.
//
// # The arithmetic floor
//
// [MeasureFloor] measures, on the kernels' number of goroutines, what this machine's
// arithmetic alone sustains: KoalaBear multiplications and additions per second
// (gnark-crypto's Vector.Mul and Vector.Add on vectors in the L1 cache) and Poseidon2
// width-16 permutations per second (Compressx16Columns, the Merkle tree's batched call).
// [CountOps] counts the operations each kernel's work needs (LDE, Merkle, commit,
// quotient, FRI fold; not the MSM), and [ApplyFloor] sets each row's FloorSeconds, the
// count at the floor rates, and VsFloor, the measured time over it: 1.0 is a kernel as
// fast as its arithmetic, and the goal is every kernel under 2. Run itself measures no
// floor (its caller does, once); it sets each row's Ops.
//
// # Performance
//
// At LogN = 20 and Cols = 64 the trace takes 256 MiB and each LDE 512 MiB; the peak is
// about 1.5 GiB (370 MiB measured at LogN = 18), and a run with Reps = 3 takes about a
// minute and a half on two cores (20 s at LogN = 18).
package bench
