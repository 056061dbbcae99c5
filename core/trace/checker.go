package trace

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/isa"
)

// Checker verifies that a run's records are consistent with each other and with the
// program, the way the chips will rely on them: cycles follow each other (clk, pc, fp
// chain from the entry state), each record's instruction is the ROM's at its pc, every
// access is in its cycle's slots with PrevTS equal to the last access to that word and
// Before equal to the value that access left (or the image's word on a first touch), and
// slot operands agree with the accesses that read them. It does not re-execute
// instructions: package exec's tests and the chips check semantics.
//
// It is a conformance tool for frontends and chip authors, not a hot path.
type Checker struct {
	prog  *isa.Program
	image map[uint32]uint32
	words map[uint32]wordState
	pc    uint32 // the state the next record must start from
	fp    uint32
	n     uint64
}

type wordState struct {
	val uint32
	ts  uint64
}

// NewChecker returns a Checker for a run of p from its entry state.
func NewChecker(p *isa.Program) *Checker {
	c := &Checker{prog: p, image: map[uint32]uint32{}, words: map[uint32]wordState{}}
	for _, s := range p.Data {
		for i, v := range s.Bytes {
			addr := s.Addr + uint32(i)
			w := addr &^ 3
			c.image[w] |= uint32(v) << (8 * (addr & 3))
		}
	}
	c.pc, c.fp = p.Entry, p.FP
	return c
}

// Check verifies the next record of the run.
func (c *Checker) Check(r *Record) error {
	if err := c.check(r); err != nil {
		return fmt.Errorf("trace check: record %d (clk %d, pc %d): %w", c.n, r.Clk, r.PC, err)
	}
	c.n++
	return nil
}

func (c *Checker) check(r *Record) error {
	if r.Clk != c.n {
		return fmt.Errorf("clk %d, want %d", r.Clk, c.n)
	}
	if r.PC != c.pc || r.FP != c.fp {
		return fmt.Errorf("starts at pc %d fp %#x, previous record left pc %d fp %#x", r.PC, r.FP, c.pc, c.fp)
	}
	if uint64(r.PC) >= uint64(len(c.prog.Code)) || c.prog.Code[r.PC] != r.Inst {
		return fmt.Errorf("instruction %v is not the ROM's at pc %d", r.Inst, r.PC)
	}
	if err := checkEncodable(r); err != nil {
		return err
	}
	for i := range r.Accesses {
		a := &r.Accesses[i]
		prev, seen := c.words[a.Addr]
		if !seen {
			prev.val = c.image[a.Addr]
		}
		switch {
		case a.First != !seen:
			return fmt.Errorf("access %d (%v): first-touch flag %v, but the word was %s", i, a, a.First, map[bool]string{true: "touched before", false: "never touched"}[seen])
		case seen && a.PrevTS != prev.ts:
			return fmt.Errorf("access %d (%v): prev ts %d, the last access was at %d", i, a, a.PrevTS, prev.ts)
		case a.Before != prev.val:
			return fmt.Errorf("access %d (%v): value before %#x, memory holds %#x", i, a, a.Before, prev.val)
		}
		c.words[a.Addr] = wordState{val: a.After, ts: a.TS}
	}
	in := r.Inst
	slot := func(s int, off uint32, want uint32, name string) error {
		for i := range r.Accesses {
			if a := &r.Accesses[i]; a.Slot() == s {
				if a.Addr != r.FP+off {
					return fmt.Errorf("operand %s: slot %d accesses 0x%x, want fp+%d = 0x%x", name, s, a.Addr, int32(off), r.FP+off)
				}
				if a.After != want {
					return fmt.Errorf("operand %s is %#x, its slot holds %#x", name, want, a.After)
				}
				return nil
			}
		}
		return fmt.Errorf("operand %s: no access in slot %d", name, s)
	}
	cl := in.Op.Class()
	if usesB(cl) && !in.ImmB() {
		if err := slot(SlotB, in.B, r.B, "b"); err != nil {
			return err
		}
	}
	if usesC(cl) && !in.ImmC() {
		if err := slot(SlotC, in.C, r.C, "c"); err != nil {
			return err
		}
	}
	if usesA(cl) {
		s := SlotA
		if cl == isa.ClassLoad {
			s = SlotLoadA
		}
		if err := slot(s, in.A, r.A, "a"); err != nil {
			return err
		}
	}
	c.pc, c.fp = r.NextPC, r.NextFP
	return nil
}

// Which classes read operand b, operand c, and access [a] (docs/isa.md, "Instructions").
func usesB(c isa.Class) bool {
	return c != isa.ClassJump && c != isa.ClassCall && c != isa.ClassRet
}

func usesC(c isa.Class) bool {
	return c == isa.ClassALU || c == isa.ClassJump || c == isa.ClassCall
}

func usesA(c isa.Class) bool {
	switch c {
	case isa.ClassALU, isa.ClassLoad, isa.ClassStore, isa.ClassBranch, isa.ClassEcall:
		return true
	}
	return false
}
