package plugin

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/go-hclog"

	"github.com/oneiros-zk/oneiros/host/plugin/plugintest"
	"github.com/oneiros-zk/oneiros/sdk/backend"
	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

// discard is a TraceWriter that drops the trace.
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
func (discard) Progress(uint64) error       { return nil }

func benchLaunch(b *testing.B, name string) *Plugin {
	b.Helper()
	bin, err := BinaryAt(plugintest.Path(b, name))
	if err != nil {
		b.Fatal(err)
	}
	p, err := Launch(context.Background(), bin, Options{Logger: hclog.NewNullLogger()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { p.Close() })
	return p
}

// BenchmarkTransport streams trace bytes from a real frontend process to
// the host (dir=trace: Execute) and record bytes from the host to a real
// backend process (dir=records: ProveSegment), through go-plugin's gRPC
// connection with AutoMTLS, and reports the rate. The plugins do no work
// beyond producing (a memcpy) or consuming (CRC-32C) the bytes, so the rate
// is the transport's. Compare it with proving throughput: the transport
// must stay under 5 % of proving time (DESIGN.md §1).
func BenchmarkTransport(b *testing.B) {
	ctx := context.Background()
	for _, mib := range []int{1, 64} {
		size := mib << 20
		b.Run(fmt.Sprintf("dir=trace/size=%dMiB", mib), func(b *testing.B) {
			p := benchLaunch(b, "oneiros-frontend-minimal")
			prog, err := p.Frontend.Load(ctx, frontend.LoadRequest{Source: fmt.Appendf(nil, "TOY\nemit %d\n", size)})
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(size))
			for b.Loop() {
				if _, err := p.Frontend.Execute(ctx, frontend.ExecuteRequest{Handle: prog.Handle}, discard{}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("dir=records/size=%dMiB", mib), func(b *testing.B) {
			p := benchLaunch(b, "oneiros-backend-minimal")
			records := make([]byte, size)
			r := bytes.NewReader(records)
			b.SetBytes(int64(size))
			for b.Loop() {
				r.Reset(records)
				if _, err := p.Backend.ProveSegment(ctx, backend.ProveRequest{Program: []byte("TOYN"), Records: r}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
