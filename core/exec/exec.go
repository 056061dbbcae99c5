package exec

import (
	"context"
	"fmt"
	"math"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
)

// Limits bound a run; a zero field means no limit.
type Limits struct {
	MaxCycles      uint64 // instructions executed (HALT and TRAP included)
	MaxMemoryBytes uint64 // pages that appear × 4096, the image's pages included
	MaxOutputBytes uint64 // bytes of public output
}

// Sink receives the record of each executed instruction, in order. The record and its
// slices are reused after the call returns: keep a copy with [trace.Record.Clone].
// An error stops the run; Run returns it wrapped.
type Sink func(*trace.Record) error

// Options configure a run.
type Options struct {
	Input  []byte // the private input tape
	Limits Limits
	// Hooks serve syscall numbers ≥ isa.FirstHook (frontends' own syscalls).
	Hooks map[uint32]Syscall
	// Sink, if set, receives one record per executed instruction. Without it no record
	// is built and no timestamp is kept.
	Sink Sink
	// Progress, if set, is called with the cycle count every ProgressInterval cycles.
	Progress func(cycles uint64)
}

// ProgressInterval is how many cycles pass between Progress calls and context checks
// (2^20 ≈ 30 ms at 30 M cycles/s).
const ProgressInterval = 1 << 20

// Result is how a run ended.
type Result struct {
	ExitStatus   isa.ExitStatus
	ExitCode     uint32 // HALT's operand, or TRAP's code; 0 for other traps
	Trap         error  // a *TrapError unless ExitStatus is StatusHalted; nil then
	Output       []byte // the public output
	Cycles       uint64 // instructions executed: the clk after the last one
	TouchedPages uint64 // pages that appeared, the image's included
	// PC and FP are the final state: the HALT or TRAP instruction's, or for other traps
	// the state of the instruction that could not complete.
	PC, FP uint32
}

// Run executes p from its entry state until it halts, traps, or ctx is cancelled.
// A trap is a normal result (Result.Trap); the error is for everything else: an invalid
// program or options, a cancelled context, a sink or hook failure.
func Run(ctx context.Context, p *isa.Program, opts Options) (*Result, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("exec: %w", err)
	}
	if uint64(len(opts.Input)) > math.MaxUint32 {
		return nil, fmt.Errorf("exec: input of %d bytes exceeds 2^32-1", len(opts.Input))
	}
	for n, h := range opts.Hooks {
		if n < isa.FirstHook {
			return nil, fmt.Errorf("exec: hook for syscall 0x%x: numbers below 0x%x belong to the core", n, isa.FirstHook)
		}
		if h == nil {
			return nil, fmt.Errorf("exec: hook for syscall 0x%x is nil", n)
		}
	}
	m := newMachine(ctx, p, &opts)
	if !m.loadImage(p) {
		return m.result(), nil
	}
	if err := m.run(); err != nil {
		return nil, err
	}
	return m.result(), nil
}

func (m *machine) result() *Result {
	r := &Result{
		ExitStatus:   m.status,
		ExitCode:     m.exitCode,
		Output:       m.out,
		Cycles:       m.clk,
		TouchedPages: m.mem.pages,
		PC:           m.pc,
		FP:           m.fp,
	}
	if m.trap != nil {
		r.Trap = m.trap
	}
	return r
}
