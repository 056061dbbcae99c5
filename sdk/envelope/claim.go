package envelope

import (
	"github.com/oneiros-zk/oneiros/core/chips/hook"
	"github.com/oneiros-zk/oneiros/core/chips/input"
	"github.com/oneiros-zk/oneiros/core/chips/output"
	"github.com/oneiros-zk/oneiros/core/claim"
	"github.com/oneiros-zk/oneiros/proving/codec"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// Claim is what a proof of a run asserts (DESIGN.md §4): which program, given which
// input, produced which public output and ended how, after how many cycles.
type Claim struct {
	ISA          string      `json:"isa"`           // the frontend's ISA, e.g. "asm", "wasm"
	ProgramID    hash.Digest `json:"program_id"`    // Poseidon2 digest of the normalized program
	SourceDigest hash.Digest `json:"source_digest"` // digest of the frontend's source bytes
	InputDigest  hash.Digest `json:"input_digest"`  // Poseidon2 sponge of the input tape (proven; see InputDigest)
	InputLen     uint32      `json:"input_len"`     // length of the input tape in bytes (proven)
	OutputDigest hash.Digest `json:"output_digest"` // Poseidon2 sponge of the public output (proven; see OutputDigest)
	ExitStatus   uint8       `json:"exit_status"`   // isa.ExitStatus
	ExitCode     uint32      `json:"exit_code"`
	Cycles       uint64      `json:"cycles"` // normalized cycles of the whole run
	// HookCount and HookDigest are the run's log of host answers (core/chips/hook): the
	// number of host-state syscalls (hooks) the run made and the Poseidon2 sponge of
	// their entries (number, query B, answer), in execution order — proven. A run
	// without hooks has 0 and the zero digest, and its byte encoding (Encode) has
	// neither; claim_root encodes both (core/claim).
	HookCount  uint32      `json:"hook_count,omitempty"`
	HookDigest hash.Digest `json:"hook_digest"`
}

// Domain-separation tags of the digests in a claim: claim_root's and the context's are
// core/claim's (version 2, field elements), the source digest's is a byte hash.
const (
	TagClaim   = claim.TagRoot
	TagContext = claim.TagContext
	TagSource  = "oneiros/source/v1"
)

// Encode is the claim's canonical byte encoding (the envelope's).
func (c *Claim) Encode() []byte {
	var w codec.Writer
	w.Bytes([]byte(c.ISA))
	w.Digest(c.ProgramID)
	w.Digest(c.SourceDigest)
	w.Digest(c.InputDigest)
	w.Uint32(c.InputLen)
	w.Digest(c.OutputDigest)
	w.Uint8(c.ExitStatus)
	w.Uint32(c.ExitCode)
	w.Uint64(c.Cycles)
	if c.HookCount > 0 {
		w.Uint32(c.HookCount)
		w.Digest(c.HookDigest)
	}
	return w.Buf
}

// Root is claim_root: one Poseidon2 digest over the claim's fields as field elements
// (core/claim: the ISA name as its digest, integers as 16-bit limbs), the encoding a
// recursion program computes too, so that a wrapped proof states claim_root as its
// public input. The same run proven under any profile has the same claim, hence the
// same root.
func (c *Claim) Root() hash.Digest {
	f := c.Fields()
	return f.Root()
}

// Fields are the claim's fields as claim_root encodes them. A claim without hook calls
// has the digest of no hook log, whatever HookDigest holds: its byte encoding (Encode)
// drops both fields, so two claims that encode alike have one root — and the digest of
// no log is what a run without hook calls proves (the hook sponge's initial rate).
func (c *Claim) Fields() claim.Fields {
	hd := c.HookDigest
	if c.HookCount == 0 {
		hd = HookDigest(nil)
	}
	return claim.Fields{ISA: claim.ISADigest(c.ISA), ProgramID: c.ProgramID, SourceDigest: c.SourceDigest,
		InputDigest: c.InputDigest, InputLen: c.InputLen, OutputDigest: c.OutputDigest, ExitStatus: c.ExitStatus,
		ExitCode: c.ExitCode, Cycles: c.Cycles, HookCount: c.HookCount, HookDigest: hd}
}

// HookDigest is the claim's hook digest of a log of host answers (core/chips/hook's
// LogDigest): a verifier holding the host state re-derives the log and compares.
func HookDigest(log []hook.Entry) hash.Digest { return hook.LogDigest(log) }

// Context is the digest of the claim's fields that the run's tables do not produce —
// the ISA, the source digest and the input digest — known before the program runs. A
// proof carries it as public values (core/machine Statement.Context), absorbed into the
// transcript before any challenge, so a proof verifies only for the context it was made
// for. Every other field of the claim is a proven value: program_id fixes the verifying
// key and the memory image, and exit status, exit code, cycles, output, input_len and
// the hook log's count and digest are the proof's public values and public bus messages.
//
// It is core/claim's Context of the ISA's digest, the source digest and the input
// digest: field elements, so that the outer layer of an aggregation recomputes it from
// the claim_root's preimage.
func (c *Claim) Context() hash.Digest {
	return claim.Context(claim.ISADigest(c.ISA), c.SourceDigest, c.InputDigest)
}

// SourceDigest is the claim's digest of the frontend's source bytes.
func SourceDigest(b []byte) hash.Digest { return hash.Tagged(TagSource, b) }

// OutputDigest is the claim's output digest: the Poseidon2 sponge of the output that
// the segments' output tables carry from one segment to the next (core/chips/output's
// Digest: two bytes a limb, sixteen a block, the length in the finishing permutation),
// not a hash.Tagged digest, so that a verifier that sees only the segments' sponge
// states (a recursion root: output.Finish of the last one) exposes the same claim.
func OutputDigest(b []byte) hash.Digest { return output.Digest(b) }

// InputDigest is the claim's input digest: the Poseidon2 sponge of the input tape that a
// proof proves (core/chips/input.Digest: the words as 16-bit limbs, four words a block,
// the length and a domain tag in the initial capacity), not a hash.Tagged digest, so
// that a digest computed here from the input bytes equals the proof's public value.
func InputDigest(b []byte) hash.Digest { return input.Digest(b) }
