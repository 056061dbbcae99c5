package isa

// The two words CALL writes at the bottom of the callee's frame. How a frontend lays out
// the rest of its frames is its own business (each in-tree frontend has a layout of its
// own: WebAssembly's locals and operand stack, sBPF's registers at fixed slots).
const (
	FrameRetPC    = 0 // [fp+0]: the return pc
	FrameCallerFP = 4 // [fp+4]: the caller's fp
	FrameHeader   = 8 // the first offset free for the function's own slots
)
