// Package cpu implements kernel.Kernels in pure Go on gnark-crypto's KoalaBear FFT and
// Poseidon2, with AVX-512 on amd64. It is the reference every other kernel set must
// match bit for bit (package kerneltest).
//
// # Performance
//
// LDEs run one column per goroutine (a lone column gets every worker); Merkle trees
// hash 16 leaves per AVX-512 call; FRI folding splits the codeword across workers.
// Results never depend on the number of workers.
package cpu
