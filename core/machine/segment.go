package machine

import (
	"context"
	"crypto/sha256"
	"fmt"
	"time"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/cpu"
	"github.com/oneiros-zk/oneiros/core/chips/hook"
	chipinput "github.com/oneiros-zk/oneiros/core/chips/input"
	chipio "github.com/oneiros-zk/oneiros/core/chips/io"
	"github.com/oneiros-zk/oneiros/core/chips/memtree"
	"github.com/oneiros-zk/oneiros/core/chips/output"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/proving/codec"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/lookup"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// A run is proven in segments of at most MaxCycles cycles each (a run that fits is one
// segment). Every segment restarts the clock at 0 (its timestamps stay below 2^28) and
// reopens the words it touches at the values they had when it started; its memory
// boundary is two Merkle roots (package memtree): the memory where it starts and where
// it ends. See docs/continuations.md for the statement and its soundness argument.

// SegmentState is what a segment proof claims beside its STARK: how the segment ends,
// where the next one starts, and the memory it leaves. The verifier takes these values
// as the segment's public values and public messages: the STARK proves them.
type SegmentState struct {
	Cycles uint64 // cycles of the segment, 1 … MaxCycles
	Final  bool   // the segment ends the run with HALT or TRAP
	// ExitPC and ExitFP are where the next segment starts (0 for a final segment).
	ExitPC, ExitFP uint32
	InEnd, OutEnd  uint32 // the input and output offsets when the segment ends
	// HookEnd is the number of hook calls of the run up to the segment's end, HookState
	// the host answers' sponge state there (package hook).
	HookEnd   uint32
	HookState hook.State
	// MemRoot is the root of the memory the segment leaves (package memtree): the
	// memory where it started with every word it touched set to its final value.
	MemRoot hash.Digest
	// OutState is the output sponge's state where the segment ends (package output):
	// T(OutEnd), the run's output up to OutEnd absorbed.
	OutState output.State
	// InState is the input sponge's state where the segment ends (package input): the
	// blocks of the input up to ⌈InEnd/16⌉ absorbed — all of them in a final segment —
	// and the last of them carried.
	InState chipinput.State
}

// SegmentProof is one segment's state and its STARK proof.
type SegmentProof struct {
	State SegmentState
	Proof *stark.Proof
}

// segmentVersion is the first byte of an encoded segment proof (version 2 added HookEnd
// and HookState, version 3 replaced the touched words by the final memory root, version
// 4 added OutState, version 5 InState).
const segmentVersion = 5

// Encode serializes the segment proof: a version byte, the state (little-endian), then
// the STARK proof.
func (s *SegmentProof) Encode() []byte {
	w := &codec.Writer{}
	w.Uint8(segmentVersion)
	st := &s.State
	w.Uint64(st.Cycles)
	var f uint8
	if st.Final {
		f = 1
	}
	w.Uint8(f)
	w.Uint32(st.ExitPC)
	w.Uint32(st.ExitFP)
	w.Uint32(st.InEnd)
	w.Uint32(st.OutEnd)
	w.Uint32(st.HookEnd)
	for _, e := range st.HookState {
		w.Elem(e)
	}
	w.Digest(st.MemRoot)
	for _, e := range st.OutState {
		w.Elem(e)
	}
	for _, e := range st.InState.Sponge {
		w.Elem(e)
	}
	for _, e := range st.InState.Carry {
		w.Elem(e)
	}
	w.Buf = append(w.Buf, s.Proof.Encode()...)
	return w.Buf
}

// DecodeSegmentProof parses Encode's output; it never panics. It checks the state's
// form (canonical field elements), not its truth.
func DecodeSegmentProof(b []byte) (*SegmentProof, error) {
	r := codec.NewReader(b)
	if v := r.Uint8(); r.Err() == nil && v != segmentVersion {
		return nil, fmt.Errorf("machine: segment proof version %d, want %d", v, segmentVersion)
	}
	st := SegmentState{Cycles: r.Uint64()}
	switch f := r.Uint8(); f {
	case 0:
	case 1:
		st.Final = true
	default:
		r.Fail("segment flags %d (want 0 or 1)", f)
	}
	st.ExitPC, st.ExitFP, st.InEnd, st.OutEnd = r.Uint32(), r.Uint32(), r.Uint32(), r.Uint32()
	st.HookEnd = r.Uint32()
	for i := range st.HookState {
		st.HookState[i] = r.Elem()
	}
	st.MemRoot = r.Digest()
	for i := range st.OutState {
		st.OutState[i] = r.Elem()
	}
	for i := range st.InState.Sponge {
		st.InState.Sponge[i] = r.Elem()
	}
	for i := range st.InState.Carry {
		st.InState.Carry[i] = r.Elem()
	}
	if r.Err() != nil {
		return nil, fmt.Errorf("machine: segment proof: %w", r.Err())
	}
	p, err := stark.Decode(b[r.Offset():])
	if err != nil {
		return nil, fmt.Errorf("machine: segment proof: %w", err)
	}
	return &SegmentProof{State: st, Proof: p}, nil
}

// segmentView is everything a segment's STARK is checked against: its public values
// and public messages derive from it alone, for the prover and the verifier alike.
type segmentView struct {
	program            *isa.Program
	entryPC, entryFP   uint32
	inStart, outStart  uint32
	hookStart          uint32     // hook calls before the segment
	hookState          hook.State // the host answers' sponge state where it starts
	state              *SegmentState
	status             isa.ExitStatus // final segments
	exitCode           uint32
	output             []byte          // the segment's output bytes: [outStart, OutEnd)
	outState           output.State    // the output sponge's state where the segment starts
	memStart           hash.Digest     // the root of the memory where the segment starts
	inState            chipinput.State // the input sponge's state where it starts (zero: input.Start)
	inputLen           uint32
	inputDigest, claim hash.Digest // claim: the claim's context (Statement.Context)
}

func (v *segmentView) publics(m *Machine) [][]field.Elem {
	out := make([][]field.Elem, len(m.chips))
	st := v.state
	for i, c := range m.chips {
		switch c.name {
		case "cpu":
			out[i] = cpu.Publics(v.entryPC, v.entryFP, st.Cycles, v.claim, st.ExitPC, st.ExitFP)
		case "io":
			out[i] = chipio.Publics(v.inputLen, v.inStart, st.InEnd, v.outStart, st.OutEnd)
		case "input":
			out[i] = chipinput.Publics(v.inputLen, v.inStart, st.InEnd, st.Final, v.inputStart(), st.InState)
		case "output":
			out[i] = output.Publics(v.outStart, st.OutEnd, v.outState, st.OutState)
		default:
			out[i] = make([]field.Elem, len(c.air.Publics))
		}
	}
	return out
}

func limbs(v uint32) (field.Elem, field.Elem) {
	return field.New(uint64(v & 0xffff)), field.New(uint64(v >> 16))
}

// messages are the messages the verifier puts on the public buses: the exit (status,
// code) of a final segment, the memory's roots where the segment starts and ends (the
// root's tuple, received by package memtree's node table), the input sponge's initial
// state where the segment starts, and for a segment with hook calls the host answers' sponge state at its start
// and (count, state) at its end. The output is no message: the output table receives
// the I/O chip's bytes and proves the sponge states where the segment's output starts
// and ends, its public values (package output).
func (v *segmentView) messages() []lookup.Message {
	one := field.New(1)
	var msgs []lookup.Message
	if v.state.Final {
		lo, hi := limbs(v.exitCode)
		msgs = append(msgs, lookup.Message{Bus: bus.Exit.ID, Mult: one, Tuple: []field.Elem{field.New(uint64(v.status)), lo, hi}})
	}
	msgs = append(msgs, memtree.Message(v.memStart, v.state.MemRoot))
	if v.hooks() {
		msgs = append(msgs, hook.Messages(v.hookState, v.state.HookEnd-v.hookStart, v.state.HookState)...)
	}
	return append(msgs, chipinput.Message(v.inputStart()))
}

// inputStart is the input sponge's state where the segment starts.
func (v *segmentView) inputStart() chipinput.State {
	if v.inState == (chipinput.State{}) {
		return chipinput.Start(v.inputLen)
	}
	return v.inState
}

// hooks reports whether the segment makes hook calls: exactly then the verifier puts
// the hook table's messages on the buses, and its proof must have the table.
func (v *segmentView) hooks() bool { return v.state.HookEnd > v.hookStart }

// setMemory applies the segment's touched words (the events' memory table) to the
// memory tree where it starts (ev.tree, the program image's when nil), keeps the memtree
// chip's witness in the events, and takes the roots before and after into the view. It
// refuses a segment whose records find a word at another value than the memory holds
// (unless check is false: tests that forge the memory table), and one whose tables
// would pass the tallest table.
func (v *segmentView) setMemory(ev *events, index int, check bool, maxRows int) error {
	t := ev.tree
	if t == nil {
		var err error
		if t, err = ImageTree(v.program); err != nil {
			return err
		}
	}
	words := ev.mem.Words()
	touched := make([]memtree.Touch, 0, len(words))
	for _, w := range words {
		if !check && w.Addr>>memtree.AddrBits != 0 {
			continue // a forged memory table's word beyond memory: the buses refuse it
		}
		if check && t.Word(w.Addr) != w.Init {
			return fmt.Errorf("machine: segment %d: its records find word %#x (byte address %#x) at %#x where it starts, but the memory holds %#x there",
				index, w.Addr, 4*uint64(w.Addr), w.Init, t.Word(w.Addr))
		}
		touched = append(touched, memtree.Touch{Addr: w.Addr, Value: w.Final})
	}
	if len(touched) > maxRows {
		return fmt.Errorf("machine: segment %d touches %d words: its memory and memtree tables would pass %d rows, the tallest a table may have; cut it into shorter segments", index, len(touched), maxRows)
	}
	w, err := t.Apply(touched)
	if err != nil {
		return fmt.Errorf("machine: segment %d: %w", index, err)
	}
	// The input's and hooks' permutations are not counted yet (their tables are built
	// later): at most two per cycle of each, checked by their own tables' heights.
	if calls := 2 * (len(w.Nodes) + len(w.Leaves)); len(w.Nodes) > maxRows || len(w.Leaves) > maxRows || calls > maxRows {
		return fmt.Errorf("machine: segment %d: its memory tree takes %d node rows, %d leaf rows and %d Poseidon2 permutations, over the %d rows a table may have; cut it into shorter segments",
			index, len(w.Nodes), len(w.Leaves), calls, maxRows)
	}
	ev.memtree = w
	v.memStart, v.state.MemRoot = w.Roots[memtree.Init], w.Roots[memtree.Final]
	return nil
}

// setOutput gives the output table its witness: the segment's output share (the bytes
// the view claims its WRITEs write) and the output sponge's state where it starts.
func (v *segmentView) setOutput(ev *events) {
	ev.outState, ev.output = v.outState, v.output
}

// setInput gives the input table its witness: the input sponge's state where the
// segment starts and the offsets and finality that fix its blocks; a view without an
// end state (tests that build one) gets the honest one.
func (v *segmentView) setInput(ev *events, input []byte) {
	ev.inState, ev.inEnd, ev.final = v.inputStart(), v.state.InEnd, v.state.Final
	if v.state.InState == (chipinput.State{}) {
		first, end := chipinput.Span(v.inputLen, v.inStart, v.state.InEnd, v.state.Final)
		v.state.InState = chipinput.Advance(input, ev.inState, first, end)
	}
}

// maxRows is the most rows a table may have: its height times the engine's blowup
// must fit the field's two-adic domain.
func (m *Machine) maxRows() int {
	lb := 1
	if m.engine != nil {
		lb = max(m.engine.Params().FRI.LogBlowup, 0)
	}
	return 1 << (field.TwoAdicity - lb)
}

// MaxOutput bounds a run's public output: output positions are field elements.
const MaxOutput = 1 << 30

// check is the verifier's check of a segment state's bounds, before its STARK: every
// value it makes a public value or a message of must be the integer it stands for.
func (v *segmentView) check() error {
	st := v.state
	if st.Cycles == 0 || st.Cycles > MaxCycles {
		return fmt.Errorf("a segment of %d cycles (1 … %d)", st.Cycles, MaxCycles)
	}
	if st.Final && (st.ExitPC != 0 || st.ExitFP != 0) {
		return fmt.Errorf("a final segment with exit pc %d, fp %d (want 0, 0)", st.ExitPC, st.ExitFP)
	}
	if !st.Final && (uint64(st.ExitPC) >= uint64(len(v.program.Code)) || st.ExitFP%4 != 0) {
		return fmt.Errorf("exit pc %d, fp %#x: not an instruction of the program and an aligned frame", st.ExitPC, st.ExitFP)
	}
	if st.InEnd < v.inStart || st.InEnd > v.inputLen {
		return fmt.Errorf("input offset %d at the end, outside [%d, %d]", st.InEnd, v.inStart, v.inputLen)
	}
	if st.OutEnd < v.outStart || uint64(st.OutEnd-v.outStart) > 4*st.Cycles || st.OutEnd >= MaxOutput {
		return fmt.Errorf("output offset %d at the end, from %d in %d cycles (at most 4 bytes a cycle, below 2^30 in all)", st.OutEnd, v.outStart, st.Cycles)
	}
	if st.HookEnd < v.hookStart || uint64(st.HookEnd-v.hookStart) > st.Cycles {
		return fmt.Errorf("hook calls %d at the end, from %d in %d cycles (at most one a cycle)", st.HookEnd, v.hookStart, st.Cycles)
	}
	if st.HookEnd == v.hookStart && st.HookState != v.hookState {
		return fmt.Errorf("a segment without hook calls that changes the host answers' sponge state")
	}
	return nil
}

// Linker verifies the segments of one run in order, linking each segment's start to
// where the previous ended: pc and frame pointer, input and output offsets, the output
// sponge's state (from output.IV: each segment's slice of the output must take it to the
// segment's OutState, and Finish checks its digest against the claim's output), and
// memory (it holds the root of the run's memory as the segments leave it, from the
// program image's root: package memtree).
type Linker struct {
	m           *Machine
	vk          *stark.VerifyingKey
	program     *isa.Program
	inputLen    uint32
	inputDigest hash.Digest
	context     hash.Digest

	index         int
	pc, fp        uint32
	inOff, outOff uint32
	hookOff       uint32          // hook calls so far
	hookState     hook.State      // the host answers' sponge state
	outState      output.State    // the output sponge's state at outOff
	inState       chipinput.State // the input sponge's state at inOff
	cycles        uint64
	root          hash.Digest // the memory's root where the next segment starts
	done          bool
	status        isa.ExitStatus
	exitCode      uint32
	// verified records what VerifyEncoded checked, segment by segment, for Covered.
	verified []verifiedSegment
	opaque   bool // a segment was verified from a decoded proof (Verify): Covered is false
}

// verifiedSegment is one segment VerifyEncoded accepted: the SHA-256 of its encoding,
// the output bytes and the exit it was verified with.
type verifiedSegment struct {
	proof  [32]byte
	output []byte
	status isa.ExitStatus
	code   uint32
}

// NewLinker starts the verification of a run of p with an input of inputLen bytes and
// the given digest, bound to the claim's context.
func (m *Machine) NewLinker(vk *stark.VerifyingKey, p *isa.Program, inputLen uint32, inputDigest, context hash.Digest) *Linker {
	return &Linker{m: m, vk: vk, program: p, inputLen: inputLen, inputDigest: inputDigest, context: context,
		pc: p.Entry, fp: p.FP, root: ImageRoot(p), hookState: hook.IV(), outState: output.IV(), inState: chipinput.Start(inputLen)}
}

// LinkState is where a run stands between segments.
type LinkState struct {
	Segments      int        // segments linked so far
	Cycles        uint64     // their cycles
	InOff, OutOff uint32     // the input and output offsets
	Hooks         uint32     // hook calls so far
	HookState     hook.State // the host answers' sponge state after them
	PC, FP        uint32     // where the next segment starts
	// MemRoot is the root of the memory where the next segment starts (package
	// memtree): the program image's before the first.
	MemRoot hash.Digest
	// OutState is the output sponge's state at OutOff (package output): IV before the
	// first segment; output.Finish(OutState, OutOff) is the output's digest.
	OutState output.State
	// InState is the input sponge's state at InOff (package input): input.Start before
	// the first segment; after the final one, its rate is the input's digest.
	InState chipinput.State
	Done    bool // a final segment was linked
}

// State returns where the run stands.
func (l *Linker) State() LinkState {
	return LinkState{Segments: l.index, Cycles: l.cycles, InOff: l.inOff, OutOff: l.outOff, Hooks: l.hookOff, HookState: l.hookState, PC: l.pc, FP: l.fp, MemRoot: l.root, OutState: l.outState, InState: l.inState, Done: l.done}
}

func (l *Linker) view(sp *SegmentProof, out []byte, status isa.ExitStatus, code uint32) (*segmentView, error) {
	if l.done {
		return nil, fmt.Errorf("a segment after the one that ended the run")
	}
	v := &segmentView{program: l.program, entryPC: l.pc, entryFP: l.fp, inStart: l.inOff, outStart: l.outOff,
		hookStart: l.hookOff, hookState: l.hookState, state: &sp.State,
		status: status, exitCode: code, output: out, inputLen: l.inputLen, inputDigest: l.inputDigest, claim: l.context,
		memStart: l.root, outState: l.outState, inState: l.inState}
	if err := v.check(); err != nil {
		return nil, err
	}
	if uint64(len(out)) != uint64(sp.State.OutEnd-l.outOff) {
		return nil, fmt.Errorf("the segment writes output [%d, %d), but %d bytes of output are there", l.outOff, sp.State.OutEnd, len(out))
	}
	// The STARK proves that the segment's WRITEs take the sponge from outState to
	// OutState; the bytes the verifier holds must be the ones that do.
	if output.Absorb(l.outState, l.outOff, out) != sp.State.OutState {
		return nil, fmt.Errorf("the segment's output sponge state is not the one its %d bytes of output [%d, %d) give", len(out), l.outOff, sp.State.OutEnd)
	}
	// A final segment absorbs the input to its end: the rate of its end state is the
	// input's digest (the STARK proves the absorption; Finish checks again).
	if sp.State.Final && sp.State.InState.Digest() != l.inputDigest {
		return nil, fmt.Errorf("the final segment's input sponge state has digest %s, the claim's input digest is %s", sp.State.InState.Digest(), l.inputDigest)
	}
	return v, nil
}

// Verify checks the next segment's proof and links it: output holds the segment's
// output bytes (the run's output from the current output offset to the segment's
// OutEnd), status and code the run's exit (used when the segment is final). On
// success the linker moves past the segment; on failure it stays.
func (l *Linker) Verify(sp *SegmentProof, output []byte, status isa.ExitStatus, code uint32) error {
	if err := l.verify(sp, output, status, code); err != nil {
		return err
	}
	l.opaque = true
	return nil
}

// DecodeError is a segment proof whose bytes do not decode.
type DecodeError struct{ Err error }

func (e *DecodeError) Error() string { return e.Err.Error() }
func (e *DecodeError) Unwrap() error { return e.Err }

// VerifyEncoded is Verify of a proof given as its encoding (a *DecodeError when it
// does not decode), and remembers what it verified, so that Covered can later tell
// whether an envelope's proofs are exactly those.
func (l *Linker) VerifyEncoded(b []byte, output []byte, status isa.ExitStatus, code uint32) (*SegmentProof, error) {
	sp, err := DecodeSegmentProof(b)
	if err != nil {
		return nil, &DecodeError{err}
	}
	if err := l.verify(sp, output, status, code); err != nil {
		return nil, err
	}
	l.verified = append(l.verified, verifiedSegment{proof: sha256.Sum256(b), output: output, status: status, code: code})
	return sp, nil
}

// Covered reports whether m.VerifySegments(vk, st, proofs) would repeat exactly the
// verification the linker l made: an engine with the same proof parameters and floors
// at least m's; the same verifying key, program, input length and digest, and claim
// context; the same proof bytes in the same order, each verified (through
// VerifyEncoded) with st's share of the output and, for the final one, st's exit; and
// the linked run finishes as st says. The verifier is deterministic, so its answer then
// is the one l got: a caller that verified the segments as they arrived (the host)
// need not verify them a second time. Any difference, or a segment l verified through
// Verify, makes it false.
func (m *Machine) Covered(l *Linker, vk *stark.VerifyingKey, st *Statement, proofs [][]byte) bool {
	if l == nil || l.opaque || m.engine == nil || l.m.engine == nil || vk == nil || l.vk == nil || st.Program == nil {
		return false
	}
	mine, theirs := m.engine.Params(), l.m.engine.Params()
	if mine.FRI != theirs.FRI || theirs.MinSecurityBits < mine.MinSecurityBits || theirs.MinProvableBits < mine.MinProvableBits ||
		m.ID() != l.m.ID() || vk.Digest != l.vk.Digest || st.Program.ID() != l.program.ID() ||
		st.InputLen != l.inputLen || st.InputDigest != l.inputDigest || st.Context != l.context ||
		len(proofs) != len(l.verified) || len(proofs) != l.index || len(proofs) == 0 || Provable(st) != nil {
		return false
	}
	off := 0
	for i, v := range l.verified {
		if sha256.Sum256(proofs[i]) != v.proof || off+len(v.output) > len(st.Output) || string(st.Output[off:off+len(v.output)]) != string(v.output) {
			return false
		}
		off += len(v.output)
	}
	last := l.verified[len(l.verified)-1]
	return off == len(st.Output) && last.status == st.Status && last.code == st.ExitCode && l.Finish(st) == nil
}

func (l *Linker) verify(sp *SegmentProof, output []byte, status isa.ExitStatus, code uint32) error {
	v, err := l.view(sp, output, status, code)
	if err != nil {
		return &stark.Error{Check: fmt.Sprintf("segment %d", l.index), Err: err}
	}
	if err := l.m.checkHookTable(sp.Proof, v.hooks()); err != nil {
		return &stark.Error{Check: fmt.Sprintf("segment %d", l.index), Err: err}
	}
	if err := l.m.engine.Verify(l.vk, sp.Proof, v.publics(l.m), v.messages()); err != nil {
		return fmt.Errorf("segment %d: %w", l.index, err)
	}
	l.advance(sp, status, code)
	return nil
}

func (l *Linker) advance(sp *SegmentProof, status isa.ExitStatus, code uint32) {
	st := &sp.State
	l.root = st.MemRoot
	l.index++
	l.cycles += st.Cycles
	l.inOff, l.outOff = st.InEnd, st.OutEnd
	l.hookOff, l.hookState = st.HookEnd, st.HookState
	l.outState = st.OutState
	l.inState = st.InState
	l.pc, l.fp = st.ExitPC, st.ExitFP
	if st.Final {
		l.done, l.status, l.exitCode = true, status, code
	}
}

// checkHookTable refuses a proof whose hook table is present when the segment makes no
// hook call, or absent when it makes some. The bus argument refuses both anyway (the
// table's final row sends on the public HookEnd bus, which only the verifier's
// message of a segment with hook calls receives); this names the mismatch.
func (m *Machine) checkHookTable(p *stark.Proof, hooks bool) error {
	for i, c := range m.chips {
		if c.name != "hook" || i >= len(p.LogN) {
			continue
		}
		if present := p.LogN[i] != stark.Absent; present != hooks {
			if hooks {
				return fmt.Errorf("the segment claims hook calls, but its proof has no hook table")
			}
			return fmt.Errorf("the segment claims no hook call, but its proof has a hook table")
		}
	}
	return nil
}

// Security is the security accounting of the next segment's proof (its table heights
// and public messages), which it then links without checking its STARK.
func (l *Linker) Security(sp *SegmentProof, output []byte, status isa.ExitStatus, code uint32) (hemera.Security, error) {
	v, err := l.view(sp, output, status, code)
	if err != nil {
		return hemera.Security{}, fmt.Errorf("machine: segment %d: %w", l.index, err)
	}
	if err := l.m.checkHeights(l.vk, sp.Proof); err != nil {
		return hemera.Security{}, fmt.Errorf("machine: segment %d: %w", l.index, err)
	}
	s := l.m.engine.Security(l.vk, sp.Proof.LogN, v.messages())
	l.advance(sp, status, code)
	return s, nil
}

// Finish checks that the linked segments are the whole run the statement claims: the
// last one ended it with the statement's exit, after the statement's cycles and output.
func (l *Linker) Finish(st *Statement) error {
	switch {
	case !l.done:
		return fmt.Errorf("the run does not end: %d segments, none ends with HALT or TRAP (a segment is missing at the end)", l.index)
	case l.cycles != st.Cycles:
		return fmt.Errorf("the segments run %d cycles, the claim says %d", l.cycles, st.Cycles)
	case uint64(l.outOff) != uint64(len(st.Output)):
		return fmt.Errorf("the segments write %d bytes of output, the claim has %d", l.outOff, len(st.Output))
	case l.hookOff != st.HookCount:
		return fmt.Errorf("the segments make %d hook calls, the claim has %d", l.hookOff, st.HookCount)
	case hook.Digest(l.hookState) != st.HookDigest:
		return fmt.Errorf("the segments' host answers have digest %s, the claim's hook digest is %s", hook.Digest(l.hookState), st.HookDigest)
	case output.Finish(l.outState, l.outOff) != output.Digest(st.Output):
		// The check a verifier holding only the sponge states makes (a recursion
		// root): the linked segments' output is the claim's.
		return fmt.Errorf("the segments' output has digest %s, the claim's output has %s", output.Finish(l.outState, l.outOff), output.Digest(st.Output))
	case l.inState.Digest() != st.InputDigest:
		// The input sponge the segments absorbed, every block to the end (the final
		// segment's), is the claim's input.
		return fmt.Errorf("the segments' input has digest %s, the claim's input digest is %s", l.inState.Digest(), st.InputDigest)
	}
	return nil
}

// verifyAll verifies and links segs in order, each with its share of st's output: the
// first error.
func (l *Linker) verifyAll(st *Statement, segs []*SegmentProof) error {
	for _, sp := range segs {
		out, err := segmentOutput(st, l.outOff, sp)
		if err != nil {
			return &stark.Error{Check: fmt.Sprintf("segment %d", l.index), Err: err}
		}
		if err := l.Verify(sp, out, st.Status, st.ExitCode); err != nil {
			return err
		}
	}
	return nil
}

// VerifySegments checks the segment proofs of a run against its statement, each STARK
// and every link between them.
func (m *Machine) VerifySegments(vk *stark.VerifyingKey, st *Statement, segs []*SegmentProof) error {
	if err := Provable(st); err != nil {
		return &stark.Error{Check: "statement", Err: err}
	}
	if len(segs) == 0 {
		return &stark.Error{Check: "segments", Err: fmt.Errorf("no segment proofs")}
	}
	l := m.NewLinker(vk, st.Program, st.InputLen, st.InputDigest, st.Context)
	if err := l.verifyAll(st, segs); err != nil {
		return err
	}
	if err := l.Finish(st); err != nil {
		return &stark.Error{Check: "segments", Err: err}
	}
	return nil
}

// segmentOutput is the part of the statement's output a segment claims to write.
func segmentOutput(st *Statement, from uint32, sp *SegmentProof) ([]byte, error) {
	to := sp.State.OutEnd
	if to < from || uint64(to) > uint64(len(st.Output)) {
		return nil, fmt.Errorf("the segment ends the output at offset %d: outside [%d, %d] (the claim's output)", to, from, len(st.Output))
	}
	return st.Output[from:to], nil
}

// SegmentsSecurity is the security of a run's segment proofs: the weakest segment's
// accounting (each segment is a proof of its own).
func (m *Machine) SegmentsSecurity(vk *stark.VerifyingKey, st *Statement, segs []*SegmentProof) ([]hemera.Security, error) {
	l := m.NewLinker(vk, st.Program, st.InputLen, st.InputDigest, st.Context)
	out := make([]hemera.Security, 0, len(segs))
	for _, sp := range segs {
		o, err := segmentOutput(st, l.outOff, sp)
		if err != nil {
			return nil, fmt.Errorf("machine: segment %d: %w", l.index, err)
		}
		s, err := l.Security(sp, o, st.Status, st.ExitCode)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// SegmentRun is what the prover of one segment knows beside its records: the program,
// where the segment's input and output offsets start, the run's whole input (the input
// table absorbs the blocks the segment reads, the final segment's the unread rest, from
// the sponge state the input before InStart gives) and the claim's context.
type SegmentRun struct {
	Program           *isa.Program
	InStart, OutStart uint32
	// HookStart is the number of hook calls before the segment, HookState the host
	// answers' sponge state there (package hook); the zero state stands for hook.IV(),
	// the state a run starts from.
	HookStart uint32
	HookState hook.State
	// OutState is the output sponge's state where the segment starts, T(OutStart)
	// (package output); the zero state stands for output.IV(), where a run starts.
	OutState output.State
	// InState is the input sponge's state where the segment starts (package input); the
	// zero state stands for input.At(Input, InStart), which the prover computes from the
	// input (one permutation per 16 bytes before InStart).
	InState chipinput.State
	Input   []byte
	Context hash.Digest
	// Memory is the memory where the segment starts, as a tree (nil: the program's
	// image, where a run starts: ImageTree). ProveSegment sets the segment's touched
	// words in it: once it returns a proof, Memory is where the next segment starts.
	Memory *memtree.Tree
	// Index is the segment's index in the run (for error messages only).
	Index int
	// MinLogN, when not nil, holds a least log height per table (indexed like
	// Machine.Tables): the proof's table t has height max(its natural height,
	// 2^MinLogN[t]), with padding rows (padding.go). An entry of 0 or less asks nothing:
	// the table keeps its natural height, and an optional table with no rows stays out of
	// the proof (stark.Absent); an entry above 0 asks an optional table present even
	// with no rows (all padding rows, at least its least trace: one padding block of the
	// round tables, 2^6 rows for sha256, 2^5 for keccak). Refused: a minimum other than the fixed height of a
	// table with preprocessed columns (rom, the byte tables, range), a minimum asked of
	// the hook table of a segment without hook calls (the verifier requires it absent),
	// and a minimum past the tallest table the engine allows.
	MinLogN []int
}

// SegmentOf derives a segment's state and exit from its records (recs[i] has clk i:
// see Rebase): whether its last record stops the run, where it hands over, the offsets
// where it ends and the words it touched. It also returns the segment's output bytes.
func SegmentOf(run *SegmentRun, recs []trace.Record) (*SegmentState, []byte, isa.ExitStatus, uint32, error) {
	if len(recs) == 0 {
		return nil, nil, 0, 0, fmt.Errorf("machine: a segment without records")
	}
	if uint64(len(recs)) > MaxCycles {
		return nil, nil, 0, 0, fmt.Errorf("machine: a segment of %d cycles (at most %d)", len(recs), MaxCycles)
	}
	st := &SegmentState{Cycles: uint64(len(recs)), InEnd: run.InStart, HookEnd: run.HookStart, HookState: run.hookState()}
	var out []byte
	for i := range recs {
		r := &recs[i]
		if r.Clk != uint64(i) {
			return nil, nil, 0, 0, fmt.Errorf("machine: segment record %d has clk %d", i, r.Clk)
		}
		if i < len(recs)-1 && (r.Inst.Op == isa.HALT || r.Inst.Op == isa.TRAP) {
			return nil, nil, 0, 0, fmt.Errorf("machine: segment record %d stops the run, but records follow", i)
		}
		if r.Inst.Op == isa.ECALL {
			switch r.Inst.C {
			case isa.SysWrite:
				out = append(out, r.Sys.Output...)
			case isa.SysRead:
				st.InEnd = r.Sys.InputOffset + uint32(len(r.Sys.Input))
			}
			if e, ok := hook.EntryOf(r); ok {
				hook.Absorb(&st.HookState, e)
				st.HookEnd++
			}
		}
	}
	st.OutEnd = run.OutStart + uint32(len(out))
	st.OutState = output.Absorb(run.outState(), run.OutStart, out)
	last := &recs[len(recs)-1]
	status, code, err := ExitOf(last)
	if st.Final = err == nil; !st.Final {
		st.ExitPC, st.ExitFP = last.NextPC, last.NextFP
	}
	first, end := chipinput.Span(uint32(len(run.Input)), run.InStart, st.InEnd, st.Final)
	st.InState = chipinput.Advance(run.Input, run.inState(), first, end)
	return st, out, status, code, nil
}

// hookState is the sponge state where the segment starts.
func (run *SegmentRun) hookState() hook.State {
	if run.HookState == (hook.State{}) {
		return hook.IV()
	}
	return run.HookState
}

// inState is the input sponge's state where the segment starts.
func (run *SegmentRun) inState() chipinput.State {
	if run.InState == (chipinput.State{}) {
		return chipinput.At(run.Input, run.InStart)
	}
	return run.InState
}

// outState is the output sponge's state where the segment starts.
func (run *SegmentRun) outState() output.State {
	if run.OutState == (output.State{}) {
		return output.IV()
	}
	return run.OutState
}

// Rebase makes a segment's records start at clk 0: the records of cycles start … of a
// run, with their clks and timestamps shifted down by start cycles, and every access
// whose previous access was before the segment marked as the segment's first.
func Rebase(recs []trace.Record, start uint64) {
	if start == 0 {
		return
	}
	shift := start * trace.SlotsPerCycle
	for i := range recs {
		r := &recs[i]
		r.Clk -= start
		for j := range r.Accesses {
			a := &r.Accesses[j]
			a.TS -= shift
			if a.First || a.PrevTS < shift+trace.SlotsPerCycle {
				a.PrevTS, a.First = 0, true
			} else {
				a.PrevTS -= shift
			}
		}
	}
}

// ProveSegment proves one segment of a run from its records (recs[i] has clk i).
func (m *Machine) ProveSegment(ctx context.Context, keys *Keys, run *SegmentRun, recs []trace.Record) (*SegmentProof, *Report, error) {
	if run.Program == nil {
		return nil, nil, fmt.Errorf("machine: a segment without a program")
	}
	if err := run.Program.Validate(); err != nil {
		return nil, nil, fmt.Errorf("machine: %w", err)
	}
	if len(run.Program.Code) > MaxCode {
		return nil, nil, fmt.Errorf("machine: a program of %d instructions cannot be proven (at most %d)", len(run.Program.Code), MaxCode)
	}
	if uint64(len(run.Input)) >= chipio.MaxInputLen {
		return nil, nil, fmt.Errorf("machine: an input of %d bytes cannot be proven (at most %d)", len(run.Input), chipio.MaxInputLen-1)
	}
	st, out, status, code, err := SegmentOf(run, recs)
	if err != nil {
		return nil, nil, err
	}
	t0 := time.Now()
	ev := collect(run.Program, recs)
	v := &segmentView{program: run.Program, entryPC: recs[0].PC, entryFP: recs[0].FP, inStart: run.InStart, outStart: run.OutStart,
		hookStart: run.HookStart, hookState: run.hookState(), outState: run.outState(), inState: run.inState(),
		state: st, status: status, exitCode: code, output: out, inputLen: uint32(len(run.Input)),
		inputDigest: chipinput.Digest(run.Input), claim: run.Context}
	if st.OutEnd >= MaxOutput {
		return nil, nil, fmt.Errorf("machine: the output passes %d bytes", MaxOutput)
	}
	ev.inStart, ev.outStart = run.InStart, run.OutStart
	ev.tree, ev.index = run.Memory, run.Index
	ev.minLogN = run.MinLogN
	return m.proveView(ctx, keys, v, recs, ev, run.Input, t0)
}

// proveView proves a segment whose view and events are known (tests alter them to
// build forged witnesses): the touched words and their initial values come from the
// events' memory table, the memory where the segment starts from ev.tree.
func (m *Machine) proveView(ctx context.Context, keys *Keys, v *segmentView, recs []trace.Record, ev *events, input []byte, t0 time.Time) (*SegmentProof, *Report, error) {
	if err := v.setMemory(ev, ev.index, !ev.forged, m.maxRows()); err != nil {
		return nil, nil, err
	}
	ev.hookStart = v.hookState
	v.setOutput(ev)
	v.setInput(ev, input)
	p, rep, err := m.proveWitness(ctx, keys, v.publics(m), v.messages(), recs, ev, v.inputLen, input, t0)
	if err != nil {
		return nil, nil, err
	}
	return &SegmentProof{State: *v.state, Proof: p}, rep, nil
}
