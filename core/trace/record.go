package trace

import (
	"fmt"
	"slices"

	"github.com/oneiros-zk/oneiros/core/isa"
)

// SlotsPerCycle is the number of memory-access timestamps each cycle owns: the accesses of
// the instruction at cycle clk have timestamps TS(clk, slot) with slot in 0..127.
// 128 covers the largest instruction: KECCAKF makes 51 accesses, and hooks get up to
// [MaxHookAccesses].
const SlotsPerCycle = 128

// The fixed slots (docs/isa.md, "Records").
const (
	SlotB    = 0 // read of operand b's slot [fp+b]
	SlotC    = 1 // read of operand c's slot [fp+c] (an indirect target included)
	SlotA    = 2 // read or write of [fp+a]
	SlotData = 3 // first slot of data memory words, frame words and precompile words
	// SlotLoadA is where a load writes [a]: after the data words it reads (slots 3–4),
	// so that timestamps follow the order in which values flow. Every other class
	// accesses [a] in SlotA.
	SlotLoadA = 5
)

// MaxHookAccesses bounds the data accesses of one syscall (slots 3..127).
const MaxHookAccesses = SlotsPerCycle - SlotData

// MaxData bounds Syscall.Data, the words a hook attaches to its record.
const MaxData = 1024

// TS returns the timestamp of the access in slot of cycle clk: (clk+1)·128 + slot.
// Timestamp 0 (and everything below 128) belongs to the initial memory, so every access,
// a first touch included, has PrevTS < TS.
func TS(clk uint64, slot int) uint64 { return (clk+1)*SlotsPerCycle + uint64(slot) }

// MaxClk is the largest cycle number whose timestamps fit in a uint64.
const MaxClk = 1<<57 - 2

// AccessKind says whether an access reads or writes its word.
type AccessKind uint8

// Access kinds.
const (
	Read  AccessKind = 0
	Write AccessKind = 1
)

func (k AccessKind) String() string {
	if k == Write {
		return "write"
	}
	return "read"
}

// Access is one access to an aligned memory word. A read has Before == After; a write
// carries both the value it replaces and the value it leaves (so a read-modify-write,
// such as a byte store, is one access).
type Access struct {
	Kind   AccessKind
	Addr   uint32 // byte address of the word, a multiple of 4
	Before uint32 // the word's value before the access
	After  uint32 // the word's value after the access
	TS     uint64 // this access's timestamp, TS(clk, slot)
	PrevTS uint64 // timestamp of the previous access to this word; 0 when First
	First  bool   // no earlier access in this run: Before is the initial image's word (or 0)
}

// Slot returns the slot of the access within its cycle.
func (a *Access) Slot() int { return int(a.TS % SlotsPerCycle) }

func (a Access) String() string {
	prev := fmt.Sprint(a.PrevTS)
	if a.First {
		prev = "first"
	}
	return fmt.Sprintf("%s [0x%08x] %#x→%#x ts=%d prev=%s", a.Kind, a.Addr, a.Before, a.After, a.TS, prev)
}

// Syscall is the syscall part of an ECALL record.
type Syscall struct {
	Number       uint32   // the syscall number (the instruction's c); the precompile id for precompiles
	InputOffset  uint32   // READ, INPUT_LEN: position in the input tape before the call
	Input        []byte   // READ: the 1..4 bytes consumed (the word is them, zero-padded: the record's A)
	OutputOffset uint32   // WRITE: length of the public output before the call
	Output       []byte   // WRITE: the 1..4 bytes appended
	Data         []uint32 // hooks: nondeterministic words the hook attached (at most MaxData)
}

// Record is what one executed instruction leaves for the chips.
type Record struct {
	Clk    uint64 // cycle number, 0-based within the run
	PC, FP uint32 // state before the instruction
	NextPC uint32 // state after it
	NextFP uint32
	Inst   isa.Instruction
	// Operand values: an immediate operand's value is the immediate, a slot operand's is
	// the word read (for [a], the word after the instruction: the result written, or the
	// value read); operands the opcode does not use are 0.
	A, B, C  uint32
	Accesses []Access // in increasing slot order
	Sys      Syscall  // only for ECALL
}

// Clone returns a deep copy of r (records passed to a sink are reused by the executor).
func (r *Record) Clone() *Record {
	c := *r
	c.Accesses = slices.Clone(r.Accesses)
	c.Sys.Input = slices.Clone(r.Sys.Input)
	c.Sys.Output = slices.Clone(r.Sys.Output)
	c.Sys.Data = slices.Clone(r.Sys.Data)
	return &c
}

// Reset clears r for reuse, keeping its slices' storage.
func (r *Record) Reset() {
	acc, in, out, data := r.Accesses[:0], r.Sys.Input[:0], r.Sys.Output[:0], r.Sys.Data[:0]
	*r = Record{Accesses: acc}
	r.Sys.Input, r.Sys.Output, r.Sys.Data = in, out, data
}

func (r *Record) String() string {
	return fmt.Sprintf("clk=%d pc=%d fp=%#x %s → pc=%d fp=%#x a=%#x b=%#x c=%#x %v",
		r.Clk, r.PC, r.FP, r.Inst, r.NextPC, r.NextFP, r.A, r.B, r.C, r.Accesses)
}

// Equal reports whether r and o hold the same record (nil and empty slices are equal).
func (r *Record) Equal(o *Record) bool {
	return r.Clk == o.Clk && r.PC == o.PC && r.FP == o.FP && r.NextPC == o.NextPC && r.NextFP == o.NextFP &&
		r.Inst == o.Inst && r.A == o.A && r.B == o.B && r.C == o.C &&
		slices.Equal(r.Accesses, o.Accesses) &&
		r.Sys.Number == o.Sys.Number && r.Sys.InputOffset == o.Sys.InputOffset && r.Sys.OutputOffset == o.Sys.OutputOffset &&
		slices.Equal(r.Sys.Input, o.Sys.Input) && slices.Equal(r.Sys.Output, o.Sys.Output) && slices.Equal(r.Sys.Data, o.Sys.Data)
}
