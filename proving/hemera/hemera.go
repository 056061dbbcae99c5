package hemera

import (
	"context"
	"fmt"

	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/kernel"
	"github.com/oneiros-zk/oneiros/proving/kernel/cpu"
	"github.com/oneiros-zk/oneiros/proving/lookup"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// Params are the engine's parameters (configuration section engine).
type Params struct {
	FRI fri.Params
	// MinSecurityBits is the floor on conjectured security (Security.Conjectured): Prove
	// refuses and Verify rejects below it. 0..128; 0 is no floor (tests use fast, weak
	// parameters); sdk/verify reads 0 as DefaultMinSecurityBits.
	MinSecurityBits int
	// MinProvableBits is the floor on provable security (Security.Provable), 0..128; 0 is
	// no floor. With the defaults (the proof of work before the LogUp challenges and ζ
	// included) a segment with every chip at up to 2^22 rows proves 100 bits, so the
	// default is DefaultMinProvableBits (docs/security-computation.md).
	MinProvableBits int
	Workers         int // goroutines; 0 = one per CPU
}

// DefaultMinSecurityBits is the default floor on conjectured security.
const DefaultMinSecurityBits = 100

// DefaultMinProvableBits is the default floor on provable security
// (engine.min_provable_bits).
const DefaultMinProvableBits = 100

// DefaultParams match configs/oneiros.default.yaml.
var DefaultParams = Params{FRI: fri.DefaultParams, MinSecurityBits: DefaultMinSecurityBits, MinProvableBits: DefaultMinProvableBits}

// Engine is a configured Hemera Engine: the FRI commitment scheme on a kernel set.
type Engine struct {
	params  Params
	kernels kernel.Kernels
	seed    *[32]byte
	cfg     stark.Config
}

// Option configures an Engine.
type Option func(*Engine) error

// WithKernels runs the prover on the given kernels instead of the CPU ones.
func WithKernels(k kernel.Kernels) Option {
	return func(e *Engine) error {
		if k == nil {
			return fmt.Errorf("hemera: nil kernels")
		}
		e.kernels = k
		return nil
	}
}

// WithSeed keys the masking randomness of zero-knowledge proofs (FRI.ZK) with a fixed
// seed, so that proofs are reproducible (tests, comparing backends). A proof made with a
// seed that anyone else knows or can guess hides nothing; without this option every
// proof draws a fresh key from crypto/rand.
func WithSeed(seed [32]byte) Option {
	return func(e *Engine) error {
		e.seed = &seed
		return nil
	}
}

// New validates the parameters and builds the engine.
func New(p Params, opts ...Option) (*Engine, error) {
	if err := p.FRI.Validate(); err != nil {
		return nil, fmt.Errorf("hemera: %w", err)
	}
	if p.MinSecurityBits < 0 || p.MinSecurityBits > 128 {
		return nil, fmt.Errorf("hemera: min_security_bits = %d outside [0, 128]", p.MinSecurityBits)
	}
	if p.MinProvableBits < 0 || p.MinProvableBits > 128 {
		return nil, fmt.Errorf("hemera: min_provable_bits = %d outside [0, 128]", p.MinProvableBits)
	}
	if p.Workers < 0 || p.Workers > 1024 {
		return nil, fmt.Errorf("hemera: workers = %d outside [0, 1024]", p.Workers)
	}
	k := cpu.New(p.Workers)
	p.Workers = k.Workers()
	e := &Engine{params: p, kernels: k}
	for _, o := range opts {
		if err := o(e); err != nil {
			return nil, err
		}
	}
	scheme, err := fri.New(p.FRI, e.kernels, p.Workers)
	if err != nil {
		return nil, err
	}
	e.cfg = stark.Config{Scheme: scheme, Kernels: e.kernels, Workers: p.Workers, Seed: e.seed}
	return e, nil
}

// Params returns the parameters in use.
func (e *Engine) Params() Params { return e.params }

// Kernels returns the kernel set in use.
func (e *Engine) Kernels() kernel.Kernels { return e.kernels }

// Config is the STARK configuration, for callers that use package stark directly.
func (e *Engine) Config() stark.Config { return e.cfg }

// Security is the soundness accounting of a proof with table heights logN (stark.Absent
// for a table left out) and the given public bus messages, under this engine's
// parameters (see Analyze).
func (e *Engine) Security(vk *stark.VerifyingKey, logN []int, bus []lookup.Message) Security {
	return Analyze(e.params.FRI, ShapeOf(vk, logN, bus))
}

// Setup builds the proving and verifying keys of a set of tables.
// optional marks the tables a proof may leave out (see stark.Setup).
func (e *Engine) Setup(airs []*air.AIR, prep [][][]field.Elem, optional ...[]bool) (*stark.ProvingKey, *stark.VerifyingKey, error) {
	return stark.Setup(e.cfg.Scheme, airs, prep, optional...)
}

// CheckFloors returns an error naming the parameters and the weakest term when a
// security level is below this engine's floors.
func (e *Engine) CheckFloors(s Security) error {
	f := e.params.FRI
	params := fmt.Sprintf("log_blowup %d, num_queries %d, grinding_bits %d, fri_log_arity %d, log_final_poly_len %d, logup_grinding_bits %d, deep_grinding_bits %d, ext_degree %d, hash %s",
		f.LogBlowup, f.NumQueries, f.GrindingBits, f.LogArity, f.LogFinalPolyLen, f.LogUpGrindingBits, f.DEEPGrindingBits, f.Ext(), f.Hash)
	if s.Conjectured < e.params.MinSecurityBits {
		w := s.Weakest(fri.Conjectured)
		return fmt.Errorf("hemera: %d bits of conjectured security (weakest: %s, %d bits), below min_security_bits = %d, with %s (%s)",
			s.Conjectured, w.Name, w.Bits, e.params.MinSecurityBits, params, remedy(w.Name))
	}
	if s.Provable < e.params.MinProvableBits {
		w := s.Weakest(s.ProvableRegime)
		return fmt.Errorf("hemera: %d bits of provable security (%s; weakest: %s, %d bits), below min_provable_bits = %d, with %s (%s)",
			s.Provable, s.ProvableRegime, w.Name, w.Bits, e.params.MinProvableBits, params, remedy(w.Name))
	}
	return nil
}

// remedy says which parameters raise a term.
func remedy(term string) string {
	switch term {
	case "FRI query phase":
		return "raise num_queries, log_blowup or grinding_bits"
	case "hash":
		return "the hash caps it: engine.hash poseidon2-w24, or --preset secure128"
	case "LogUp":
		return "raise logup_grinding_bits, set ext_degree 6 (--preset secure128), or lower segment_cycles"
	case "DEEP":
		return "raise deep_grinding_bits, set ext_degree 6 (--preset secure128), or lower segment_cycles"
	}
	return "the extension field caps it: set ext_degree 6 (--preset secure128), or lower segment_cycles"
}

// Prove proves a witness, refusing one whose proof would fall below the floors.
func (e *Engine) Prove(pk *stark.ProvingKey, w *stark.Witness) (*stark.Proof, error) {
	return e.ProveContext(context.Background(), pk, w)
}

// ProveContext is Prove that stops with ctx's error when ctx is done (between the
// proof's phases; see stark.ProveContext).
func (e *Engine) ProveContext(ctx context.Context, pk *stark.ProvingKey, w *stark.Witness) (*stark.Proof, error) {
	logN := make([]int, len(w.Main))
	for t, m := range w.Main {
		if m == nil {
			logN[t] = stark.Absent
			continue
		}
		if len(m) > 0 && len(m[0]) > 0 {
			for 1<<logN[t] < len(m[0]) {
				logN[t]++
			}
		}
	}
	if len(logN) == len(pk.VK.AIRs) {
		if err := e.CheckFloors(e.Security(pk.VK, logN, w.Bus)); err != nil {
			return nil, err
		}
	}
	return stark.ProveContext(ctx, e.cfg, pk, w)
}

// Verify checks a proof; a proof whose shape falls below the floors is rejected like any
// invalid proof, before anything else is checked.
func (e *Engine) Verify(vk *stark.VerifyingKey, proof *stark.Proof, publics [][]field.Elem, bus []lookup.Message) error {
	if len(proof.LogN) != len(vk.AIRs) {
		return stark.Verify(e.cfg, vk, proof, publics, bus) // rejected as a shape error
	}
	for _, l := range proof.LogN {
		if l != stark.Absent && (l < 0 || l+e.params.FRI.LogBlowup > field.TwoAdicity) {
			return stark.Verify(e.cfg, vk, proof, publics, bus) // rejected as a shape error
		}
	}
	if err := e.CheckFloors(e.Security(vk, proof.LogN, bus)); err != nil {
		return &stark.Error{Check: "security", Err: err}
	}
	return stark.Verify(e.cfg, vk, proof, publics, bus)
}
