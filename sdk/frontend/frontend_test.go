package frontend

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"

	"github.com/oneiros-zk/oneiros/sdk/internal/pluginv1"
)

// fake is a Frontend whose behaviour the tests set field by field.
type fake struct {
	UnimplementedFrontend
	trace     []byte // written in uneven pieces by Execute
	writeSize int
	panicLoad bool
	nilResult bool
}

func (f *fake) Describe(context.Context, DescribeRequest) (*Description, error) {
	return &Description{Name: "fake", Version: "0.0.1", ProtocolMajor: 99, ISA: "fake", Extensions: []string{".fake"},
		Examples: []Example{{Name: "e", Source: []byte("src"), ExpectedOutput: []byte("out")}}}, nil
}

func (f *fake) Load(_ context.Context, req LoadRequest) (*Program, error) {
	if f.panicLoad {
		var m map[string]int
		m["boom"]++ // a nil map write: a bug in the plugin
	}
	if !bytes.HasPrefix(req.Source, []byte("FAKE")) {
		return nil, fmt.Errorf("%w: %s is not a fake program (bad magic)", ErrInvalidInput, req.FileName)
	}
	return &Program{Handle: []byte("h1"), ProgramID: []byte("id"), Info: ProgramInfo{InstructionCount: 7}}, nil
}

func (f *fake) Execute(ctx context.Context, req ExecuteRequest, w TraceWriter) (*Result, error) {
	if string(req.Handle) != "h1" {
		return nil, fmt.Errorf("%w: unknown handle %q", ErrInvalidInput, req.Handle)
	}
	for p, i := f.trace, 0; len(p) > 0; i++ {
		k := min(len(p), f.writeSize)
		if _, err := w.Write(p[:k]); err != nil {
			return nil, err
		}
		p = p[k:]
		if err := w.Progress(uint64(i)); err != nil {
			return nil, err
		}
	}
	if f.nilResult {
		return nil, nil
	}
	return &Result{Status: StatusHalted, PublicOutput: req.Input, TotalCycles: 42}, nil
}

// connect serves impl in-process over go-plugin's test connection.
func connect(t *testing.T, impl Frontend) *Client {
	return pluginv1.DispenseInProcess(t, PluginName, &Plugin{Impl: impl}).(*Client)
}

// collector is a host-side TraceWriter.
type collector struct {
	bytes.Buffer
	progress []uint64
	failAt   int // fail the Write after this many bytes; 0: never
}

func (c *collector) Write(p []byte) (int, error) {
	if c.failAt > 0 && c.Len()+len(p) > c.failAt {
		return 0, errors.New("host disk full")
	}
	return c.Buffer.Write(p)
}

func (c *collector) Progress(n uint64) error { c.progress = append(c.progress, n); return nil }

func TestRoundTrip(t *testing.T) {
	trace := bytes.Repeat([]byte("record!!"), (3*MaxChunkSize+12345)/8)
	c := connect(t, &fake{trace: trace, writeSize: 100_003})
	ctx := context.Background()

	d, err := c.Describe(ctx, DescribeRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "fake" || d.ProtocolMajor != ProtocolMajor || d.ProtocolMinor != ProtocolMinor || len(d.Examples) != 1 || string(d.Examples[0].ExpectedOutput) != "out" {
		t.Errorf("Describe = %+v; the SDK must fill in the protocol version", d)
	}
	p, err := c.Load(ctx, LoadRequest{Source: []byte("FAKE program"), FileName: "p.fake"})
	if err != nil || string(p.Handle) != "h1" || p.Info.InstructionCount != 7 {
		t.Fatalf("Load = %+v, %v", p, err)
	}
	var got collector
	res, err := c.Execute(ctx, ExecuteRequest{Handle: p.Handle, Input: []byte("in")}, &got)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), trace) {
		t.Errorf("trace: got %d bytes, want %d, or they differ", got.Len(), len(trace))
	}
	if len(got.progress) == 0 {
		t.Errorf("no progress reports arrived")
	}
	if res.Status != StatusHalted || string(res.PublicOutput) != "in" || res.TotalCycles != 42 {
		t.Errorf("result = %+v", res)
	}
}

func TestErrors(t *testing.T) {
	ctx := context.Background()
	c := connect(t, &fake{})
	_, err := c.Load(ctx, LoadRequest{Source: []byte("garbage"), FileName: "g.fake"})
	if !errors.Is(err, ErrInvalidInput) || err.Error() != "invalid input: g.fake is not a fake program (bad magic)" {
		t.Errorf("Load(garbage) = %v; want ErrInvalidInput with the plugin's own text", err)
	}
	_, err = c.Execute(ctx, ExecuteRequest{Handle: []byte("nope")}, &collector{})
	if !errors.Is(err, ErrInvalidInput) || !strings.Contains(err.Error(), `unknown handle "nope"`) {
		t.Errorf("Execute(bad handle) = %v", err)
	}

	c = connect(t, &struct{ UnimplementedFrontend }{})
	if _, err := c.Describe(ctx, DescribeRequest{}); !errors.Is(err, ErrUnimplemented) {
		t.Errorf("Describe on an empty plugin = %v, want ErrUnimplemented", err)
	}

	c = connect(t, &fake{panicLoad: true})
	if _, err := c.Load(ctx, LoadRequest{Source: []byte("FAKE")}); err == nil || !strings.Contains(err.Error(), "plugin panicked in Load: assignment to entry in nil map") {
		t.Errorf("Load that panics = %v", err)
	}
	if _, err := c.Describe(ctx, DescribeRequest{}); err != nil {
		t.Errorf("the plugin must survive a panic in one call: %v", err)
	}

	c = connect(t, &fake{nilResult: true})
	if _, err := c.Execute(ctx, ExecuteRequest{Handle: []byte("h1")}, &collector{}); err == nil || !strings.Contains(err.Error(), "Execute returned neither a result nor an error") {
		t.Errorf("Execute returning nil, nil = %v", err)
	}
}

func TestHostWriterErrorCancels(t *testing.T) {
	c := connect(t, &fake{trace: make([]byte, 8*MaxChunkSize), writeSize: MaxChunkSize})
	_, err := c.Execute(context.Background(), ExecuteRequest{Handle: []byte("h1")}, &collector{failAt: 2 * MaxChunkSize})
	if err == nil || err.Error() != "host disk full" {
		t.Errorf("Execute = %v, want the host writer's error as is", err)
	}
}

// rawServer sends a scripted Execute stream, as a broken plugin would.
type rawServer struct {
	pluginv1.UnimplementedFrontendServer
	script []*pluginv1.Execute_Response
}

func (s *rawServer) Execute(_ *pluginv1.Execute_Request, stream pluginv1.Frontend_ExecuteServer) error {
	for _, m := range s.script {
		if err := stream.Send(m); err != nil {
			return err
		}
	}
	return nil
}

func chunk(seq uint64, n int) *pluginv1.Execute_Response {
	return &pluginv1.Execute_Response{Event: &pluginv1.Execute_Response_Chunk{Chunk: &pluginv1.Execute_TraceChunk{Sequence: seq, Data: make([]byte, n)}}}
}

func result(status pluginv1.ExitStatus, out string, cycles uint64) *pluginv1.Execute_Response {
	return &pluginv1.Execute_Response{Event: &pluginv1.Execute_Response_Result{Result: &pluginv1.Execute_Result{Status: status, PublicOutput: []byte(out), TotalCycles: cycles}}}
}

func progress(n uint64) *pluginv1.Execute_Response {
	return &pluginv1.Execute_Response{Event: &pluginv1.Execute_Response_Progress{Progress: &pluginv1.Execute_Progress{Cycles: n}}}
}

func TestClientRejectsMalformedStreams(t *testing.T) {
	halted := pluginv1.ExitStatus_EXIT_STATUS_HALTED
	tests := []struct {
		name   string
		script []*pluginv1.Execute_Response
		limits Limits
		want   string
	}{
		{"oversized chunk", []*pluginv1.Execute_Response{chunk(0, MaxChunkSize+1)}, Limits{}, "trace chunk 0 is 1048577 bytes, more than the 1048576-byte limit"},
		{"out of order", []*pluginv1.Execute_Response{chunk(0, 8), chunk(2, 8)}, Limits{}, "trace chunk has sequence number 2 where 1 was due"},
		{"empty chunk", []*pluginv1.Execute_Response{chunk(0, 0)}, Limits{}, "trace chunk 0 is empty"},
		{"no result", []*pluginv1.Execute_Response{chunk(0, 8)}, Limits{}, "trace stream ended after 1 chunks without a final result"},
		{"after result", []*pluginv1.Execute_Response{result(halted, "", 1), chunk(0, 8)}, Limits{}, "a message followed the final result"},
		{"no status", []*pluginv1.Execute_Response{result(0, "", 1)}, Limits{}, "final result has exit status 0"},
		{"empty message", []*pluginv1.Execute_Response{{}}, Limits{}, "empty message in the trace stream"},
		{"progress back", []*pluginv1.Execute_Response{progress(5), progress(4)}, Limits{}, "progress went back from 5 to 4 cycles"},
		{"output limit", []*pluginv1.Execute_Response{result(halted, "12345", 1)}, Limits{MaxOutputBytes: 4}, "public output of 5 bytes exceeds max_output_bytes 4"},
		{"cycle limit", []*pluginv1.Execute_Response{result(halted, "", 11)}, Limits{MaxCycles: 10}, "run took 11 cycles, more than max_cycles 10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, srv := goplugin.TestGRPCConn(t, func(s *grpc.Server) {
				pluginv1.RegisterFrontendServer(s, &rawServer{script: tt.script})
			})
			defer srv.Stop()
			defer conn.Close()
			_, err := NewClient(conn).Execute(context.Background(), ExecuteRequest{Limits: tt.limits}, &collector{})
			if !errors.Is(err, ErrProtocol) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want ErrProtocol with %q", err, tt.want)
			}
		})
	}
}
