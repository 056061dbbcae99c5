package plugin

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"github.com/hashicorp/go-plugin/runner"

	"github.com/oneiros-zk/oneiros/sdk/backend"
	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

// The protocol this host speaks. The SDK's two packages share one protocol.
const (
	ProtocolMajor = frontend.ProtocolMajor
	ProtocolMinor = frontend.ProtocolMinor
)

// Plugin is a running plugin process. Exactly one of Frontend and Backend is
// set, after Kind. Close it when done; a plugin that crashed, hung or sent
// malformed data has already been killed, and its calls fail with ErrClosed.
type Plugin struct {
	Binary
	Frontend *Frontend
	Backend  *Backend

	proc *process
}

// Close stops the plugin's process: gracefully when it is healthy (go-plugin
// asks it to exit, then kills it after two seconds).
func (p *Plugin) Close() error {
	p.proc.close(fmt.Errorf("%w: closed", ErrClosed))
	return nil
}

// Launch starts the plugin binary b, completes the handshake, calls Describe
// and checks the protocol version (same major as the host; any minor). It
// returns an [*Error] wrapping ErrChecksum, ErrNotPlugin, ErrIncompatible,
// ErrTimeout or the cause, with a message meant for the user.
func Launch(ctx context.Context, b Binary, opts Options) (*Plugin, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*Plugin, error) {
		return nil, &Error{Plugin: b.File(), Path: b.Path, Op: "launch", Err: err}
	}
	if pin, ok := opts.SHA256[b.File()]; ok {
		if err := checkPin(b, pin); err != nil {
			return fail(err)
		}
	}
	pluginName := map[Kind]string{KindFrontend: frontend.PluginName, KindBackend: backend.PluginName}[b.Kind]
	if pluginName == "" {
		return fail(fmt.Errorf("%w: unknown kind %q", ErrNotPlugin, b.Kind))
	}

	// Cancelling procCtx kills the process group: os/exec does it without
	// racing go-plugin, which starts the command on its own goroutine.
	procCtx, procCancel := context.WithCancel(context.Background())
	p := &process{
		bin:         b,
		cmd:         exec.CommandContext(procCtx, b.Path),
		killProc:    procCancel,
		stderr:      &tail{max: 64 << 10},
		callTimeout: opts.CallTimeout,
		logger:      opts.Logger.Named(b.File()),
	}
	p.client = goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig: frontend.Handshake,
		Plugins: goplugin.PluginSet{
			frontend.PluginName: &frontend.Plugin{},
			backend.PluginName:  &backend.Plugin{},
		},
		// go-plugin runs the command through p's runner (process group,
		// pipes that cannot hang the host), with the environment it built.
		RunnerFunc: func(_ hclog.Logger, spec *exec.Cmd, _ string) (runner.Runner, error) {
			r, err := newRunner(p.cmd, spec.Env)
			p.runner = r
			return r, err
		},
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		AutoMTLS:         true,
		StartTimeout:     opts.StartTimeout,
		Stderr:           p.stderr,
		// go-plugin's own events and the plugin's stderr lines, at debug
		// level: a failure is reported once, as an error with the plugin's
		// last words.
		Logger: debugOnly{opts.Logger},
	})

	// go-plugin's Start takes no context (and holds the client's lock, so
	// Kill would wait for it): run it aside and kill the process if ctx
	// ends first.
	type started struct {
		rpc goplugin.ClientProtocol
		err error
	}
	done := make(chan started, 1)
	go func() {
		rpc, err := p.client.Client()
		done <- started{rpc, err}
	}()
	var s started
	select {
	case s = <-done:
	case <-ctx.Done():
		p.kill(ctx.Err())
		<-done
		return fail(ctx.Err())
	}
	if s.err != nil {
		p.kill(s.err)
		return fail(p.explainStart(s.err, opts))
	}
	raw, err := s.rpc.Dispense(pluginName)
	if err != nil {
		p.kill(err)
		return fail(err)
	}

	pl := &Plugin{Binary: b, proc: p}
	switch c := raw.(type) {
	case *frontend.Client:
		pl.Frontend = &Frontend{proc: p, client: c}
		pl.Frontend.Description, err = pl.Frontend.Describe(ctx, frontend.DescribeRequest{})
		if err == nil {
			err = p.checkProtocol(pl.Frontend.Description.ProtocolMajor, pl.Frontend.Description.ProtocolMinor)
		}
	case *backend.Client:
		pl.Backend = &Backend{proc: p, client: c}
		pl.Backend.Description, err = pl.Backend.Describe(ctx, backend.DescribeRequest{})
		if err == nil {
			err = p.checkProtocol(pl.Backend.Description.ProtocolMajor, pl.Backend.Description.ProtocolMinor)
		}
	}
	if err != nil {
		p.close(err)
		var pe *Error
		if errors.As(err, &pe) && pe.Op == "Describe" {
			if errors.Is(err, frontend.ErrUnimplemented) && strings.Contains(err.Error(), "unknown service") {
				return fail(fmt.Errorf("%w: it does not serve the %s protocol (%v)", ErrNotPlugin, b.Kind, pe.Err))
			}
			return nil, err
		}
		return fail(err)
	}
	return pl, nil
}

// checkProtocol holds the version rule: the major must be the host's; a
// newer minor is fine (the host ignores what it does not know).
func (p *process) checkProtocol(major, minor int) error {
	if err := checkProtocol(major, minor); err != nil {
		return err
	}
	if minor > ProtocolMinor {
		p.logger.Debug("plugin speaks a newer minor protocol version", "plugin", fmt.Sprintf("%d.%d", major, minor), "host", fmt.Sprintf("%d.%d", ProtocolMajor, ProtocolMinor))
	}
	return nil
}

func checkProtocol(major, minor int) error {
	if major != ProtocolMajor {
		return fmt.Errorf("%w: the plugin reports protocol %d.%d in Describe, this host speaks %d.%d; the major versions must match",
			ErrIncompatible, major, minor, ProtocolMajor, ProtocolMinor)
	}
	return nil
}

var pluginVersionRE = regexp.MustCompile(`Plugin version: (\d+)`)

// explainStart rewrites go-plugin's start errors, which are written for
// go-plugin's developers, into errors for users.
func (p *process) explainStart(err error, opts Options) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "incompatible API version with plugin"):
		v := "another version"
		if m := pluginVersionRE.FindStringSubmatch(msg); m != nil {
			v = "protocol " + m[1]
		}
		return fmt.Errorf("%w: the plugin speaks %s, this host speaks protocol %d (%d.%d); the major versions must match: rebuild the plugin against an SDK of protocol %d, or use a host that speaks its version",
			ErrIncompatible, v, ProtocolMajor, ProtocolMajor, ProtocolMinor, ProtocolMajor)
	case strings.Contains(msg, "Unrecognized remote plugin message"):
		line, _, _ := strings.Cut(strings.TrimPrefix(msg, "Unrecognized remote plugin message: "), "\n")
		if strings.Contains(msg, "Failed to read any lines") && line == "" {
			return fmt.Errorf("%w: it exited without printing a go-plugin handshake%s", ErrNotPlugin, p.exitDetail())
		}
		return fmt.Errorf("%w: the first line it printed was %q, not a go-plugin handshake", ErrNotPlugin, clip(line, 200))
	case strings.Contains(msg, "plugin exited before we could connect"):
		p.waitExit(time.Second)
		return fmt.Errorf("%w: it exited before completing the go-plugin handshake%s", ErrNotPlugin, p.exitDetail())
	case strings.Contains(msg, "timeout while waiting for plugin to start"):
		// A slow plugin and a program that is no plugin look alike from
		// here; either way it is not a plugin this host can use.
		return &causedError{ErrNotPlugin, fmt.Sprintf("no go-plugin handshake within %v (plugins.start_timeout); killed it", opts.StartTimeout), ErrTimeout}
	}
	return err
}

// process is the host's side of one plugin process: the go-plugin client,
// the tail of its stderr, and its fate.
type process struct {
	bin         Binary
	cmd         *exec.Cmd
	runner      *groupRunner
	killProc    context.CancelFunc // kills the process group (exec.CommandContext)
	client      *goplugin.Client
	stderr      *tail
	callTimeout time.Duration
	logger      hclog.Logger

	mu   sync.Mutex
	dead error // why the process is gone; nil while it serves
}

// call runs fn with the per-call timeout and turns what can go wrong with
// the process into an [*Error]: a panic at the boundary, a crash, a hang, a
// protocol violation (the last three kill the process).
func (p *process) call(ctx context.Context, op string, fn func(context.Context) error) (err error) {
	cctx, cancel := context.WithTimeout(ctx, p.callTimeout)
	defer cancel()
	return p.run(ctx, cctx, op, fn)
}

// callPausable is call for a stream whose consumer may hold it up (back-pressure): the
// timeout counts only the time spent waiting for the plugin. fn gets pause, which
// stops the clock until the returned resume is called (around the host's handling of
// a message), and resume restarts the full timeout.
func (p *process) callPausable(ctx context.Context, op string, fn func(ctx context.Context, pause func() (resume func())) error) error {
	cctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var mu sync.Mutex
	timer := time.AfterFunc(p.callTimeout, func() { cancel(context.DeadlineExceeded) })
	defer timer.Stop()
	pause := func() func() {
		mu.Lock()
		timer.Stop()
		mu.Unlock()
		return func() {
			mu.Lock()
			timer.Reset(p.callTimeout)
			mu.Unlock()
		}
	}
	return p.run(ctx, cctx, op, func(c context.Context) error { return fn(c, pause) })
}

func (p *process) run(ctx, cctx context.Context, op string, fn func(context.Context) error) (err error) {
	wrap := func(e error) error { return &Error{Plugin: p.bin.File(), Path: p.bin.Path, Op: op, Err: e} }
	p.mu.Lock()
	dead := p.dead
	p.mu.Unlock()
	if dead != nil {
		return wrap(dead)
	}
	defer func() {
		if r := recover(); r != nil {
			p.logger.Error("panic while calling the plugin", "op", op, "panic", r)
			p.kill(fmt.Errorf("%w: killed after a panic in the host during %s", ErrClosed, op))
			err = wrap(fmt.Errorf("host panicked while handling the plugin's answer: %v", r))
		}
	}()
	err = fn(cctx)
	if err == nil {
		return nil
	}
	switch {
	case ctx.Err() != nil:
		// The caller gave up; the plugin saw the cancellation too.
		return wrap(err)
	case errors.Is(err, frontend.ErrProtocol):
		p.kill(fmt.Errorf("%w: killed after it sent malformed data during %s", ErrClosed, op))
		return wrap(fmt.Errorf("%w (killed it): %w", ErrMalformed, err))
	case timedOut(cctx):
		p.kill(fmt.Errorf("%w: killed after %s timed out", ErrClosed, op))
		if !errors.Is(err, context.DeadlineExceeded) {
			err = context.DeadlineExceeded // a pausable call's clock cancelled it: gRPC says Canceled
		}
		return wrap(&causedError{ErrTimeout, fmt.Sprintf("no answer within %v (plugins.call_timeout); killed it", p.callTimeout), err})
	case errors.Is(err, frontend.ErrUnavailable) || p.waitExit(0):
		if p.waitExit(2 * time.Second) {
			p.markDead(fmt.Errorf("%w: it died during %s", ErrClosed, op))
			return wrap(&causedError{ErrCrashed, p.exitDetail(), err})
		}
		p.kill(fmt.Errorf("%w: killed after losing the connection during %s", ErrClosed, op))
		return wrap(fmt.Errorf("%w: the connection broke and the process did not exit; killed it (%w)", ErrCrashed, err))
	}
	return wrap(err) // the plugin's own answer, e.g. an invalid program
}

// timedOut reports whether the call's deadline has passed. The plugin's side of the
// stream has the same deadline (gRPC sends it along) and may cancel the stream a moment
// before the host's own timer fires, so the clock decides, not only ctx.Err.
func timedOut(ctx context.Context) bool {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(context.Cause(ctx), context.DeadlineExceeded) {
		return true
	}
	d, ok := ctx.Deadline()
	return ok && !time.Now().Before(d.Add(-10*time.Millisecond))
}

// causedError reads as its sentinel and detail, and also matches its
// cause with errors.Is (context.DeadlineExceeded, the SDK's ErrUnavailable),
// whose text adds nothing for the user.
type causedError struct {
	sentinel error
	detail   string // appended to the sentinel's text: ": ..." or " (...)..."
	cause    error
}

func (e *causedError) Error() string {
	if e.detail == "" || e.detail[0] == ' ' {
		return e.sentinel.Error() + e.detail
	}
	return e.sentinel.Error() + ": " + e.detail
}

func (e *causedError) Unwrap() []error { return []error{e.sentinel, e.cause} }

// waitExit reports whether the process has exited, waiting up to d.
func (p *process) waitExit(d time.Duration) bool {
	deadline := time.Now().Add(d)
	for {
		if p.client.Exited() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// exitDetail says how the process ended and what it last said on stderr,
// as " (exit status 2): panic: ..." or "".
func (p *process) exitDetail() string {
	var s string
	if p.client.Exited() && p.cmd.ProcessState != nil {
		// ProcessState is written before go-plugin marks the client
		// exited, under the lock Exited takes.
		s = " (" + p.cmd.ProcessState.String() + ")"
	}
	if last := p.stderr.lastWords(); last != "" {
		s += ": " + last
	}
	return s
}

func (p *process) markDead(why error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.dead == nil {
		p.dead = why
	}
}

// kill ends the process at once (no graceful shutdown: it is misbehaving).
func (p *process) kill(why error) {
	p.markDead(why)
	p.killProc()
	p.client.Kill()
}

// close ends the process gracefully.
func (p *process) close(why error) {
	p.markDead(why)
	p.client.Kill()
	p.killProc() // releases the context; the process is gone by now
}

// checkPin checks the binary's SHA-256 against its pin (plugins.sha256).
// The host checks, not go-plugin, because go-plugin checks only commands it
// starts itself.
func checkPin(b Binary, pin string) error {
	actual, err := fileSHA256(b.Path)
	if err != nil {
		return fmt.Errorf("%w for %s: expected %s (plugins.sha256), actual unreadable: %v", ErrChecksum, b.Path, strings.ToLower(pin), err)
	}
	if !strings.EqualFold(actual, pin) {
		return fmt.Errorf("%w for %s: expected %s (plugins.sha256), actual %s", ErrChecksum, b.Path, strings.ToLower(pin), actual)
	}
	return nil
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// tail keeps the last max bytes written to it: the end of a plugin's
// stderr, for error messages.
type tail struct {
	max int
	mu  sync.Mutex
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

// lastWords is what best explains a death: the last "panic:" or "fatal
// error:" line, else the plugin's last three stderr lines (joined by " | ").
// The debug and info lines that go-plugin's server logs as JSON in every
// plugin are not the plugin's words and are skipped; a JSON line at warn or
// error level counts as its message.
func (t *tail) lastWords() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	lines := strings.Split(strings.TrimSpace(string(t.buf)), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(lines[i]); strings.HasPrefix(l, "panic: ") || strings.HasPrefix(l, "fatal error: ") {
			return clip(l, 300)
		}
	}
	var last []string
	for i := len(lines) - 1; i >= 0 && len(last) < 3; i-- {
		l, ok := ownLine(strings.TrimSpace(lines[i]))
		if ok && l != "" {
			last = append([]string{clip(l, 200)}, last...)
		}
	}
	return strings.Join(last, " | ")
}

// ownLine is a stderr line as the plugin meant it: ok is false for a debug,
// trace or info line of an hclog JSON logger (go-plugin's server logs its
// handshake so); a warn or error line is its message and error.
func ownLine(l string) (string, bool) {
	if !strings.HasPrefix(l, "{") {
		return l, true
	}
	var e struct {
		Level   string `json:"@level"`
		Message string `json:"@message"`
		Err     string `json:"error"`
	}
	if json.Unmarshal([]byte(l), &e) != nil || e.Level == "" {
		return l, true
	}
	switch hclog.LevelFromString(e.Level) {
	case hclog.Warn, hclog.Error:
		if e.Err != "" {
			return e.Message + ": " + e.Err, true
		}
		return e.Message, true
	}
	return "", false
}
