// Package machine is the zkVM of OneirOS: it assembles the chips of package
// core/chips into one proof system for the normalized ISA, turns a run into the tables
// the Hemera Engine proves, and proves and verifies runs one segment at a time.
//
// # Usage
//
//	m := machine.New(engine)               // the chips on a hemera.Engine
//	keys, _ := m.Setup(program)            // the ROM and fixed tables, committed (cached)
//	res, recs, _ := machine.Execute(ctx, program, exec.Options{Input: in})
//	st := machine.StatementOf(program, res, in)
//	proof, _ := m.Prove(keys, st, recs)    // one segment
//	err := m.Verify(keys.VK, st, proof)
//
// A long run is proven in segments (SegmentOf and Rebase cut a run's records; a
// backend proves each with sdk/backend's ProveSegment): each segment's
// proof carries a SegmentState — how it starts and ends, the memory words it touched
// with their first and last values — and a Linker checks that consecutive segments
// agree and that together they make the claimed run (VerifySegments).
// docs/continuations.md has the argument. Profile and ProfileRun count a run's cycles
// by opcode, chip, syscall and, with a frontend's source map, source instruction.
//
// # Security
//
// The statement binds the program (its ID and ROM), the entry, the exit (halted and its
// code, trapped, or stopped at a segment end), the cycle count, the input tape (its
// length and a Poseidon2 digest proven by the input chip), the log of host answers (the
// hook calls' count and the digest of their sponge, proven by the hook chip, carried
// across segments; HooksOf, ProvableHook) and the public output; the
// claim's context (ISA, source and input digests) is absorbed into every proof's
// transcript. The chips' soundness arguments are in their package docs, the demonstrated
// forgeries and their regression tests in docs/security.md (soundness_test.go,
// segment_forge_test.go, input_forge_test.go, hook_test.go keep the cheating provers).
//
// # Performance
//
// Setup keeps the keys of the last few programs (setup is deterministic); tables are
// sized to powers of two above their rows, and optional chips absent from a run cost
// nothing. docs/cost-model.md gives the cost per cycle and per chip. A segment may be
// padded to given table heights (SegmentRun.MinLogN, padding.go: one of a catalogue of
// shapes for aggregation), at a cost that follows the cells (docs/leaf-shapes.md,
// "Padding": mix.s with every table at the CPU's height proves in about 5× the time).
// The machine's catalogue of shapes (CatalogueV1; a Cutter cuts a run by it, counting
// rows with RowCounter, and SetupROM pads the ROM to its class) costs about 1.5–2× the
// natural cells on long runs, and makes every such run's aggregation one allowlist with
// one root (CatalogueRoot: docs/leaf-shapes.md, "What was built").
package machine
