package frontend

import (
	"context"
	"errors"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
)

// Run is the usual body of a frontend's Execute: it runs a normalized program on the
// reference executor with the request's input and limits and the frontend's syscall
// hooks (nil when none), streams the trace records to w, and reports how the run ended.
// A frontend whose machine needs nothing else implements Execute as a lookup of the
// program by handle followed by Run.
func Run(ctx context.Context, p *isa.Program, req ExecuteRequest, w TraceWriter, hooks map[uint32]exec.Syscall) (*Result, error) {
	sw := trace.NewStreamWriter(w)
	res, err := exec.Run(ctx, p, exec.Options{
		Input: req.Input,
		Limits: exec.Limits{MaxCycles: req.Limits.MaxCycles, MaxMemoryBytes: req.Limits.MaxMemoryBytes,
			MaxOutputBytes: req.Limits.MaxOutputBytes},
		Hooks:    hooks,
		Sink:     sw.Write,
		Progress: func(c uint64) { _ = w.Progress(c) },
	})
	if err != nil {
		return nil, err
	}
	if err := sw.Close(); err != nil {
		return nil, err
	}
	return ResultOf(res), nil
}

// ResultOf translates the executor's result: HALT is StatusHalted; a cycle, memory or
// output limit is StatusLimitExceeded; every other trap (TRAP included) is
// StatusTrapped with its reason.
func ResultOf(res *exec.Result) *Result {
	out := &Result{Status: StatusHalted, ExitCode: int64(res.ExitCode), PublicOutput: res.Output, TotalCycles: res.Cycles}
	if res.Trap == nil {
		return out
	}
	out.Status, out.TrapReason = StatusTrapped, res.Trap.Error()
	var te *exec.TrapError
	if errors.As(res.Trap, &te) {
		switch te.Status {
		case isa.StatusCycleLimit, isa.StatusMemoryLimit, isa.StatusOutputLimit:
			out.Status = StatusLimitExceeded
		}
	}
	return out
}
