package backend

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"sync"

	"google.golang.org/grpc"

	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/sdk/internal/pluginv1"
)

// Client calls a backend plugin over gRPC; it implements [Backend]. It
// checks what the plugin sends (chunk sizes and order, proof size, a single
// final message) and reports breaches as errors wrapping ErrProtocol. It
// does not manage the plugin's process: the host's plugin manager does
// (host/plugin).
type Client struct {
	UnimplementedBackend
	rpc pluginv1.BackendClient
}

// NewClient returns a Client on an established connection, as go-plugin's
// Dispense does through [Plugin].
func NewClient(conn grpc.ClientConnInterface) *Client {
	return &Client{rpc: pluginv1.NewBackendClient(conn)}
}

// Describe implements Backend.
func (c *Client) Describe(ctx context.Context, _ DescribeRequest) (*Description, error) {
	resp, err := c.rpc.Describe(ctx, &pluginv1.DescribeBackend_Request{}, pluginv1.CallOptions()...)
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
	}
	for _, dev := range resp.GetDevices() {
		d.Devices = append(d.Devices, Device{
			Name:        dev.GetName(),
			Kind:        dev.GetKind(),
			Available:   dev.GetAvailable(),
			Reason:      dev.GetReason(),
			Kernels:     dev.GetKernels(),
			MemoryBytes: dev.GetMemoryBytes(),
		})
	}
	return d, nil
}

// BenchKernels implements Backend.
func (c *Client) BenchKernels(ctx context.Context, req BenchRequest) ([]BenchRow, error) {
	pr := &pluginv1.BenchKernels_Request{Device: req.Device}
	var err error
	for _, l := range req.LogSizes {
		v, e := toUint32("log size", l)
		err = errors.Join(err, e)
		pr.LogSizes = append(pr.LogSizes, v)
	}
	var e1, e2 error
	pr.Columns, e1 = toUint32("columns", req.Columns)
	pr.Repetitions, e2 = toUint32("repetitions", req.Repetitions)
	if err := errors.Join(err, e1, e2); err != nil {
		return nil, err
	}
	resp, err := c.rpc.BenchKernels(ctx, pr, pluginv1.CallOptions()...)
	if err != nil {
		return nil, pluginv1.FromStatus(err)
	}
	rows := make([]BenchRow, 0, len(resp.GetRows()))
	for _, r := range resp.GetRows() {
		rows = append(rows, BenchRow{
			Kernel:     r.GetKernel(),
			LogSize:    int(r.GetLogSize()),
			Seconds:    r.GetSeconds(),
			Throughput: r.GetThroughput(),
			Unit:       r.GetUnit(),
			Device:     r.GetDevice(),
		})
	}
	return rows, nil
}

// ProveSegment implements Backend: it sends the header, then req.Records in
// chunks from another goroutine while it receives progress (handed to
// req.Progress when set) and the proof. It returns once both directions are
// done. An error reading req.Records cancels the call and is returned as is.
func (c *Client) ProveSegment(ctx context.Context, req ProveRequest) (*Proof, error) {
	params, err := paramsToProto(req.Params)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := c.rpc.ProveSegment(ctx, pluginv1.CallOptions()...)
	if err != nil {
		return nil, pluginv1.FromStatus(err)
	}
	header := &pluginv1.ProveSegment_Request{Event: &pluginv1.ProveSegment_Request_Header{Header: &pluginv1.ProveSegment_Header{
		Params:       params,
		Program:      req.Program,
		SegmentIndex: req.SegmentIndex,
		Boundary:     req.Boundary,
		Device:       req.Device,
	}}}

	// The sender's error, if it failed on its own side (reading Records).
	// A failed Send means the stream is over; Recv reports why.
	var sendErr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if stream.Send(header) != nil {
			return
		}
		var sendFailed bool
		records := req.Records
		if records == nil {
			records = eofReader{}
		}
		chunks, n, err := pluginv1.SendAll(records, func(seq uint64, data []byte) error {
			err := stream.Send(&pluginv1.ProveSegment_Request{Event: &pluginv1.ProveSegment_Request_Records{
				Records: &pluginv1.ProveSegment_RecordChunk{Sequence: seq, Data: data},
			}})
			sendFailed = err != nil
			return err
		})
		if sendFailed {
			return
		}
		if err != nil {
			sendErr = fmt.Errorf("reading records: %w", err)
			cancel()
			return
		}
		if stream.Send(&pluginv1.ProveSegment_Request{Event: &pluginv1.ProveSegment_Request_End{
			End: &pluginv1.ProveSegment_End{Chunks: chunks, Bytes: n},
		}}) == nil {
			_ = stream.CloseSend()
		}
	}()
	proof, err := receiveProof(stream, req.Progress)
	if err != nil {
		cancel()
	}
	wg.Wait()
	if sendErr != nil {
		return nil, sendErr
	}
	return proof, err
}

func receiveProof(stream pluginv1.Backend_ProveSegmentClient, progress func(Progress)) (*Proof, error) {
	chunks := pluginv1.ChunkChecker{What: "proof"}
	var data []byte
	for {
		msg, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%w: proof stream ended after %d chunks without a final message", ErrProtocol, chunks.Chunks())
		}
		if err != nil {
			return nil, pluginv1.FromStatus(err)
		}
		switch ev := msg.GetEvent().(type) {
		case *pluginv1.ProveSegment_Response_Progress:
			if progress != nil {
				progress(Progress{Phase: ev.Progress.GetPhase(), Fraction: ev.Progress.GetFraction()})
			}
		case *pluginv1.ProveSegment_Response_Proof:
			if err := chunks.Check(ev.Proof.GetSequence(), ev.Proof.GetData()); err != nil {
				return nil, err
			}
			data = append(data, ev.Proof.GetData()...)
		case *pluginv1.ProveSegment_Response_Final:
			if size := ev.Final.GetProofSize(); size != uint64(len(data)) {
				return nil, fmt.Errorf("%w: final message announces a %d-byte proof, %d bytes arrived", ErrProtocol, size, len(data))
			}
			switch _, err := stream.Recv(); {
			case err == nil:
				return nil, fmt.Errorf("%w: a message followed the final message", ErrProtocol)
			case !errors.Is(err, io.EOF):
				return nil, pluginv1.FromStatus(err)
			}
			return &Proof{Data: data, PhaseSeconds: ev.Final.GetPhaseSeconds()}, nil
		default:
			return nil, fmt.Errorf("%w: empty message in the proof stream after %d chunks", ErrProtocol, chunks.Chunks())
		}
	}
}

func paramsToProto(p Params) (*pluginv1.EngineParams, error) {
	var errs [9]error
	out := &pluginv1.EngineParams{}
	out.LogBlowup, errs[0] = toUint32("log_blowup", p.LogBlowup)
	out.NumQueries, errs[1] = toUint32("num_queries", p.NumQueries)
	out.GrindingBits, errs[2] = toUint32("grinding_bits", p.GrindingBits)
	out.FriLogArity, errs[3] = toUint32("fri_log_arity", p.LogArity)
	out.LogFinalPolyLen, errs[4] = toUint32("log_final_poly_len", p.LogFinalPolyLen)
	out.Workers, errs[5] = toUint32("workers", p.Workers)
	out.Zk = p.ZK
	out.LogupGrindingBits, errs[6] = toUint32("logup_grinding_bits", p.LogUpGrindingBits)
	out.DeepGrindingBits, errs[7] = toUint32("deep_grinding_bits", p.DEEPGrindingBits)
	out.ExtDegree, errs[8] = toUint32("ext_degree", p.ExtDegree)
	if p.Hash != hash.Narrow { // the default travels as the empty string, as before 1.3
		out.Hash = p.Hash.String()
	}
	return out, errors.Join(errs[:]...)
}

func toUint32(name string, v int) (uint32, error) {
	if v < 0 || v > math.MaxUint32 {
		return 0, fmt.Errorf("%w: %s = %d is out of range", ErrInvalidInput, name, v)
	}
	return uint32(v), nil
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }
