package machine

import (
	"fmt"
	"math/bits"

	"github.com/oneiros-zk/oneiros/core/chips/rom"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// A ROM padded to a class. The ROM's preprocessed columns are the program's decoded
// instructions, then padding rows of kind 0 up to a power of two (package rom): no CPU
// row can fetch kind 0, so a ROM with more padding rows holds the same program, and the
// keys set up from it prove the same statements — only the ROM table's height, and with
// it the key's digest and preprocessed commitment, differ. A catalogue pads every
// program's ROM to one of a few classes (Catalogue.ROMLogN), so that a leaf program,
// which is made for one ROM height, serves every program of a class.
//
// The verifier derives the keys from the program and the ROM height the proof states
// (SetupFor), between the program's own height and 2^MaxROMLogN: a bound on the work a
// proof can make a verifier do, not a soundness condition.

// ROMLogN is the log height of a program's own ROM (its instructions, up to a power of two).
func ROMLogN(p *isa.Program) int { return bits.Len(uint(air.Height(len(p.Code)))) - 1 }

// SetupROM is Setup with the program's ROM padded to 2^logN rows (at least its own
// height, at most 2^MaxROMLogN); at the program's own height it is Setup. The keys of
// the last few (program, height) pairs are kept.
func (m *Machine) SetupROM(p *isa.Program, logN int) (*Keys, error) {
	if p == nil {
		return nil, fmt.Errorf("machine: setup of no program")
	}
	nat := ROMLogN(p)
	switch {
	case logN == nat:
		return m.Setup(p)
	case logN < nat:
		return nil, fmt.Errorf("machine: a ROM of 2^%d rows for a program of %d instructions (at least 2^%d)", logN, len(p.Code), nat)
	case logN > MaxROMLogN:
		return nil, fmt.Errorf("machine: a ROM padded to 2^%d rows (at most 2^%d)", logN, MaxROMLogN)
	}
	key := fmt.Sprintf("%s|%+v|%s|%s|rom=%d", m.engine.Kernels().Name(), m.engine.Params().FRI, m.ID(), p.ID(), logN)
	if k := keysCache.get(key); k != nil {
		return k, nil
	}
	airs := make([]*air.AIR, len(m.chips))
	prep := make([][][]field.Elem, len(m.chips))
	optional := make([]bool, len(m.chips))
	for i, c := range m.chips {
		airs[i] = c.air
		optional[i] = c.optional
		switch {
		case c.name == "rom":
			prep[i] = rom.PreprocessedRows(p.Code, 1<<logN)
		case c.prep != nil:
			prep[i] = c.prep(p)
		}
	}
	pk, vk, err := m.engine.Setup(airs, prep, optional)
	if err != nil {
		return nil, fmt.Errorf("machine: setup: %w", err)
	}
	k := &Keys{PK: pk, VK: vk}
	keysCache.put(key, k)
	return k, nil
}

// SetupFor is the verifier's setup for proofs that state the ROM height 2^logN (a
// segment proof's LogN at the rom table; ROMLogNOf): SetupROM, with a clear refusal of
// a height below the program's or above the bound.
func (m *Machine) SetupFor(p *isa.Program, logN int) (*Keys, error) {
	return m.SetupROM(p, logN)
}

// ROMLogNOf is the ROM height a segment proof states (−1 when it has no ROM table's
// height: a malformed proof, which the verifier then refuses as it would have).
func (m *Machine) ROMLogNOf(sp *SegmentProof) int {
	if sp == nil || sp.Proof == nil {
		return -1
	}
	return m.romLogNOf(sp.Proof.LogN)
}

// romLogNOf is the rom table's entry of a list of log heights, or −1.
func (m *Machine) romLogNOf(logN []int) int {
	for t, c := range m.chips {
		if c.name == "rom" {
			if t < len(logN) && logN[t] != stark.Absent {
				return logN[t]
			}
			return -1
		}
	}
	return -1
}

// KeysForProofs sets up the keys a verifier checks segment proofs against: the
// program's own (Setup), or those of its ROM padded to the height the first proof
// states when it is taller (a catalogue run's: SetupROM). Every proof must then state
// that height (the STARK verifier refuses a table whose height differs from its
// preprocessed columns').
func (m *Machine) KeysForProofs(p *isa.Program, proofs []*SegmentProof) (*Keys, error) {
	if len(proofs) > 0 {
		if l := m.ROMLogNOf(proofs[0]); l > ROMLogN(p) {
			return m.SetupROM(p, l)
		}
	}
	return m.Setup(p)
}

// KeysForShape sets up the keys a segment of shape minLogN (SegmentRun.MinLogN, nil:
// natural heights) is proven under: those of the ROM height it asks (SetupROM), or the
// program's own when it asks none.
func (m *Machine) KeysForShape(p *isa.Program, minLogN []int) (*Keys, error) {
	if l := m.romLogNOf(minLogN); l > 0 && l != ROMLogN(p) {
		return m.SetupROM(p, l)
	}
	return m.Setup(p)
}

// KeysForLeafShapes sets up the keys of the segments of an aggregated or wrapped proof
// whose leaf shapes are these: at the ROM height the first states when it is taller
// than the program's (SetupROM), else the program's own. Every leaf program of the
// proof is then made for that key's shape: one of another ROM height refuses it.
func (m *Machine) KeysForLeafShapes(p *isa.Program, shapes []LeafShape) (*Keys, error) {
	if len(shapes) > 0 {
		if l := m.romLogNOf(shapes[0].LogN); l > ROMLogN(p) {
			return m.SetupROM(p, l)
		}
	}
	return m.Setup(p)
}
