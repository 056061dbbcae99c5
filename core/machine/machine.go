package machine

import (
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/bytetable"
	"github.com/oneiros-zk/oneiros/core/chips/hook"
	chipinput "github.com/oneiros-zk/oneiros/core/chips/input"
	chipio "github.com/oneiros-zk/oneiros/core/chips/io"
	"github.com/oneiros-zk/oneiros/core/chips/memory"
	"github.com/oneiros-zk/oneiros/core/chips/memtree"
	"github.com/oneiros-zk/oneiros/core/chips/output"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/core/chips/rom"
	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/kernel"
	"github.com/oneiros-zk/oneiros/proving/lookup"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// Machine proves runs of the normalized ISA with the Hemera Engine.
type Machine struct {
	engine *hemera.Engine
	chips  []chip
	store  CatalogueStore // where catalogue leaf refs are kept (nil: memory only)
	cat    *Catalogue     // the catalogue Aggregate cuts by and VerifyAggregated knows (nil: CatalogueV1)
}

// New returns a machine proving on the given engine.
func New(e *hemera.Engine) *Machine { return &Machine{engine: e, chips: slices.Clone(standard())} }

// Engine returns the engine.
func (m *Machine) Engine() *hemera.Engine { return m.engine }

// Tables lists the machine's tables by name, in proof order.
func (m *Machine) Tables() []string {
	names := make([]string, len(m.chips))
	for i, c := range m.chips {
		names[i] = c.name
	}
	return names
}

// ID is a digest of the machine's tables (every AIR, in order) and of the version of
// the statement its proofs bind: proofs made by a machine with another ID (another
// OneirOS version with other chips, or one whose proofs bound the claim's context of
// version 1, before core/claim) cannot verify here.
func (m *Machine) ID() hash.Digest {
	std := standard()
	same := len(m.chips) == len(std)
	for i := 0; same && i < len(std); i++ {
		same = m.chips[i].air == std[i].air
	}
	if same {
		return standardID()
	}
	return idOf(m.chips)
}

func idOf(chips []chip) hash.Digest {
	var b []byte
	for _, c := range chips {
		d := stark.AIRDigest(c.air)
		b = append(b, d.Bytes()...)
	}
	return hash.Tagged("oneiros/machine/v2", b) // v2: the claim context of core/claim
}

// Keys are the proving and verifying keys of one program.
type Keys struct {
	PK *stark.ProvingKey
	VK *stark.VerifyingKey
}

// Setup derives the keys of a program: the machine's AIRs and the preprocessed columns
// (the program's ROM and the fixed lookup tables). Prover and verifier both run it.
// The keys of the last few programs are kept (setup is deterministic and the keys are
// read-only): a run's segments, and the host's linker and envelope check, share them.
func (m *Machine) Setup(p *isa.Program) (*Keys, error) {
	// The keys depend on the proof parameters (fri.Params), not on the floors or the
	// workers: a prover and a verifier with other floors share them.
	key := fmt.Sprintf("%s|%+v|%s|%s", m.engine.Kernels().Name(), m.engine.Params().FRI, m.ID(), p.ID())
	if k := keysCache.get(key); k != nil {
		return k, nil
	}
	k, err := m.setup(p)
	if err != nil {
		return nil, err
	}
	keysCache.put(key, k)
	return k, nil
}

// keysCache holds the keys of the last few (machine, engine, program) triples.
var keysCache = &lru{size: 4}

type lru struct {
	sync.Mutex
	size    int
	entries []lruEntry // most recent first
}

type lruEntry struct {
	key  string
	keys *Keys
}

func (c *lru) get(key string) *Keys {
	c.Lock()
	defer c.Unlock()
	for i, e := range c.entries {
		if e.key == key {
			copy(c.entries[1:i+1], c.entries[:i])
			c.entries[0] = e
			return e.keys
		}
	}
	return nil
}

func (c *lru) put(key string, k *Keys) {
	c.Lock()
	defer c.Unlock()
	c.entries = append([]lruEntry{{key, k}}, c.entries...)
	if len(c.entries) > c.size {
		c.entries = c.entries[:c.size]
	}
}

func (m *Machine) setup(p *isa.Program) (*Keys, error) {
	airs := make([]*air.AIR, len(m.chips))
	prep := make([][][]field.Elem, len(m.chips))
	optional := make([]bool, len(m.chips))
	for i, c := range m.chips {
		airs[i] = c.air
		optional[i] = c.optional
		if c.prep != nil {
			prep[i] = c.prep(p)
		}
	}
	pk, vk, err := m.engine.Setup(airs, prep, optional)
	if err != nil {
		return nil, fmt.Errorf("machine: setup: %w", err)
	}
	return &Keys{PK: pk, VK: vk}, nil
}

// Statement is what a proof of a run claims and what its verifier knows: the program,
// how the run ended, how many cycles it took, its public output, and its input's length
// and digest (package input's commitment to the whole input tape).
type Statement struct {
	Program  *isa.Program
	Status   isa.ExitStatus
	ExitCode uint32
	Cycles   uint64
	Output   []byte
	InputLen uint32 // the private input's length (its content stays private)
	// InputDigest commits to the input's content (package input's Digest): a public
	// value of the input table, which proves it is the digest of the input the READs read.
	InputDigest hash.Digest
	// Input is the private input itself: the prover's witness (the input table holds its
	// words), never part of what a verifier knows; a verifier leaves it nil.
	Input []byte
	// HookCount and HookDigest are the run's log of host answers (package hook): the
	// number of hook calls and the digest of the sponge over their entries, proven by
	// the hook table of the segments that make them (0 and the zero digest without hooks).
	HookCount  uint32
	HookDigest hash.Digest
	// Context binds the proof to what the claim says beyond the run (sdk/envelope's
	// Claim.Context: the ISA, the source digest, the input digest): the CPU table's
	// context public values, absorbed into the transcript. No constraint reads them.
	Context hash.Digest
}

// Execute runs a program and keeps its records for proving.
func Execute(ctx context.Context, p *isa.Program, opts exec.Options) (*exec.Result, []trace.Record, error) {
	var recs []trace.Record
	opts.Sink = func(r *trace.Record) error {
		recs = append(recs, *r.Clone())
		return nil
	}
	res, err := exec.Run(ctx, p, opts)
	if err != nil {
		return nil, nil, err
	}
	return res, recs, nil
}

// StatementOf is the statement of a finished run.
func StatementOf(p *isa.Program, res *exec.Result, input []byte) *Statement {
	return &Statement{Program: p, Status: res.ExitStatus, ExitCode: res.ExitCode, Cycles: res.Cycles, Output: res.Output,
		InputLen: uint32(len(input)), InputDigest: chipinput.Digest(input), Input: input}
}

// Provable reports why a statement cannot be proven, or nil.
func Provable(st *Statement) error {
	// The executor runs only valid programs; the ROM's decoding (e.g. a slot offset / 4)
	// is exact only for them.
	if st.Program == nil {
		return fmt.Errorf("machine: a statement without a program")
	}
	if err := st.Program.Validate(); err != nil {
		return fmt.Errorf("machine: %w", err)
	}
	if st.Status != isa.StatusHalted && st.Status != isa.StatusTrap {
		return fmt.Errorf("machine: the run ended with %q; only runs that end with HALT or TRAP can be proven yet", st.Status)
	}
	if st.Cycles == 0 {
		return fmt.Errorf("machine: a run of 0 cycles")
	}
	// The ROM's pc and the CPU's entry are field elements: every pc must be below p.
	if len(st.Program.Code) > MaxCode {
		return fmt.Errorf("machine: a program of %d instructions cannot be proven (at most %d)", len(st.Program.Code), MaxCode)
	}
	// output_len is a field element; each WRITE cycle writes at most 4 bytes.
	if uint64(len(st.Output)) > 4*st.Cycles || len(st.Output) >= MaxOutput {
		return fmt.Errorf("machine: %d bytes of output from %d cycles (at most 4 per cycle, below 2^30 in all)", len(st.Output), st.Cycles)
	}
	// The I/O chip's input_len is a field element: a length of p + k would read as k.
	if st.InputLen >= chipio.MaxInputLen {
		return fmt.Errorf("machine: an input of %d bytes cannot be proven (at most %d)", st.InputLen, chipio.MaxInputLen-1)
	}
	// Each hook call is a cycle; a log of no call has the empty sponge's digest.
	if uint64(st.HookCount) > st.Cycles {
		return fmt.Errorf("machine: %d hook calls in %d cycles", st.HookCount, st.Cycles)
	}
	if st.HookCount == 0 && st.HookDigest != hook.Digest(hook.IV()) {
		return fmt.Errorf("machine: a run without hook calls with a hook digest other than the empty log's")
	}
	// A prover's statement carries the input: it must be the one the statement names.
	if st.Input != nil && (uint32(len(st.Input)) != st.InputLen || chipinput.Digest(st.Input) != st.InputDigest) {
		return fmt.Errorf("machine: the statement's input (%d bytes) is not the one its input_len (%d) and input digest name", len(st.Input), st.InputLen)
	}
	return nil
}

// MaxCycles is the longest segment one proof holds: timestamps must stay below 2^28.
// Longer runs are proven in several segments (ProveSegment, VerifySegments).
const MaxCycles = 1<<21 - 2

// MaxCode bounds a provable program's instruction count, so that every pc (a field
// element in the ROM and the CPU) is below p.
const MaxCode = 1 << 30

// Image returns the program's initial memory image as word index → word.
func Image(p *isa.Program) map[uint32]uint32 {
	img := map[uint32]uint32{}
	for _, s := range p.Data {
		for i, b := range s.Bytes {
			addr := s.Addr + uint32(i)
			w := addr / 4
			img[w] |= uint32(b) << (8 * (addr % 4))
		}
	}
	return img
}

// ImageTree is the program's initial memory image as a Merkle tree (package memtree):
// the memory where a run's first segment starts.
func ImageTree(p *isa.Program) (*memtree.Tree, error) {
	return MemoryTree(p, nil)
}

// MemoryTree is the tree of the program's image with the given words set (e.g. the words
// a run changed before a segment, as a Boundary carries them).
func MemoryTree(p *isa.Program, set []memtree.Touch) (*memtree.Tree, error) {
	img := Image(p)
	for _, w := range set {
		img[w.Addr] = w.Value
	}
	t, err := memtree.FromWords(img)
	if err != nil {
		return nil, fmt.Errorf("machine: %w", err)
	}
	return t, nil
}

// ImageRoot is the root of the program's image tree, the memory's root where a run
// starts: computed once per program (the last few are kept).
func ImageRoot(p *isa.Program) hash.Digest {
	id := p.ID()
	imageRoots.Lock()
	defer imageRoots.Unlock()
	for _, e := range imageRoots.entries {
		if e.id == id {
			return e.root
		}
	}
	t, err := ImageTree(p)
	var root hash.Digest
	if err == nil {
		root = t.Root()
	} // a valid program's data lies below 2^32 bytes, so its words below 2^30: no error
	imageRoots.entries = append([]imageRoot{{id, root}}, imageRoots.entries...)
	if len(imageRoots.entries) > 8 {
		imageRoots.entries = imageRoots.entries[:8]
	}
	return root
}

type imageRoot struct {
	id, root hash.Digest
}

var imageRoots struct {
	sync.Mutex
	entries []imageRoot
}

// collect splits the records into the other chips' events.
func collect(p *isa.Program, recs []trace.Record) *events {
	ev := &events{mem: memory.NewTable(nil), rc: new(rangetable.Counter), bc: new(bytetable.Counter), romCounts: make([]uint64, len(p.Code))}
	for i := range recs {
		r := &recs[i]
		ev.romCounts[r.PC]++
		var data []trace.Access
		for _, a := range r.Accesses {
			ev.mem.Touch(a.Addr/4, a.Before, a.After, a.TS)
			if s := a.Slot(); s >= trace.SlotData && s != trace.SlotLoadA {
				data = append(data, a)
			}
		}
		switch r.Inst.Op.Class() {
		case isa.ClassALU:
			ev.alu = append(ev.alu, bus.ALUEvent{Op: uint32(r.Inst.Op), X: r.B, Y: r.C, Z: r.A})
		case isa.ClassBranch:
			var z uint32
			if exec.BranchTaken(r.Inst.Op, r.A, r.B) {
				z = 1
			}
			ev.alu = append(ev.alu, bus.ALUEvent{Op: rom.BranchOp[r.Inst.Op], X: r.A, Y: r.B, Z: z})
		case isa.ClassLoad, isa.ClassStore:
			ev.loadStore = append(ev.loadStore, bus.LoadStoreEvent{Clk: r.Clk, Op: uint32(r.Inst.Op), Base: r.B, Off: r.C, Val: r.A, Words: data})
		case isa.ClassCall:
			fe := bus.FrameEvent{Clk: r.Clk, Call: true, FP: r.NextFP / 4, PC: r.PC + 1, SavedFP: r.FP / 4}
			copy(fe.Words[:], data)
			ev.frame = append(ev.frame, fe)
		case isa.ClassRet:
			fe := bus.FrameEvent{Clk: r.Clk, FP: r.FP / 4, PC: r.NextPC, SavedFP: r.NextFP / 4}
			copy(fe.Words[:], data)
			ev.frame = append(ev.frame, fe)
		case isa.ClassEcall:
			ev.syscall = append(ev.syscall, bus.SyscallEvent{Clk: r.Clk, Number: r.Inst.C, A: r.A, B: r.B, Rec: r})
		}
	}
	return ev
}

// Prove proves a run of at most MaxCycles cycles from its records, as one segment.
func (m *Machine) Prove(keys *Keys, st *Statement, recs []trace.Record) (*SegmentProof, error) {
	p, _, err := m.ProveReport(keys, st, recs)
	return p, err
}

// Report says where a proof's time went and how big its tables were.
type Report struct {
	TraceSeconds float64            // building every table's trace from the records
	ProveSeconds float64            // the STARK (commitments, quotient, openings, FRI)
	Rows         map[string]int     // rows per table (0: left out)
	Columns      map[string]int     // main columns per table
	Kernels      map[string]float64 // seconds per kernel, when the engine's kernels are timed
}

// ProveReport is Prove with a report of the phases.
func (m *Machine) ProveReport(keys *Keys, st *Statement, recs []trace.Record) (*SegmentProof, *Report, error) {
	return m.ProveReportContext(context.Background(), keys, st, recs)
}

// ProveReportContext is ProveReport that stops with ctx's error when ctx is done
// (between the trace building and the proof's phases).
func (m *Machine) ProveReportContext(ctx context.Context, keys *Keys, st *Statement, recs []trace.Record) (*SegmentProof, *Report, error) {
	if err := Provable(st); err != nil {
		return nil, nil, err
	}
	if st.Cycles > MaxCycles {
		return nil, nil, fmt.Errorf("machine: a run of %d cycles cannot be proven in one segment (1 … %d): prove it in segments", st.Cycles, MaxCycles)
	}
	return m.proveReportContext(ctx, keys, st, recs)
}

// proveReport is ProveReport without the statement's checks (tests use it to make the
// proofs of forged statements that the verifier must reject).
func (m *Machine) proveReport(keys *Keys, st *Statement, recs []trace.Record) (*SegmentProof, *Report, error) {
	return m.proveReportContext(context.Background(), keys, st, recs)
}

func (m *Machine) proveReportContext(ctx context.Context, keys *Keys, st *Statement, recs []trace.Record) (*SegmentProof, *Report, error) {
	if uint64(len(recs)) != st.Cycles {
		return nil, nil, fmt.Errorf("machine: %d records for a run of %d cycles", len(recs), st.Cycles)
	}
	if uint32(len(st.Input)) != st.InputLen {
		return nil, nil, fmt.Errorf("machine: proving needs the statement's input (%d bytes given, input_len %d)", len(st.Input), st.InputLen)
	}
	t0 := time.Now()
	return m.proveEventsContext(ctx, keys, st, recs, collect(st.Program, recs), t0)
}

// proveEvents proves a run as one segment from its records and the events collected
// from them, with the statement's claims as the segment's (tests alter the events and
// the statement to build forged witnesses).
func (m *Machine) proveEvents(keys *Keys, st *Statement, recs []trace.Record, ev *events, t0 time.Time) (*SegmentProof, *Report, error) {
	ev.forged = true // the memory table may be forged: the prover does not refuse it
	return m.proveEventsContext(context.Background(), keys, st, recs, ev, t0)
}

func (m *Machine) proveEventsContext(ctx context.Context, keys *Keys, st *Statement, recs []trace.Record, ev *events, t0 time.Time) (*SegmentProof, *Report, error) {
	return m.proveView(ctx, keys, statementView(st, recs), recs, ev, st.Input, t0)
}

// statementView is the view of a run proven as one segment, with the statement's claims
// as the segment's (its touched words are filled in from the events by proveView).
func statementView(st *Statement, recs []trace.Record) *segmentView {
	ss := &SegmentState{Cycles: st.Cycles, Final: true, OutEnd: uint32(len(st.Output)), HookState: hook.IV(),
		OutState: output.Absorb(output.IV(), 0, st.Output)}
	if s, _, _, _, err := SegmentOf(&SegmentRun{Program: st.Program, Input: st.Input}, recs); err == nil {
		ss.InEnd, ss.HookEnd, ss.HookState = s.InEnd, s.HookEnd, s.HookState
	}
	// The sponge absorbs the input the statement carries: its length is input_len for an
	// honest prover (Prove checks it); a forged statement of tests may claim a longer one
	// (input_len p + 5 over 5 bytes), whose blocks past the input a cheating prover need
	// not hash (2^27 permutations, minutes).
	ss.InState = chipinput.Advance(st.Input, chipinput.Start(st.InputLen), 0, chipinput.Blocks(uint32(len(st.Input))))
	return &segmentView{program: st.Program, entryPC: st.Program.Entry, entryFP: st.Program.FP, state: ss, hookState: hook.IV(), outState: output.IV(),
		status: st.Status, exitCode: st.ExitCode, output: st.Output, inputLen: st.InputLen, inputDigest: st.InputDigest, claim: st.Context}
}

// proveWitness builds every table's trace from the records and events and proves them
// against the given public values and messages.
func (m *Machine) proveWitness(ctx context.Context, keys *Keys, publics [][]field.Elem, msgs []lookup.Message, recs []trace.Record, ev *events, inputLen uint32, input []byte, t0 time.Time) (*stark.Proof, *Report, error) {
	rep := &Report{Rows: map[string]int{}, Columns: map[string]int{}}
	ev.inputLen = inputLen
	if ev.input == nil {
		ev.input = input
	}
	if err := checkProvable(ev); err != nil {
		return nil, nil, err
	}
	if err := m.checkChips(ev); err != nil {
		return nil, nil, err
	}
	if err := m.padTo(keys, ev); err != nil {
		return nil, nil, err
	}
	w := &stark.Witness{Main: make([][][]field.Elem, len(m.chips)), Publics: publics, Bus: msgs}
	// The CPU first: its trace counts range lookups too.
	for i, c := range m.chips {
		var err error
		if c.name == "cpu" {
			w.Main[i] = cpuTrace(recs, ev)
			continue
		}
		if w.Main[i], err = c.trace(ev); err != nil {
			return nil, nil, fmt.Errorf("machine: %s trace: %w", c.name, err)
		}
	}
	if err := m.checkPadded(ev, w.Main); err != nil {
		return nil, nil, err
	}
	for i, c := range m.chips {
		rep.Columns[c.name] = len(c.air.Main)
		if len(w.Main[i]) > 0 {
			rep.Rows[c.name] = len(w.Main[i][0])
		}
	}
	rep.TraceSeconds = time.Since(t0).Seconds()
	t1 := time.Now()
	timed, _ := m.engine.Kernels().(*kernel.Timed)
	var before map[string]float64
	if timed != nil {
		before = timed.Timings()
	}
	if err := context.Cause(ctx); err != nil {
		return nil, nil, err
	}
	proof, err := m.engine.ProveContext(ctx, keys.PK, w)
	if err != nil {
		return nil, nil, err
	}
	rep.ProveSeconds = time.Since(t1).Seconds()
	if timed != nil {
		rep.Kernels = map[string]float64{}
		for k, v := range timed.Timings() {
			rep.Kernels[k] = v - before[k]
		}
	}
	return proof, rep, nil
}

func (m *Machine) has(name string) bool {
	for _, c := range m.chips {
		if c.name == name {
			return true
		}
	}
	return false
}

func (m *Machine) checkChips(ev *events) error {
	if len(ev.loadStore) > 0 && !m.has("loadstore") {
		return fmt.Errorf("machine: loads and stores have no chip yet: this run cannot be proven")
	}
	if len(ev.frame) > 0 && !m.has("frame") {
		return fmt.Errorf("machine: CALL and RET have no chip yet: this run cannot be proven")
	}
	for _, s := range ev.syscall {
		if !m.servesSyscall(s.Number) {
			return fmt.Errorf("machine: syscall 0x%x has no chip yet: this run cannot be proven", s.Number)
		}
	}
	return nil
}

func (m *Machine) servesSyscall(n uint32) bool {
	switch n {
	case isa.SysRead, isa.SysInputLen, isa.SysWrite:
		return m.has("io")
	case isa.SysKeccakF:
		return m.has("keccak")
	case isa.SysSHA256Compress:
		return m.has("sha256")
	}
	if hook.Handles(n) {
		return m.has("hook")
	}
	if isa.U256Operands(n) > 0 {
		return m.has("u256_memory")
	}
	return false
}

// Verify checks a one-segment proof of a statement against the program's verifying key.
func (m *Machine) Verify(vk *stark.VerifyingKey, st *Statement, proof *SegmentProof) error {
	return m.VerifySegments(vk, st, []*SegmentProof{proof})
}

// checkHeights refuses a proof whose table heights do not fit the tables.
func (m *Machine) checkHeights(vk *stark.VerifyingKey, proof *stark.Proof) error {
	if len(proof.LogN) != len(vk.AIRs) {
		return fmt.Errorf("the proof has %d table heights for %d tables", len(proof.LogN), len(vk.AIRs))
	}
	for t, l := range proof.LogN {
		if l != stark.Absent && (l < 0 || l+vk.LogBlowup > field.TwoAdicity) {
			return fmt.Errorf("table %s has height 2^%d, out of range", vk.AIRs[t].Name, l)
		}
	}
	return nil
}

// Security is the security accounting of a one-segment proof of a statement under this
// machine's engine, as Verify's floors see it (the proof's table heights, the
// segment's public messages). A proof whose heights do not fit the tables has none.
func (m *Machine) Security(vk *stark.VerifyingKey, st *Statement, proof *SegmentProof) (hemera.Security, error) {
	s, err := m.SegmentsSecurity(vk, st, []*SegmentProof{proof})
	if err != nil {
		return hemera.Security{}, err
	}
	return s[0], nil
}

// StatementFromRecords derives a run's statement from its records: the number of cycles,
// the public output (the bytes of every WRITE), and how it ended (the last record's HALT
// or TRAP and its operand), with the private input the run read (its length and digest).
// A record stream that does not end with HALT or TRAP has no provable statement.
func StatementFromRecords(p *isa.Program, recs []trace.Record, input []byte) (*Statement, error) {
	if len(recs) == 0 {
		return nil, fmt.Errorf("machine: no records")
	}
	st := &Statement{Program: p, Cycles: uint64(len(recs)), InputLen: uint32(len(input)), InputDigest: chipinput.Digest(input), Input: input}
	for i := range recs {
		r := &recs[i]
		if r.Clk != uint64(i) {
			return nil, fmt.Errorf("machine: record %d has clk %d", i, r.Clk)
		}
		if r.Inst.Op == isa.ECALL && r.Inst.C == isa.SysWrite {
			st.Output = append(st.Output, r.Sys.Output...)
		}
	}
	st.HookCount, st.HookDigest = HooksOf(recs)
	var err error
	if st.Status, st.ExitCode, err = ExitOf(&recs[len(recs)-1]); err != nil {
		return nil, err
	}
	return st, nil
}

// HooksOf is the log of host answers of a run's records: the number of hook calls and
// the digest of their entries (package hook), as a statement claims them.
func HooksOf(recs []trace.Record) (uint32, hash.Digest) {
	s, n := hook.IV(), uint32(0)
	for i := range recs {
		if e, ok := hook.EntryOf(&recs[i]); ok {
			hook.Absorb(&s, e)
			n++
		}
	}
	return n, hook.Digest(s)
}

// ExitOf is how a run whose last record is r ends: HALT or TRAP and its operand, or an
// error saying the run stops elsewhere (it trapped in the executor or was cut short).
func ExitOf(r *trace.Record) (isa.ExitStatus, uint32, error) {
	switch r.Inst.Op {
	case isa.HALT:
		return isa.StatusHalted, r.B, nil
	case isa.TRAP:
		return isa.StatusTrap, r.B, nil
	}
	return 0, 0, fmt.Errorf("machine: the run stops at pc %d (%s) without HALT or TRAP: it trapped or was cut short, and cannot be proven", r.PC, r.Inst.Op)
}

// Boundary is a segment's boundary information, sent to the backend with the segment's
// records (rebased to start at clk 0: Rebase): the length of the private input, the
// claim's context digest (Statement.Context), the input and output offsets where the
// segment starts, the number of hook calls before it and the host answers' sponge state
// there (package hook; the zero state stands for the initial one, hook.IV), the output
// sponge's state where the segment's output starts (package output; the zero state
// stands for output.IV), the input itself (the prover computes the input sponge's state where the segment
// starts from it, and a final segment absorbs the words no READ reached), and the memory where the segment starts, as the words that differ from
// the program's image (by increasing address: the backend builds the memory tree with
// MemoryTree). Everything else about the segment's start (pc, fp) is in its records.
type Boundary struct {
	InputLen          uint32
	Context           hash.Digest
	InStart, OutStart uint32
	HookStart         uint32
	HookState         hook.State
	OutState          output.State
	Memory            []memtree.Touch // the words that differ from the image
	Input             []byte          // InputLen bytes
	// MinLogN is the segment's shape when it is cut by a catalogue (SegmentRun.MinLogN;
	// nil: natural heights): the backend proves it padded so, under the keys of the ROM
	// height it names (SetupROM).
	MinLogN []int
}

// boundaryVersion is the first byte of an encoded Boundary (version 5 added the hook
// count and state, version 6 the memory, version 7 the output sponge's state); a
// boundary with a shape (MinLogN) is version 8: a table count and a byte per table
// after the memory.
const (
	boundaryVersion      = 7
	boundaryShapeVersion = 8
)

const boundaryHead = 21 + hash.DigestByteSize + 8*hash.Width // through the memory's word count

// Encode serializes the boundary (little-endian; version byte first, then the head, the
// memory's word count and (address, value) pairs, and the input last).
func (b Boundary) Encode() []byte {
	out := binary.LittleEndian.AppendUint32([]byte{boundaryVersion}, b.InputLen)
	out = append(out, b.Context.Bytes()...)
	out = binary.LittleEndian.AppendUint32(out, b.InStart)
	out = binary.LittleEndian.AppendUint32(out, b.OutStart)
	out = binary.LittleEndian.AppendUint32(out, b.HookStart)
	for i := range b.HookState {
		out = binary.LittleEndian.AppendUint32(out, uint32(b.HookState[i].Uint64()))
	}
	for i := range b.OutState {
		out = binary.LittleEndian.AppendUint32(out, uint32(b.OutState[i].Uint64()))
	}
	out = append(out, EncodeMemory(b.Memory)...)
	if b.MinLogN != nil {
		out[0] = boundaryShapeVersion
		out = append(out, byte(len(b.MinLogN)))
		for _, l := range b.MinLogN {
			out = append(out, byte(max(l, 0)))
		}
	}
	return append(out, b.Input...)
}

// DecodeBoundary parses Encode's output; it never panics.
func DecodeBoundary(b []byte) (Boundary, error) {
	if len(b) < boundaryHead || (b[0] != boundaryVersion && b[0] != boundaryShapeVersion) {
		return Boundary{}, fmt.Errorf("machine: malformed segment boundary (%d bytes, version %d; want at least %d bytes, version %d or %d)", len(b), first(b), boundaryHead, boundaryVersion, boundaryShapeVersion)
	}
	n := binary.LittleEndian.Uint32(b[1:])
	words := uint64(binary.LittleEndian.Uint32(b[boundaryHead-4:]))
	if uint64(len(b)-boundaryHead) < 8*words {
		return Boundary{}, fmt.Errorf("machine: segment boundary: %d memory words in %d bytes", words, len(b)-boundaryHead)
	}
	rest := b[boundaryHead+8*words:]
	var minLogN []int
	if b[0] == boundaryShapeVersion {
		if len(rest) < 1 || len(rest)-1 < int(rest[0]) || rest[0] == 0 {
			return Boundary{}, fmt.Errorf("machine: segment boundary: a shape cut short (%d bytes left)", len(rest))
		}
		k := int(rest[0])
		minLogN = make([]int, k)
		for i := range k {
			minLogN[i] = int(rest[1+i])
		}
		rest = rest[1+k:]
	}
	if uint64(len(rest)) != uint64(n) {
		return Boundary{}, fmt.Errorf("machine: segment boundary: %d bytes of input, input_len %d", len(rest), n)
	}
	ctx, err := hash.DigestFromBytes(b[5 : 5+hash.DigestByteSize])
	if err != nil {
		return Boundary{}, fmt.Errorf("machine: segment boundary: context: %w", err)
	}
	in := binary.LittleEndian.Uint32(b[5+hash.DigestByteSize:])
	out := binary.LittleEndian.Uint32(b[9+hash.DigestByteSize:])
	if in > n {
		return Boundary{}, fmt.Errorf("machine: segment boundary: input offset %d past the input's %d bytes", in, n)
	}
	bd := Boundary{InputLen: n, Context: ctx, InStart: in, OutStart: out, Input: rest, MinLogN: minLogN}
	mem, err := decodeWords(b[boundaryHead : boundaryHead+8*words])
	if err != nil {
		return Boundary{}, fmt.Errorf("machine: segment boundary: %w", err)
	}
	bd.Memory = mem
	o := 13 + hash.DigestByteSize
	bd.HookStart = binary.LittleEndian.Uint32(b[o:])
	for i := range bd.HookState {
		v := binary.LittleEndian.Uint32(b[o+4+4*i:])
		if !field.Canonical(v) {
			return Boundary{}, fmt.Errorf("machine: segment boundary: hook state element %d is %d, not below the field's modulus", i, v)
		}
		bd.HookState[i] = field.New(uint64(v))
	}
	o += 4 + 4*hash.Width
	for i := range bd.OutState {
		v := binary.LittleEndian.Uint32(b[o+4*i:])
		if !field.Canonical(v) {
			return Boundary{}, fmt.Errorf("machine: segment boundary: output state element %d is %d, not below the field's modulus", i, v)
		}
		bd.OutState[i] = field.New(uint64(v))
	}
	return bd, nil
}

func first(b []byte) int {
	if len(b) == 0 {
		return -1
	}
	return int(b[0])
}

// EncodeMemory serializes words (by increasing address) as Boundary does: a little-endian
// count, then (address, value) pairs.
func EncodeMemory(ws []memtree.Touch) []byte {
	out := binary.LittleEndian.AppendUint32(nil, uint32(len(ws)))
	for _, w := range ws {
		out = binary.LittleEndian.AppendUint32(out, w.Addr)
		out = binary.LittleEndian.AppendUint32(out, w.Value)
	}
	return out
}

// DecodeMemory parses EncodeMemory's output (and nothing after it); it never panics and
// refuses addresses out of order or not below 2^30.
func DecodeMemory(b []byte) ([]memtree.Touch, error) {
	if len(b) < 4 || uint64(len(b)-4) != 8*uint64(binary.LittleEndian.Uint32(b)) {
		return nil, fmt.Errorf("machine: malformed memory words (%d bytes)", len(b))
	}
	return decodeWords(b[4:])
}

func decodeWords(b []byte) ([]memtree.Touch, error) {
	if len(b) == 0 {
		return nil, nil
	}
	ws := make([]memtree.Touch, len(b)/8)
	for i := range ws {
		w := memtree.Touch{Addr: binary.LittleEndian.Uint32(b[8*i:]), Value: binary.LittleEndian.Uint32(b[8*i+4:])}
		if w.Addr >= 1<<memtree.AddrBits || (i > 0 && w.Addr <= ws[i-1].Addr) {
			return nil, fmt.Errorf("machine: memory word %d at address %#x: out of order or not below 2^30", i, w.Addr)
		}
		ws[i] = w
	}
	return ws, nil
}

// MemoryDiff is the words of mem (word index → value) that differ from the program's
// image, by increasing address: the memory a Boundary carries.
func MemoryDiff(image, mem map[uint32]uint32) []memtree.Touch {
	var ws []memtree.Touch
	for a, v := range mem {
		if image[a] != v {
			ws = append(ws, memtree.Touch{Addr: a, Value: v})
		}
	}
	slices.SortFunc(ws, func(x, y memtree.Touch) int { return cmp.Compare(x.Addr, y.Addr) })
	return ws
}
