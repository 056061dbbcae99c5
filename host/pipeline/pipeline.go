package pipeline

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/oneiros-zk/oneiros/core/chips/bytetable"
	"github.com/oneiros-zk/oneiros/core/chips/hook"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/machine"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/host/plugin"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/sdk/backend"
	"github.com/oneiros-zk/oneiros/sdk/config"
	"github.com/oneiros-zk/oneiros/sdk/envelope"
	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

// Request is one run to execute or prove.
type Request struct {
	ISA      string // frontend ISA: the plugin oneiros-frontend-<ISA> runs it
	Source   []byte // the program as the user gave it
	FileName string
	Input    []byte // the input tape (read by the program; not hidden by the proof)
	Profile  string // profile name, recorded in the envelope; "" is the configuration's
	Backend  string // auto, cpu, cuda, or any oneiros-backend-<name>
	Device   string // device inside the backend; "" or "auto" lets it choose
	Config   *config.Config
	Plugins  plugin.Options
	// WorkDir is where Prove keeps the run's segment proofs as they complete, and the
	// records of segments waiting to be proven; "" is DefaultWorkDir's directory for
	// this run. A Prove started again with the same request proves only the segments
	// whose proofs are not there yet. A directory that holds another run's work is
	// emptied, with a warning, never mixed in.
	WorkDir string
	// NATS is the NATS server the distributed profile hands segments out through; ""
	// means distributed.nats_url, and when that is empty too, a server embedded in this
	// process (JetStream in the work directory, on 127.0.0.1 only).
	NATS string
	// LocalWorkers is how many workers the distributed profile runs in this process (each
	// with its own backend plugin); negative means distributed.local_workers.
	LocalWorkers int
	// ProfileCycles makes Execute count the run's cycles by opcode and by chip
	// (Execution.Profile).
	ProfileCycles bool
	// KeepWork keeps the work directory after a successful Prove (it is removed
	// otherwise: the envelope holds everything).
	KeepWork bool
	// Progress, if set, receives one line per stage for people watching.
	Progress func(stage, msg string)
	// Segments, if set, receives an event each time a segment is cut from the running
	// execution, proven, or taken from the work directory.
	Segments func(SegmentEvent)
}

// SegmentEvent reports a segment's progress through Prove.
type SegmentEvent struct {
	Kind     string  // "cut" (executed; its records wait), "proved" or "resumed" (taken from the work directory, verified)
	Index    int     // the segment
	Cycles   uint64  // its cycles
	Executed uint64  // cycles executed so far
	Proven   uint64  // cycles proven so far (resumed ones included)
	Done     int     // segments proven or resumed so far
	Cut      int     // segments cut so far
	Ended    bool    // execution has ended: Cut is the number of segments
	Seconds  float64 // for "proved": the segment's proving time
}

// Execution is a run without a proof.
type Execution struct {
	Program   *isa.Program
	ProgramID hash.Digest
	Result    *frontend.Result
	Statement *machine.Statement // nil when the run did not end with HALT or TRAP
	Profile   *machine.Profile   // with Request.ProfileCycles
	Frontend  string
	Seconds   float64
}

func (r *Request) progress(stage, format string, args ...any) {
	if r.Progress != nil {
		r.Progress(stage, fmt.Sprintf(format, args...))
	}
}

func (r *Request) segment(ev SegmentEvent) {
	if r.Segments != nil {
		r.Segments(ev)
	}
}

func launch(ctx context.Context, opts plugin.Options, kind plugin.Kind, name string) (*plugin.Plugin, error) {
	return plugin.LaunchNamed(ctx, opts, kind, name)
}

// ErrNoPlugin reports a missing plugin binary.
var ErrNoPlugin = plugin.ErrNotFound

// loaded is a program loaded into its frontend.
type loaded struct {
	fe      *plugin.Plugin
	name    string // frontend name and version
	handle  []byte
	info    frontend.ProgramInfo
	program *isa.Program
}

// load launches the frontend and loads the program into it; the caller closes l.fe.
func load(ctx context.Context, req *Request) (*loaded, error) {
	fe, err := launch(ctx, req.Plugins, plugin.KindFrontend, req.ISA)
	if err != nil {
		return nil, err
	}
	l, err := loadInto(ctx, req, fe)
	if err != nil {
		fe.Close()
		return nil, err
	}
	return l, nil
}

func loadInto(ctx context.Context, req *Request, fe *plugin.Plugin) (*loaded, error) {
	desc, err := fe.Frontend.Describe(ctx, frontend.DescribeRequest{})
	if err != nil {
		return nil, err
	}
	req.progress("load", "%s %s: loading %s (%d bytes)", desc.Name, desc.Version, req.FileName, len(req.Source))
	prog, err := fe.Frontend.Load(ctx, frontend.LoadRequest{Source: req.Source, FileName: req.FileName})
	if err != nil {
		return nil, err
	}
	p, err := isa.Decode(prog.Normalized)
	if err != nil {
		return nil, fmt.Errorf("%w: frontend %s returned a program that does not decode: %w", plugin.ErrMalformed, desc.Name, err)
	}
	if id := p.ID(); !bytes.Equal(id.Bytes(), prog.ProgramID) {
		return nil, fmt.Errorf("%w: frontend %s: the program_id it reports differs from its normalized program's", plugin.ErrMalformed, desc.Name)
	}
	// The SDK checked the source map against the instruction count the frontend
	// stated; here it must fit the program itself.
	if m := prog.Info.SourceMap; m != nil {
		if err := m.Validate(len(p.Code)); err != nil {
			return nil, fmt.Errorf("%w: frontend %s: %w", plugin.ErrMalformed, desc.Name, err)
		}
	}
	if lim := req.Config.Limits; uint64(len(req.Input)) > lim.MaxInputBytes {
		return nil, fmt.Errorf("input of %d bytes exceeds limits.max_input_bytes = %d", len(req.Input), lim.MaxInputBytes)
	}
	return &loaded{fe: fe, name: desc.Name + " " + desc.Version, handle: prog.Handle, info: prog.Info, program: p}, nil
}

// tracker follows a record stream without keeping it: the cycle count, the output the
// WRITEs append, and how the run ends.
type tracker struct {
	cycles uint64
	output []byte
	last   trace.Record
	hooks  uint32     // hook calls so far
	hook   hook.State // the host answers' sponge over them
}

func (t *tracker) add(r *trace.Record) error {
	if r.Clk != t.cycles {
		return fmt.Errorf("record %d has clk %d", t.cycles, r.Clk)
	}
	t.cycles++
	if r.Inst.Op == isa.ECALL && r.Inst.C == isa.SysWrite {
		t.output = append(t.output, r.Sys.Output...)
	}
	if e, ok := hook.EntryOf(r); ok {
		if t.hooks == 0 {
			t.hook = hook.IV()
		}
		hook.Absorb(&t.hook, e)
		t.hooks++
	}
	t.last.Inst, t.last.PC, t.last.B = r.Inst, r.PC, r.B
	return nil
}

// statement is the run's statement, or an error saying why it has none.
func (t *tracker) statement(p *isa.Program, input []byte) (*machine.Statement, error) {
	if t.cycles == 0 {
		return nil, fmt.Errorf("machine: no records")
	}
	st := &machine.Statement{Program: p, Cycles: t.cycles, Output: t.output, InputLen: uint32(len(input)),
		InputDigest: envelope.InputDigest(input), Input: input}
	if t.hooks > 0 {
		st.HookCount, st.HookDigest = t.hooks, hook.Digest(t.hook)
	}
	var err error
	if st.Status, st.ExitCode, err = machine.ExitOf(&t.last); err != nil {
		return nil, err
	}
	return st, nil
}

// execute runs the loaded program, handing each record to each (which must copy what it
// keeps) as the frontend streams it: nothing of the trace is held here. It checks that
// the records decode, that there are as many as the frontend reports and, for a run that
// ends with HALT or TRAP, that their writes are its public output.
func (l *loaded) execute(ctx context.Context, req *Request, t *tracker, each func(*trace.Record) error) (*frontend.Result, error) {
	lim := req.Config.Limits
	req.progress("execute", "running %d instructions from pc %d", l.info.InstructionCount, l.info.EntryPC)
	pr, pw := io.Pipe()
	parsed := make(chan error, 1)
	var eachErr error
	go func() {
		_, err := trace.ReadStream(pr, 0, func(r *trace.Record) error {
			if err := t.add(r); err != nil {
				return err
			}
			if each != nil {
				if err := each(r); err != nil {
					eachErr = err
					return err
				}
			}
			return nil
		})
		if err != nil && eachErr == nil {
			// A malformed stream: read the rest, so that the frontend's own failure (a
			// crash that cut its stream short) is the one reported when there is one.
			_, _ = io.Copy(io.Discard, pr)
		}
		pr.CloseWithError(cmp.Or(err, errStreamStopped))
		parsed <- err
	}()
	res, err := l.fe.Frontend.Execute(ctx, frontend.ExecuteRequest{Handle: l.handle, Input: req.Input,
		Limits: frontend.Limits{MaxCycles: lim.MaxCycles, MaxMemoryBytes: lim.MaxMemoryBytes, MaxOutputBytes: lim.MaxOutputBytes}},
		&recorder{w: pw, req: req})
	pw.Close()
	perr := <-parsed
	switch {
	case eachErr != nil:
		return nil, eachErr
	case err != nil && (perr == nil || !errors.Is(err, perr)): // the frontend's own failure (a crash truncates the stream)
		return nil, err
	case perr != nil:
		return nil, fmt.Errorf("%w: frontend %s sent a malformed trace: %w", plugin.ErrMalformed, l.name, perr)
	}
	if t.cycles != res.TotalCycles {
		return nil, fmt.Errorf("%w: frontend %s reports %d cycles but sent %d records", plugin.ErrMalformed, l.name, res.TotalCycles, t.cycles)
	}
	// A run that ends with HALT or TRAP has a statement: its output is the trace's writes.
	if _, _, err := machine.ExitOf(&t.last); t.cycles > 0 && err == nil && !bytes.Equal(t.output, res.PublicOutput) {
		return nil, fmt.Errorf("%w: frontend %s: its public output differs from the trace's writes", plugin.ErrMalformed, l.name)
	}
	return res, nil
}

var errStreamStopped = errors.New("the host stopped reading the trace")

// Translated is a program as its frontend normalized it.
type Translated struct {
	Program  *isa.Program
	Info     frontend.ProgramInfo // the frontend's figures and source map
	Frontend string               // the frontend's name and version
}

// Translate loads the program into its frontend and returns the normalized program
// without running it (oneiros translate: what a frontend makes of a source).
func Translate(ctx context.Context, req *Request) (*Translated, error) {
	l, err := load(ctx, req)
	if err != nil {
		return nil, err
	}
	defer l.fe.Close()
	return &Translated{Program: l.program, Info: l.info, Frontend: l.name}, nil
}

// Execute loads the program into its frontend and runs it. The records are checked as
// they stream and not kept: memory stays bounded whatever the run's length.
func Execute(ctx context.Context, req *Request) (*Execution, error) {
	t0 := time.Now()
	l, err := load(ctx, req)
	if err != nil {
		return nil, err
	}
	defer l.fe.Close()
	t := &tracker{}
	var each func(*trace.Record) error
	var prof *machine.Profile
	if req.ProfileCycles {
		prof = machine.NewProfile()
		if m := l.info.SourceMap; m != nil { // load checked it against the program
			prof.SetSourceMap(m, len(l.program.Code))
		}
		each = func(r *trace.Record) error { prof.Add(r); return nil }
	}
	res, err := l.execute(ctx, req, t, each)
	if err != nil {
		return nil, err
	}
	ex := &Execution{Program: l.program, ProgramID: l.program.ID(), Result: res, Frontend: l.name, Profile: prof}
	if st, err := t.statement(l.program, req.Input); err == nil {
		ex.Statement = st
	}
	ex.Seconds = time.Since(t0).Seconds()
	return ex, nil
}

type recorder struct {
	w   io.Writer
	req *Request
}

func (r *recorder) Write(p []byte) (int, error) { return r.w.Write(p) }
func (r *recorder) Progress(c uint64) error {
	r.req.progress("execute", "%d cycles", c)
	return nil
}

// ErrFloor is wrapped by the refusal to prove a run whose proof could not meet the
// configured security floors: a configuration problem, found before proving
// (engine.min_security_bits) or, for engine.min_provable_bits, which needs the proof's
// shape, when the host checks the proof.
var ErrFloor = errors.New("below the security floor")

// checkFloor refuses, before any proving, a configuration whose proofs of a segment of
// this many cycles cannot reach engine.min_security_bits. The tallest table has at least
// the CPU's rows (cycles + 1, rounded up to a power of two) and the fixed tables' (the
// range table, always present, is as tall as a byte table: bytetable.Height); the
// conjectured security only falls as tables grow, and the FRI query phase and field
// terms bound it from above (hemera's full accounting has more terms), so a shortfall
// here is certain.
func checkFloor(e config.Engine, cycles uint64) error {
	logN := 0
	for uint64(1)<<logN < max(cycles+1, uint64(bytetable.Height)) {
		logN++
	}
	if bits := e.FRI().ConjecturedSecurity(logN + e.LogBlowup); bits < e.MinSecurityBits {
		return fmt.Errorf("%w: a proof of this run (a table of at least 2^%d rows) would have at most %d bits of conjectured security, below engine.min_security_bits = %d: raise engine.num_queries, engine.log_blowup or engine.grinding_bits, or lower the floor",
			ErrFloor, logN, bits, e.MinSecurityBits)
	}
	return nil
}

func deviceName(d string) string {
	if d == "" || d == "auto" {
		return ""
	}
	return d
}

// chooseBackend launches the request's backend (Request.Backend, else backend.kind).
func chooseBackend(ctx context.Context, req *Request) (*plugin.Plugin, string, error) {
	return LaunchBackend(ctx, req.Plugins, cmp.Or(req.Backend, req.Config.Backend.Kind), req.Progress)
}

// gpuDriverPaths are where an NVIDIA driver shows itself on Linux (its control device
// and proc entry) and under WSL 2 (/dev/dxg). Without any of them no CUDA device can be
// available, and auto need not start the cuda backend to ask (a plugin start, ≈0.15 s of
// a small program's proof on two cores).
var gpuDriverPaths = []string{"/dev/nvidiactl", "/proc/driver/nvidia", "/dev/dxg"}

// gpuDriver reports whether a CUDA device may be present: on Linux, whether one of
// gpuDriverPaths exists (else it returns them, for the message); elsewhere true (the
// cuda backend is asked).
func gpuDriver() (string, bool) {
	if runtime.GOOS != "linux" {
		return "", true
	}
	for _, p := range gpuDriverPaths {
		if _, err := os.Stat(p); err == nil {
			return p, true
		}
	}
	return strings.Join(gpuDriverPaths, ", "), false
}

// LaunchBackend launches the backend plugin name; auto prefers a backend with an
// available GPU device, then cpu. It returns the plugin and the backend's name.
func LaunchBackend(ctx context.Context, opts plugin.Options, name string, progress func(stage, msg string)) (*plugin.Plugin, string, error) {
	if name != "auto" {
		p, err := launch(ctx, opts, plugin.KindBackend, name)
		return p, name, err
	}
	if path, ok := gpuDriver(); !ok {
		if progress != nil {
			progress("backend", "auto: using cpu (no NVIDIA driver here: none of "+path+")")
		}
	} else if p, err := launch(ctx, opts, plugin.KindBackend, "cuda"); err == nil {
		d, derr := p.Backend.Describe(ctx, backend.DescribeRequest{})
		if derr == nil {
			for _, dev := range d.Devices {
				if dev.Kind == "cuda" && dev.Available {
					if progress != nil {
						progress("backend", fmt.Sprintf("auto: using cuda (%s)", dev.Name))
					}
					return p, "cuda", nil
				}
			}
		}
		p.Close()
	}
	p, err := launch(ctx, opts, plugin.KindBackend, "cpu")
	return p, "cpu", err
}
