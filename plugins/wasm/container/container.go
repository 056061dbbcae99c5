package container

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf8"
)

// Magic starts every container.
var Magic = []byte("OWIC")

// Version is the format version this package reads and writes.
const Version = 1

// Flags.
const (
	FlagLenientFloat = 1 << 0
	FlagProfile      = 1 << 1
)

// Step kinds.
const (
	KindModule   = 1
	KindRegister = 2
	KindInvoke   = 3
	KindGet      = 4
)

// Limits on what Decode accepts.
const (
	MaxSteps = 1 << 20
	MaxArgs  = 1 << 10
)

// Value is an invocation argument.
type Value struct {
	Type byte
	Bits uint64
}

// Step is one step.
type Step struct {
	Kind   byte
	Name   string // module: its name; register: the import name; invoke/get: the export
	Bytes  []byte // module: the binary module
	Module int32  // register, invoke, get: the module step index, or -1
	Args   []Value
}

// Container is a decoded container.
type Container struct {
	Flags uint32
	Steps []Step
}

// ErrFormat is wrapped by every decoding error.
var ErrFormat = errors.New("malformed invocation container")

// Is reports whether b starts with the container magic.
func Is(b []byte) bool { return len(b) >= 4 && string(b[:4]) == string(Magic) }

type reader struct {
	b   []byte
	pos int
	err error
}

func (r *reader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: offset %d: %s", ErrFormat, r.pos, fmt.Sprintf(format, args...))
	}
}

func (r *reader) take(n uint64) []byte {
	if r.err != nil {
		return nil
	}
	if n > uint64(len(r.b)-r.pos) {
		r.fail("%d bytes wanted, %d left", n, len(r.b)-r.pos)
		return nil
	}
	s := r.b[r.pos : r.pos+int(n)]
	r.pos += int(n)
	return s
}

func (r *reader) u8() byte {
	if s := r.take(1); s != nil {
		return s[0]
	}
	return 0
}

func (r *reader) u32() uint32 {
	if s := r.take(4); s != nil {
		return binary.LittleEndian.Uint32(s)
	}
	return 0
}

func (r *reader) u64() uint64 {
	if s := r.take(8); s != nil {
		return binary.LittleEndian.Uint64(s)
	}
	return 0
}

func (r *reader) name() string {
	n := r.u32()
	s := r.take(uint64(n))
	if r.err == nil && !utf8.Valid(s) {
		r.fail("name is not UTF-8")
	}
	return string(s)
}

// Decode parses a container. It never panics; errors wrap ErrFormat.
func Decode(b []byte) (*Container, error) {
	r := &reader{b: b}
	if !Is(b) {
		return nil, fmt.Errorf("%w: no magic", ErrFormat)
	}
	r.pos = 4
	if v := r.u32(); r.err == nil && v != Version {
		return nil, fmt.Errorf("%w: version %d, want %d", ErrFormat, v, Version)
	}
	c := &Container{Flags: r.u32()}
	if c.Flags&^(FlagLenientFloat|FlagProfile) != 0 {
		r.fail("unknown flags %#x", c.Flags)
	}
	n := r.u32()
	if n > MaxSteps || uint64(n) > uint64(len(b)) {
		r.fail("%d steps", n)
	}
	modules := int32(0)
	for i := uint32(0); i < n && r.err == nil; i++ {
		s := Step{Kind: r.u8()}
		switch s.Kind {
		case KindModule:
			s.Name = r.name()
			s.Bytes = r.take(uint64(r.u32()))
			modules++
		case KindRegister:
			s.Name = r.name()
			s.Module = int32(r.u32())
		case KindInvoke, KindGet:
			s.Module = int32(r.u32())
			s.Name = r.name()
			if s.Kind == KindInvoke {
				k := r.u32()
				if k > MaxArgs {
					r.fail("%d arguments", k)
				}
				for j := uint32(0); j < k && r.err == nil; j++ {
					s.Args = append(s.Args, Value{Type: r.u8(), Bits: r.u64()})
				}
			}
		default:
			r.fail("unknown step kind %d", s.Kind)
		}
		if s.Kind != KindModule && (s.Module < -1 || s.Module >= modules) {
			r.fail("step %d names module %d of %d", i, s.Module, modules)
		}
		c.Steps = append(c.Steps, s)
	}
	if r.err != nil {
		return nil, r.err
	}
	if r.pos != len(b) {
		return nil, fmt.Errorf("%w: %d trailing bytes", ErrFormat, len(b)-r.pos)
	}
	return c, nil
}

// Encode writes a container.
func (c *Container) Encode() []byte {
	b := append([]byte(nil), Magic...)
	b = binary.LittleEndian.AppendUint32(b, Version)
	b = binary.LittleEndian.AppendUint32(b, c.Flags)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(c.Steps)))
	str := func(s []byte) {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(s)))
		b = append(b, s...)
	}
	for _, s := range c.Steps {
		b = append(b, s.Kind)
		switch s.Kind {
		case KindModule:
			str([]byte(s.Name))
			str(s.Bytes)
		case KindRegister:
			str([]byte(s.Name))
			b = binary.LittleEndian.AppendUint32(b, uint32(s.Module))
		case KindInvoke, KindGet:
			b = binary.LittleEndian.AppendUint32(b, uint32(s.Module))
			str([]byte(s.Name))
			if s.Kind == KindInvoke {
				b = binary.LittleEndian.AppendUint32(b, uint32(len(s.Args)))
				for _, a := range s.Args {
					b = append(b, a.Type)
					b = binary.LittleEndian.AppendUint64(b, a.Bits)
				}
			}
		}
	}
	return b
}
