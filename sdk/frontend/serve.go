package frontend

import (
	"context"
	"fmt"

	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/oneiros-zk/oneiros/sdk/internal/pluginv1"
)

// Handshake is go-plugin's handshake of OneirOS plugins: ProtocolVersion is
// ProtocolMajor.
var Handshake = pluginv1.Handshake

// PluginName is the frontend's name in go-plugin's plugin set.
const PluginName = pluginv1.FrontendPluginName

// Serve runs impl as a plugin process; call it from main. It returns when
// the host is done with the plugin. Run by hand, the binary prints that it
// is a plugin and exits. Started by a host, the plugin exits when its host
// dies, even in the middle of a call that ignores its context (Unix: the
// parent process is watched).
func Serve(impl Frontend) {
	pluginv1.Serve(goplugin.PluginSet{PluginName: &Plugin{Impl: impl}})
}

// Plugin is the go-plugin glue: in a plugin process it serves Impl over
// gRPC; in the host it makes a [Client]. The host uses it in
// goplugin.ClientConfig.Plugins under [PluginName].
type Plugin struct {
	goplugin.NetRPCUnsupportedPlugin
	Impl Frontend // served; nil on the host side
}

// GRPCServer registers Impl on s.
func (p *Plugin) GRPCServer(_ *goplugin.GRPCBroker, s *grpc.Server) error {
	if p.Impl == nil {
		return fmt.Errorf("frontend.Plugin: Impl is nil")
	}
	pluginv1.RegisterFrontendServer(s, &server{impl: p.Impl})
	return nil
}

// GRPCClient returns a *Client on c.
func (p *Plugin) GRPCClient(_ context.Context, _ *goplugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return NewClient(c), nil
}

// server adapts a Frontend to the generated gRPC service.
type server struct {
	pluginv1.UnimplementedFrontendServer
	impl Frontend
}

func (s *server) Describe(ctx context.Context, _ *pluginv1.DescribeFrontend_Request) (resp *pluginv1.DescribeFrontend_Response, err error) {
	defer pluginv1.Recover("Describe", &err)
	d, err := s.impl.Describe(ctx, DescribeRequest{})
	if err != nil {
		return nil, pluginv1.ToStatus(err)
	}
	if d == nil {
		return nil, status.Error(codes.Internal, "Describe returned neither a description nor an error")
	}
	resp = &pluginv1.DescribeFrontend_Response{
		Plugin: &pluginv1.PluginInfo{
			Name:          d.Name,
			Version:       d.Version,
			ProtocolMajor: ProtocolMajor,
			ProtocolMinor: ProtocolMinor,
		},
		Isa:          d.ISA,
		Extensions:   d.Extensions,
		Capabilities: d.Capabilities,
	}
	for _, e := range d.Examples {
		resp.Examples = append(resp.Examples, &pluginv1.ExampleProgram{
			Name:           e.Name,
			FileName:       e.FileName,
			Source:         e.Source,
			Input:          e.Input,
			ExpectedOutput: e.ExpectedOutput,
		})
	}
	return resp, nil
}

func (s *server) Load(ctx context.Context, req *pluginv1.Load_Request) (resp *pluginv1.Load_Response, err error) {
	defer pluginv1.Recover("Load", &err)
	p, err := s.impl.Load(ctx, LoadRequest{Source: req.GetSource(), FileName: req.GetFileName()})
	if err != nil {
		return nil, pluginv1.ToStatus(err)
	}
	if p == nil {
		return nil, status.Error(codes.Internal, "Load returned neither a program nor an error")
	}
	runPCs, runLabels := sourceRuns(p.Info.SourceMap)
	return &pluginv1.Load_Response{
		Handle:            p.Handle,
		ProgramId:         p.ProgramID,
		SourceDigest:      p.SourceDigest,
		NormalizedProgram: p.Normalized,
		Info: &pluginv1.ProgramInfo{
			InstructionCount:       p.Info.InstructionCount,
			SourceInstructionCount: p.Info.SourceInstructionCount,
			MemoryImageBytes:       p.Info.MemoryImageBytes,
			EntryPc:                p.Info.EntryPC,
			SourceLabels:           sourceLabels(p.Info.SourceMap),
			SourceRunPcs:           runPCs,
			SourceRunLabels:        runLabels,
		},
	}, nil
}

func (s *server) Execute(req *pluginv1.Execute_Request, stream pluginv1.Frontend_ExecuteServer) (err error) {
	defer pluginv1.Recover("Execute", &err)
	w := &traceWriter{stream: stream}
	w.chunks.Emit = func(seq uint64, data []byte) error {
		return stream.Send(&pluginv1.Execute_Response{Event: &pluginv1.Execute_Response_Chunk{
			Chunk: &pluginv1.Execute_TraceChunk{Sequence: seq, Data: data},
		}})
	}
	lim := req.GetLimits()
	res, err := s.impl.Execute(stream.Context(), ExecuteRequest{
		Handle: req.GetHandle(),
		Input:  req.GetInput(),
		Limits: Limits{
			MaxCycles:      lim.GetMaxCycles(),
			MaxMemoryBytes: lim.GetMaxMemoryBytes(),
			MaxOutputBytes: lim.GetMaxOutputBytes(),
		},
	}, w)
	if err != nil {
		return pluginv1.ToStatus(err)
	}
	switch {
	case res == nil:
		return status.Error(codes.Internal, "Execute returned neither a result nor an error")
	case !res.Status.valid():
		return status.Errorf(codes.Internal, "Execute returned an invalid exit status %d", res.Status)
	}
	if err := w.chunks.Flush(); err != nil {
		return err
	}
	return stream.Send(&pluginv1.Execute_Response{Event: &pluginv1.Execute_Response_Result{
		Result: &pluginv1.Execute_Result{
			Status:       pluginv1.ExitStatus(res.Status),
			ExitCode:     res.ExitCode,
			TrapReason:   res.TrapReason,
			PublicOutput: res.PublicOutput,
			TotalCycles:  res.TotalCycles,
		},
	}})
}

// traceWriter is the TraceWriter a plugin's Execute gets.
type traceWriter struct {
	stream pluginv1.Frontend_ExecuteServer
	chunks pluginv1.ChunkWriter
}

func (w *traceWriter) Write(p []byte) (int, error) { return w.chunks.Write(p) }

func (w *traceWriter) Progress(cycles uint64) error {
	return w.stream.Send(&pluginv1.Execute_Response{Event: &pluginv1.Execute_Response_Progress{
		Progress: &pluginv1.Execute_Progress{Cycles: cycles},
	}})
}
