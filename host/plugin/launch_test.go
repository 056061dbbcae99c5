package plugin

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"

	"github.com/oneiros-zk/oneiros/host/plugin/plugintest"
	"github.com/oneiros-zk/oneiros/sdk/backend"
	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

func TestMain(m *testing.M) {
	if path := os.Getenv(helperHostEnv); path != "" {
		helperHost(path)
	}
	code := m.Run()
	plugintest.Cleanup()
	os.Exit(code)
}

// testOptions log to t and use short timeouts.
func testOptions(t *testing.T) Options {
	return Options{
		StartTimeout: 20 * time.Second,
		CallTimeout:  20 * time.Second,
		Logger:       hclog.New(&hclog.LoggerOptions{Name: "test", Level: hclog.Warn, Output: testLog{t}}),
	}
}

type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func launch(t *testing.T, name string, opts Options) (*Plugin, error) {
	t.Helper()
	b, err := BinaryAt(plugintest.Path(t, name))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Launch(context.Background(), b, opts)
	if err == nil {
		t.Cleanup(func() { p.Close() })
	}
	return p, err
}

// wantErr checks err is an *Error wrapping sentinel whose text is want.
func wantErr(t *testing.T, err, sentinel error, want string) {
	t.Helper()
	var pe *Error
	if !errors.As(err, &pe) || !errors.Is(err, sentinel) {
		t.Fatalf("err = %v (%T), want an *Error wrapping %q", err, err, sentinel)
	}
	if got := err.Error(); got != want {
		t.Errorf("error text\n got: %s\nwant: %s", got, want)
	}
}

type collect struct{ bytes.Buffer }

func (*collect) Progress(uint64) error { return nil }

func TestMinimalFrontend(t *testing.T) {
	p, err := launch(t, "oneiros-frontend-minimal", testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	if p.Kind != KindFrontend || p.Name != "minimal" || p.Backend != nil {
		t.Fatalf("plugin = %+v", p.Binary)
	}
	d := p.Frontend.Description
	if d.Name != "minimal" || d.ISA != "toy" || d.ProtocolMajor != ProtocolMajor || len(d.Examples) != 1 {
		t.Errorf("description = %+v", d)
	}
	ctx := context.Background()
	ex := d.Examples[0]
	prog, err := p.Frontend.Load(ctx, frontend.LoadRequest{Source: ex.Source, FileName: ex.FileName})
	if err != nil {
		t.Fatal(err)
	}
	var tr collect
	res, err := p.Frontend.Execute(ctx, frontend.ExecuteRequest{Handle: prog.Handle, Input: ex.Input}, &tr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(res.PublicOutput, ex.ExpectedOutput) || res.TotalCycles != 1001 || tr.Len() != 1001*16 {
		t.Errorf("result %+v with %d trace bytes", res, tr.Len())
	}

	_, err = p.Frontend.Load(ctx, frontend.LoadRequest{Source: []byte("nope"), FileName: "x.toy"})
	wantErr(t, err, frontend.ErrInvalidInput, "plugin oneiros-frontend-minimal: Load: invalid input: x.toy: the first line must be TOY")
	if _, err := p.Frontend.Describe(ctx, frontend.DescribeRequest{}); err != nil {
		t.Errorf("a refused program must not cost the plugin its life: %v", err)
	}

	p.Close()
	_, err = p.Frontend.Describe(ctx, frontend.DescribeRequest{})
	wantErr(t, err, ErrClosed, "plugin oneiros-frontend-minimal: Describe: plugin not running: closed")
}

func TestMinimalBackend(t *testing.T) {
	p, err := launch(t, "oneiros-backend-minimal", testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	d := p.Backend.Description
	if p.Kind != KindBackend || len(d.Devices) != 2 || d.Devices[1].Reason != "not compiled with CUDA support" {
		t.Fatalf("description = %+v", d)
	}
	ctx := context.Background()
	proof, err := p.Backend.ProveSegment(ctx, backend.ProveRequest{Program: []byte("TOYN"), Records: bytes.NewReader(make([]byte, 3<<20))})
	if err != nil || !bytes.HasPrefix(proof.Data, []byte("TOYPROOF")) {
		t.Fatalf("ProveSegment = %v, %v", proof, err)
	}
	rows, err := p.Backend.BenchKernels(ctx, backend.BenchRequest{LogSizes: []int{4, 6}, Columns: 1, Repetitions: 1})
	if err != nil || len(rows) != 2 {
		t.Fatalf("BenchKernels = %v, %v", rows, err)
	}
}

func TestCrashMidExecute(t *testing.T) {
	p, err := launch(t, "oneiros-frontend-crasher", testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var tr collect
	_, err = p.Frontend.Execute(ctx, frontend.ExecuteRequest{Handle: []byte("h")}, &tr)
	wantErr(t, err, ErrCrashed, "plugin oneiros-frontend-crasher: Execute: plugin process died (exit status 2): panic: simulated crash in Execute")
	if !errors.Is(err, frontend.ErrUnavailable) {
		t.Errorf("a crash must still match its cause, the SDK's ErrUnavailable")
	}
	_, err = p.Frontend.Describe(ctx, frontend.DescribeRequest{})
	wantErr(t, err, ErrClosed, "plugin oneiros-frontend-crasher: Describe: plugin not running: it died during Execute")
}

func TestHangingExecute(t *testing.T) {
	t.Parallel()
	opts := testOptions(t)
	opts.CallTimeout = 300 * time.Millisecond
	p, err := launch(t, "oneiros-frontend-hang", opts)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = p.Frontend.Execute(context.Background(), frontend.ExecuteRequest{Handle: []byte("h")}, &collect{})
	wantErr(t, err, ErrTimeout, "plugin oneiros-frontend-hang: Execute: timed out: no answer within 300ms (plugins.call_timeout); killed it")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a timeout must still match context.DeadlineExceeded")
	}
	if !p.proc.client.Exited() {
		t.Errorf("the hung plugin is still running")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("timing out took %v", d)
	}
}

func TestHangingStart(t *testing.T) {
	t.Parallel()
	opts := testOptions(t)
	opts.StartTimeout = 300 * time.Millisecond
	_, err := launch(t, "oneiros-frontend-hang-start", opts)
	wantErr(t, err, ErrTimeout, "plugin oneiros-frontend-hang-start: launch: not a OneirOS plugin: no go-plugin handshake within 300ms (plugins.start_timeout); killed it")
	if !errors.Is(err, ErrNotPlugin) {
		t.Errorf("a plugin that does not start in time must read as not a plugin")
	}

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	b, _ := BinaryAt(plugintest.Path(t, "oneiros-frontend-hang-start"))
	_, err = Launch(ctx, b, testOptions(t))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Launch with an expiring ctx = %v, want the ctx's error", err)
	}
}

// TestForkingScript: a plugin that is a script starting a child without exec
// (the child holds the pipes go-plugin reads) is reported as not a plugin
// within the start timeout, and neither the script nor its child survives.
func TestForkingScript(t *testing.T) {
	tests := map[string]string{
		"oneiros-frontend-fork": "plugin oneiros-frontend-fork: launch: not a OneirOS plugin: no go-plugin handshake within 500ms (plugins.start_timeout); killed it",
		"oneiros-frontend-fork-exit": "plugin oneiros-frontend-fork-exit: launch: not a OneirOS plugin: it exited without printing a go-plugin handshake (exit status 3): " +
			"forker: started a child that never answers",
	}
	for name, want := range tests {
		t.Run(name, func(t *testing.T) {
			mark := plugintest.Mark(t)
			opts := testOptions(t)
			opts.StartTimeout = 500 * time.Millisecond
			plugintest.Path(t, name) // built before the clock starts
			start := time.Now()
			_, err := launch(t, name, opts)
			wantErr(t, err, ErrNotPlugin, want)
			if d := time.Since(start); d > opts.StartTimeout+2*time.Second {
				t.Errorf("reporting it took %v", d)
			}
			plugintest.NoneLeft(t, mark, 2*time.Second)
		})
	}
}

// TestForkingScriptEscaped: a child that left the plugin's process group
// (setsid) is out of the host's reach, but the host must not wait for the
// pipes it holds either.
func TestForkingScriptEscaped(t *testing.T) {
	if _, err := exec.LookPath("setsid"); err != nil {
		t.Skip("no setsid")
	}
	const name = "oneiros-frontend-fork-escape"
	mark := plugintest.Mark(t)
	plugintest.Path(t, name)
	start := time.Now()
	_, err := launch(t, name, testOptions(t))
	wantErr(t, err, ErrNotPlugin, "plugin "+name+": launch: not a OneirOS plugin: it exited without printing a go-plugin handshake (exit status 3): "+
		"forker: started a child that never answers")
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("reporting it took %v", d)
	}
	// The escaped child is the test's to clean up.
	for _, pid := range plugintest.Marked(mark) {
		if p, err := os.FindProcess(pid); err == nil {
			p.Kill()
		}
	}
	plugintest.NoneLeft(t, mark, 2*time.Second)
}

func TestMajor2(t *testing.T) {
	_, err := launch(t, "oneiros-frontend-major2", testOptions(t))
	wantErr(t, err, ErrIncompatible, "plugin oneiros-frontend-major2: launch: incompatible plugin protocol: the plugin speaks protocol 2, "+
		fmt.Sprintf("this host speaks protocol 1 (1.%d); the major versions must match: rebuild the plugin against an SDK of protocol 1, or use a host that speaks its version", ProtocolMinor))
}

func TestGarbageHandshake(t *testing.T) {
	_, err := launch(t, "oneiros-frontend-garbage", testOptions(t))
	wantErr(t, err, ErrNotPlugin, `plugin oneiros-frontend-garbage: launch: not a OneirOS plugin: the first line it printed was "Hello! I am not a plugin, whatever my name says.", not a go-plugin handshake`)
}

func TestMalformedStreams(t *testing.T) {
	tests := map[string]string{
		"oversize": "protocol violation: trace chunk 0 is 2097152 bytes, more than the 1048576-byte limit",
		"order":    "protocol violation: trace chunk has sequence number 2 where 1 was due",
		"noresult": "protocol violation: trace stream ended after 2 chunks without a final result",
		"notproto": "protocol violation: grpc: failed to unmarshal the received message: ",
	}
	for mode, want := range tests {
		t.Run(mode, func(t *testing.T) {
			p, err := launch(t, "oneiros-frontend-malformed-"+mode, testOptions(t))
			if err != nil {
				t.Fatal(err)
			}
			_, err = p.Frontend.Execute(context.Background(), frontend.ExecuteRequest{Handle: []byte("h")}, &collect{})
			prefix := "plugin oneiros-frontend-malformed-" + mode + ": Execute: malformed data from the plugin (killed it): " + want
			if !errors.Is(err, ErrMalformed) || !errors.Is(err, frontend.ErrProtocol) || !strings.HasPrefix(err.Error(), prefix) {
				t.Errorf("err = %v\nwant prefix %s", err, prefix)
			}
			if !p.proc.waitExit(2 * time.Second) {
				t.Errorf("the plugin was not killed")
			}
		})
	}
}

func TestSHA256Pinning(t *testing.T) {
	path := plugintest.Path(t, "oneiros-frontend-minimal")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(raw)
	actual := hex.EncodeToString(sum[:])

	opts := testOptions(t)
	opts.SHA256 = map[string]string{"oneiros-frontend-minimal": actual}
	if _, err := launch(t, "oneiros-frontend-minimal", opts); err != nil {
		t.Errorf("launch with the right pin: %v", err)
	}

	wrong := strings.Repeat("ab", 32)
	opts.SHA256 = map[string]string{"oneiros-frontend-minimal": wrong}
	_, err = launch(t, "oneiros-frontend-minimal", opts)
	wantErr(t, err, ErrChecksum, "plugin oneiros-frontend-minimal: launch: SHA-256 mismatch for "+path+": expected "+wrong+" (plugins.sha256), actual "+actual)

	opts.SHA256 = map[string]string{"oneiros-frontend-minimal": "1234"}
	_, err = launch(t, "oneiros-frontend-minimal", opts)
	if err == nil || err.Error() != `plugins.sha256[oneiros-frontend-minimal] = "1234" is not a SHA-256 digest (64 hex digits)` {
		t.Errorf("bad pin: %v", err)
	}
}

func TestWrongKind(t *testing.T) {
	dir := t.TempDir()
	imposter := filepath.Join(dir, "oneiros-frontend-imposter")
	if err := os.Link(plugintest.Path(t, "oneiros-backend-minimal"), imposter); err != nil {
		t.Fatal(err)
	}
	b, err := BinaryAt(imposter)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Launch(context.Background(), b, testOptions(t))
	wantErr(t, err, ErrNotPlugin, "plugin oneiros-frontend-imposter: launch: not a OneirOS plugin: it does not serve the frontend protocol "+
		"(unknown service oneiros.plugin.v1.Frontend)")
}

// panicky is a host-side TraceWriter with a bug.
type panicky struct{}

func (panicky) Write([]byte) (int, error) { panic("host bug") }
func (panicky) Progress(uint64) error     { return nil }

func TestHostPanicAtTheBoundary(t *testing.T) {
	p, err := launch(t, "oneiros-frontend-minimal", testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ex := p.Frontend.Description.Examples[0]
	prog, err := p.Frontend.Load(ctx, frontend.LoadRequest{Source: ex.Source})
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Frontend.Execute(ctx, frontend.ExecuteRequest{Handle: prog.Handle}, panicky{})
	if err == nil || err.Error() != "plugin oneiros-frontend-minimal: Execute: host panicked while handling the plugin's answer: host bug" {
		t.Errorf("err = %v", err)
	}
}

func TestCheckProtocol(t *testing.T) {
	tests := []struct {
		major, minor int
		want         string
	}{
		{1, 0, ""},
		{1, 7, ""}, // a newer minor is additive: accepted
		{2, 0, fmt.Sprintf("incompatible plugin protocol: the plugin reports protocol 2.0 in Describe, this host speaks 1.%d; the major versions must match", ProtocolMinor)},
		{0, 9, fmt.Sprintf("incompatible plugin protocol: the plugin reports protocol 0.9 in Describe, this host speaks 1.%d; the major versions must match", ProtocolMinor)},
	}
	for _, tt := range tests {
		err := checkProtocol(tt.major, tt.minor)
		if got := ""; err != nil {
			got = err.Error()
			if !errors.Is(err, ErrIncompatible) || got != tt.want {
				t.Errorf("checkProtocol(%d, %d) = %q, want %q", tt.major, tt.minor, got, tt.want)
			}
		} else if tt.want != "" {
			t.Errorf("checkProtocol(%d, %d) accepted, want %q", tt.major, tt.minor, tt.want)
		}
	}
}
