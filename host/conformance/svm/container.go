package svm

import "encoding/binary"

// container is the host's encoder of the sBPF frontend's container format (docs/svm.md).
type container struct {
	elf, text        []byte
	textVersion      uint8
	versions         *[2]uint8
	reject, optimize bool
	budget           uint64
	heap             *uint32
	regs             *[12]uint64
	input            []byte // nil: none (the private input)
	inputWritable    bool
	boundaries       []uint32
	syscalls         []syscallEntry // nil: the Solana syscalls
	dumpRegisters    bool
}

type syscallEntry struct {
	impl uint8
	name string
}

// Syscall implementations of the container format.
const (
	implLogString = 1
	implLogU64    = 2
)

func (c *container) encode() []byte {
	out := []byte("OSVM")
	out = binary.LittleEndian.AppendUint16(out, 1)
	out = binary.LittleEndian.AppendUint16(out, 0)
	sec := func(id byte, p []byte) {
		out = append(out, id)
		out = binary.LittleEndian.AppendUint32(out, uint32(len(p)))
		out = append(out, p...)
	}
	if c.elf != nil {
		sec(1, c.elf)
	}
	if c.text != nil {
		sec(2, append([]byte{c.textVersion}, c.text...))
	}
	if c.versions != nil {
		sec(3, c.versions[:])
	}
	var lf byte
	if c.reject {
		lf |= 1
	}
	if c.optimize {
		lf |= 2
	}
	if lf != 0 {
		sec(4, []byte{lf})
	}
	if c.budget != 0 {
		sec(5, binary.LittleEndian.AppendUint64(nil, c.budget))
	}
	if c.heap != nil {
		sec(6, binary.LittleEndian.AppendUint32(nil, *c.heap))
	}
	if c.regs != nil {
		var p []byte
		for _, r := range c.regs {
			p = binary.LittleEndian.AppendUint64(p, r)
		}
		sec(7, p)
	}
	if c.input != nil {
		f := byte(0)
		if c.inputWritable {
			f = 1
		}
		sec(8, append([]byte{f}, c.input...))
	}
	if len(c.boundaries) > 0 {
		var p []byte
		for _, b := range c.boundaries {
			p = binary.LittleEndian.AppendUint32(p, b)
		}
		sec(9, p)
	}
	if c.syscalls != nil {
		p := binary.LittleEndian.AppendUint32(nil, uint32(len(c.syscalls)))
		for _, s := range c.syscalls {
			p = append(p, s.impl, byte(len(s.name)))
			p = append(p, s.name...)
		}
		sec(10, p)
	}
	if c.dumpRegisters {
		sec(12, []byte{1})
	}
	return out
}

// exitRecord is the decoded exit record of a run's public output.
type exitRecord struct {
	status uint32
	units  uint64
	r0     uint64
	regs   []uint64
}

// errorNames are the frontend's error codes (docs/svm.md), named as Agave names them.
var errorNames = map[uint32]string{
	0: "Success", 1: "ExceededMaxInstructions", 2: "AccessViolation", 3: "DivideByZero", 4: "DivideOverflow",
	5: "CallDepthExceeded", 6: "CallOutsideTextSegment", 7: "UnsupportedInstruction", 8: "ExecutionOverrun",
	9: "SyscallError", 10: "Panic", 11: "Abort", 12: "CopyOverlapping", 13: "InvalidLength", 14: "ReturnDataTooLarge",
}
