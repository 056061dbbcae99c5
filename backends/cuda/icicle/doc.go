// Package icicle implements the Hemera Engine's kernel interface ([kernel.Kernels]) on
// ICICLE v3 (github.com/ingonyama-zk/icicle/v3, v3.9.2) through its Go bindings and cgo:
// the coset LDE on ICICLE's KoalaBear NTT and the BN254 G1 MSM on ICICLE's MSM, on a
// CUDA GPU or on ICICLE's own CPU device, which stands in for the GPU on machines without
// one. Its outputs equal package kernel/cpu's bit for bit (package kerneltest checks it).
//
// The ICICLE code is compiled only with the cuda build tag (device_cuda.go, lde_cuda.go,
// msm_cuda.go). Without it the package has no cgo: [Compiled] is false, [Devices] lists
// every device unavailable with [ErrNotCompiled] as the reason, and [Open] returns it.
//
// # Usage
//
//	k, err := icicle.Open("cuda", 0) // or "cuda:1", "cpu" (ICICLE's CPU device), "" (the GPU if any, else cpu)
//	if err != nil {
//		return err // no GPU, no ICICLE CUDA backend, not compiled with CUDA support, …
//	}
//	e, err := hemera.New(params, hemera.WithKernels(k))
//
// # Where each kernel runs
//
// [DeviceKernels] run on the ICICLE device; [HostKernels] run in Go on the host's CPU,
// with package kernel/cpu, and the reasons are given there: the Merkle commitment (ICICLE
// has no Poseidon2 with the engine's parameters and constants), the quotient (a Go closure)
// and FRI folding (memory-bound, about 1 % of a proof).
//
// CosetLDE runs, per chunk of columns of at most 1 GiB on the device: a zeroed buffer of
// cols × N elements, each column copied to the start of its row, an inverse NTT of size n
// per row (natural order in and out), then one batched forward NTT of size N with the coset
// generator and ordering NR, and one copy back. The NTT domain is initialised with
// gnark-crypto's root of unity (ICICLE keeps its first domain until released; it grows on
// demand from 2^16), so the points and their order are the engine's. Field elements cross
// the boundary in gnark-crypto's Montgomery form untouched: every step is linear, so ICICLE
// returns the Montgomery form of the right answer. Heights of one row, and shifts that are
// roots of unity of two-power order (never the engine's; ICICLE's CPU NTT mis-indexes its
// twiddles for them), are computed on the host.
//
// MSM copies gnark-crypto's points and scalars to the device as they are (the same bytes
// as ICICLE's types), converts them there from Montgomery form with ICICLE's vector
// conversions (in v3.9.2 ICICLE's CPU MSM ignores its "bases are Montgomery" flag, so the
// flags are not used), and converts the projective result back on the host.
//
// # Threads
//
// ICICLE selects the device per OS thread and keeps one NTT domain per device, so every
// call sequence on a device runs under the device's mutex on a locked OS thread: calls on
// one device are serialised (each parallelises inside: CUDA, or ICICLE's CPU device on every
// core, whatever the workers given to Open, which bound only the host kernels).
//
// # Security
//
// Kernels are trusted for completeness only (package kernel): a wrong result makes the
// prover's proofs fail verification, which the host runs on every proof. Inputs are
// validated before they reach ICICLE, whose Go bindings panic on malformed slices.
//
// # Performance
//
// On ICICLE's CPU device the kernels are slower than package kernel/cpu's (gnark-crypto's
// AVX-512 NTT); that device exists for testing the cgo path. On a GPU the LDE is bound by
// the transfers (n·cols·4 bytes up, N·cols·4 bytes down, from pageable Go memory) rather
// than by the NTTs. See the command's documentation (oneiros-backend-cuda) for figures.
package icicle
