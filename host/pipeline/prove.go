package pipeline

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/bits"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/oneiros-zk/oneiros/core/chips/hook"
	"github.com/oneiros-zk/oneiros/core/chips/memtree"
	"github.com/oneiros-zk/oneiros/core/chips/output"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/machine"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/host/planner"
	"github.com/oneiros-zk/oneiros/host/plugin"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/stark"
	"github.com/oneiros-zk/oneiros/sdk/backend"
	"github.com/oneiros-zk/oneiros/sdk/config"
	"github.com/oneiros-zk/oneiros/sdk/config/profile"
	"github.com/oneiros-zk/oneiros/sdk/envelope"
	"github.com/oneiros-zk/oneiros/sdk/verify"
)

// Proved is a proven run.
type Proved struct {
	Execution *Execution
	Envelope  *envelope.Envelope
	Backend   string
	WorkDir   string // where the work was kept (removed unless Request.KeepWork)
	Resumed   int    // segments taken from an earlier attempt's work directory
}

// ErrTooLong is wrapped by the standard profile's refusal of a run longer than one
// segment.
var ErrTooLong = planner.ErrTooLong

// job is a segment cut from the execution, waiting for its proof.
type job struct {
	index             int
	start, cycles     uint64
	inStart, outStart uint32
	hookStart         uint32       // hook calls before the segment
	hookState         hook.State   // the host answers' sponge state where it starts (zero: hook.IV)
	outState          output.State // the output sponge's state where it starts (zero: output.IV)
	// memory is the memory where the segment starts: the words that differ from the
	// program's image (machine.Boundary's); dropped once the segment is handed over.
	memory    []memtree.Touch
	memObject bool   // distributed: memory is in the object store (SegmentObject "mem")
	output    []byte // the segment's output bytes
	final     bool   // the run's last segment (its exit is the run's)
	status    isa.ExitStatus
	code      uint32
	// shape is the catalogue shape the segment is proven padded to (segments.shapes:
	// catalogue; nil: natural heights).
	shape *machine.CatalogueShape
}

// minLogN is the segment's shape as the backend's boundary carries it (nil: natural).
func (j *job) minLogN() []int {
	if j.shape == nil {
		return nil
	}
	return j.shape.MinLogN()
}

// segmenter cuts the record stream into segments of at most capacity cycles as the
// frontend streams it: each segment's records, rebased to clk 0, go to a file in the
// work directory, and a job is queued when the segment is complete. Nothing of the
// trace stays in memory.
type segmenter struct {
	req      *Request
	wd       *workDir
	capacity uint64
	single   bool // the standard profile: a run longer than one segment is refused
	jobs     chan<- *job
	ctx      context.Context
	// cutter cuts the segments by the machine's catalogue (segments.shapes: catalogue):
	// a segment also ends when the next record would make it fit no shape of its class.
	cutter *machine.Cutter

	cur    *job
	file   *os.File
	sw     *trace.StreamWriter
	rec    trace.Record
	inOff  uint32
	outOff uint32
	hooks  uint32       // hook calls so far
	hook   hook.State   // their sponge (zero before the first: hook.IV)
	out    output.State // the output sponge over the output so far (zero before any: output.IV)
	// image is the program's memory image, mem every word the run has accessed so far
	// with its value (word index → value): the memory where the next segment starts.
	image, mem map[uint32]uint32
	cut        int
	cycles     uint64
}

func (s *segmenter) add(r *trace.Record) error {
	if s.cutter != nil {
		shape, err := s.cutter.Add(r)
		if err != nil {
			return err
		}
		if shape != nil {
			if s.single {
				return fmt.Errorf("%w: the run does not fit one segment of the catalogue's (%d cycles and the tables' budgets of class 2^%d): prove it with --profile continuations",
					ErrTooLong, s.cutter.Capacity(), shape.Class)
			}
			s.cur.shape = shape
			if err := s.finish(false); err != nil {
				return err
			}
		}
	} else if s.cur != nil && s.cur.cycles == s.capacity {
		if s.single {
			return fmt.Errorf("%w: the run takes more than %d cycles, the standard profile's single segment (segments.segment_cycles = %d): prove it with --profile continuations",
				ErrTooLong, s.capacity, s.req.Config.Segments.SegmentCycles)
		}
		if err := s.finish(false); err != nil {
			return err
		}
	}
	if s.cur == nil {
		f, err := os.CreateTemp(s.wd.dir, ".tmp-rec-*")
		if err != nil {
			return fmt.Errorf("work directory: %w", err)
		}
		s.cur = &job{index: s.cut, start: s.cycles, inStart: s.inOff, outStart: s.outOff, hookStart: s.hooks, hookState: s.hook,
			outState: s.out, memory: machine.MemoryDiff(s.image, s.mem)}
		s.file, s.sw = f, trace.NewStreamWriter(f)
	}
	// Copy, rebase and write the record (the frontend's record is reused).
	s.rec.Inst, s.rec.B = r.Inst, r.B // the last record's: the exit of a final segment
	one := []trace.Record{*r.Clone()}
	machine.Rebase(one, s.cur.start)
	if err := s.sw.Write(&one[0]); err != nil {
		return fmt.Errorf("work directory: %w", err)
	}
	s.cur.cycles++
	s.cycles++
	if s.mem == nil {
		s.mem = map[uint32]uint32{}
	}
	for _, a := range r.Accesses {
		s.mem[a.Addr/4] = a.After
	}
	if r.Inst.Op == isa.ECALL {
		switch r.Inst.C {
		case isa.SysWrite:
			s.cur.output = append(s.cur.output, r.Sys.Output...)
			if len(r.Sys.Output) > 0 {
				if s.out == (output.State{}) {
					s.out = output.IV()
				}
				s.out = output.Absorb(s.out, s.outOff, r.Sys.Output)
			}
			s.outOff += uint32(len(r.Sys.Output))
		case isa.SysRead:
			s.inOff = r.Sys.InputOffset + uint32(len(r.Sys.Input))
		}
		if e, ok := hook.EntryOf(r); ok {
			if err := machine.ProvableHook(r); err != nil {
				return err
			}
			if s.hooks == 0 {
				s.hook = hook.IV()
			}
			hook.Absorb(&s.hook, e)
			s.hooks++
		}
	}
	return nil
}

// finish closes the current segment and queues its job.
func (s *segmenter) finish(final bool) error {
	if s.cur == nil {
		return nil
	}
	j := s.cur
	j.final = final
	if final {
		j.status, j.code, _ = machine.ExitOf(&s.rec) // the statement checked it ends so
		if s.cutter != nil {
			shape, err := s.cutter.Finish()
			if err != nil {
				return fmt.Errorf("the run's last segment: %w", err)
			}
			j.shape = shape
		}
	}
	if err := s.sw.Close(); err != nil {
		s.file.Close()
		return fmt.Errorf("work directory: %w", err)
	}
	if err := s.file.Close(); err != nil {
		return fmt.Errorf("work directory: %w", err)
	}
	if err := os.Rename(s.file.Name(), s.wd.recordsPath(j.index)); err != nil {
		return fmt.Errorf("work directory: %w", err)
	}
	s.cur, s.file, s.sw = nil, nil, nil
	s.cut++
	s.req.segment(SegmentEvent{Kind: "cut", Index: j.index, Cycles: j.cycles, Executed: s.cycles, Cut: s.cut, Ended: final})
	select {
	case s.jobs <- j:
		return nil
	case <-s.ctx.Done():
		return context.Cause(s.ctx)
	}
}

// abandon drops the current segment's partial records.
func (s *segmenter) abandon() {
	if s.file != nil {
		s.file.Close()
		os.Remove(s.file.Name())
		s.cur, s.file, s.sw = nil, nil, nil
	}
}

// Prove executes the program and proves the run on the chosen backend under the
// request's profile: as one segment (standard), or in segments of
// segments.segment_cycles proven one after another as execution streams them
// (continuations). Each segment's proof is verified in the host and kept in the work
// directory as it completes; the envelope carries them all, in order.
func Prove(ctx context.Context, req *Request) (*Proved, error) {
	name := cmp.Or(req.Profile, req.Config.Profile)
	prof, err := profile.Lookup(name)
	if err != nil {
		return nil, err
	}
	req.Profile = prof.Name
	capacity := planner.Capacity(prof.SegmentCycles(req.Config))
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	t0 := time.Now()
	distributedRun := prof.Schedule == profile.Parallel
	// The backend starts while the frontend loads the program (each is a process to
	// start; a small run's latency is mostly theirs).
	type started struct {
		be   *plugin.Plugin
		name string
		err  error
	}
	backendCh := make(chan started, 1)
	if !distributedRun {
		go func() {
			be, name, err := chooseBackend(ctx, req)
			backendCh <- started{be, name, err}
		}()
	}
	l, err := load(ctx, req)
	var be *plugin.Plugin
	beName := "distributed"
	if !distributedRun {
		s := <-backendCh
		if s.be != nil {
			defer s.be.Close()
		}
		if err == nil {
			be, beName, err = s.be, s.name, s.err
		}
	}
	if err != nil {
		return nil, err // load closes its frontend on failure
	}
	defer l.fe.Close()
	if be != nil {
		if err := checkProtocol(be, beName, req.Config.Engine); err != nil {
			return nil, err
		}
	}
	e := req.Config.Engine
	params := backend.Params{Params: e.FRI(), Workers: e.Workers}
	envParams := envelope.Params{Params: e.FRI(), Machine: machine.New(nil).ID().String()}
	// The claim's context (ISA, source and input digests) is known before proving; every
	// segment's proof is bound to it.
	claim := envelope.Claim{ISA: req.ISA, SourceDigest: envelope.SourceDigest(req.Source), InputDigest: envelope.InputDigest(req.Input)}
	bound := claim.Context()

	// The host's verifier, with the floors the envelope's verifier will apply.
	eng, err := hemera.New(e.Hemera())
	if err != nil {
		return nil, fmt.Errorf("engine parameters: %w", err)
	}
	hm := machine.New(eng)
	// segments.shapes: catalogue: the segments are cut and padded to the machine's
	// catalogue, under the keys of the program's ROM padded to its class.
	var cutter *machine.Cutter
	var catID string
	if req.Config.Segments.Catalogue() {
		if cutter, catID, err = catalogueCutter(hm, l.program, uint32(len(req.Input)), prof.SegmentCycles(req.Config), prof.Schedule == profile.Single); err != nil {
			return nil, err
		}
	}
	// The keys are set up while the program runs and its first segment is proven: the
	// linker is needed only when that proof comes back.
	var linker *machine.Linker
	var setupErr error
	setupDone := make(chan struct{})
	go func() {
		defer close(setupDone)
		var keys *machine.Keys
		var err error
		if cutter != nil {
			keys, err = hm.SetupROM(l.program, cutter.ROMLogN())
		} else {
			keys, err = hm.Setup(l.program)
		}
		if err != nil {
			setupErr = err
			return
		}
		linker = hm.NewLinker(keys.VK, l.program, uint32(len(req.Input)), claim.InputDigest, bound)
	}()
	linkerOf := func() (*machine.Linker, error) {
		<-setupDone
		return linker, setupErr
	}
	defer func() { <-setupDone }() // never return with the setup still running

	key := runKey{Format: workFormat, Machine: envParams.Machine, Params: fmt.Sprintf("%+v", envParams), ProgramID: l.program.ID().String(),
		Input: claim.InputDigest.String(), Context: bound.String(), Capacity: capacity, Catalogue: catID}
	dir := req.WorkDir
	if dir == "" {
		dir = DefaultWorkDir(key.digest())
	}
	warn := func(msg string) { req.progress("warning", "%s", msg) }
	wd, err := openWorkDir(dir, key, warn)
	if errors.Is(err, ErrWorkDirBusy) && req.WorkDir == "" {
		// The same run is being proven by another process: work apart from it.
		tmp, terr := os.MkdirTemp(filepath.Dir(dir), filepath.Base(dir)+"-*")
		if terr != nil {
			return nil, terr
		}
		warn(fmt.Sprintf("%s: proving in %s instead (nothing will be resumed from it)", err, tmp))
		wd, err = openWorkDir(tmp, key, warn)
	}
	if err != nil {
		return nil, err
	}
	defer wd.release()

	// The prover proves the segments in order as the segmenter hands them over. The
	// hand-over waits for the prover: at most two segments' records are on disk (the one
	// being proven and the next, complete), and execution waits meanwhile.
	jobs := make(chan *job)
	pr := &prover{req: req, wd: wd, be: be, beName: beName, params: params, program: l.program, bound: bound, linkerOf: linkerOf,
		machineID: envParams.Machine}
	var coord *coordinator
	if distributedRun {
		url := cmp.Or(req.NATS, req.Config.Distributed.NATSURL)
		workers := req.Config.Distributed.LocalWorkers
		if req.LocalWorkers >= 0 {
			workers = req.LocalWorkers
		}
		if url == "" && workers == 0 {
			return nil, fmt.Errorf("the distributed profile with an embedded NATS server needs local workers: distributed.local_workers (or --local-workers) is 0")
		}
		c, stop, err := startDistributed(ctx, req, pr, key.digest().String(), distOptions{url: url, workers: workers})
		if err != nil {
			return nil, err
		}
		defer stop()
		if !req.KeepWork {
			defer os.RemoveAll(filepath.Join(wd.dir, "nats"))
		}
		coord = c
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if coord != nil {
			if err := coord.distribute(ctx, jobs); err != nil {
				pr.err = err
				cancel(err)
				for range jobs {
				}
			}
			return
		}
		for j := range jobs {
			if err := pr.prove(ctx, j); err != nil {
				pr.err = err
				cancel(err)
				for range jobs { // drain: the segmenter must not block
				}
				return
			}
		}
	}()
	seg := &segmenter{req: req, wd: wd, capacity: capacity, single: prof.Schedule == profile.Single, jobs: jobs, ctx: ctx,
		image: machine.Image(l.program), cutter: cutter}
	t := &tracker{}
	res, execErr := l.execute(ctx, req, t, seg.add)
	l.fe.Close() // execution is over: the frontend's process ends while the last segments are proven
	var st *machine.Statement
	if execErr == nil {
		if st, err = t.statement(l.program, req.Input); err != nil {
			execErr = fmt.Errorf("the run cannot be proven: %s (status %s)", res.TrapReason, res.Status)
		} else if err := machine.Provable(st); err != nil {
			execErr = err
		} else {
			execErr = seg.finish(true)
		}
	}
	if execErr != nil {
		seg.abandon()
		cancel(execErr)
	}
	close(jobs)
	wg.Wait()
	err = pr.err
	if execErr != nil && (err == nil || errors.Is(err, context.Canceled)) {
		err = execErr // the prover stopped because execution failed: say why
	}
	if err != nil {
		if len(pr.proofs) == 0 && pr.resumed == 0 {
			wd.remove() // nothing worth resuming
		}
		return nil, err
	}
	ex := &Execution{Program: l.program, ProgramID: l.program.ID(), Result: res, Statement: st, Frontend: l.name}
	if coord != nil {
		beName = coord.proverSummary()
		coord.cleanup(ctx)
	}
	if _, err := linkerOf(); err != nil {
		return nil, err
	}
	if err := linker.Finish(st); err != nil {
		return nil, fmt.Errorf("%w: the segment proofs do not link into the run: %w", plugin.ErrMalformed, err)
	}
	secs := time.Since(t0).Seconds()
	env := &envelope.Envelope{
		Claim: envelope.Claim{
			ISA: claim.ISA, ProgramID: ex.ProgramID, InputDigest: claim.InputDigest, InputLen: st.InputLen,
			SourceDigest: claim.SourceDigest, OutputDigest: envelope.OutputDigest(st.Output),
			ExitStatus: uint8(st.Status), ExitCode: st.ExitCode, Cycles: st.Cycles,
			HookCount: st.HookCount, HookDigest: st.HookDigest,
		},
		Program: l.program.Encode(), Output: st.Output, Proofs: pr.proofs, Bound: envelope.BoundOf(&claim),
		Params: envParams,
		Meta: envelope.Meta{Backend: beName, Device: deviceName(req.Device), Profile: req.Profile, Frontend: l.name,
			ProveSeconds: pr.seconds, PhaseSeconds: pr.phases},
	}
	req.progress("verify", "checking the envelope in the host (%d segment proofs)", len(pr.proofs))
	// The user's verifier on the envelope as written; it verifies no STARK again when the
	// linker above already verified exactly these proofs against the same statement.
	if err := verify.Envelope(env, verify.Options{MinSecurityBits: e.MinSecurityBits, MinProvableBits: e.MinProvableBits, Workers: e.Workers, Linked: linker}); err != nil {
		if se := (*stark.Error)(nil); errors.As(err, &se) && se.Check == "security" {
			return nil, fmt.Errorf("%w: %w", ErrFloor, err)
		}
		return nil, fmt.Errorf("%w: backend %s produced proofs the verifier rejects: %w", plugin.ErrMalformed, beName, err)
	}
	ex.Seconds = secs
	if !req.KeepWork {
		wd.remove()
	}
	return &Proved{Execution: ex, Envelope: env, Backend: beName, WorkDir: wd.dir, Resumed: pr.resumed}, nil
}

// checkProtocol refuses a backend too old for the engine settings.
func checkProtocol(be *plugin.Plugin, name string, e config.Engine) error {
	d := be.Backend.Description
	if e.ZK && d.ProtocolMinor < 1 { // protocol 1.0 has no EngineParams.zk
		return fmt.Errorf("engine.zk is set, but backend %s speaks plugin protocol %d.%d, which predates zero knowledge (1.1): rebuild the backend against this SDK or set engine.zk: false",
			name, d.ProtocolMajor, d.ProtocolMinor)
	}
	if (e.LogUpGrindingBits > 0 || e.DEEPGrindingBits > 0) && d.ProtocolMinor < 2 { // EngineParams.*_grinding_bits are 1.2
		return fmt.Errorf("engine.logup_grinding_bits or engine.deep_grinding_bits is set, but backend %s speaks plugin protocol %d.%d, which predates them (1.2): rebuild the backend against this SDK or set both to 0",
			name, d.ProtocolMajor, d.ProtocolMinor)
	}
	if (e.ExtDegree != 4 || e.HashScheme() != hash.Narrow) && d.ProtocolMinor < 3 { // EngineParams.ext_degree and hash are 1.3
		return fmt.Errorf("engine.ext_degree %d and engine.hash %s are not the defaults, but backend %s speaks plugin protocol %d.%d, which predates them (1.3): rebuild the backend against this SDK or use ext_degree 4 and hash poseidon2",
			e.ExtDegree, e.Hash, name, d.ProtocolMajor, d.ProtocolMinor)
	}
	return nil
}

// prover proves queued segments one after another, verifying and keeping each.
type prover struct {
	req     *Request
	wd      *workDir
	be      *plugin.Plugin
	beName  string
	params  backend.Params
	program *isa.Program
	bound   hash.Digest // the claim's context
	// linkerOf waits for the host's keys (set up concurrently) and returns the linker
	// that verifies and links the segment proofs in order.
	linkerOf func() (*machine.Linker, error)

	machineID string // the zkVM tables' ID

	proofs  [][]byte
	phases  map[string]float64
	seconds float64
	proven  uint64
	resumed int
	err     error
}

func (p *prover) event(kind string, j *job, secs float64) {
	p.proven += j.cycles
	p.req.segment(SegmentEvent{Kind: kind, Index: j.index, Cycles: j.cycles, Proven: p.proven, Done: len(p.proofs), Seconds: secs})
}

// resume links segment j from the proof an earlier attempt left in the work directory,
// when there is one and it verifies here; a kept proof that fails is removed, with a
// warning.
func (p *prover) resume(j *job) bool {
	path := p.wd.proofPath(j.index)
	b, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	lk, err := p.linkerOf()
	if err == nil {
		// The shape before the linker, which a verified proof advances.
		if err = checkShape(b, j); err == nil {
			_, err = lk.VerifyEncoded(b, j.output, j.status, j.code)
		}
	}
	if err == nil {
		p.proofs = append(p.proofs, b)
		p.resumed++
		p.event("resumed", j, 0)
		os.Remove(p.wd.recordsPath(j.index))
		return true
	}
	p.req.progress("warning", "segment %d's proof in the work directory %s does not verify (%v): proving it again", j.index, p.wd.dir, err)
	os.Remove(path)
	return false
}

// errRejected marks a segment proof that the host refuses (it does not decode, verify
// or link): the distributed coordinator retries it elsewhere.
type errRejected struct{ err error }

func (e *errRejected) Error() string { return e.err.Error() }
func (e *errRejected) Unwrap() error { return e.err }

// accept verifies and links segment j's proof, made by by, keeps it in the work
// directory and deletes the segment's records.
func (p *prover) accept(j *job, data []byte, secs float64, phases map[string]float64, by string) error {
	kept := fmt.Sprintf("the %d segment proofs before it are kept in %s", len(p.proofs), p.wd.dir)
	lk, err := p.linkerOf()
	if err != nil {
		return err
	}
	if err := checkShape(data, j); err != nil {
		return &errRejected{fmt.Errorf("%w: %s: segment %d: %w (%s)", plugin.ErrMalformed, by, j.index, err, kept)}
	}
	if _, err := lk.VerifyEncoded(data, j.output, j.status, j.code); err != nil {
		if de := (*machine.DecodeError)(nil); errors.As(err, &de) {
			return &errRejected{fmt.Errorf("%w: %s: segment %d: %w (%s)", plugin.ErrMalformed, by, j.index, err, kept)}
		}
		if se := (*stark.Error)(nil); errors.As(err, &se) && se.Check == "security" {
			return fmt.Errorf("%w: %w", ErrFloor, err)
		}
		return &errRejected{fmt.Errorf("%w: %s produced a proof of segment %d that the verifier rejects: %w (%s)", plugin.ErrMalformed, by, j.index, err, kept)}
	}
	if err := writeAtomic(p.wd.proofPath(j.index), data); err != nil {
		return fmt.Errorf("segment %d: keeping its proof: %w", j.index, err)
	}
	os.Remove(p.wd.recordsPath(j.index))
	p.proofs = append(p.proofs, data)
	p.seconds += secs
	if p.phases == nil {
		p.phases = map[string]float64{}
	}
	for k, v := range phases {
		p.phases[k] += v
	}
	p.event("proved", j, secs)
	return nil
}

// prove proves one segment on the local backend, or takes its proof from the work
// directory when an earlier attempt left one that verifies here, and links it.
func (p *prover) prove(ctx context.Context, j *job) error {
	defer os.Remove(p.wd.recordsPath(j.index))
	if p.resume(j) {
		return nil
	}
	if err := checkFloor(p.req.Config.Engine, j.cycles); err != nil {
		return err
	}
	f, err := os.Open(p.wd.recordsPath(j.index))
	if err != nil {
		return fmt.Errorf("segment %d: its records: %w", j.index, err)
	}
	defer f.Close()
	in := p.req.Input
	p.req.progress("prove", "segment %d: proving %d cycles on backend %s", j.index, j.cycles, p.beName)
	t0 := time.Now()
	proof, err := p.be.Backend.ProveSegment(ctx, backend.ProveRequest{
		Params: p.params, Program: p.program.Encode(), SegmentIndex: uint64(j.index), Device: deviceName(p.req.Device), Records: f,
		Boundary: machine.Boundary{InputLen: uint32(len(in)), Context: p.bound, InStart: j.inStart, OutStart: j.outStart,
			HookStart: j.hookStart, HookState: j.hookState, OutState: j.outState, Memory: j.memory, Input: in, MinLogN: j.minLogN()}.Encode(),
		Progress: func(pg backend.Progress) {
			p.req.progress("prove", "segment %d: %s %.0f%%", j.index, pg.Phase, 100*pg.Fraction)
		},
	})
	if err != nil {
		return fmt.Errorf("segment %d: %w", j.index, err)
	}
	return p.accept(j, proof.Data, time.Since(t0).Seconds(), proof.PhaseSeconds, "backend "+p.beName)
}

// catalogueCutter is the cutter of a run of program p by the machine's catalogue into
// segments of segmentCycles (single: one segment, of the program's largest class), and
// the catalogue's ID.
func catalogueCutter(m *machine.Machine, p *isa.Program, inputLen uint32, segmentCycles uint64, single bool) (*machine.Cutter, string, error) {
	cat, err := m.CatalogueV1()
	if err != nil {
		return nil, "", err
	}
	rom, err := cat.ROMLogN(len(p.Code))
	if err != nil {
		return nil, "", fmt.Errorf("segments.shapes: catalogue: %w", err)
	}
	k := bits.Len64(segmentCycles) - 1
	if classes := cat.Classes(rom); single {
		k = slices.Max(classes)
	} else if !slices.Contains(classes, k) {
		return nil, "", fmt.Errorf("segments.shapes: catalogue cuts segments of 2^k cycles for k in %v (a program of %d instructions, ROM class 2^%d): segments.segment_cycles is %d",
			classes, len(p.Code), rom, segmentCycles)
	}
	c, err := cat.NewCutter(m, p, inputLen, k)
	if err != nil {
		return nil, "", err
	}
	return c, fmt.Sprintf("%s/%s", cat.Name(), cat.ID()), nil
}

// checkShape refuses an encoded segment proof that is not at the shape its segment was
// cut for (a backend that ignored the boundary's shape, or a row count that disagrees
// with the prover's): its aggregation would not be the catalogue's. A proof that does
// not decode is left to the linker, which names it.
func checkShape(b []byte, j *job) error {
	if j.shape == nil {
		return nil
	}
	sp, err := machine.DecodeSegmentProof(b)
	if err != nil {
		return nil
	}
	cat, err := machine.New(nil).CatalogueV1()
	if err != nil {
		return err
	}
	return cat.Check(sp, j.shape)
}
