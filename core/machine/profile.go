package machine

import (
	"context"
	"fmt"

	"github.com/oneiros-zk/oneiros/core/chips/addsub"
	"github.com/oneiros-zk/oneiros/core/chips/bitwise"
	"github.com/oneiros-zk/oneiros/core/chips/cmp"
	"github.com/oneiros-zk/oneiros/core/chips/divrem"
	chipio "github.com/oneiros-zk/oneiros/core/chips/io"
	"github.com/oneiros-zk/oneiros/core/chips/mul"
	"github.com/oneiros-zk/oneiros/core/chips/rom"
	"github.com/oneiros-zk/oneiros/core/chips/shift"
	"github.com/oneiros-zk/oneiros/core/chips/u256"
	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
)

// Profile counts a run's cycles by opcode and by the chip that proves each cycle's work
// beside the CPU (whose table has a row for every cycle): where a program's proving
// cost goes.
type Profile struct {
	Cycles    uint64            `json:"cycles" yaml:"cycles"`
	ByOpcode  map[string]uint64 `json:"by_opcode" yaml:"by_opcode"`
	ByChip    map[string]uint64 `json:"by_chip" yaml:"by_chip"`       // "cpu only" for jumps, HALT, TRAP
	BySyscall map[string]uint64 `json:"by_syscall" yaml:"by_syscall"` // ECALLs by syscall
	// BySource counts cycles by the source instruction or opcode group they were lowered
	// from (the frontend's isa.SourceMap; empty without one), and SourceExecutions how
	// often each label's code was entered at its first instruction (≈ how many source
	// instructions of that kind ran), so BySource/SourceExecutions is the lowering's
	// normalized cycles per source instruction.
	BySource         map[string]uint64 `json:"by_source,omitempty" yaml:"by_source,omitempty"`
	SourceExecutions map[string]uint64 `json:"source_executions,omitempty" yaml:"source_executions,omitempty"`

	labels []string
	index  []int32 // label index per pc (−1: none)
	starts []bool  // pc begins a source map run
}

// SetSourceMap makes the profile count cycles by m's labels for a program of n
// instructions (m must have passed m.Validate(n)).
func (p *Profile) SetSourceMap(m *isa.SourceMap, n int) {
	p.labels, p.index, p.starts = m.Labels, m.Index(n), make([]bool, n)
	for _, r := range m.Runs {
		p.starts[r.PC] = true
	}
	p.BySource, p.SourceExecutions = map[string]uint64{}, map[string]uint64{}
}

// NewProfile returns an empty profile.
func NewProfile() *Profile {
	return &Profile{ByOpcode: map[string]uint64{}, ByChip: map[string]uint64{}, BySyscall: map[string]uint64{}}
}

var aluChipNames = []struct {
	name    string
	handles func(uint32) bool
}{{"addsub", addsub.Handles}, {"cmp", cmp.Handles}, {"bitwise", bitwise.Handles}, {"mul", mul.Handles}, {"divrem", divrem.Handles}, {"shift", shift.Handles}}

func aluChipOf(op uint32) string {
	for _, c := range aluChipNames {
		if c.handles(op) {
			return c.name
		}
	}
	return "no chip"
}

// noSource labels cycles at pcs the source map does not cover.
const noSource = "(no source)"

// Add counts one record.
func (p *Profile) Add(r *trace.Record) {
	p.Cycles++
	if p.index != nil {
		label := noSource
		if int64(r.PC) < int64(len(p.index)) && p.index[r.PC] >= 0 {
			label = p.labels[p.index[r.PC]]
			if p.starts[r.PC] {
				p.SourceExecutions[label]++
			}
		}
		p.BySource[label]++
	}
	p.ByOpcode[r.Inst.Op.String()]++
	chip := "cpu only"
	switch r.Inst.Op.Class() {
	case isa.ClassALU:
		chip = aluChipOf(uint32(r.Inst.Op))
	case isa.ClassBranch:
		chip = aluChipOf(rom.BranchOp[r.Inst.Op])
	case isa.ClassLoad, isa.ClassStore:
		chip = "loadstore"
	case isa.ClassCall, isa.ClassRet:
		chip = "frame"
	case isa.ClassEcall:
		n := r.Inst.C
		name := isa.SyscallName(n)
		if name == "" {
			name = fmt.Sprintf("0x%x", n)
		}
		p.BySyscall[name]++
		switch {
		case chipio.Handles(n):
			chip = "io"
		case n == isa.SysKeccakF:
			chip = "keccak"
		case n == isa.SysSHA256Compress:
			chip = "sha256"
		case u256.Handles(n):
			chip = "u256"
		default:
			chip = "no chip"
		}
	}
	p.ByChip[chip]++
}

// ProfileRun executes p and profiles the run, by p's source map when it has one (a
// program fresh from a frontend's translation), for tests and tools that hold the
// program in process; the host profiles a frontend's streamed trace instead.
func ProfileRun(ctx context.Context, p *isa.Program, opts exec.Options) (*Profile, error) {
	_, recs, err := Execute(ctx, p, opts)
	if err != nil {
		return nil, err
	}
	prof := NewProfile()
	if p.SourceMap != nil {
		if err := p.SourceMap.Validate(len(p.Code)); err != nil {
			return nil, err
		}
		prof.SetSourceMap(p.SourceMap, len(p.Code))
	}
	for i := range recs {
		prof.Add(&recs[i])
	}
	return prof, nil
}

// Unattributed is the number of cycles the source map names no label for (0 without a
// map): code a frontend emitted before its first label.
func (p *Profile) Unattributed() uint64 { return p.BySource[noSource] }
