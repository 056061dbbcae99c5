package hemera

import (
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
	FRI             fri.Params
	MinSecurityBits int // proofs below this conjectured security are refused, 0..128
	Workers         int // goroutines; 0 = one per CPU
}

// DefaultParams match configs/oneiros.default.yaml.
var DefaultParams = Params{FRI: fri.DefaultParams, MinSecurityBits: 100}

// Engine is a configured Hemera Engine: the FRI commitment scheme on a kernel set.
type Engine struct {
	params  Params
	kernels kernel.Kernels
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

// New validates the parameters and builds the engine.
func New(p Params, opts ...Option) (*Engine, error) {
	if err := p.FRI.Validate(); err != nil {
		return nil, fmt.Errorf("hemera: %w", err)
	}
	if p.MinSecurityBits < 0 || p.MinSecurityBits > 128 {
		return nil, fmt.Errorf("hemera: min_security_bits = %d outside [0, 128]", p.MinSecurityBits)
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
	e.cfg = stark.Config{Scheme: scheme, Kernels: e.kernels, Workers: p.Workers}
	return e, nil
}

// Params returns the parameters in use.
func (e *Engine) Params() Params { return e.params }

// Kernels returns the kernel set in use.
func (e *Engine) Kernels() kernel.Kernels { return e.kernels }

// Config is the STARK configuration, for callers that use package stark directly.
func (e *Engine) Config() stark.Config { return e.cfg }

// SecurityBits is the conjectured security of a proof whose tallest trace has 2^logN rows.
func (e *Engine) SecurityBits(logN int) int {
	return e.params.FRI.ConjecturedSecurity(logN + e.params.FRI.LogBlowup)
}

// MaxLogN is the largest log trace height whose proofs still meet MinSecurityBits
// (and fit the field's two-adic domain).
func (e *Engine) MaxLogN() int {
	m := -1
	for l := 0; l+e.params.FRI.LogBlowup <= field.TwoAdicity; l++ {
		if e.SecurityBits(l) >= e.params.MinSecurityBits {
			m = l
		}
	}
	return m
}

// Setup builds the proving and verifying keys of a set of tables.
// optional marks the tables a proof may leave out (see stark.Setup).
func (e *Engine) Setup(airs []*air.AIR, prep [][][]field.Elem, optional ...[]bool) (*stark.ProvingKey, *stark.VerifyingKey, error) {
	return stark.Setup(e.cfg.Scheme, airs, prep, optional...)
}

func (e *Engine) checkSecurity(logN []int) error {
	top := 0
	for _, l := range logN {
		top = max(top, l)
	}
	if s := e.SecurityBits(top); s < e.params.MinSecurityBits {
		return fmt.Errorf("hemera: a trace of 2^%d rows gives %d bits of conjectured security, below min_security_bits = %d (lower segment_cycles, or raise num_queries or log_blowup)", top, s, e.params.MinSecurityBits)
	}
	return nil
}

// Prove proves a witness, refusing traces too tall for the required security.
func (e *Engine) Prove(pk *stark.ProvingKey, w *stark.Witness) (*stark.Proof, error) {
	logN := make([]int, len(w.Main))
	for t, m := range w.Main {
		if len(m) > 0 && len(m[0]) > 0 {
			for 1<<logN[t] < len(m[0]) {
				logN[t]++
			}
		}
	}
	if err := e.checkSecurity(logN); err != nil {
		return nil, err
	}
	return stark.Prove(e.cfg, pk, w)
}

// Verify checks a proof; a proof whose trace heights fall below the required security
// is rejected like any invalid proof.
func (e *Engine) Verify(vk *stark.VerifyingKey, proof *stark.Proof, publics [][]field.Elem, bus []lookup.Message) error {
	if err := e.checkSecurity(proof.LogN); err != nil {
		return &stark.Error{Check: "security", Err: err}
	}
	return stark.Verify(e.cfg, vk, proof, publics, bus)
}
