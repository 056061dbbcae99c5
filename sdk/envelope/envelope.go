package envelope

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"sort"

	"github.com/oneiros-zk/oneiros/proving/codec"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// Version is the newest envelope format version; Decode reads it and version 3.
// Version 2 added Bound (and proofs bound to the claim's context); version 3 the
// grinding parameters LogUpGrindingBits and DEEPGrindingBits (and proofs in stark
// format 2, which carry their nonces); version 4 a flags word after the integer
// parameters (bit 0: Params.ZK; bit 1: Params.ExtDegree 6; bit 2: Params.Hash
// poseidon2-w24; bit 3: Params.Hash poseidon2-bn254, the Injector's outer hash, which
// a reader of bits 0–2 refuses as an unknown bit). Encode writes version 3 when no flag is set, so an
// envelope without zero knowledge keeps its version-3 bytes and verifiers that read
// only version 3 still check it; a zero-knowledge envelope is version 4, which they
// refuse by its version instead of checking it as a proof without zero knowledge.
const Version = 4

// The bits of version 4's flags word.
const (
	flagZK    = 1 << 0 // Params.ZK
	flagExt6  = 1 << 1 // Params.ExtDegree = 6
	flagWide  = 1 << 2 // Params.Hash = poseidon2-w24
	flagOuter = 1 << 3 // Params.Hash = poseidon2-bn254 (the Injector's outer hash)
	// flagAggregated: Proofs holds one aggregated proof (core/machine.Aggregated), made
	// under the aggregation parameters that follow the flags word (the integer
	// parameters, then a flags word of bits 0–3).
	flagAggregated = 1 << 4
	// flagWrapped (with flagAggregated): Proofs holds one wrapped proof
	// (core/machine.Wrapped) of the aggregated proof, whose outer layer was proved
	// under the parameters that follow the aggregation's (the integer parameters, then
	// a flags word of bits 0–3).
	flagWrapped = 1 << 5
	flagsKnown  = flagZK | flagExt6 | flagWide | flagOuter | flagAggregated | flagWrapped
)

// Envelope is a proof file: the claim, what the verifier needs to check it (the
// normalized program, the public output, the engine parameters) and the proofs, plus
// metadata that is not part of the claim.
type Envelope struct {
	Claim   Claim
	Program []byte   // the normalized program (core/isa encoding); its ID is Claim.ProgramID
	Output  []byte   // the public output; its digest is Claim.OutputDigest
	Params  Params   // the engine parameters the proofs were made with
	Proofs  [][]byte // segment proofs (core/machine encoding), in order; or the aggregated proof
	// Aggregation, when set, says that Proofs holds one proof: the run's segment proofs
	// aggregated (core/machine.Aggregated) under these parameters (the recursion
	// proofs'; Params stay the segment proofs' the aggregated proof verified).
	Aggregation *fri.Params
	// Wrap, when set (with Aggregation), says that Proofs holds one wrapped proof: the
	// aggregated proof's outer layer, proved under these parameters, wrapped in a
	// Groth16 proof (core/machine.Wrapped).
	Wrap  *fri.Params
	Bound Bound // the context the proofs were made for, as the prover gave it
	Meta  Meta
}

// Bound repeats the claim's context fields (Claim.Context) as the prover handed them to
// the backends. It proves nothing by itself — the proofs are bound to the claim's own
// fields, so an edited claim fails verification either way — but it lets the verifier
// name the field that was changed after proving instead of reporting a bare rejection.
type Bound struct {
	ISA          string      `json:"isa"`
	SourceDigest hash.Digest `json:"source_digest"`
	InputDigest  hash.Digest `json:"input_digest"`
}

// BoundOf is the Bound of a claim.
func BoundOf(c *Claim) Bound {
	return Bound{ISA: c.ISA, SourceDigest: c.SourceDigest, InputDigest: c.InputDigest}
}

// Params are the engine parameters the proofs were made and are verified with: the
// engine's own type (fri.Params, embedded: the JSON shows its fields flat — log_blowup,
// num_queries, …, zk, ext_degree, hash) and the machine. Every parameter is absorbed by
// the proofs' transcript, so a proof checked under other parameters is rejected: the
// parameters an envelope names are those its proofs were made with, whatever a backend
// was asked. Decode spells the defaults out (ext_degree 4, hash poseidon2).
type Params struct {
	fri.Params
	// Machine is the ID of the zkVM's table set the proofs were made for (machine.ID):
	// a verifier with other tables reports the mismatch instead of a bare rejection.
	Machine string `json:"machine"`
}

// Meta is information about how the proof was made. It is not proven and not part of
// the claim: two envelopes of the same run may differ here.
type Meta struct {
	Backend      string             `json:"backend"`       // e.g. "cpu"
	Device       string             `json:"device"`        // e.g. "cpu", "cuda:0"
	Profile      string             `json:"profile"`       // e.g. "standard"
	Frontend     string             `json:"frontend"`      // frontend plugin name and version
	ProveSeconds float64            `json:"prove_seconds"` // wall time of proving
	PhaseSeconds map[string]float64 `json:"phase_seconds,omitempty"`
}

// ints are the integer parameters in encoding order: Encode and Decode both read this
// list, so a parameter added here (with a Version bump) is encoded and decoded alike.
func (p *Params) ints() []*int {
	return []*int{&p.LogBlowup, &p.NumQueries, &p.GrindingBits, &p.LogArity, &p.LogFinalPolyLen,
		&p.LogUpGrindingBits, &p.DEEPGrindingBits}
}

// flags is version 4's flags word.
func (p *Params) flags() uint32 {
	var f uint32
	if p.ZK {
		f |= flagZK
	}
	if p.ExtDegree == 6 {
		f |= flagExt6
	}
	switch p.Hash {
	case hash.Wide:
		f |= flagWide
	case hash.Outer:
		f |= flagOuter
	}
	return f
}

var magic = [4]byte{'O', 'N', 'R', 'E'}

// Magic is how every envelope starts: a reader can refuse other files after four bytes.
const Magic = "ONRE"

// Limits on decoded sizes.
const (
	maxProgram  = 1 << 30
	maxOutput   = 1 << 30
	maxProofs   = 1 << 16
	maxProof    = 1 << 31 / 2
	maxMetaText = 1 << 12
)

// Encode serializes the envelope. A SHA-256 checksum of everything before it ends the
// file, so that corruption anywhere — metadata included, which the proof does not
// cover — is detected. (It is no defence against a forger, who can recompute it; the
// proof is.)
func (e *Envelope) Encode() []byte {
	var w codec.Writer
	w.Buf = append(w.Buf, magic[:]...)
	flags := e.Params.flags()
	if e.Aggregation != nil {
		flags |= flagAggregated
		if e.Wrap != nil {
			flags |= flagWrapped
		}
	}
	if flags == 0 {
		w.Uint32(3)
	} else {
		w.Uint32(Version)
	}
	w.Bytes(e.Claim.Encode())
	w.Bytes(e.Program)
	w.Bytes(e.Output)
	for _, v := range e.Params.ints() {
		w.Uint32(uint32(*v))
	}
	if flags != 0 {
		w.Uint32(flags)
	}
	if e.Aggregation != nil {
		a := &Params{Params: *e.Aggregation}
		for _, v := range a.ints() {
			w.Uint32(uint32(*v))
		}
		w.Uint32(a.flags())
		if e.Wrap != nil {
			o := &Params{Params: *e.Wrap}
			for _, v := range o.ints() {
				w.Uint32(uint32(*v))
			}
			w.Uint32(o.flags())
		}
	}
	w.Bytes([]byte(e.Params.Machine))
	w.Uint32(uint32(len(e.Proofs)))
	for _, p := range e.Proofs {
		w.Bytes(p)
	}
	w.Bytes([]byte(e.Bound.ISA))
	w.Digest(e.Bound.SourceDigest)
	w.Digest(e.Bound.InputDigest)
	for _, s := range []string{e.Meta.Backend, e.Meta.Device, e.Meta.Profile, e.Meta.Frontend} {
		w.Bytes([]byte(s))
	}
	w.Uint64(uint64(e.Meta.ProveSeconds * 1e9))
	phases := make([]string, 0, len(e.Meta.PhaseSeconds))
	for k := range e.Meta.PhaseSeconds {
		phases = append(phases, k)
	}
	sort.Strings(phases)
	w.Uint32(uint32(len(phases)))
	for _, k := range phases {
		w.Bytes([]byte(k))
		w.Uint64(uint64(e.Meta.PhaseSeconds[k] * 1e9))
	}
	sum := sha256.Sum256(w.Buf)
	return append(w.Buf, sum[:]...)
}

// Decode parses an envelope; it never panics on any bytes.
func Decode(b []byte) (*Envelope, error) {
	if len(b) < 8+sha256.Size || [4]byte(b[:4]) != magic {
		return nil, fmt.Errorf("envelope: not a OneirOS proof file (bad magic)")
	}
	body, sum := b[:len(b)-sha256.Size], b[len(b)-sha256.Size:]
	if want := sha256.Sum256(body); !bytes.Equal(sum, want[:]) {
		return nil, fmt.Errorf("envelope: the file is corrupted (its SHA-256 checksum does not match)")
	}
	return decodeBody(body)
}

// setFlags sets the parameters a flags word names.
func setFlags(p *Params, f uint32) {
	p.ZK = f&flagZK != 0
	if f&flagExt6 != 0 {
		p.ExtDegree = 6
	}
	if f&flagWide != 0 {
		p.Hash = hash.Wide
	}
	if f&flagOuter != 0 {
		p.Hash = hash.Outer
	}
	if p.ExtDegree == 0 {
		p.ExtDegree = 4
	}
}

// decodeInnerParams reads the integer parameters and flags word (bits 0–3) of an
// aggregation's or a wrap's parameters.
func decodeInnerParams(r *codec.Reader, what string) (*fri.Params, error) {
	a := &Params{}
	for _, p := range a.ints() {
		*p = int(r.Uint32() & 0xffff)
	}
	g := r.Uint32()
	if r.Err() == nil && (g&^(flagZK|flagExt6|flagWide|flagOuter) != 0 || g&flagWide != 0 && g&flagOuter != 0) {
		return nil, fmt.Errorf("envelope: %s flags %#x: bits 0–3 only, not 2 with 3", what, g)
	}
	setFlags(a, g)
	return &a.Params, nil
}

// decodeBody parses everything but the checksum.
func decodeBody(body []byte) (*Envelope, error) {
	r := codec.NewReader(body[4:])
	v := r.Uint32()
	if v != 3 && v != Version {
		return nil, fmt.Errorf("envelope: format version %d, this build reads versions 3 and %d", v, Version)
	}
	e := &Envelope{}
	claim := r.Bytes("claim", 1<<12)
	// Copies: the envelope must not alias the caller's buffer.
	e.Program = bytes.Clone(r.Bytes("program", maxProgram))
	e.Output = bytes.Clone(r.Bytes("output", maxOutput))
	for _, p := range e.Params.ints() {
		*p = int(r.Uint32() & 0xffff)
	}
	if v == 4 {
		// Version 4 exists only for its flags: none set, or an unknown one, is not an
		// envelope Encode writes.
		f := r.Uint32()
		if r.Err() == nil && (f == 0 || f&^flagsKnown != 0 || f&flagWide != 0 && f&flagOuter != 0) {
			return nil, fmt.Errorf("envelope: flags %#x: a version 4 envelope sets some of bits 0 (zero knowledge), 1 (extension degree 6), 2 (hash poseidon2-w24), 3 (hash poseidon2-bn254, not with bit 2) 4 (aggregated) and 5 (wrapped) and no other", f)
		}
		setFlags(&e.Params, f)
		if f&flagWrapped != 0 && f&flagAggregated == 0 {
			return nil, fmt.Errorf("envelope: flags %#x: bit 5 (wrapped) without bit 4 (aggregated)", f)
		}
		if f&flagAggregated != 0 {
			a, err := decodeInnerParams(r, "aggregation")
			if err != nil {
				return nil, err
			}
			e.Aggregation = a
			if f&flagWrapped != 0 {
				if e.Wrap, err = decodeInnerParams(r, "wrap"); err != nil {
					return nil, err
				}
			}
		}
	}
	if e.Params.ExtDegree == 0 {
		e.Params.ExtDegree = 4
	}
	e.Params.Machine = string(r.Bytes("machine id", 128))
	n := r.Len("proofs", maxProofs, 4)
	e.Proofs = make([][]byte, n)
	for i := range e.Proofs {
		e.Proofs[i] = bytes.Clone(r.Bytes("proof", maxProof))
	}
	e.Bound.ISA = string(r.Bytes("bound isa", 64))
	e.Bound.SourceDigest = r.Digest()
	e.Bound.InputDigest = r.Digest()
	for _, s := range []*string{&e.Meta.Backend, &e.Meta.Device, &e.Meta.Profile, &e.Meta.Frontend} {
		*s = string(r.Bytes("metadata", maxMetaText))
	}
	e.Meta.ProveSeconds = float64(r.Uint64()) / 1e9
	if n := r.Len("phases", 256, 12); n > 0 {
		e.Meta.PhaseSeconds = make(map[string]float64, n)
		for range n {
			k := string(r.Bytes("phase name", maxMetaText))
			e.Meta.PhaseSeconds[k] = float64(r.Uint64()) / 1e9
		}
	}
	if err := r.Done(); err != nil {
		return nil, fmt.Errorf("envelope: %w", err)
	}
	c, err := decodeClaim(claim)
	if err != nil {
		return nil, err
	}
	e.Claim = *c
	return e, nil
}

func decodeClaim(b []byte) (*Claim, error) {
	r := codec.NewReader(b)
	c := &Claim{}
	c.ISA = string(r.Bytes("isa", 64))
	c.ProgramID = r.Digest()
	c.SourceDigest = r.Digest()
	c.InputDigest = r.Digest()
	c.InputLen = r.Uint32()
	c.OutputDigest = r.Digest()
	c.ExitStatus = r.Uint8()
	c.ExitCode = r.Uint32()
	c.Cycles = r.Uint64()
	if r.Err() == nil && r.Offset() < len(b) {
		// The hook log: present exactly when the run made hook calls.
		if c.HookCount = r.Uint32(); r.Err() == nil && c.HookCount == 0 {
			return nil, fmt.Errorf("envelope: claim: a hook log of 0 calls is encoded (a run without hooks encodes none)")
		}
		c.HookDigest = r.Digest()
	}
	if err := r.Done(); err != nil {
		return nil, fmt.Errorf("envelope: claim: %w", err)
	}
	return c, nil
}

// ProofDigest is a digest of the proof bytes, to compare proofs across backends. No proof
// recomputes it, so it is SHA-256 (hash.TaggedSHA256): a couple of milliseconds for a
// 2 MB envelope, where the Poseidon2 chain took 0.05 s with AVX-512 and 0.18 s without.
func (e *Envelope) ProofDigest() hash.Digest {
	var w codec.Writer
	w.Uint32(uint32(len(e.Proofs)))
	for _, p := range e.Proofs {
		w.Bytes(p)
	}
	return hash.TaggedSHA256("oneiros/proof-digest/v2", w.Buf)
}
