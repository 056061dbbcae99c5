package frontend

import (
	"context"
	"errors"
	"fmt"
	"io"

	"google.golang.org/grpc"

	"github.com/oneiros-zk/oneiros/sdk/internal/pluginv1"
)

// Client calls a frontend plugin over gRPC; it implements [Frontend]. It
// checks what the plugin sends (chunk sizes and order, a single final
// result, limits honoured) and reports breaches as errors wrapping
// ErrProtocol. It does not manage the plugin's process: the host's
// plugin manager does (host/plugin).
type Client struct {
	UnimplementedFrontend
	rpc pluginv1.FrontendClient
}

// NewClient returns a Client on an established connection, as go-plugin's
// Dispense does through [Plugin].
func NewClient(conn grpc.ClientConnInterface) *Client {
	return &Client{rpc: pluginv1.NewFrontendClient(conn)}
}

// Describe implements Frontend.
func (c *Client) Describe(ctx context.Context, _ DescribeRequest) (*Description, error) {
	resp, err := c.rpc.Describe(ctx, &pluginv1.DescribeFrontend_Request{}, pluginv1.CallOptions()...)
	if err != nil {
		return nil, pluginv1.FromStatus(err)
	}
	info := resp.GetPlugin()
	if info == nil {
		return nil, fmt.Errorf("%w: Describe response has no plugin info", ErrProtocol)
	}
	d := &Description{
		Name:          info.GetName(),
		Version:       info.GetVersion(),
		ProtocolMajor: int(info.GetProtocolMajor()),
		ProtocolMinor: int(info.GetProtocolMinor()),
		ISA:           resp.GetIsa(),
		Extensions:    resp.GetExtensions(),
		Capabilities:  resp.GetCapabilities(),
	}
	for _, e := range resp.GetExamples() {
		d.Examples = append(d.Examples, Example{
			Name:           e.GetName(),
			FileName:       e.GetFileName(),
			Source:         e.GetSource(),
			Input:          e.GetInput(),
			ExpectedOutput: e.GetExpectedOutput(),
		})
	}
	return d, nil
}

// Load implements Frontend.
func (c *Client) Load(ctx context.Context, req LoadRequest) (*Program, error) {
	resp, err := c.rpc.Load(ctx, &pluginv1.Load_Request{Source: req.Source, FileName: req.FileName}, pluginv1.CallOptions()...)
	if err != nil {
		return nil, pluginv1.FromStatus(err)
	}
	if len(resp.GetHandle()) == 0 {
		return nil, fmt.Errorf("%w: Load response has an empty program handle", ErrProtocol)
	}
	info := resp.GetInfo()
	smap, err := sourceMapOf(info)
	if err != nil {
		return nil, err
	}
	return &Program{
		Handle:       resp.GetHandle(),
		ProgramID:    resp.GetProgramId(),
		SourceDigest: resp.GetSourceDigest(),
		Normalized:   resp.GetNormalizedProgram(),
		Info: ProgramInfo{
			InstructionCount:       info.GetInstructionCount(),
			SourceInstructionCount: info.GetSourceInstructionCount(),
			MemoryImageBytes:       info.GetMemoryImageBytes(),
			EntryPC:                info.GetEntryPc(),
			SourceMap:              smap,
		},
	}, nil
}

// Execute implements Frontend: it hands every trace chunk and progress
// report to w, in the order the plugin sent them, and returns the result.
// An error of w cancels the run and is returned as is.
func (c *Client) Execute(ctx context.Context, req ExecuteRequest, w TraceWriter) (*Result, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := c.rpc.Execute(ctx, &pluginv1.Execute_Request{
		Handle: req.Handle,
		Input:  req.Input,
		Limits: &pluginv1.Limits{
			MaxCycles:      req.Limits.MaxCycles,
			MaxMemoryBytes: req.Limits.MaxMemoryBytes,
			MaxOutputBytes: req.Limits.MaxOutputBytes,
		},
	}, pluginv1.CallOptions()...)
	if err != nil {
		return nil, pluginv1.FromStatus(err)
	}
	chunks := pluginv1.ChunkChecker{What: "trace"}
	var cycles uint64
	for {
		msg, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%w: trace stream ended after %d chunks without a final result", ErrProtocol, chunks.Chunks())
		}
		if err != nil {
			return nil, pluginv1.FromStatus(err)
		}
		switch ev := msg.GetEvent().(type) {
		case *pluginv1.Execute_Response_Chunk:
			data := ev.Chunk.GetData()
			if err := chunks.Check(ev.Chunk.GetSequence(), data); err != nil {
				return nil, err
			}
			if _, err := w.Write(data); err != nil {
				return nil, err
			}
		case *pluginv1.Execute_Response_Progress:
			if ev.Progress.GetCycles() < cycles {
				return nil, fmt.Errorf("%w: progress went back from %d to %d cycles", ErrProtocol, cycles, ev.Progress.GetCycles())
			}
			cycles = ev.Progress.GetCycles()
			if err := w.Progress(cycles); err != nil {
				return nil, err
			}
		case *pluginv1.Execute_Response_Result:
			res, err := resultFromProto(ev.Result, req.Limits)
			if err != nil {
				return nil, err
			}
			switch _, err := stream.Recv(); {
			case err == nil:
				return nil, fmt.Errorf("%w: a message followed the final result", ErrProtocol)
			case !errors.Is(err, io.EOF):
				return nil, pluginv1.FromStatus(err)
			}
			return res, nil
		default:
			return nil, fmt.Errorf("%w: empty message in the trace stream after %d chunks", ErrProtocol, chunks.Chunks())
		}
	}
}

func resultFromProto(r *pluginv1.Execute_Result, lim Limits) (*Result, error) {
	res := &Result{
		Status:       ExitStatus(r.GetStatus()),
		ExitCode:     r.GetExitCode(),
		TrapReason:   r.GetTrapReason(),
		PublicOutput: r.GetPublicOutput(),
		TotalCycles:  r.GetTotalCycles(),
	}
	switch {
	case !res.Status.valid():
		return nil, fmt.Errorf("%w: final result has exit status %d, not halted, trapped or limit exceeded", ErrProtocol, r.GetStatus())
	case lim.MaxOutputBytes > 0 && uint64(len(res.PublicOutput)) > lim.MaxOutputBytes:
		return nil, fmt.Errorf("%w: public output of %d bytes exceeds max_output_bytes %d", ErrProtocol, len(res.PublicOutput), lim.MaxOutputBytes)
	case lim.MaxCycles > 0 && res.TotalCycles > lim.MaxCycles:
		return nil, fmt.Errorf("%w: run took %d cycles, more than max_cycles %d", ErrProtocol, res.TotalCycles, lim.MaxCycles)
	}
	return res, nil
}
