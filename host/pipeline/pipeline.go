package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/oneiros-zk/oneiros/core/chips/bytetable"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/machine"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/host/plugin"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/stark"
	"github.com/oneiros-zk/oneiros/sdk/backend"
	"github.com/oneiros-zk/oneiros/sdk/config"
	"github.com/oneiros-zk/oneiros/sdk/envelope"
	"github.com/oneiros-zk/oneiros/sdk/frontend"
	"github.com/oneiros-zk/oneiros/sdk/verify"
)

// Request is one run to execute or prove.
type Request struct {
	ISA      string // frontend ISA: the plugin oneiros-frontend-<ISA> runs it
	Source   []byte // the program as the user gave it
	FileName string
	Input    []byte // the input tape (read by the program; not hidden by the proof)
	Profile  string // profile name, recorded in the envelope
	Backend  string // auto, cpu, cuda, or any oneiros-backend-<name>
	Device   string // device inside the backend; "" or "auto" lets it choose
	Config   *config.Config
	Plugins  plugin.Options
	// Progress, if set, receives one line per stage for people watching.
	Progress func(stage, msg string)
}

// Execution is a run without a proof.
type Execution struct {
	Program   *isa.Program
	ProgramID hash.Digest
	Result    *frontend.Result
	Records   []byte // the framed record stream
	Statement *machine.Statement
	Frontend  string
	Seconds   float64
}

func (r *Request) progress(stage, format string, args ...any) {
	if r.Progress != nil {
		r.Progress(stage, fmt.Sprintf(format, args...))
	}
}

func launch(ctx context.Context, opts plugin.Options, kind plugin.Kind, name string) (*plugin.Plugin, error) {
	return plugin.LaunchNamed(ctx, opts, kind, name)
}

// ErrNoPlugin reports a missing plugin binary.
var ErrNoPlugin = plugin.ErrNotFound

// Execute loads the program into its frontend and runs it, keeping the records.
func Execute(ctx context.Context, req *Request) (*Execution, error) {
	t0 := time.Now()
	fe, err := launch(ctx, req.Plugins, plugin.KindFrontend, req.ISA)
	if err != nil {
		return nil, err
	}
	defer fe.Close()
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
	lim := req.Config.Limits
	if uint64(len(req.Input)) > lim.MaxInputBytes {
		return nil, fmt.Errorf("input of %d bytes exceeds limits.max_input_bytes = %d", len(req.Input), lim.MaxInputBytes)
	}
	req.progress("execute", "running %d instructions from pc %d", prog.Info.InstructionCount, prog.Info.EntryPC)
	var recs bytes.Buffer
	res, err := fe.Frontend.Execute(ctx, frontend.ExecuteRequest{Handle: prog.Handle, Input: req.Input,
		Limits: frontend.Limits{MaxCycles: lim.MaxCycles, MaxMemoryBytes: lim.MaxMemoryBytes, MaxOutputBytes: lim.MaxOutputBytes}},
		&recorder{buf: &recs, req: req})
	if err != nil {
		return nil, err
	}
	ex := &Execution{Program: p, ProgramID: p.ID(), Result: res, Records: recs.Bytes(), Frontend: desc.Name + " " + desc.Version}
	var all []trace.Record
	if _, err := trace.ReadStream(bytes.NewReader(ex.Records), 0, func(r *trace.Record) error {
		all = append(all, *r.Clone())
		return nil
	}); err != nil {
		return nil, fmt.Errorf("%w: frontend %s sent a malformed trace: %w", plugin.ErrMalformed, desc.Name, err)
	}
	if uint64(len(all)) != res.TotalCycles {
		return nil, fmt.Errorf("%w: frontend %s reports %d cycles but sent %d records", plugin.ErrMalformed, desc.Name, res.TotalCycles, len(all))
	}
	if st, err := machine.StatementFromRecords(p, all, req.Input); err == nil {
		if !bytes.Equal(st.Output, res.PublicOutput) {
			return nil, fmt.Errorf("%w: frontend %s: its public output differs from the trace's writes", plugin.ErrMalformed, desc.Name)
		}
		ex.Statement = st
	}
	ex.Seconds = time.Since(t0).Seconds()
	return ex, nil
}

type recorder struct {
	buf *bytes.Buffer
	req *Request
}

func (r *recorder) Write(p []byte) (int, error) { return r.buf.Write(p) }
func (r *recorder) Progress(c uint64) error {
	r.req.progress("execute", "%d cycles", c)
	return nil
}

// Proved is a proven run.
type Proved struct {
	Execution *Execution
	Envelope  *envelope.Envelope
	Backend   string
}

// Prove executes the program, proves the run on the chosen backend, verifies the proof
// in the host, and returns the envelope.
func Prove(ctx context.Context, req *Request) (*Proved, error) {
	ex, err := Execute(ctx, req)
	if err != nil {
		return nil, err
	}
	if ex.Statement == nil {
		return nil, fmt.Errorf("the run cannot be proven: %s (status %s)", ex.Result.TrapReason, ex.Result.Status)
	}
	if err := machine.Provable(ex.Statement); err != nil {
		return nil, err
	}
	if seg := req.Config.Segments.SegmentCycles; ex.Statement.Cycles > seg {
		return nil, fmt.Errorf("the run takes %d cycles, more than one segment (segments.segment_cycles = %d); continuations are not implemented yet: raise segment_cycles (up to %d)", ex.Statement.Cycles, seg, machine.MaxCycles)
	}
	if err := checkFloor(req.Config.Engine, ex.Statement.Cycles); err != nil {
		return nil, err
	}
	be, name, err := chooseBackend(ctx, req)
	if err != nil {
		return nil, err
	}
	defer be.Close()
	e := req.Config.Engine
	params := backend.Params{LogBlowup: e.LogBlowup, NumQueries: e.NumQueries, GrindingBits: e.GrindingBits,
		FRILogArity: e.FRILogArity, LogFinalPolyLen: e.LogFinalPolyLen, Workers: e.Workers, ZK: e.ZK,
		LogUpGrindingBits: e.LogUpGrindingBits, DEEPGrindingBits: e.DEEPGrindingBits}
	if e.ZK && be.Backend.Description.ProtocolMinor < 1 { // protocol 1.0 has no EngineParams.zk
		return nil, fmt.Errorf("engine.zk is set, but backend %s speaks plugin protocol %d.%d, which predates zero knowledge (1.1): rebuild the backend against this SDK or set engine.zk: false",
			name, be.Backend.Description.ProtocolMajor, be.Backend.Description.ProtocolMinor)
	}
	if (e.LogUpGrindingBits > 0 || e.DEEPGrindingBits > 0) && be.Backend.Description.ProtocolMinor < 2 { // EngineParams.*_grinding_bits are 1.2
		return nil, fmt.Errorf("engine.logup_grinding_bits or engine.deep_grinding_bits is set, but backend %s speaks plugin protocol %d.%d, which predates them (1.2): rebuild the backend against this SDK or set both to 0",
			name, be.Backend.Description.ProtocolMajor, be.Backend.Description.ProtocolMinor)
	}
	// The claim's context (ISA, source and input digests) is known before proving; the
	// proof is bound to it.
	claim := envelope.Claim{ISA: req.ISA, SourceDigest: envelope.SourceDigest(req.Source), InputDigest: envelope.InputDigest(req.Input)}
	req.progress("prove", "proving %d cycles on backend %s", ex.Statement.Cycles, name)
	t0 := time.Now()
	proof, err := be.Backend.ProveSegment(ctx, backend.ProveRequest{
		Params: params, Program: ex.Program.Encode(), Device: deviceName(req.Device), Records: bytes.NewReader(ex.Records),
		Boundary: machine.Boundary{InputLen: ex.Statement.InputLen, Context: claim.Context(), Input: ex.Statement.Input}.Encode(),
		Progress: func(p backend.Progress) { req.progress("prove", "%s %.0f%%", p.Phase, 100*p.Fraction) },
	})
	if err != nil {
		return nil, err
	}
	secs := time.Since(t0).Seconds()
	st := ex.Statement
	env := &envelope.Envelope{
		Claim: envelope.Claim{
			ISA: claim.ISA, ProgramID: ex.ProgramID, InputDigest: claim.InputDigest, InputLen: st.InputLen,
			SourceDigest: claim.SourceDigest, OutputDigest: envelope.OutputDigest(st.Output),
			ExitStatus: uint8(st.Status), ExitCode: st.ExitCode, Cycles: st.Cycles,
		},
		Program: ex.Program.Encode(), Output: st.Output, Proofs: [][]byte{proof.Data}, Bound: envelope.BoundOf(&claim),
		Params: envelope.Params{LogBlowup: e.LogBlowup, NumQueries: e.NumQueries, GrindingBits: e.GrindingBits,
			FRILogArity: e.FRILogArity, LogFinalPolyLen: e.LogFinalPolyLen, ZK: e.ZK,
			LogUpGrindingBits: e.LogUpGrindingBits, DEEPGrindingBits: e.DEEPGrindingBits, Machine: machine.New(nil).ID().String()},
		Meta: envelope.Meta{Backend: name, Device: deviceName(req.Device), Profile: req.Profile, Frontend: ex.Frontend,
			ProveSeconds: secs, PhaseSeconds: proof.PhaseSeconds},
	}
	req.progress("verify", "checking the proof in the host")
	if err := verify.Envelope(env, verify.Options{MinSecurityBits: e.MinSecurityBits, MinProvableBits: e.MinProvableBits, Workers: e.Workers}); err != nil {
		if se := (*stark.Error)(nil); errors.As(err, &se) && se.Check == "security" { // the floors, not the backend
			return nil, fmt.Errorf("%w: %w", ErrFloor, err)
		}
		return nil, fmt.Errorf("%w: backend %s produced a proof the verifier rejects: %w", plugin.ErrMalformed, name, err)
	}
	return &Proved{Execution: ex, Envelope: env, Backend: name}, nil
}

// ErrFloor is wrapped by the refusal to prove a run whose proof could not meet the
// configured security floors: a configuration problem, found before proving
// (engine.min_security_bits) or, for engine.min_provable_bits, which needs the proof's
// shape, when the host checks the proof.
var ErrFloor = errors.New("below the security floor")

// checkFloor refuses, before any proving, a configuration whose proofs of this run
// cannot reach engine.min_security_bits. The tallest table has at least the CPU's rows
// (cycles + 1, rounded up to a power of two) and the byte table's; the conjectured
// security only falls as tables grow, and the FRI query phase and field terms bound it
// from above (hemera's full accounting has more terms), so a shortfall here is certain.
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

// chooseBackend launches the requested backend; auto prefers a backend with an
// available GPU device, then cpu.
func chooseBackend(ctx context.Context, req *Request) (*plugin.Plugin, string, error) {
	name := req.Backend
	if name == "" {
		name = req.Config.Backend.Kind
	}
	if name != "auto" {
		p, err := launch(ctx, req.Plugins, plugin.KindBackend, name)
		return p, name, err
	}
	if p, err := launch(ctx, req.Plugins, plugin.KindBackend, "cuda"); err == nil {
		d, derr := p.Backend.Describe(ctx, backend.DescribeRequest{})
		if derr == nil {
			for _, dev := range d.Devices {
				if dev.Kind == "cuda" && dev.Available {
					req.progress("backend", "auto: using cuda (%s)", dev.Name)
					return p, "cuda", nil
				}
			}
		}
		p.Close()
	}
	p, err := launch(ctx, req.Plugins, plugin.KindBackend, "cpu")
	return p, "cpu", err
}
