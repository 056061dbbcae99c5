package kernel

import (
	"github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/merkle"
)

// Kernels are the batch operations that dominate proving time. The prover calls them
// once per matrix, commitment or FRI layer, never per element, so a GPU implementation
// pays its transfer and launch costs once per batch. Every implementation must produce
// the same output as package cpu bit for bit (package kerneltest checks it).
type Kernels interface {
	// Name identifies the implementation and its device, e.g. "cpu" or "icicle/cuda:0".
	Name() string

	// CosetLDE extends each column, given by its evaluations on H_n in natural order, to
	// its evaluations on shift·H_{n·2^logBlowup}, returned in bit-reversed order.
	CosetLDE(cols [][]field.Elem, logBlowup int, shift field.Elem) ([][]field.Elem, error)

	// MerkleCommit builds the mixed-matrix Merkle tree of package merkle over mats.
	MerkleCommit(mats []merkle.Matrix) (*merkle.Tree, error)

	// FoldFRI folds a codeword in bit-reversed order by two: for each pair (a, b) at
	// positions (2i, 2i+1), whose points are x and −x, it writes
	// dst[i] = (a+b)/2 + beta·(a−b)/(2x), where invX[i] = 1/x.
	// Codewords are coordinate-wise extension vectors (field.ExtVec) of one degree;
	// beta is of that degree or in the base field.
	FoldFRI(dst, codeword field.ExtVec, beta field.Ext, invX []field.Elem) error

	// Quotient runs a table's constraint evaluation over its quotient domain: it calls
	// the functions job.NewWorker returns on batches [lo, hi) that cover [0, job.Len())
	// exactly once, each batch at most job.BatchLen() rows, one worker per goroutine.
	// The constraint system is the table's (package stark builds the job); a device
	// implementation may recognise the job's concrete type and run it itself.
	Quotient(job QuotientJob) error

	// MSM computes Σ scalars[i]·points[i] on BN254 G1 (for the Injector's final wrap).
	MSM(points []bn254.G1Affine, scalars []fr.Element) (bn254.G1Jac, error)
}

// QuotientJob is one table's quotient evaluation, split into independent batches.
type QuotientJob interface {
	Len() int
	BatchLen() int
	NewWorker() func(lo, hi int)
}
