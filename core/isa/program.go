package isa

import (
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/oneiros-zk/oneiros/proving/hash"
)

// Segment is a run of initial memory bytes at a byte address.
type Segment struct {
	Addr  uint32
	Bytes []byte
}

// End returns the address one past the segment's last byte, as a uint64 (it may be 2^32).
func (s Segment) End() uint64 { return uint64(s.Addr) + uint64(len(s.Bytes)) }

// Program is a normalized program: the instructions (the program ROM), the initial memory
// image, the entry pc and the initial frame pointer, plus metadata (a name and the digest
// of the frontend's source) that does not enter the program ID.
type Program struct {
	Code   []Instruction
	Data   []Segment // sorted by address, non-empty, non-overlapping and not adjacent
	Entry  uint32    // index of the first instruction to run
	FP     uint32    // initial frame pointer, a multiple of 4
	Name   string    // metadata: valid UTF-8, at most MaxNameLen bytes
	Source *hash.Digest
	// SourceMap is the frontend's attribution of instructions to source instructions
	// (Builder.SourceLabel), for cycle profiles. In memory only: Encode leaves it out, so
	// it is neither in the ID nor in a decoded program.
	SourceMap *SourceMap
}

// MaxNameLen bounds Program.Name.
const MaxNameLen = 256

// ErrProgram is wrapped by every error about a malformed program.
var ErrProgram = errors.New("invalid program")

// Validate checks every rule of the canonical form (docs/isa.md, "Program image"):
// valid instructions, entry inside the code, aligned fp, canonical data segments, and a
// short UTF-8 name.
func (p *Program) Validate() error {
	if len(p.Code) == 0 {
		return fmt.Errorf("%w: no instructions", ErrProgram)
	}
	if uint64(len(p.Code)) >= 1<<32 {
		return fmt.Errorf("%w: %d instructions, at most 2^32-1", ErrProgram, len(p.Code))
	}
	for i, in := range p.Code {
		if err := in.Validate(); err != nil {
			return fmt.Errorf("%w: instruction %d: %w", ErrProgram, i, err)
		}
	}
	if uint64(p.Entry) >= uint64(len(p.Code)) {
		return fmt.Errorf("%w: entry %d outside the %d instructions", ErrProgram, p.Entry, len(p.Code))
	}
	if p.FP%4 != 0 {
		return fmt.Errorf("%w: initial fp 0x%x is not a multiple of 4", ErrProgram, p.FP)
	}
	for i, s := range p.Data {
		if len(s.Bytes) == 0 {
			return fmt.Errorf("%w: data segment %d at 0x%x is empty", ErrProgram, i, s.Addr)
		}
		if s.End() > 1<<32 {
			return fmt.Errorf("%w: data segment %d at 0x%x (%d bytes) runs past 2^32", ErrProgram, i, s.Addr, len(s.Bytes))
		}
		if i > 0 {
			prev := p.Data[i-1]
			if uint64(s.Addr) < prev.End() {
				return fmt.Errorf("%w: data segment %d at 0x%x overlaps or precedes segment %d (0x%x..0x%x)",
					ErrProgram, i, s.Addr, i-1, prev.Addr, prev.End())
			}
			if uint64(s.Addr) == prev.End() {
				return fmt.Errorf("%w: data segment %d at 0x%x is adjacent to segment %d; merge them", ErrProgram, i, s.Addr, i-1)
			}
		}
	}
	if len(p.Name) > MaxNameLen {
		return fmt.Errorf("%w: name is %d bytes, at most %d", ErrProgram, len(p.Name), MaxNameLen)
	}
	if !utf8.ValidString(p.Name) {
		return fmt.Errorf("%w: name is not valid UTF-8", ErrProgram)
	}
	return nil
}

// ID returns the program ID: hash.Tagged("oneiros/program/v1", e), where e is the
// canonical encoding of the program without its metadata (name and source digest), so
// that renaming a program does not change what it is. It does not validate p.
func (p *Program) ID() hash.Digest {
	core := Program{Code: p.Code, Data: p.Data, Entry: p.Entry, FP: p.FP}
	return hash.Tagged(ProgramIDTag, core.appendEncoding(nil))
}

// ProgramIDTag is the domain-separation tag of [Program.ID].
const ProgramIDTag = "oneiros/program/v1"

// Clone returns a deep copy of p.
func (p *Program) Clone() *Program {
	q := *p
	q.Code = slices.Clone(p.Code)
	q.Data = make([]Segment, len(p.Data))
	for i, s := range p.Data {
		q.Data[i] = Segment{Addr: s.Addr, Bytes: slices.Clone(s.Bytes)}
	}
	if p.Data == nil {
		q.Data = nil
	}
	if p.Source != nil {
		d := *p.Source
		q.Source = &d
	}
	return &q
}

// NormalizeData sorts segments by address and merges adjacent ones, dropping empty
// segments. It reports an error naming the first overlap. Builders and the assembler use
// it to reach the canonical form.
func NormalizeData(segs []Segment) ([]Segment, error) {
	var in []Segment
	for _, s := range segs {
		if len(s.Bytes) > 0 {
			in = append(in, s)
		}
	}
	slices.SortStableFunc(in, func(x, y Segment) int {
		switch {
		case x.Addr < y.Addr:
			return -1
		case x.Addr > y.Addr:
			return 1
		}
		return 0
	})
	var out []Segment
	for _, s := range in {
		if s.End() > 1<<32 {
			return nil, fmt.Errorf("%w: data at 0x%x (%d bytes) runs past 2^32", ErrProgram, s.Addr, len(s.Bytes))
		}
		if n := len(out); n > 0 {
			last := &out[n-1]
			if uint64(s.Addr) < last.End() {
				return nil, fmt.Errorf("%w: data at 0x%x overlaps data at 0x%x..0x%x", ErrProgram, s.Addr, last.Addr, last.End())
			}
			if uint64(s.Addr) == last.End() {
				last.Bytes = append(last.Bytes, s.Bytes...)
				continue
			}
		}
		out = append(out, Segment{Addr: s.Addr, Bytes: slices.Clone(s.Bytes)})
	}
	return out, nil
}
