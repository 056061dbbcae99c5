package backend

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sync"

	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/sdk/internal/pluginv1"
)

// Handshake is go-plugin's handshake of OneirOS plugins: ProtocolVersion is
// ProtocolMajor.
var Handshake = pluginv1.Handshake

// PluginName is the backend's name in go-plugin's plugin set.
const PluginName = pluginv1.BackendPluginName

// Serve runs impl as a plugin process; call it from main. It returns when
// the host is done with the plugin. Run by hand, the binary prints that it
// is a plugin and exits. Started by a host, the plugin exits when its host
// dies, even in the middle of a call that ignores its context (Unix: the
// parent process is watched).
//
// Serve sets the process's garbage collection to [ProverGCPercent] (TuneGC) unless
// the environment sets GOGC.
func Serve(impl Backend) {
	TuneGC()
	pluginv1.Serve(goplugin.PluginSet{PluginName: &Plugin{Impl: impl}})
}

// ProverGCPercent is the garbage collector's target (GOGC) for a process that proves.
// A prover's heap is a few large pointer-free buffers (trace, LDE, trees), so marking
// costs little and the default GOGC of 100 mostly lets dead buffers pile up: the peak
// resident memory of a 990k-cycle proof is 3.6 GB at 100, 2.75 GB at 25 and 2.63 GB at
// 10, with no measurable change in time (docs/bench.md, "Memory").
const ProverGCPercent = 25

// TuneGC sets the garbage collector's target to ProverGCPercent, unless the environment
// sets GOGC (whose value then stands), and returns the target in effect.
func TuneGC() int {
	if v, ok := os.LookupEnv("GOGC"); ok && v != "" {
		old := debug.SetGCPercent(100)
		debug.SetGCPercent(old)
		return old
	}
	debug.SetGCPercent(ProverGCPercent)
	return ProverGCPercent
}

// Plugin is the go-plugin glue: in a plugin process it serves Impl over
// gRPC; in the host it makes a [Client]. The host uses it in
// goplugin.ClientConfig.Plugins under [PluginName].
type Plugin struct {
	goplugin.NetRPCUnsupportedPlugin
	Impl Backend // served; nil on the host side
}

// GRPCServer registers Impl on s.
func (p *Plugin) GRPCServer(_ *goplugin.GRPCBroker, s *grpc.Server) error {
	if p.Impl == nil {
		return fmt.Errorf("backend.Plugin: Impl is nil")
	}
	pluginv1.RegisterBackendServer(s, &server{impl: p.Impl})
	return nil
}

// GRPCClient returns a *Client on c.
func (p *Plugin) GRPCClient(_ context.Context, _ *goplugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return NewClient(c), nil
}

// server adapts a Backend to the generated gRPC service.
type server struct {
	pluginv1.UnimplementedBackendServer
	impl Backend
}

func (s *server) Describe(ctx context.Context, _ *pluginv1.DescribeBackend_Request) (resp *pluginv1.DescribeBackend_Response, err error) {
	defer pluginv1.Recover("Describe", &err)
	d, err := s.impl.Describe(ctx, DescribeRequest{})
	if err != nil {
		return nil, pluginv1.ToStatus(err)
	}
	if d == nil {
		return nil, status.Error(codes.Internal, "Describe returned neither a description nor an error")
	}
	resp = &pluginv1.DescribeBackend_Response{Plugin: &pluginv1.PluginInfo{
		Name:          d.Name,
		Version:       d.Version,
		ProtocolMajor: ProtocolMajor,
		ProtocolMinor: ProtocolMinor,
	}}
	for _, dev := range d.Devices {
		resp.Devices = append(resp.Devices, &pluginv1.Device{
			Name:        dev.Name,
			Kind:        dev.Kind,
			Available:   dev.Available,
			Reason:      dev.Reason,
			Kernels:     dev.Kernels,
			MemoryBytes: dev.MemoryBytes,
		})
	}
	return resp, nil
}

func (s *server) BenchKernels(ctx context.Context, req *pluginv1.BenchKernels_Request) (resp *pluginv1.BenchKernels_Response, err error) {
	defer pluginv1.Recover("BenchKernels", &err)
	br := BenchRequest{
		Columns:     int(req.GetColumns()),
		Repetitions: int(req.GetRepetitions()),
		Device:      req.GetDevice(),
	}
	for _, l := range req.GetLogSizes() {
		br.LogSizes = append(br.LogSizes, int(l))
	}
	rows, err := s.impl.BenchKernels(ctx, br)
	if err != nil {
		return nil, pluginv1.ToStatus(err)
	}
	resp = &pluginv1.BenchKernels_Response{}
	for _, r := range rows {
		if r.LogSize < 0 || r.LogSize > 64 {
			return nil, status.Errorf(codes.Internal, "BenchKernels returned a row with log size %d", r.LogSize)
		}
		resp.Rows = append(resp.Rows, &pluginv1.BenchKernels_Row{
			Kernel:     r.Kernel,
			LogSize:    uint32(r.LogSize),
			Seconds:    r.Seconds,
			Throughput: r.Throughput,
			Unit:       r.Unit,
			Device:     r.Device,
		})
	}
	return resp, nil
}

func (s *server) ProveSegment(stream pluginv1.Backend_ProveSegmentServer) (err error) {
	defer pluginv1.Recover("ProveSegment", &err)
	first, err := stream.Recv()
	if err != nil {
		return err
	}
	h := first.GetHeader()
	if h == nil {
		return status.Error(codes.InvalidArgument, "ProveSegment: the first message must be the header")
	}
	var sendMu sync.Mutex // Progress may be called from several goroutines
	send := func(r *pluginv1.ProveSegment_Response) error {
		sendMu.Lock()
		defer sendMu.Unlock()
		return stream.Send(r)
	}
	records := &recordReader{stream: stream, check: pluginv1.ChunkChecker{What: "record"}}
	p := h.GetParams()
	hs, err := hash.ParseScheme(p.GetHash())
	if err != nil {
		return status.Errorf(codes.InvalidArgument, "ProveSegment: engine parameters: %v", err)
	}
	proof, err := s.impl.ProveSegment(stream.Context(), ProveRequest{
		Params: Params{
			Params: fri.Params{
				LogBlowup:         int(p.GetLogBlowup()),
				NumQueries:        int(p.GetNumQueries()),
				GrindingBits:      int(p.GetGrindingBits()),
				LogArity:          int(p.GetFriLogArity()),
				LogFinalPolyLen:   int(p.GetLogFinalPolyLen()),
				ZK:                p.GetZk(),
				LogUpGrindingBits: int(p.GetLogupGrindingBits()),
				DEEPGrindingBits:  int(p.GetDeepGrindingBits()),
				ExtDegree:         int(p.GetExtDegree()),
				Hash:              hs,
			},
			Workers: int(p.GetWorkers()),
		},
		Program:      h.GetProgram(),
		SegmentIndex: h.GetSegmentIndex(),
		Boundary:     h.GetBoundary(),
		Device:       h.GetDevice(),
		Records:      records,
		Progress: func(pr Progress) {
			// Progress is advisory: a failed send shows up again, and is
			// reported, when the proof is sent.
			_ = send(&pluginv1.ProveSegment_Response{Event: &pluginv1.ProveSegment_Response_Progress{
				Progress: &pluginv1.ProveSegment_Progress{Phase: pr.Phase, Fraction: pr.Fraction},
			}})
		},
	})
	if records.err != nil && !errors.Is(records.err, io.EOF) {
		// The stream itself was broken; that explains whatever the
		// implementation made of it.
		return pluginv1.ToStatus(records.err)
	}
	if err != nil {
		return pluginv1.ToStatus(err)
	}
	if proof == nil {
		return status.Error(codes.Internal, "ProveSegment returned neither a proof nor an error")
	}
	if records.err == nil {
		return status.Errorf(codes.Internal, "ProveSegment returned a proof after reading %d of the segment's record bytes, before their end", records.check.Bytes())
	}
	w := pluginv1.ChunkWriter{Emit: func(seq uint64, data []byte) error {
		return send(&pluginv1.ProveSegment_Response{Event: &pluginv1.ProveSegment_Response_Proof{
			Proof: &pluginv1.ProveSegment_ProofChunk{Sequence: seq, Data: data},
		}})
	}}
	if _, err := w.Write(proof.Data); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return send(&pluginv1.ProveSegment_Response{Event: &pluginv1.ProveSegment_Response_Final{
		Final: &pluginv1.ProveSegment_Final{ProofSize: uint64(len(proof.Data)), PhaseSeconds: proof.PhaseSeconds},
	}})
}

// recordReader reads the record chunks of a ProveSegment stream up to its
// end marker, checking order, sizes and the end marker's counts. Its error
// sticks: io.EOF after a complete stream, a protocol error otherwise.
type recordReader struct {
	stream pluginv1.Backend_ProveSegmentServer
	check  pluginv1.ChunkChecker
	buf    []byte
	err    error
}

func (r *recordReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		r.buf, r.err = r.next()
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

func (r *recordReader) next() ([]byte, error) {
	msg, err := r.stream.Recv()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: the record stream ended after %d chunks without an end marker", ErrProtocol, r.check.Chunks())
	}
	if err != nil {
		return nil, err
	}
	switch ev := msg.GetEvent().(type) {
	case *pluginv1.ProveSegment_Request_Records:
		data := ev.Records.GetData()
		if err := r.check.Check(ev.Records.GetSequence(), data); err != nil {
			return nil, err
		}
		return data, nil
	case *pluginv1.ProveSegment_Request_End:
		if ev.End.GetChunks() != r.check.Chunks() || ev.End.GetBytes() != r.check.Bytes() {
			return nil, fmt.Errorf("%w: end marker announces %d chunks of %d bytes, %d chunks of %d bytes arrived",
				ErrProtocol, ev.End.GetChunks(), ev.End.GetBytes(), r.check.Chunks(), r.check.Bytes())
		}
		return nil, io.EOF
	case *pluginv1.ProveSegment_Request_Header:
		return nil, fmt.Errorf("%w: a second header after %d record chunks", ErrProtocol, r.check.Chunks())
	default:
		return nil, fmt.Errorf("%w: empty message in the record stream after %d chunks", ErrProtocol, r.check.Chunks())
	}
}
