// Package container reads and writes invocation containers: a sequence of
// WebAssembly modules and invocations that the wasm frontend translates into one
// normalized program, so that many invocations share module state (what the
// WebAssembly spec tests need: an action's side effects are visible to later
// assertions).
//
// # Format (version 1)
//
// All integers are little endian.
//
//	container = magic "OWIC" (4f 57 49 43) ‖ version u32 = 1 ‖ flags u32 ‖ count u32 ‖ step × count
//	step      = kind u8 ‖ payload
//	  kind 1  module:   name ‖ bytes                     (name: "" or the name actions use)
//	  kind 2  register: name ‖ module i32                (exports importable under name)
//	  kind 3  invoke:   module i32 ‖ name ‖ count u32 ‖ (type u8 ‖ bits u64) × count
//	  kind 4  get:      module i32 ‖ name                (read an exported global)
//	name      = length u32 ‖ UTF-8 bytes
//	bytes     = length u32 ‖ bytes
//	module    = index among the module steps (0 = the first), or −1 for the most recent
//	            module step that loaded
//	type      = the value type's binary encoding (0x7f i32, 0x7e i64, 0x7d f32, 0x7c f64,
//	            0x70 funcref, 0x6f externref); bits = the value's bit pattern (references:
//	            0 = null)
//
// Flags: bit 0 (FlagLenientFloat) lets modules with floating-point functions load, the
// functions trapping with code 10 when called; bit 1 (FlagProfile) adds the profile
// table to the program (docs/wasm.md). Other bits must be zero.
//
// # Outcomes
//
// The program writes one outcome to the public output for every module, invoke and get
// step (register writes none), in order: a word kind | payload << 8, then for kind 0
// the result words (i64 and f64 as two words, low first). Kinds: 0 returned (payload:
// number of result words; a module step that instantiated returns 0 words), 1 trapped
// (payload: the trap code; for a module step, instantiation trapped), 2 rejected
// (payload: 1 malformed, 2 invalid, 3 unlinkable, 4 unsupported, 5 bad action).
package container
