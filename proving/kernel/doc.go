// Package kernel is the batch-granularity interface between the Hemera Engine and the
// hardware it runs on: coset LDE, Merkle commitment, FRI folding (and, as the Injector
// lands, BN254 MSM).
//
// # Usage
//
// Provers take a [Kernels] value through their configuration; package cpu is the
// pure-Go implementation on gnark-crypto, and the CUDA backend provides one on ICICLE.
// Package kerneltest checks that an implementation equals package cpu bit for bit.
//
// # Security
//
// Kernels are trusted for completeness, not soundness: a wrong kernel makes the prover
// produce proofs that the verifier rejects. The verifier calls no kernel.
//
// # Performance
//
// One call per batch; implementations parallelise inside the call.
package kernel
