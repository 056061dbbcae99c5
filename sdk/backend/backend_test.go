package backend

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/sdk/internal/pluginv1"
)

// fake is a Backend whose "proof" is the SHA-256 of the records followed by
// proofPad bytes; it proves nothing.
type fake struct {
	UnimplementedBackend
	proofPad  int
	readLess  bool // return before the end of the records
	panicking bool
	params    Params // the last request's
}

func (f *fake) Describe(context.Context, DescribeRequest) (*Description, error) {
	return &Description{Name: "fake", Version: "0.0.1", ProtocolMinor: 77, Devices: []Device{
		{Name: "cpu", Kind: "cpu", Available: true, Kernels: []string{"sha256"}},
		{Name: "cuda:0", Kind: "cuda", Reason: "not compiled with CUDA support"},
	}}, nil
}

func (f *fake) ProveSegment(_ context.Context, req ProveRequest) (*Proof, error) {
	if f.panicking {
		panic("proving exploded")
	}
	f.params = req.Params
	if !bytes.Equal(req.Program, []byte("PROG")) {
		return nil, fmt.Errorf("%w: program is not a fake program", ErrInvalidInput)
	}
	h := sha256.New()
	if f.readLess {
		if _, err := io.CopyN(h, req.Records, 10); err != nil {
			return nil, err
		}
	} else if _, err := io.Copy(h, req.Records); err != nil {
		return nil, err
	}
	req.Progress(Progress{Phase: "commit", Fraction: 0.5})
	data := append(h.Sum(nil), make([]byte, f.proofPad)...)
	return &Proof{Data: data, PhaseSeconds: map[string]float64{"commit": 0.25}}, nil
}

func (f *fake) BenchKernels(_ context.Context, req BenchRequest) ([]BenchRow, error) {
	var rows []BenchRow
	for _, l := range req.LogSizes {
		rows = append(rows, BenchRow{Kernel: "sha256", LogSize: l, Seconds: 1, Throughput: 2, Unit: "B/s", Device: "cpu"})
	}
	return rows, nil
}

func connect(t *testing.T, impl Backend) *Client {
	return pluginv1.DispenseInProcess(t, PluginName, &Plugin{Impl: impl}).(*Client)
}

func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	f := &fake{proofPad: 2*MaxChunkSize + 5}
	c := connect(t, f)
	d, err := c.Describe(ctx, DescribeRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if d.ProtocolMajor != ProtocolMajor || d.ProtocolMinor != ProtocolMinor || len(d.Devices) != 2 || d.Devices[1].Reason != "not compiled with CUDA support" {
		t.Errorf("Describe = %+v", d)
	}
	rows, err := c.BenchKernels(ctx, BenchRequest{LogSizes: []int{4, 5}, Columns: 1, Repetitions: 1})
	if err != nil || len(rows) != 2 || rows[1].LogSize != 5 || rows[0].Unit != "B/s" {
		t.Errorf("BenchKernels = %+v, %v", rows, err)
	}

	records := bytes.Repeat([]byte{1, 2, 3}, (5*MaxChunkSize)/3+1)
	var mu sync.Mutex
	var phases []string
	proof, err := c.ProveSegment(ctx, ProveRequest{
		Params: Params{Params: fri.Params{LogBlowup: 1, NumQueries: 100, GrindingBits: 3, LogArity: 2, LogFinalPolyLen: 4, ZK: true,
			LogUpGrindingBits: 11, DEEPGrindingBits: 7, ExtDegree: 6, Hash: hash.Wide}, Workers: 5},
		Program: []byte("PROG"),
		Records: bytes.NewReader(records),
		Progress: func(p Progress) {
			mu.Lock()
			phases = append(phases, p.Phase)
			mu.Unlock()
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(records)
	if !bytes.Equal(proof.Data[:32], sum[:]) || len(proof.Data) != 32+2*MaxChunkSize+5 || proof.PhaseSeconds["commit"] != 0.25 {
		t.Errorf("proof: %d bytes, phases %v", len(proof.Data), proof.PhaseSeconds)
	}
	if len(phases) != 1 || phases[0] != "commit" {
		t.Errorf("progress = %v", phases)
	}
	if want := (Params{Params: fri.Params{LogBlowup: 1, NumQueries: 100, GrindingBits: 3, LogArity: 2, LogFinalPolyLen: 4, ZK: true,
		LogUpGrindingBits: 11, DEEPGrindingBits: 7, ExtDegree: 6, Hash: hash.Wide}, Workers: 5}); f.params != want {
		t.Errorf("the backend got %+v, want %+v", f.params, want)
	}
	if fp := EngineParams(f.params).FRI; !fp.ZK || fp.LogUpGrindingBits != 11 || fp.DEEPGrindingBits != 7 {
		t.Errorf("EngineParams drops ZK or the grinding bits: %+v", fp)
	}
}

func TestErrors(t *testing.T) {
	ctx := context.Background()
	c := connect(t, &fake{})
	_, err := c.ProveSegment(ctx, ProveRequest{Program: []byte("junk"), Records: bytes.NewReader(make([]byte, 3*MaxChunkSize))})
	if !errors.Is(err, ErrInvalidInput) || err.Error() != "invalid input: program is not a fake program" {
		t.Errorf("ProveSegment(junk) = %v", err)
	}
	if _, err := c.Describe(ctx, DescribeRequest{}); err != nil {
		t.Errorf("plugin gone after a refused proof: %v", err)
	}
	if _, err := c.ProveSegment(ctx, ProveRequest{Params: Params{Params: fri.Params{NumQueries: -1}}}); !errors.Is(err, ErrInvalidInput) || !strings.Contains(err.Error(), "num_queries = -1 is out of range") {
		t.Errorf("negative parameter = %v", err)
	}

	readErr := errors.New("segment file truncated")
	_, err = c.ProveSegment(ctx, ProveRequest{Program: []byte("PROG"), Records: io.MultiReader(bytes.NewReader(make([]byte, MaxChunkSize+1)), errReader{readErr})})
	if !errors.Is(err, readErr) || !strings.HasPrefix(err.Error(), "reading records: ") {
		t.Errorf("records reader failing = %v", err)
	}

	c = connect(t, &fake{readLess: true})
	if _, err := c.ProveSegment(ctx, ProveRequest{Program: []byte("PROG"), Records: bytes.NewReader(make([]byte, 100))}); err == nil || !strings.Contains(err.Error(), "ProveSegment returned a proof after reading 100 of the segment's record bytes, before their end") {
		t.Errorf("early proof = %v", err)
	}

	c = connect(t, &fake{panicking: true})
	if _, err := c.ProveSegment(ctx, ProveRequest{Program: []byte("PROG")}); err == nil || !strings.Contains(err.Error(), "plugin panicked in ProveSegment: proving exploded") {
		t.Errorf("panicking ProveSegment = %v", err)
	}
	if _, err := c.Describe(ctx, DescribeRequest{}); err != nil {
		t.Errorf("plugin gone after a panic: %v", err)
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// rawServer plays a broken plugin (script of responses) or checks what a
// broken client sends (the server side of the record stream).
type rawServer struct {
	pluginv1.UnimplementedBackendServer
	script []*pluginv1.ProveSegment_Response
}

func (s *rawServer) ProveSegment(stream pluginv1.Backend_ProveSegmentServer) error {
	for {
		m, err := stream.Recv()
		if err != nil {
			return err
		}
		if m.GetEnd() != nil {
			break
		}
	}
	for _, m := range s.script {
		if err := stream.Send(m); err != nil {
			return err
		}
	}
	return nil
}

func proofChunk(seq uint64, n int) *pluginv1.ProveSegment_Response {
	return &pluginv1.ProveSegment_Response{Event: &pluginv1.ProveSegment_Response_Proof{Proof: &pluginv1.ProveSegment_ProofChunk{Sequence: seq, Data: make([]byte, n)}}}
}

func final(size uint64) *pluginv1.ProveSegment_Response {
	return &pluginv1.ProveSegment_Response{Event: &pluginv1.ProveSegment_Response_Final{Final: &pluginv1.ProveSegment_Final{ProofSize: size}}}
}

func TestClientRejectsMalformedStreams(t *testing.T) {
	tests := []struct {
		name   string
		script []*pluginv1.ProveSegment_Response
		want   string
	}{
		{"oversized chunk", []*pluginv1.ProveSegment_Response{proofChunk(0, MaxChunkSize+1)}, "proof chunk 0 is 1048577 bytes"},
		{"out of order", []*pluginv1.ProveSegment_Response{proofChunk(1, 8)}, "proof chunk has sequence number 1 where 0 was due"},
		{"no final", []*pluginv1.ProveSegment_Response{proofChunk(0, 8)}, "proof stream ended after 1 chunks without a final message"},
		{"size mismatch", []*pluginv1.ProveSegment_Response{proofChunk(0, 8), final(9)}, "final message announces a 9-byte proof, 8 bytes arrived"},
		{"after final", []*pluginv1.ProveSegment_Response{final(0), final(0)}, "a message followed the final message"},
		{"empty message", []*pluginv1.ProveSegment_Response{{}}, "empty message in the proof stream"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, srv := goplugin.TestGRPCConn(t, func(s *grpc.Server) {
				pluginv1.RegisterBackendServer(s, &rawServer{script: tt.script})
			})
			defer srv.Stop()
			defer conn.Close()
			_, err := NewClient(conn).ProveSegment(context.Background(), ProveRequest{Records: bytes.NewReader(make([]byte, 10))})
			if !errors.Is(err, ErrProtocol) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want ErrProtocol with %q", err, tt.want)
			}
		})
	}
}

// TestServerRejectsMalformedRecords plays a broken host against the SDK's
// server side.
func TestServerRejectsMalformedRecords(t *testing.T) {
	header := &pluginv1.ProveSegment_Request{Event: &pluginv1.ProveSegment_Request_Header{Header: &pluginv1.ProveSegment_Header{Program: []byte("PROG")}}}
	rec := func(seq uint64, n int) *pluginv1.ProveSegment_Request {
		return &pluginv1.ProveSegment_Request{Event: &pluginv1.ProveSegment_Request_Records{Records: &pluginv1.ProveSegment_RecordChunk{Sequence: seq, Data: make([]byte, n)}}}
	}
	end := func(chunks, n uint64) *pluginv1.ProveSegment_Request {
		return &pluginv1.ProveSegment_Request{Event: &pluginv1.ProveSegment_Request_End{End: &pluginv1.ProveSegment_End{Chunks: chunks, Bytes: n}}}
	}
	tests := []struct {
		name   string
		script []*pluginv1.ProveSegment_Request
		want   string
	}{
		{"no header", []*pluginv1.ProveSegment_Request{rec(0, 4)}, "the first message must be the header"},
		{"out of order", []*pluginv1.ProveSegment_Request{header, rec(0, 4), rec(0, 4)}, "record chunk has sequence number 0 where 1 was due"},
		{"oversized", []*pluginv1.ProveSegment_Request{header, rec(0, MaxChunkSize+1)}, "record chunk 0 is 1048577 bytes"},
		{"truncated", []*pluginv1.ProveSegment_Request{header, rec(0, 4), rec(1, 4), end(3, 12)}, "end marker announces 3 chunks of 12 bytes, 2 chunks of 8 bytes arrived"},
		{"no end", []*pluginv1.ProveSegment_Request{header, rec(0, 4)}, "the record stream ended after 1 chunks without an end marker"},
		{"two headers", []*pluginv1.ProveSegment_Request{header, header}, "a second header after 0 record chunks"},
	}
	c := connect(t, &fake{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stream, err := c.rpc.ProveSegment(context.Background(), pluginv1.CallOptions()...)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range tt.script {
				if stream.Send(m) != nil {
					break
				}
			}
			_ = stream.CloseSend()
			_, err = receiveProof(stream, nil)
			if !errors.Is(err, ErrInvalidInput) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want ErrInvalidInput with %q", err, tt.want)
			}
		})
	}
}
