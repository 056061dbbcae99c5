package isa

import "fmt"

// The two words CALL writes at the bottom of the callee's frame.
const (
	FrameRetPC    = 0 // [fp+0]: the return pc
	FrameCallerFP = 4 // [fp+4]: the caller's fp
	FrameHeader   = 8 // the first offset free for the function's own slots
)

// Frame lays out one function's frame for a frontend: named slots (locals, spilled
// stack entries, fixed registers) are allocated upward from FrameHeader, one or more
// words each. Its Size is the frame offset a caller passes to CALL so the callee's frame
// starts past this one.
//
//	f := isa.NewFrame()
//	n, _ := f.Alloc("n", 1)     // 8
//	buf, _ := f.Alloc("buf", 4) // 12: four words
//	b.Call(callee, f.Size())    // the callee's frame starts at fp + 28
type Frame struct {
	size  int32
	names map[string]int32
	order []string
}

// NewFrame returns an empty frame: just the CALL header.
func NewFrame() *Frame { return &Frame{size: FrameHeader, names: map[string]int32{}} }

// Alloc reserves words consecutive words under name and returns the offset of the first.
// A duplicate name, a count below 1 and a frame past 2^31 bytes are errors.
func (f *Frame) Alloc(name string, words int) (int32, error) {
	if _, dup := f.names[name]; dup {
		return 0, fmt.Errorf("isa frame: slot %q allocated twice", name)
	}
	if words < 1 || int64(f.size)+4*int64(words) > 1<<31-4 {
		return 0, fmt.Errorf("isa frame: cannot allocate %d words for %q at offset %d", words, name, f.size)
	}
	off := f.size
	f.size += 4 * int32(words)
	f.names[name] = off
	f.order = append(f.order, name)
	return off, nil
}

// Offset returns the offset of a named slot.
func (f *Frame) Offset(name string) (int32, bool) {
	off, ok := f.names[name]
	return off, ok
}

// Slot returns the operand [fp+offset] of a named slot. It panics on a name never
// allocated: the translator's own bug, not its input's.
func (f *Frame) Slot(name string) Operand {
	off, ok := f.names[name]
	if !ok {
		panic(fmt.Sprintf("isa.Frame: no slot %q", name))
	}
	return Slot(off)
}

// Size returns the bytes the frame uses, header included (a multiple of 4).
func (f *Frame) Size() int32 { return f.size }

// Names returns the slot names in allocation order.
func (f *Frame) Names() []string { return append([]string(nil), f.order...) }
