package isa

import (
	"encoding/binary"
	"fmt"
	"unicode/utf8"

	"github.com/oneiros-zk/oneiros/proving/hash"
)

// The binary program format (docs/isa.md, "Binary format"): a 16-byte header, then
// sections in increasing id order, each an id byte, a little-endian uint32 length and the
// payload. Every program has exactly one encoding, and Decode accepts nothing else.
const (
	Magic         = "ONRP"
	FormatVersion = 1
	headerSize    = 16
	sectionHeader = 5
)

// Section ids.
const (
	SectionCode   = 1 // the instructions, 16 bytes each
	SectionData   = 2 // uint32 count, then per segment: uint32 addr, uint32 len, bytes
	SectionName   = 3 // metadata: UTF-8 name
	SectionSource = 4 // metadata: 32-byte source digest
)

// Encode returns the canonical binary encoding of p. It does not validate p; Decode
// accepts the result exactly when p.Validate() succeeds.
func (p *Program) Encode() []byte {
	b := p.appendEncoding(nil)
	if p.Name != "" {
		b = appendSection(b, SectionName, []byte(p.Name))
	}
	if p.Source != nil {
		b = appendSection(b, SectionSource, p.Source.Bytes())
	}
	return b
}

// appendEncoding writes the header, code and data sections: everything the ID covers.
func (p *Program) appendEncoding(b []byte) []byte {
	b = append(b, Magic...)
	b = binary.LittleEndian.AppendUint16(b, FormatVersion)
	b = append(b, 0, 0)
	b = binary.LittleEndian.AppendUint32(b, p.Entry)
	b = binary.LittleEndian.AppendUint32(b, p.FP)

	b = append(b, SectionCode)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(p.Code)*InstructionSize))
	for _, in := range p.Code {
		b = in.Encode(b)
	}
	if len(p.Data) > 0 {
		n := 4
		for _, s := range p.Data {
			n += 8 + len(s.Bytes)
		}
		b = append(b, SectionData)
		b = binary.LittleEndian.AppendUint32(b, uint32(n))
		b = binary.LittleEndian.AppendUint32(b, uint32(len(p.Data)))
		for _, s := range p.Data {
			b = binary.LittleEndian.AppendUint32(b, s.Addr)
			b = binary.LittleEndian.AppendUint32(b, uint32(len(s.Bytes)))
			b = append(b, s.Bytes...)
		}
	}
	return b
}

func appendSection(b []byte, id byte, payload []byte) []byte {
	b = append(b, id)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(payload)))
	return append(b, payload...)
}

// Decode parses a canonical program encoding. It never panics; errors wrap [ErrProgram]
// and name the byte offset of the problem. The returned program does not alias b.
func Decode(b []byte) (*Program, error) {
	bad := func(off int, format string, args ...any) error {
		return fmt.Errorf("%w: offset %d: %s", ErrProgram, off, fmt.Sprintf(format, args...))
	}
	if len(b) < headerSize {
		return nil, bad(0, "%d bytes, shorter than the %d-byte header", len(b), headerSize)
	}
	if string(b[:4]) != Magic {
		return nil, bad(0, "magic %q, want %q", b[:4], Magic)
	}
	if v := binary.LittleEndian.Uint16(b[4:]); v != FormatVersion {
		return nil, bad(4, "format version %d, this decoder reads version %d", v, FormatVersion)
	}
	if b[6] != 0 || b[7] != 0 {
		return nil, bad(6, "reserved header bytes must be zero")
	}
	p := &Program{Entry: binary.LittleEndian.Uint32(b[8:]), FP: binary.LittleEndian.Uint32(b[12:])}

	off, last := headerSize, 0
	for off < len(b) {
		if len(b)-off < sectionHeader {
			return nil, bad(off, "truncated section header (%d bytes left)", len(b)-off)
		}
		id := int(b[off])
		n := binary.LittleEndian.Uint32(b[off+1:])
		body := off + sectionHeader
		if id <= last {
			return nil, bad(off, "section %d after section %d: sections must appear once, in increasing order", id, last)
		}
		if uint64(n) > uint64(len(b)-body) {
			return nil, bad(off+1, "section %d claims %d bytes, only %d remain", id, n, len(b)-body)
		}
		payload := b[body : body+int(n)]
		var err error
		switch id {
		case SectionCode:
			err = p.decodeCode(payload, body)
		case SectionData:
			err = p.decodeData(payload, body)
		case SectionName:
			if n == 0 || n > MaxNameLen || !utf8.Valid(payload) {
				err = bad(body, "name section must hold 1..%d bytes of UTF-8", MaxNameLen)
			}
			p.Name = string(payload)
		case SectionSource:
			d, derr := hash.DigestFromBytes(payload)
			if derr != nil {
				err = bad(body, "source digest: %v", derr)
			}
			p.Source = &d
		default:
			err = bad(off, "unknown section id %d", id)
		}
		if err != nil {
			return nil, err
		}
		off, last = body+int(n), id
	}
	if last < SectionCode || len(p.Code) == 0 {
		return nil, bad(off, "no code section")
	}
	if uint64(p.Entry) >= uint64(len(p.Code)) {
		return nil, bad(8, "entry %d outside the %d instructions", p.Entry, len(p.Code))
	}
	if p.FP%4 != 0 {
		return nil, bad(12, "initial fp 0x%x is not a multiple of 4", p.FP)
	}
	return p, nil
}

func (p *Program) decodeCode(b []byte, base int) error {
	if len(b) == 0 || len(b)%InstructionSize != 0 {
		return fmt.Errorf("%w: offset %d: code section of %d bytes is not a positive multiple of %d", ErrProgram, base, len(b), InstructionSize)
	}
	p.Code = make([]Instruction, len(b)/InstructionSize)
	for i := range p.Code {
		in, err := DecodeInstruction(b[i*InstructionSize:])
		if err != nil {
			return fmt.Errorf("%w: offset %d: instruction %d: %w", ErrProgram, base+i*InstructionSize, i, err)
		}
		p.Code[i] = in
	}
	return nil
}

func (p *Program) decodeData(b []byte, base int) error {
	bad := func(off int, format string, args ...any) error {
		return fmt.Errorf("%w: offset %d: %s", ErrProgram, base+off, fmt.Sprintf(format, args...))
	}
	if len(b) < 4 {
		return bad(0, "data section of %d bytes has no segment count", len(b))
	}
	count := binary.LittleEndian.Uint32(b)
	if count == 0 {
		return bad(0, "data section with no segments (omit the section instead)")
	}
	// Each segment takes at least 9 bytes, which bounds the allocation by the input size.
	if uint64(count) > uint64(len(b)-4)/9 {
		return bad(0, "%d segments cannot fit in %d bytes", count, len(b)-4)
	}
	p.Data = make([]Segment, 0, count)
	off := 4
	for i := range int(count) {
		if len(b)-off < 8 {
			return bad(off, "segment %d: truncated header", i)
		}
		addr := binary.LittleEndian.Uint32(b[off:])
		n := binary.LittleEndian.Uint32(b[off+4:])
		if uint64(n) > uint64(len(b)-off-8) {
			return bad(off+4, "segment %d claims %d bytes, only %d remain", i, n, len(b)-off-8)
		}
		s := Segment{Addr: addr, Bytes: append([]byte(nil), b[off+8:off+8+int(n)]...)}
		switch {
		case n == 0:
			return bad(off+4, "segment %d at 0x%x is empty", i, addr)
		case s.End() > 1<<32:
			return bad(off, "segment %d at 0x%x (%d bytes) runs past 2^32", i, addr, n)
		case i > 0 && uint64(addr) <= p.Data[i-1].End():
			return bad(off, "segment %d at 0x%x must start after segment %d ends (0x%x) with a gap", i, addr, i-1, p.Data[i-1].End())
		}
		p.Data = append(p.Data, s)
		off += 8 + int(n)
	}
	if off != len(b) {
		return bad(off, "%d trailing bytes after the last segment", len(b)-off)
	}
	return nil
}
