// Package module decodes and validates WebAssembly binary modules: the core
// specification 2.0 (MVP plus sign extension, multi-value, bulk memory, reference
// types, non-trapping float-to-int conversions) without SIMD. Floating-point types and
// instructions are decoded and validated like the rest, so that a float-less VM can tell
// a valid module it cannot run from an invalid one; the translator refuses them.
//
// # Usage
//
//	m, err := module.Decode(b) // the binary format: sections, LEB128, instructions
//	if err == nil {
//		err = m.Validate() // the type rules; fills in Func.MaxStackWords and UsesFloat
//	}
//	var e *module.Error
//	if errors.As(err, &e) { … e.Kind is ErrMalformed, ErrInvalid or ErrUnsupported; e.Off the byte offset }
//
// Function bodies are decoded into flat instruction lists ([Instr]): structure (blocks,
// else, end) stays as instructions, immediates are unpacked, br_table label lists are
// kept per function. Validation follows the algorithm of the specification's appendix
// (an operand stack of types and a stack of control frames) and records the deepest
// operand stack of each function in 32-bit words, which the translator uses to lay out
// frames.
//
// # Security
//
// Decode and Validate take untrusted bytes and never panic (FuzzDecode). Nothing they
// allocate is larger than a small multiple of the input: every vector length is checked
// against the bytes left before anything is allocated, LEB128 integers are bounded in
// length and range, nesting is tracked with counters and explicit stacks (no recursion),
// and implementation limits bound what the bytes cannot: MaxModuleBytes, MaxLocals,
// MaxBrTable, MaxInstrs. Errors say what is wrong in the specification's words
// ("integer too large", "type mismatch", …) and where (byte offset, function index).
//
// # Performance
//
// Decoding and validation are linear in the module's size (br_table checks each label
// against the stack top without copying it). A 70 KB C program decodes and validates in
// about a millisecond.
package module
