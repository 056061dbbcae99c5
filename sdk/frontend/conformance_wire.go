package frontend

import (
	"context"
	"errors"
	"fmt"
	"io"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/oneiros-zk/oneiros/sdk/internal/pluginv1"
)

// The conformance methods of a translated frontend: forwarded to the translator when
// it is a Conformer, ErrUnimplemented otherwise.

func (f *translated) ConformanceCases(ctx context.Context, req ConformanceRequest, emit func(*ConformanceRun) error) (err error) {
	c, ok := f.t.(Conformer)
	if !ok {
		return fmt.Errorf("ConformanceCases: %s has no conformance suite: %w", f.t.Describe().Name, ErrUnimplemented)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("ConformanceCases: internal error while reading %s: %v", req.SuiteDir, r)
		}
	}()
	return c.ConformanceCases(ctx, req, emit)
}

func (f *translated) ConformanceJudge(ctx context.Context, req JudgeRequest) (v *Verdict, err error) {
	c, ok := f.t.(Conformer)
	if !ok {
		return nil, fmt.Errorf("ConformanceJudge: %s has no conformance suite: %w", f.t.Describe().Name, ErrUnimplemented)
	}
	defer func() {
		if r := recover(); r != nil {
			v, err = nil, fmt.Errorf("ConformanceJudge: internal error while judging run %s: %v", req.Run.ID, r)
		}
	}()
	return c.ConformanceJudge(ctx, req)
}

// Client side.

// ConformanceCases implements Frontend: it checks every run the plugin sends before
// handing it to emit.
func (c *Client) ConformanceCases(ctx context.Context, req ConformanceRequest, emit func(*ConformanceRun) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := c.rpc.ConformanceCases(ctx, &pluginv1.ConformanceCases_Request{
		SuiteDir: req.SuiteDir, Filter: req.Filter, Measure: req.Measure,
	}, pluginv1.CallOptions()...)
	if err != nil {
		return pluginv1.FromStatus(err)
	}
	seen := map[string]bool{}
	for {
		msg, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return pluginv1.FromStatus(err)
		}
		if msg.GetRun() == nil {
			return fmt.Errorf("%w: an empty message in the conformance stream after %d runs", ErrProtocol, len(seen))
		}
		r := runFromProto(msg.GetRun())
		if err := checkRun(r); err != nil {
			return err
		}
		if seen[r.ID] {
			return fmt.Errorf("%w: the suite has two runs named %s", ErrProtocol, r.ID)
		}
		seen[r.ID] = true
		if r.Measure && !req.Measure {
			return fmt.Errorf("%w: run %s asks for execution counts the host did not offer", ErrProtocol, r.ID)
		}
		if err := emit(r); err != nil {
			return err
		}
	}
}

// ConformanceJudge implements Frontend.
func (c *Client) ConformanceJudge(ctx context.Context, req JudgeRequest) (*Verdict, error) {
	run := req.Run
	run.Source, run.Input = nil, nil
	preq := &pluginv1.ConformanceJudge_Request{
		Run: runToProto(&run), LoadError: req.LoadError, InvalidInput: req.InvalidInput,
		ExecuteError: req.ExecuteError, PcCounts: req.PCCounts, Proven: req.Proven,
	}
	if r := req.Result; r != nil {
		preq.Result = &pluginv1.Execute_Result{Status: pluginv1.ExitStatus(r.Status), ExitCode: r.ExitCode,
			TrapReason: r.TrapReason, PublicOutput: r.PublicOutput, TotalCycles: r.TotalCycles}
	}
	resp, err := c.rpc.ConformanceJudge(ctx, preq, pluginv1.CallOptions()...)
	if err != nil {
		return nil, pluginv1.FromStatus(err)
	}
	v := &Verdict{SourceCycles: resp.GetSourceCycles(), SourceInstructions: resp.GetSourceInstructions()}
	for _, pc := range resp.GetCases() {
		v.Cases = append(v.Cases, caseFromProto(pc))
	}
	for _, pr := range resp.GetCandidates() {
		v.Candidates = append(v.Candidates, *runFromProto(pr))
	}
	if err := checkVerdict(v); err != nil {
		return nil, fmt.Errorf("judging run %s: %w", req.Run.ID, err)
	}
	return v, nil
}

// Server side.

func (s *server) ConformanceCases(req *pluginv1.ConformanceCases_Request, stream pluginv1.Frontend_ConformanceCasesServer) (err error) {
	defer pluginv1.Recover("ConformanceCases", &err)
	err = s.impl.ConformanceCases(stream.Context(), ConformanceRequest{
		SuiteDir: req.GetSuiteDir(), Filter: req.GetFilter(), Measure: req.GetMeasure(),
	}, func(r *ConformanceRun) error {
		if r == nil {
			return status.Error(codes.Internal, "ConformanceCases emitted a nil run")
		}
		return stream.Send(&pluginv1.ConformanceCases_Response{Run: runToProto(r)})
	})
	if err != nil {
		return pluginv1.ToStatus(err)
	}
	return nil
}

func (s *server) ConformanceJudge(ctx context.Context, req *pluginv1.ConformanceJudge_Request) (resp *pluginv1.ConformanceJudge_Response, err error) {
	defer pluginv1.Recover("ConformanceJudge", &err)
	jr := JudgeRequest{LoadError: req.GetLoadError(), InvalidInput: req.GetInvalidInput(),
		ExecuteError: req.GetExecuteError(), PCCounts: req.GetPcCounts(), Proven: req.GetProven()}
	if r := req.GetRun(); r != nil {
		jr.Run = *runFromProto(r)
	}
	if r := req.GetResult(); r != nil {
		jr.Result = &Result{Status: ExitStatus(r.GetStatus()), ExitCode: r.GetExitCode(), TrapReason: r.GetTrapReason(),
			PublicOutput: r.GetPublicOutput(), TotalCycles: r.GetTotalCycles()}
	}
	v, err := s.impl.ConformanceJudge(ctx, jr)
	if err != nil {
		return nil, pluginv1.ToStatus(err)
	}
	if v == nil {
		return nil, status.Error(codes.Internal, "ConformanceJudge returned neither a verdict nor an error")
	}
	resp = &pluginv1.ConformanceJudge_Response{SourceCycles: v.SourceCycles, SourceInstructions: v.SourceInstructions}
	for i := range v.Cases {
		resp.Cases = append(resp.Cases, caseToProto(&v.Cases[i]))
	}
	for i := range v.Candidates {
		resp.Candidates = append(resp.Candidates, runToProto(&v.Candidates[i]))
	}
	return resp, nil
}

// Conversions.

func runToProto(r *ConformanceRun) *pluginv1.ConformanceRun {
	p := &pluginv1.ConformanceRun{Id: r.ID, Group: r.Group, FileName: r.FileName, Source: r.Source, Input: r.Input,
		Limits: &pluginv1.Limits{MaxCycles: r.Limits.MaxCycles, MaxMemoryBytes: r.Limits.MaxMemoryBytes,
			MaxOutputBytes: r.Limits.MaxOutputBytes},
		Expect: r.Expect, Measure: r.Measure, Cost: r.Cost}
	for i := range r.Decided {
		p.Decided = append(p.Decided, caseToProto(&r.Decided[i]))
	}
	return p
}

func runFromProto(p *pluginv1.ConformanceRun) *ConformanceRun {
	lim := p.GetLimits()
	r := &ConformanceRun{ID: p.GetId(), Group: p.GetGroup(), FileName: p.GetFileName(), Source: p.GetSource(),
		Input: p.GetInput(), Expect: p.GetExpect(), Measure: p.GetMeasure(), Cost: p.GetCost(),
		Limits: Limits{MaxCycles: lim.GetMaxCycles(), MaxMemoryBytes: lim.GetMaxMemoryBytes(),
			MaxOutputBytes: lim.GetMaxOutputBytes()}}
	for _, c := range p.GetDecided() {
		r.Decided = append(r.Decided, caseFromProto(c))
	}
	return r
}

func caseToProto(c *ConformanceCase) *pluginv1.ConformanceCase {
	return &pluginv1.ConformanceCase{Id: c.ID, Group: c.Group, Status: pluginv1.CaseStatus(c.Status),
		Reason: c.Reason, Details: c.Details}
}

func caseFromProto(p *pluginv1.ConformanceCase) ConformanceCase {
	return ConformanceCase{ID: p.GetId(), Group: p.GetGroup(), Status: CaseStatus(p.GetStatus()),
		Reason: p.GetReason(), Details: p.GetDetails()}
}
