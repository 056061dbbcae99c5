package container

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// Magic starts every container.
const Magic = "OSVM"

// FormatVersion is the version this package reads and writes.
const FormatVersion = 1

// Section ids.
const (
	SecELF = iota + 1
	SecText
	SecVersions
	SecLoader
	SecBudget
	SecHeap
	SecRegs
	SecInput
	SecBoundaries
	SecSyscalls
	SecFunctions
	SecOutput
)

// Container is a decoded container.
type Container struct {
	ELF  []byte
	Text []byte

	TextVersion            uint8 // sBPF version of Text
	MinVersion, MaxVersion uint8 // accepted by the ELF loader
	HasVersions            bool
	RejectBrokenELFs       bool
	OptimizeRodata         bool
	Budget                 uint64 // 0: the default
	Heap                   uint32
	HasHeap                bool
	Regs                   *[12]uint64
	Input                  []byte // nil: from the private input
	InputWritable          bool
	Boundaries             []uint32
	Syscalls               []Syscall // nil: the Solana syscalls
	Functions              []Function
	DumpRegisters          bool
}

// Syscall registers an implementation under a name.
type Syscall struct {
	Impl uint8
	Name string
}

// Function registers an internal call immediate.
type Function struct {
	Key uint32
	PC  uint32
}

// ErrFormat is wrapped by every decoding error.
var ErrFormat = errors.New("svm container")

// Is reports whether b starts like a container.
func Is(b []byte) bool { return bytes.HasPrefix(b, []byte(Magic)) }

// Encode returns the container's bytes.
func (c *Container) Encode() []byte {
	out := append([]byte(Magic), 0, 0, 0, 0)
	binary.LittleEndian.PutUint16(out[4:], FormatVersion)
	sec := func(id byte, p []byte) {
		out = append(out, id)
		out = binary.LittleEndian.AppendUint32(out, uint32(len(p)))
		out = append(out, p...)
	}
	if c.ELF != nil {
		sec(SecELF, c.ELF)
	}
	if c.Text != nil {
		sec(SecText, append([]byte{c.TextVersion}, c.Text...))
	}
	if c.HasVersions {
		sec(SecVersions, []byte{c.MinVersion, c.MaxVersion})
	}
	var lf byte
	if c.RejectBrokenELFs {
		lf |= 1
	}
	if c.OptimizeRodata {
		lf |= 2
	}
	if lf != 0 {
		sec(SecLoader, []byte{lf})
	}
	if c.Budget != 0 {
		sec(SecBudget, binary.LittleEndian.AppendUint64(nil, c.Budget))
	}
	if c.HasHeap {
		sec(SecHeap, binary.LittleEndian.AppendUint32(nil, c.Heap))
	}
	if c.Regs != nil {
		var p []byte
		for _, r := range c.Regs {
			p = binary.LittleEndian.AppendUint64(p, r)
		}
		sec(SecRegs, p)
	}
	if c.Input != nil {
		f := byte(0)
		if c.InputWritable {
			f = 1
		}
		sec(SecInput, append([]byte{f}, c.Input...))
	}
	if len(c.Boundaries) > 0 {
		var p []byte
		for _, x := range c.Boundaries {
			p = binary.LittleEndian.AppendUint32(p, x)
		}
		sec(SecBoundaries, p)
	}
	if c.Syscalls != nil {
		p := binary.LittleEndian.AppendUint32(nil, uint32(len(c.Syscalls)))
		for _, s := range c.Syscalls {
			p = append(p, s.Impl, byte(len(s.Name)))
			p = append(p, s.Name...)
		}
		sec(SecSyscalls, p)
	}
	if len(c.Functions) > 0 {
		var p []byte
		for _, f := range c.Functions {
			p = binary.LittleEndian.AppendUint32(p, f.Key)
			p = binary.LittleEndian.AppendUint32(p, f.PC)
		}
		sec(SecFunctions, p)
	}
	if c.DumpRegisters {
		sec(SecOutput, []byte{1})
	}
	return out
}

// Decode parses a container. It never panics and accepts only the canonical encoding
// (the one Encode produces); errors wrap ErrFormat and name the offset.
func Decode(b []byte) (*Container, error) {
	fail := func(off int, format string, args ...any) (*Container, error) {
		return nil, fmt.Errorf("%w: offset %d: %s", ErrFormat, off, fmt.Sprintf(format, args...))
	}
	if len(b) < 8 || !Is(b) {
		return fail(0, "not a container (magic %q)", Magic)
	}
	if v := binary.LittleEndian.Uint16(b[4:]); v != FormatVersion {
		return fail(4, "format version %d, want %d", v, FormatVersion)
	}
	if binary.LittleEndian.Uint16(b[6:]) != 0 {
		return fail(6, "reserved bytes are not zero")
	}
	c := &Container{}
	last := 0
	for off := 8; off < len(b); {
		if len(b)-off < 5 {
			return fail(off, "truncated section header")
		}
		id := int(b[off])
		n := binary.LittleEndian.Uint32(b[off+1:])
		start := off + 5
		if uint64(n) > uint64(len(b)-start) {
			return fail(off, "section %d of %d bytes runs past the end", id, n)
		}
		if id <= last {
			return fail(off, "section %d out of order or repeated", id)
		}
		last = id
		p := b[start : start+int(n)]
		if err := c.section(id, p); err != nil {
			return fail(off, "section %d: %v", id, err)
		}
		off = start + int(n)
	}
	if (c.ELF == nil) == (c.Text == nil) {
		return fail(len(b), "exactly one of the ELF and TEXT sections is required")
	}
	return c, nil
}

func (c *Container) section(id int, p []byte) error {
	fixed := func(n int) error {
		if len(p) != n {
			return fmt.Errorf("%d bytes, want %d", len(p), n)
		}
		return nil
	}
	switch id {
	case SecELF:
		c.ELF = append([]byte{}, p...)
	case SecText:
		if len(p) < 1 {
			return fmt.Errorf("empty")
		}
		c.TextVersion, c.Text = p[0], append([]byte{}, p[1:]...)
	case SecVersions:
		if err := fixed(2); err != nil {
			return err
		}
		c.HasVersions, c.MinVersion, c.MaxVersion = true, p[0], p[1]
	case SecLoader:
		if err := fixed(1); err != nil {
			return err
		}
		if p[0]&^3 != 0 || p[0] == 0 {
			return fmt.Errorf("flags 0x%x: unknown, or none (leave the section out)", p[0])
		}
		c.RejectBrokenELFs, c.OptimizeRodata = p[0]&1 != 0, p[0]&2 != 0
	case SecBudget:
		if err := fixed(8); err != nil {
			return err
		}
		c.Budget = binary.LittleEndian.Uint64(p)
		if c.Budget == 0 {
			return fmt.Errorf("a budget of 0 (leave the section out for the default)")
		}
	case SecHeap:
		if err := fixed(4); err != nil {
			return err
		}
		c.HasHeap, c.Heap = true, binary.LittleEndian.Uint32(p)
	case SecRegs:
		if err := fixed(96); err != nil {
			return err
		}
		var r [12]uint64
		for i := range r {
			r[i] = binary.LittleEndian.Uint64(p[8*i:])
		}
		c.Regs = &r
	case SecInput:
		if len(p) < 1 || p[0]&^1 != 0 {
			return fmt.Errorf("bad flags")
		}
		c.InputWritable, c.Input = p[0] == 1, append([]byte{}, p[1:]...)
	case SecBoundaries:
		if len(p)%4 != 0 || len(p) == 0 {
			return fmt.Errorf("%d bytes is not a positive multiple of 4", len(p))
		}
		for i := 0; i < len(p); i += 4 {
			x := binary.LittleEndian.Uint32(p[i:])
			if n := len(c.Boundaries); n > 0 && x < c.Boundaries[n-1] {
				return fmt.Errorf("boundaries decrease")
			}
			c.Boundaries = append(c.Boundaries, x)
		}
	case SecSyscalls:
		if len(p) < 4 {
			return fmt.Errorf("truncated")
		}
		n := binary.LittleEndian.Uint32(p)
		p = p[4:]
		c.Syscalls = []Syscall{}
		for i := uint32(0); i < n; i++ {
			if len(p) < 2 || len(p)-2 < int(p[1]) {
				return fmt.Errorf("syscall %d truncated", i)
			}
			c.Syscalls = append(c.Syscalls, Syscall{Impl: p[0], Name: string(p[2 : 2+int(p[1])])})
			p = p[2+int(p[1]):]
		}
		if len(p) != 0 {
			return fmt.Errorf("%d trailing bytes", len(p))
		}
	case SecFunctions:
		if len(p)%8 != 0 || len(p) == 0 {
			return fmt.Errorf("%d bytes is not a multiple of 8", len(p))
		}
		for i := 0; i < len(p); i += 8 {
			c.Functions = append(c.Functions, Function{Key: binary.LittleEndian.Uint32(p[i:]), PC: binary.LittleEndian.Uint32(p[i+4:])})
		}
	case SecOutput:
		if err := fixed(1); err != nil {
			return err
		}
		if p[0] != 1 {
			return fmt.Errorf("flags 0x%x: unknown, or none (leave the section out)", p[0])
		}
		c.DumpRegisters = true
	default:
		return fmt.Errorf("unknown section")
	}
	return nil
}
