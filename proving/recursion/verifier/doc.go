// Package verifier emits the Hemera Engine's verifier (stark.Verify, with the FRI
// commitment scheme's Verify) as a recursion program (package recursion): the second
// half of the program the aggregation layer proves.
//
// # Usage
//
// A [Shape] fixes everything the program is built for: the verifying key, the proof
// parameters, the height of every table and the sizes of the statement (package
// verifyshape derives the rest, as for the wrap circuit). [Program]
// emits the program of a shape; [Inputs] flattens a proof and its statement into the
// program's input stream:
//
//	sh, err := verifier.ShapeOf(vk, engine.Params(), proof, publics, bus)
//	prog, err := verifier.Program(sh)
//	in, err := verifier.Inputs(sh, proof, publics, bus)
//	_, err = prog.Execute(in) // nil exactly when engine.Verify accepts the proof
//
// [Emit] emits the verification into a program being built, with the statement given as
// cells (a join relates its children's statements); [EmitKey] also takes the key's
// digest and preprocessed commitment from cells, so that one program verifies proofs of
// several programs of the recursion AIR set (whose program is the preprocessed columns),
// the caller checking those cells against an allowlist of keys (core/aggregate).
//
// The program's public outputs are the statement it verified: every table's public
// values in table order, then every public bus message's multiplicity and tuple (the
// messages' buses and directions, like the verifying key and the heights, are fixed by
// the shape, so by the program).
//
// # Security
//
// Every check the native verifier makes on values is an instruction of the program;
// the checks on sizes are NewShape's (the shape refuses what the native verifier
// rejects whatever the proof: heights out of range, bus slot counts that could wrap,
// security below the parameters' floors) and Inputs' (a proof of another shape is
// refused before it reaches the program). The program replays the Narrow Fiat–Shamir
// transcript with Perm instructions, checks the three proofs of work with Bits, the
// LogUp bus balance with the public messages, every table's constraints at ζ (its
// expression graph evaluated with Add/Sub/Mul), the DEEP quotients, every mixed-height
// Merkle opening, the FRI folding at the configured arity and the final polynomial.
// Every inverse the verifier takes is asserted to exist (Inv), as the native verifier
// rejects a zero denominator. The one place the program is stricter: were ζ = 0 (a
// transcript draw, probability 2^−124), package fri would merge the points ζ and ζ·ω of
// a table's openings into one, where the program's divided difference divides by zero
// and fails — an honest proof refused, never a false one accepted.
//
// Only proofs without zero knowledge, over the degree-4 extension and with the Narrow
// hash (Poseidon2 width 16, 8-element digests) are verified; NewShape refuses others.
//
// # Performance
//
// The program's size is linear in the number of queries: per query, a Merkle path per
// commitment (one compress instruction per level — the bit's left/right choice, the
// permutation and the feed-forward —, plus the leaf hashing of the opened rows, one per 8
// elements) and one per FRI layer, the batching of the opened base values (dot, four
// products per instruction), the DEEP quotients and the folding. The input stream is
// read four values per instruction (input_base4; an extension value as its coordinates
// and the element at once). Program.Stats counts the instructions by kind;
// docs/injector.md ("Aggregation") lists them for a zkVM segment and a join.
package verifier
