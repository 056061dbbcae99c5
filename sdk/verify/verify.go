package verify

import (
	"cmp"
	"errors"
	"fmt"

	"github.com/consensys/gnark/backend/groth16"

	"github.com/oneiros-zk/oneiros/core/claim"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/machine"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/sdk/envelope"
)

// ErrRejected is wrapped by every rejection: a proof or envelope that does not establish
// its claim, or a claim a hook refused.
var ErrRejected = errors.New("proof rejected")

// Hook accepts or rejects a claim before the proof is checked (e.g. only allowed
// program IDs, a required exit status). Its error is reported as a rejection.
type Hook func(*envelope.Claim) error

// Options configure verification.
type Options struct {
	// MinSecurityBits is the least conjectured security accepted, whatever parameters
	// the envelope names; 0 means hemera.DefaultMinSecurityBits (100). The verifier owns
	// this floor: the envelope never lowers it.
	MinSecurityBits int
	// MinProvableBits is the least provable security accepted (unique-decoding or
	// Johnson regime, see hemera.Analyze); 0 means none.
	MinProvableBits int
	// Workers bounds the verifier's goroutines (0: one per CPU).
	Workers int
	// Hooks run in order on the claim; the first error rejects.
	Hooks []Hook
	// WrapKey finds the wrap circuit's verifying key for a wrapped envelope, by the
	// label machine.WrapLabel gives its parameters (the CLI reads it from the keys'
	// cache). The key comes from the verifier, never from the envelope. nil: wrapped
	// envelopes are refused.
	WrapKey func(label string) (*WrapKey, error)
	// Linked is a linker with which the caller already verified the envelope's segment
	// proofs one by one (VerifyEncoded) and finished the run: the host does, as each
	// segment is proven. Envelope makes all its other checks, and skips verifying the
	// STARKs again only when the linker covers exactly what it would verify
	// (machine.Covered: the same engine parameters and floors at least these, keys,
	// statement and proof bytes); otherwise it verifies them as without it.
	Linked *machine.Linker
}

// WrapKey is what a verifier holds for a wrap circuit: its id, its Groth16 verifying
// key, and the security of the outer proofs it verifies (conjectured and provable
// bits, as the set-up computed them: keys.Binding).
type WrapKey struct {
	CircuitID   string
	VK          groth16.VerifyingKey
	Conjectured int
	Provable    int
	Regime      fri.Regime // the regime that gives Provable
}

// ErrNoWrapKey is wrapped by the error of a wrapped envelope verified without
// Options.WrapKey, or whose key the function did not find: not a rejection of the
// proof, but a verifier that lacks what it needs (the CLI: exit code 2).
var ErrNoWrapKey = errors.New("no wrap circuit key")

// DefaultOptions require the engine's default security.
var DefaultOptions = Options{MinSecurityBits: hemera.DefaultMinSecurityBits, MinProvableBits: hemera.DefaultMinProvableBits}

func reject(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrRejected, fmt.Sprintf(format, args...))
}

// Envelope checks an envelope: the program and output match the claim, the hooks accept
// the claim, and the proofs prove it. It never panics on any envelope.
func Envelope(env *envelope.Envelope, opts Options) error {
	c := &env.Claim
	prog, err := isa.Decode(env.Program)
	if err != nil {
		return reject("the envelope's program does not decode: %v", err)
	}
	if id := prog.ID(); id != c.ProgramID {
		return reject("program_id %s does not match the envelope's program (%s)", c.ProgramID, id)
	}
	if d := envelope.OutputDigest(env.Output); d != c.OutputDigest {
		return reject("output_digest does not match the envelope's output")
	}
	// The context fields: the proofs are bound to the claim's (Statement.Context below);
	// the envelope's Bound copy only names the field edited after proving.
	b := &env.Bound
	if c.ISA != b.ISA {
		return reject("isa %q differs from the isa the proofs were made for (%q): the claim was edited after proving", c.ISA, b.ISA)
	}
	if c.SourceDigest != b.SourceDigest {
		return reject("source_digest %s differs from the one the proofs were made for (%s): the claim was edited after proving", c.SourceDigest, b.SourceDigest)
	}
	if c.InputDigest != b.InputDigest {
		return reject("input_digest %s differs from the one the proofs were made for (%s): the claim was edited after proving", c.InputDigest, b.InputDigest)
	}
	for i, h := range opts.Hooks {
		if err := h(c); err != nil {
			return fmt.Errorf("%w: hook %d: %w", ErrRejected, i, err)
		}
	}
	if len(env.Proofs) == 0 {
		return reject("no segment proofs")
	}
	r, err := open(env, prog, opts)
	if err != nil {
		return err
	}
	if r.wrapped != nil {
		return verifyWrapped(env, r, opts)
	}
	if r.agg != nil {
		if err := r.m.VerifyAggregated(r.tree, r.keys.VK, r.st, r.agg); err != nil {
			return fmt.Errorf("%w: %w", ErrRejected, err)
		}
		return nil
	}
	if r.m.Covered(opts.Linked, r.keys.VK, r.st, env.Proofs) {
		return nil
	}
	if err := r.m.VerifySegments(r.keys.VK, r.st, r.proofs); err != nil {
		return fmt.Errorf("%w: %w", ErrRejected, err)
	}
	return nil
}

// Security is the security accounting of the envelope's weakest segment proof under
// the envelope's parameters, computed as the verifier computes it for its floors (each
// proof's table heights and its segment's public messages). It checks nothing else:
// Envelope decides whether the proofs verify.
func Security(env *envelope.Envelope) (hemera.Security, error) {
	prog, err := isa.Decode(env.Program)
	if err != nil {
		return hemera.Security{}, reject("the envelope's program does not decode: %v", err)
	}
	// No floors: the accounting is reported, not judged (an aggregated proof's leaf
	// programs are refused under floors their segment proofs do not meet).
	r, err := open(env, prog, Options{MinSecurityBits: 1})
	if err != nil {
		return hemera.Security{}, err
	}
	if r.wrapped != nil {
		sec, err := r.m.WrapSecurity(r.tree, r.keys.VK, r.wrapped.Shapes, r.wrapped.Catalogue)
		if err != nil {
			return hemera.Security{}, fmt.Errorf("%w: %w", ErrRejected, err)
		}
		return sec, nil
	}
	if r.agg != nil {
		sec, err := r.m.AggregatedSecurity(r.tree, r.keys.VK, r.agg)
		if err != nil {
			return hemera.Security{}, fmt.Errorf("%w: %w", ErrRejected, err)
		}
		return sec, nil
	}
	if len(r.proofs) == 0 {
		return hemera.Security{}, reject("no proofs")
	}
	all, err := r.m.SegmentsSecurity(r.keys.VK, r.st, r.proofs)
	if err != nil {
		return hemera.Security{}, fmt.Errorf("%w: %w", ErrRejected, err)
	}
	var sec hemera.Security
	for i, s := range all {
		if i == 0 || s.Provable < sec.Provable || s.Conjectured < sec.Conjectured {
			sec = s
		}
	}
	return sec, nil
}

// opened is an envelope ready to check: its machine on the envelope's parameters, the
// program's keys, the claim's statement and the decoded proofs.
type opened struct {
	m      *machine.Machine
	keys   *machine.Keys
	st     *machine.Statement
	proofs []*machine.SegmentProof
	// An aggregated envelope's proof and the engine of its recursion proofs.
	agg  *machine.Aggregated
	tree *hemera.Engine
	// A wrapped envelope's proof and the parameters of its outer layer.
	wrapped *machine.Wrapped
	outer   hemera.Params
}

// open builds what Envelope and Security share from the envelope and its decoded
// program; every failure is a rejection.
func open(env *envelope.Envelope, prog *isa.Program, opts Options) (*opened, error) {
	c := &env.Claim
	p := env.Params
	e, err := hemera.New(hemera.Params{
		FRI:             p.Params,
		MinSecurityBits: cmp.Or(opts.MinSecurityBits, hemera.DefaultMinSecurityBits),
		MinProvableBits: opts.MinProvableBits,
		Workers:         opts.Workers,
	})
	if err != nil {
		return nil, reject("engine parameters: %v", err)
	}
	m := machine.New(e)
	if id := m.ID().String(); p.Machine != id {
		return nil, reject("the proof was made for zkVM tables %q; this verifier's are %q (a different OneirOS version)", short(p.Machine), short(id))
	}
	r := &opened{m: m, st: &machine.Statement{Program: prog, Status: isa.ExitStatus(c.ExitStatus), ExitCode: c.ExitCode,
		Cycles: c.Cycles, Output: env.Output, InputLen: c.InputLen, InputDigest: c.InputDigest,
		HookCount: c.HookCount, HookDigest: c.HookDigest, Context: c.Context()}}
	if a := env.Aggregation; a != nil {
		if len(env.Proofs) != 1 {
			return nil, reject("an aggregated envelope holds %d proofs (want 1)", len(env.Proofs))
		}
		// What the recursion verifier proves with (recursion/verifier.NewShape refuses
		// the rest, but only once the leaf programs are built).
		if a.ZK || a.Ext() != 4 || a.Hash != hash.Narrow {
			return nil, reject("aggregation parameters: zk %v, extension degree %d, hash %v: aggregated proofs are made without zero knowledge, over the degree-4 extension, with %v", a.ZK, a.Ext(), a.Hash, hash.Narrow)
		}
		if r.tree, err = hemera.New(hemera.Params{FRI: *a, MinSecurityBits: cmp.Or(opts.MinSecurityBits, hemera.DefaultMinSecurityBits),
			MinProvableBits: opts.MinProvableBits, Workers: opts.Workers}); err != nil {
			return nil, reject("aggregation parameters: %v", err)
		}
		if w := env.Wrap; w != nil {
			if w.ZK || w.Ext() != 4 || w.Hash != hash.Outer {
				return nil, reject("wrap parameters: zk %v, extension degree %d, hash %v: the outer layer is proved without zero knowledge, over the degree-4 extension, with %v", w.ZK, w.Ext(), w.Hash, hash.Outer)
			}
			r.outer = hemera.Params{FRI: *w, MinSecurityBits: cmp.Or(opts.MinSecurityBits, hemera.DefaultMinSecurityBits),
				MinProvableBits: opts.MinProvableBits, Workers: opts.Workers}
			if r.wrapped, err = machine.DecodeWrapped(env.Proofs[0]); err != nil {
				return nil, reject("wrapped proof: %v", err)
			}
			return r.setKeys(prog)
		}
		if r.agg, err = machine.DecodeAggregated(env.Proofs[0]); err != nil {
			return nil, reject("aggregated proof: %v", err)
		}
		return r.setKeys(prog)
	}
	for i, b := range env.Proofs {
		proof, err := machine.DecodeSegmentProof(b)
		if err != nil {
			return nil, reject("segment proof %d: %v", i, err)
		}
		r.proofs = append(r.proofs, proof)
	}
	return r.setKeys(prog)
}

// AllowPrograms is a hook that accepts only the given program IDs.
func AllowPrograms(ids ...string) Hook {
	return func(c *envelope.Claim) error {
		for _, id := range ids {
			if c.ProgramID.String() == id {
				return nil
			}
		}
		return fmt.Errorf("program_id %s is not among the %d allowed", c.ProgramID, len(ids))
	}
}

// RequireSource is a hook that accepts only claims whose source_digest is the digest of
// the given source bytes (the program as the user gave it to the frontend). The proof
// binds source_digest as the prover stated it; this hook checks it against the source.
func RequireSource(source []byte) Hook {
	want := envelope.SourceDigest(source)
	return func(c *envelope.Claim) error {
		if c.SourceDigest != want {
			return fmt.Errorf("source_digest %s is not the digest of the given source (%s)", c.SourceDigest, want)
		}
		return nil
	}
}

// RequireInput is a hook that accepts only claims whose input_digest is the digest of
// the given input tape: the proof shows the run read exactly the tape with that digest,
// and this hook ties it to bytes the verifier holds.
func RequireInput(input []byte) Hook {
	want := envelope.InputDigest(input)
	return func(c *envelope.Claim) error {
		if c.InputDigest != want {
			return fmt.Errorf("input_digest %s is not the digest of the given input (%s)", c.InputDigest, want)
		}
		return nil
	}
}

// RequireHalted is a hook that accepts only runs that halted with exit code 0.
func RequireHalted(c *envelope.Claim) error {
	if isa.ExitStatus(c.ExitStatus) != isa.StatusHalted || c.ExitCode != 0 {
		return fmt.Errorf("the run ended with %s, code %d; want halted with code 0", isa.ExitStatus(c.ExitStatus), c.ExitCode)
	}
	return nil
}

func short(id string) string {
	if len(id) > 16 {
		return id[:16] + "…"
	}
	return id
}

// Opened is an envelope's segment proofs ready to aggregate: the machine on the
// envelope's parameters, the program's keys, the claim's statement and the decoded
// segment proofs.
type Opened struct {
	Machine   *machine.Machine
	Keys      *machine.Keys
	Statement *machine.Statement
	Segments  []*machine.SegmentProof
}

// Open decodes an envelope of segment proofs for aggregation (core/machine.Aggregate
// verifies them again before any recursion work); every failure is a rejection. An
// envelope already aggregated is refused.
func Open(env *envelope.Envelope, opts Options) (*Opened, error) {
	if env.Aggregation != nil {
		return nil, reject("the envelope is aggregated already")
	}
	prog, err := isa.Decode(env.Program)
	if err != nil {
		return nil, reject("the envelope's program does not decode: %v", err)
	}
	if id := prog.ID(); id != env.Claim.ProgramID {
		return nil, reject("program_id %s does not match the envelope's program (%s)", env.Claim.ProgramID, id)
	}
	if len(env.Proofs) == 0 {
		return nil, reject("no segment proofs")
	}
	r, err := open(env, prog, opts)
	if err != nil {
		return nil, err
	}
	return &Opened{Machine: r.m, Keys: r.keys, Statement: r.st, Segments: r.proofs}, nil
}

// verifyWrapped checks a wrapped envelope: the verifier's key for the wrap circuit of
// its parameters (Options.WrapKey), the outer layer's security (the key's) and the
// segments' and tree's (the leaf shapes') against the floors, then the Groth16 proof
// for the statement the claim and the leaf shapes give (machine.VerifyWrapped).
func verifyWrapped(env *envelope.Envelope, r *opened, opts Options) error {
	label := r.m.WrapLabel(r.tree.Params(), r.outer)
	if opts.WrapKey == nil {
		return fmt.Errorf("%w: the envelope is wrapped (wrap circuit %s) and the verifier was given no wrap keys", ErrNoWrapKey, label)
	}
	k, err := opts.WrapKey(label)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrNoWrapKey, err)
	}
	outerSec := hemera.Security{Conjectured: k.Conjectured, Provable: k.Provable}
	if floor := cmp.Or(opts.MinSecurityBits, hemera.DefaultMinSecurityBits); k.Conjectured < floor {
		return reject("the wrapped proof's outer layer has %d bits of conjectured security, below the floor of %d (engine.min_security_bits)", k.Conjectured, floor)
	}
	if k.Provable < opts.MinProvableBits {
		return reject("the wrapped proof's outer layer has %d bits of provable security, below the floor of %d (engine.min_provable_bits; docs/injector.md says why the outer layer has %d)", k.Provable, opts.MinProvableBits, outerSec.Provable)
	}
	if err := r.m.VerifyWrapped(r.tree, r.keys.VK, r.st, Origin(&env.Claim), r.wrapped, k.VK, k.CircuitID); err != nil {
		return fmt.Errorf("%w: %w", ErrRejected, err)
	}
	return nil
}

// The envelopes OpenAggregated refuses for their kind (not a rejection of a proof).
var (
	ErrNotAggregated = errors.New("the envelope holds segment proofs: aggregate it first (oneiros aggregate)")
	ErrWrapped       = errors.New("the envelope is wrapped already")
)

// OpenedAggregated is an aggregated envelope ready to wrap: the machine on the
// envelope's parameters, the program's keys, the claim's statement, the aggregated
// proof and the engine of its recursion proofs (the tree's).
type OpenedAggregated struct {
	Machine    *machine.Machine
	Keys       *machine.Keys
	Statement  *machine.Statement
	Origin     machine.Origin
	Aggregated *machine.Aggregated
	Tree       *hemera.Engine
}

// Origin is the claim's origin as the outer layer of a wrap takes it (the ISA's digest
// and the source digest; core/claim).
func Origin(c *envelope.Claim) machine.Origin {
	return machine.Origin{ISA: claim.ISADigest(c.ISA), Source: c.SourceDigest}
}

// OpenAggregated decodes an aggregated envelope for wrapping (core/machine.ProveOuter
// verifies the aggregated proof before any outer work); every failure is a rejection.
// An envelope of segment proofs (aggregate it first) or a wrapped one is refused with
// ErrNotAggregated or ErrWrapped.
func OpenAggregated(env *envelope.Envelope, opts Options) (*OpenedAggregated, error) {
	switch {
	case env.Aggregation == nil:
		return nil, ErrNotAggregated
	case env.Wrap != nil:
		return nil, ErrWrapped
	}
	prog, err := isa.Decode(env.Program)
	if err != nil {
		return nil, reject("the envelope's program does not decode: %v", err)
	}
	if id := prog.ID(); id != env.Claim.ProgramID {
		return nil, reject("program_id %s does not match the envelope's program (%s)", env.Claim.ProgramID, id)
	}
	r, err := open(env, prog, opts)
	if err != nil {
		return nil, err
	}
	return &OpenedAggregated{Machine: r.m, Keys: r.keys, Statement: r.st, Origin: Origin(&env.Claim), Aggregated: r.agg, Tree: r.tree}, nil
}

// WrapLabelOf is the label of a wrapped envelope's wrap circuit (machine.WrapLabel of
// its parameters): what Options.WrapKey is asked for.
func WrapLabelOf(env *envelope.Envelope) (string, error) {
	if env.Wrap == nil || env.Aggregation == nil {
		return "", fmt.Errorf("not a wrapped envelope")
	}
	e, err := hemera.New(hemera.Params{FRI: env.Params.Params, MinSecurityBits: 1})
	if err != nil {
		return "", err
	}
	return machine.New(e).WrapLabel(hemera.Params{FRI: *env.Aggregation}, hemera.Params{FRI: *env.Wrap}), nil
}
