package backend

import (
	"context"
	"fmt"
	"time"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/machine"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/kernel"
)

// EngineParams maps a request's parameters to the Hemera Engine's.
func EngineParams(p Params) hemera.Params {
	return hemera.Params{FRI: p.Params, Workers: p.Workers}
}

// ProveSegment is the usual body of a backend's ProveSegment: it decodes the program and
// the segment boundary, reads the segment's records (rebased to start at clk 0:
// machine.Rebase), and proves the segment with core/machine on the Hemera Engine running
// on kernels (timed per kernel in the returned phases). The proof is a
// machine.SegmentProof: the segment's state (how it ends, the root of the memory it
// leaves) and its STARK. The memory where the segment starts is the boundary's (the
// program's image with the boundary's words set). A backend is then mostly its kernel.Kernels implementation; the same kernels'
// outputs give the same proof bytes on every backend.
func ProveSegment(ctx context.Context, req ProveRequest, k kernel.Kernels) (*Proof, error) {
	bd, err := machine.DecodeBoundary(req.Boundary)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidInput, err)
	}
	prog, err := isa.Decode(req.Program)
	if err != nil {
		return nil, fmt.Errorf("%w: program: %w", ErrInvalidInput, err)
	}
	timed := kernel.NewTimed(k)
	e, err := hemera.New(EngineParams(req.Params), hemera.WithKernels(timed))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidInput, err)
	}
	progress := req.Progress
	if progress == nil {
		progress = func(Progress) {}
	}
	phases := map[string]float64{}
	t0 := time.Now()
	progress(Progress{Phase: "records", Fraction: 0})
	var recs []trace.Record
	if _, err := trace.ReadStream(req.Records, machine.MaxCycles+1, func(r *trace.Record) error {
		recs = append(recs, *r.Clone())
		return nil
	}); err != nil {
		return nil, fmt.Errorf("%w: records: %w", ErrInvalidInput, err)
	}
	phases["records"] = time.Since(t0).Seconds()
	mem, err := machine.MemoryTree(prog, bd.Memory)
	if err != nil {
		return nil, fmt.Errorf("%w: memory: %w", ErrInvalidInput, err)
	}
	run := &machine.SegmentRun{Program: prog, InStart: bd.InStart, OutStart: bd.OutStart, HookStart: bd.HookStart, HookState: bd.HookState, OutState: bd.OutState,
		Input: bd.Input, Context: bd.Context, Memory: mem, Index: int(req.SegmentIndex), MinLogN: bd.MinLogN}
	if _, _, _, _, err := machine.SegmentOf(run, recs); err != nil {
		return nil, fmt.Errorf("%w: segment %d: %w", ErrInvalidInput, req.SegmentIndex, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t1 := time.Now()
	m := machine.New(e)
	// Kept for the run's next segments (machine.Setup); a segment cut by a catalogue
	// names its ROM class in its shape (machine.SetupROM).
	keys, err := m.KeysForShape(prog, bd.MinLogN)
	if err != nil {
		return nil, err
	}
	phases["setup"] = time.Since(t1).Seconds()
	progress(Progress{Phase: "prove on " + k.Name(), Fraction: 0.1})
	t2 := time.Now()
	proof, rep, err := m.ProveSegment(ctx, keys, run, recs)
	if err != nil {
		return nil, err
	}
	phases["trace"] = rep.TraceSeconds
	phases["stark"] = rep.ProveSeconds
	for name, v := range rep.Kernels {
		phases["kernel."+name] = v
	}
	phases["prove"] = time.Since(t2).Seconds()
	progress(Progress{Phase: "done", Fraction: 1})
	return &Proof{Data: proof.Encode(), PhaseSeconds: phases}, nil
}
