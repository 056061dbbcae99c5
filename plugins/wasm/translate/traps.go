package translate

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/isa"
)

// TrapCode names the kind of a WebAssembly trap. A plain module's run that traps ends
// with the normalized TRAP and this code as its exit code; in a container the code is
// written in the invocation's outcome.
type TrapCode uint32

// The trap codes (docs/wasm.md lists them; they never change).
const (
	TrapNone             TrapCode = 0
	TrapUnreachable      TrapCode = 1  // unreachable executed
	TrapDivZero          TrapCode = 2  // integer divide by zero
	TrapOverflow         TrapCode = 3  // integer overflow (signed division of the minimum by −1)
	TrapOutOfBounds      TrapCode = 4  // out of bounds memory access
	TrapUndefinedElement TrapCode = 5  // call_indirect index past the table's size
	TrapUninitialized    TrapCode = 6  // call_indirect of a null entry
	TrapIndirectMismatch TrapCode = 7  // call_indirect of a function of another type
	TrapStackExhausted   TrapCode = 8  // call stack exhausted
	TrapTableOutOfBounds TrapCode = 9  // out of bounds table access (table.get/set/fill/copy/init)
	TrapFloat            TrapCode = 10 // a function using floating point was called (lenient mode)
)

var trapNames = map[TrapCode]string{
	TrapUnreachable:      "unreachable",
	TrapDivZero:          "integer divide by zero",
	TrapOverflow:         "integer overflow",
	TrapOutOfBounds:      "out of bounds memory access",
	TrapUndefinedElement: "undefined element",
	TrapUninitialized:    "uninitialized element",
	TrapIndirectMismatch: "indirect call type mismatch",
	TrapStackExhausted:   "call stack exhausted",
	TrapTableOutOfBounds: "out of bounds table access",
	TrapFloat:            "floating-point function called (unsupported)",
}

func (t TrapCode) String() string {
	if n, ok := trapNames[t]; ok {
		return n
	}
	return fmt.Sprintf("trap %d", uint32(t))
}

// trapLabel returns the label of the shared trap stub for code.
func (s *Store) trapLabel(code TrapCode) isa.Label {
	if l, ok := s.traps[code]; ok {
		return l
	}
	l := s.b.NewLabel("trap." + code.String())
	s.traps[code] = l
	return l
}

// emitTraps emits the trap stubs. Without a container a stub is TRAP code; in a
// container it writes the outcome and returns to the entry code's continuation: it
// overwrites the current frame's return pc and caller fp ([fp+0], [fp+4]) with the
// continuation saved in the entry frame and the entry frame's fp, then RET — RET is the
// only instruction that sets fp to an arbitrary value.
func (s *Store) emitTraps() {
	for code := TrapCode(1); code <= TrapFloat; code++ {
		l, ok := s.traps[code]
		if !ok {
			continue
		}
		s.b.Bind(l)
		if !s.opts.Container {
			s.b.Trap(isa.Imm(uint32(code)))
			continue
		}
		s.b.Move(8, isa.Imm(OutcomeTrapped|uint32(code)<<8))
		s.b.Ecall(isa.SysWrite, 8, isa.Imm(4))
		s.b.Load(isa.LW, isa.FrameRetPC, isa.Imm(0), int32(entryFP+entryCont))
		s.b.Move(isa.FrameCallerFP, isa.Imm(entryFP))
		s.b.Ret()
	}
}
