// Package merkle is the mixed-matrix Merkle commitment of the Hemera Engine: one tree
// over a batch of column-major matrices of power-of-two heights, hashed with Poseidon2.
//
// # Usage
//
//	t, err := merkle.Commit([]merkle.Matrix{a, b}, workers)
//	o := t.Open(i)                              // rows of a and b at i, and the path
//	err = merkle.Verify(t.Root(), t.Dims(), i, o)
//
// # Security
//
// A leaf is hash.Elems of the concatenated rows of the tallest matrices; a node is
// hash.Compress(left, right); at the level whose width equals the height of shorter
// matrices, the node becomes hash.Compress(node, hash.Elems(their rows)). The widths and
// heights are fixed by the verifier ([Dim]), so the fixed-length leaf chain needs no
// length padding, and an opening binds every row to its matrix and index.
//
// A hiding commitment (the zero-knowledge mode of package fri) gives each matrix salt
// columns (Matrix.Salt) of fresh random elements: a leaf hashes each matrix's row followed
// by its salt, and an opening carries the salts (Opening.Salts) next to the rows. A path's
// sibling digests then say nothing about the unopened rows beyond what a random oracle's
// outputs on inputs of full entropy say (4 salt elements: about 124 bits), which is what
// the hiding argument in docs/security.md needs. Dim.Salt tells the verifier the length.
//
// # Performance
//
// Leaves and nodes are hashed 16 at a time with gnark-crypto's AVX-512 Poseidon2
// kernels (Compressx16Columns and its stateful variant), reading 16 consecutive rows of
// each column as one contiguous block — which is why evaluations are kept column-major
// and bit-reversed. Where gnark-crypto has no AVX-512 kernel and the build has
// hash.Compress8's AVX2 kernel (GOEXPERIMENT=simd on an amd64 CPU with AVX2), leaves and
// nodes are hashed 8 at a time through it instead; the roots are the same (a test
// commits with each path). Work is split across workers in aligned chunks; the result
// does not depend on the number of workers.
package merkle
