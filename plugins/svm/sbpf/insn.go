package sbpf

import (
	"encoding/binary"
	"fmt"
)

// InsnSize is the size of one instruction slot in bytes.
const InsnSize = 8

// Insn is one 8-byte instruction slot: opcode, destination and source registers (4 bits
// each), a signed 16-bit offset and a signed 32-bit immediate. lddw occupies two slots;
// the second one carries the upper half of the immediate.
type Insn struct {
	Op  byte
	Dst uint8
	Src uint8
	Off int16
	Imm int32
}

// DecodeInsn reads the slot at b[0:8]; b must hold at least 8 bytes.
func DecodeInsn(b []byte) Insn {
	return Insn{
		Op:  b[0],
		Dst: b[1] & 0x0f,
		Src: b[1] >> 4,
		Off: int16(binary.LittleEndian.Uint16(b[2:])),
		Imm: int32(binary.LittleEndian.Uint32(b[4:])),
	}
}

// Encode appends the slot's 8 bytes to dst.
func (in Insn) Encode(dst []byte) []byte {
	dst = append(dst, in.Op, in.Dst&0x0f|in.Src<<4)
	dst = binary.LittleEndian.AppendUint16(dst, uint16(in.Off))
	return binary.LittleEndian.AppendUint32(dst, uint32(in.Imm))
}

// Slots splits text into instruction slots. len(text) must be a multiple of 8.
func Slots(text []byte) []Insn {
	out := make([]Insn, len(text)/InsnSize)
	for i := range out {
		out[i] = DecodeInsn(text[i*InsnSize:])
	}
	return out
}

func (in Insn) String() string {
	return fmt.Sprintf("op=0x%02x dst=r%d src=r%d off=%d imm=%d", in.Op, in.Dst, in.Src, in.Off, in.Imm)
}
