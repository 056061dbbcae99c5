package loader

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/plugins/svm/sbpf"
)

// Virtual addresses of the sBPF memory map: region n starts at n << 32.
const (
	RodataStart  uint64 = 0x0_0000_0000 // read-only data, v3 and later
	ProgramStart uint64 = 0x1_0000_0000 // bytecode (and read-only data before v3)
	StackStart   uint64 = 0x2_0000_0000
	HeapStart    uint64 = 0x3_0000_0000
	InputStart   uint64 = 0x4_0000_0000
	RegionSize   uint64 = 0x1_0000_0000
)

// Executable is a loaded sBPF program, ready to verify and translate: its relocated
// bytecode, the read-only data the program can load from, the entry point and the
// function registry that resolves v0 call immediates.
type Executable struct {
	Version   sbpf.Version
	Text      []byte // the bytecode, a multiple of 8 bytes
	TextVaddr uint64 // virtual address of Text[0]
	// Ro is the read-only region's content, mapped at RoVaddr (region 1 up to v2, with
	// [ProgramStart, RoVaddr) unmapped; region 0 from v3 on). In v0 it contains the text.
	Ro      []byte
	RoVaddr uint64
	Entry   int // entry instruction (slot index into Text)
	// Functions maps call immediates to instruction indices (v0..v2 internal calls).
	Functions map[uint32]int
}

// Slots returns the number of instruction slots.
func (e *Executable) Slots() int { return len(e.Text) / sbpf.InsnSize }

// FromText builds an executable from raw bytecode, as Agave's new_from_text_bytes does:
// the text is also the read-only data (at ProgramStart up to v2, at RodataStart from v3
// on), the entry is instruction 0, and "entrypoint" is registered for it.
func FromText(text []byte, v sbpf.Version) (*Executable, error) {
	if !v.Valid() {
		return nil, fmt.Errorf("sBPF version %d is not supported", v)
	}
	if len(text)%sbpf.InsnSize != 0 || len(text) == 0 {
		return nil, fmt.Errorf("text of %d bytes is not a positive multiple of 8", len(text))
	}
	e := &Executable{Version: v, Text: text, TextVaddr: ProgramStart, Ro: text, RoVaddr: ProgramStart,
		Functions: map[uint32]int{}}
	if v.LowerRodataVaddr() {
		e.RoVaddr = RodataStart
	}
	if !v.StaticSyscalls() {
		e.Functions[sbpf.SymbolHash("entrypoint")] = 0
	}
	return e, nil
}
