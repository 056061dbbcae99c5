// Package recursion is the engine proving its own verifier: the first half of the Hemera
// Injector's aggregation (docs/injector.md, "Aggregation").
//
// A verifier of a fixed proof shape is a straight-line program. [Program] is that
// program over a write-once memory of degree-4 extension cells, with thirteen instructions:
// constants, inputs (the proof being verified; up to four base inputs in one, with the
// ext element they are the coordinates of), inverse hints, ext add/sub/mul, a dot
// product of up to four ext cells with base cells added to an accumulator, equality
// assertions, the Poseidon2 permutation of 16 base cells, the Merkle compression of two
// digests (hash.Compress, its inputs optionally swapped by a bit cell: one instruction
// per Merkle step) and the canonical 31-bit decomposition of a base cell. A [Builder] emits one; [Program.Execute] runs it
// natively (the witness of its proof, and the test that a program accepts what the
// native verifier accepts).
//
// The recursion AIR set (core/chips/recursion) proves "this program executed": one table per instruction kind,
// the program's addresses and constants preprocessed (so the verifying key fixes the
// program), the values in main columns, and a LogUp memory bus on which each cell's one
// writer sends (cell, value) as many times as the program reads it and each reader
// receives it once.
package recursion
