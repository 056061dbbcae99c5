package pipeline

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"

	"github.com/oneiros-zk/oneiros/core/aggregate"
	"github.com/oneiros-zk/oneiros/core/machine"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/injector/wrap"
	"github.com/oneiros-zk/oneiros/sdk/config"
	"github.com/oneiros-zk/oneiros/sdk/envelope"
	"github.com/oneiros-zk/oneiros/sdk/injector/keys"
	"github.com/oneiros-zk/oneiros/sdk/verify"
)

// WrapOptions choose the wrap's keys and parameters.
type WrapOptions struct {
	// Keys is the cache of wrap circuits and their Groth16 keys (the zero Cache: the
	// default directory).
	Keys keys.Cache
	// Outer are the outer layer's parameters; nil: aggregate.OuterParams. Their floors
	// are raised to the configuration's.
	Outer *hemera.Params
	// Progress, when not nil, hears of each step ("outer set-up", "compile",
	// "groth16 set-up", "outer proof", "wrap", ...).
	Progress func(step string)
}

func (o WrapOptions) progress(step string) {
	if o.Progress != nil {
		o.Progress(step)
	}
}

// phases returns a runner of named steps: each is announced (Progress), timed into
// seconds, and fails with the context's error when the context is done after it.
func (o WrapOptions) phases(ctx context.Context, seconds map[string]float64) func(name string, f func() error) error {
	return func(name string, f func() error) error {
		o.progress(name)
		t0 := time.Now()
		err := f()
		seconds[name] = time.Since(t0).Seconds()
		if err == nil {
			err = ctx.Err()
		}
		return err
	}
}

// engines are the tree's and the outer layer's parameters under the configuration's
// floors (the stricter of theirs and the configuration's).
func (o WrapOptions) engines(cfg *config.Config) (tree *hemera.Engine, outer hemera.Params, err error) {
	tp := aggregate.Params
	tp.MinSecurityBits = max(tp.MinSecurityBits, cfg.Engine.MinSecurityBits)
	tp.MinProvableBits = max(tp.MinProvableBits, cfg.Engine.MinProvableBits)
	tp.Workers = cfg.Engine.Workers
	if tree, err = hemera.New(tp); err != nil {
		return nil, hemera.Params{}, fmt.Errorf("aggregation parameters: %w", err)
	}
	outer = aggregate.OuterParams
	if o.Outer != nil {
		outer = *o.Outer
	}
	if cfg.Engine.MinProvableBits > outer.MinProvableBits {
		return nil, hemera.Params{}, fmt.Errorf("the outer layer's parameters give at least %d provable bits, and engine.min_provable_bits asks for %d: wrapped proofs need engine.min_provable_bits ≤ %d (--preset wrap sets it; docs/injector.md, \"The outer layer\", says why)",
			outer.MinProvableBits, cfg.Engine.MinProvableBits, outer.MinProvableBits)
	}
	outer.MinSecurityBits = max(outer.MinSecurityBits, cfg.Engine.MinSecurityBits)
	outer.Workers = cfg.Engine.Workers
	return tree, outer, nil
}

// WrapSetupResult is what WrapSetup made.
type WrapSetupResult struct {
	Label       string          // the label the circuit is bound to (machine.WrapLabel)
	CircuitID   string          // the circuit's id
	Constraints int             // its R1CS constraints
	Security    hemera.Security // of the outer proofs it verifies
	Reused      bool            // the keys were in the cache already: no Groth16 set-up ran
	Seconds     map[string]float64
}

// WrapSetup makes the wrap circuit of the zkVM's aggregated proofs under the
// configuration (its segment parameters' machine, aggregate.Params, the outer
// parameters), compiles it, makes its Groth16 keys with a local set-up — whoever runs
// it could forge proofs: for development; production keys come from a ceremony
// (docs/injector-keys.md) — and stores the keys, the constraint system and the
// binding of the label in the cache. Keys already cached for the circuit are kept
// unless force.
func WrapSetup(ctx context.Context, cfg *config.Config, opts WrapOptions, force bool) (*WrapSetupResult, error) {
	tree, outer, err := opts.engines(cfg)
	if err != nil {
		return nil, err
	}
	e, err := hemera.New(cfg.Engine.Hemera())
	if err != nil {
		return nil, fmt.Errorf("engine parameters: %w", err)
	}
	m := machine.New(e)
	res := &WrapSetupResult{Label: m.WrapLabel(tree.Params(), outer), Seconds: map[string]float64{}}
	phase := opts.phases(ctx, res.Seconds)
	var o *aggregate.Outer
	if err := phase("outer set-up", func() (err error) { o, err = m.OuterLayer(tree, outer); return }); err != nil {
		return nil, fmt.Errorf("the outer layer: %w", err)
	}
	res.Security = o.Security()
	sh, err := o.WrapShape()
	if err != nil {
		return nil, fmt.Errorf("the wrap circuit's shape: %w", err)
	}
	o = nil
	var k aggregate.WrapKeys
	k.Shape = sh
	if err := phase("compile", func() (err error) { k.CCS, k.ID, err = wrap.Compile(sh); return }); err != nil {
		return nil, fmt.Errorf("compiling the wrap circuit: %w", err)
	}
	res.CircuitID, res.Constraints = k.ID, k.CCS.GetNbConstraints()
	if _, err := opts.Keys.LoadMeta(k.ID); err == nil && !force {
		if _, err := opts.Keys.LoadCircuit(k.ID); err != nil {
			if err := opts.Keys.StoreCircuit(k.ID, k.CCS); err != nil {
				return nil, err
			}
		}
		res.Reused = true
	} else {
		runtime.GC()
		if err := phase("groth16 set-up", func() (err error) { k.PK, k.VK, err = keys.SetupLocal(k.CCS); return }); err != nil {
			return nil, err
		}
		if err := phase("store", func() error {
			if err := opts.Keys.Store(k.ID, k.PK, k.VK, keys.Origin{Setup: keys.SetupLocalDev, NbConstraints: res.Constraints}); err != nil {
				return err
			}
			return opts.Keys.StoreCircuit(k.ID, k.CCS)
		}); err != nil {
			return nil, err
		}
	}
	if err := opts.Keys.Bind(keys.Binding{Label: res.Label, CircuitID: k.ID, NbConstraints: res.Constraints,
		Conjectured: res.Security.Conjectured, Provable: res.Security.Provable, Regime: string(res.Security.ProvableRegime)}); err != nil {
		return nil, err
	}
	return res, nil
}

// Wrapped is an aggregated envelope wrapped (Wrap).
type Wrapped struct {
	Envelope  *envelope.Envelope // the wrapped envelope: the same claim, one Groth16 proof
	Proof     *machine.Wrapped
	CircuitID string
	Seconds   map[string]float64
}

// ErrNoWrapKeys is wrapped by Wrap's error when the cache has no keys for the wrap
// circuit (the remedy: oneiros wrap setup).
var ErrNoWrapKeys = errors.New("no wrap keys")

// noKeys is a keys' cache error that is ErrNoWrapKeys too (its message is the cache's).
type noKeys struct{ err error }

func (e *noKeys) Error() string   { return e.err.Error() }
func (e *noKeys) Unwrap() []error { return []error{ErrNoWrapKeys, e.err} }

// Wrap proves the outer layer on an aggregated envelope's root and wraps it in a
// Groth16 proof of the wrap circuit (its keys from the cache: WrapSetup makes them).
// The keys' binding is looked up before any work; the aggregated proof is verified
// before the outer proof (a failure wraps verify.ErrRejected); the outer proof's
// outputs are checked against the claim, and the wrapped proof against the statement
// a verifier computes, before the envelope is returned.
func Wrap(ctx context.Context, env *envelope.Envelope, cfg *config.Config, opts WrapOptions) (*Wrapped, error) {
	tree, outer, err := opts.engines(cfg)
	if err != nil {
		return nil, err
	}
	vopts := verify.Options{MinSecurityBits: cfg.Engine.MinSecurityBits, MinProvableBits: cfg.Engine.MinProvableBits, Workers: cfg.Engine.Workers}
	oa, err := verify.OpenAggregated(env, vopts)
	if err != nil {
		return nil, err
	}
	if *env.Aggregation != tree.Params().FRI {
		return nil, fmt.Errorf("the envelope was aggregated under %+v; this build wraps aggregated proofs made under %+v", *env.Aggregation, tree.Params().FRI)
	}
	m := oa.Machine
	label := m.WrapLabel(tree.Params(), outer)
	b, err := opts.Keys.Bound(label)
	if err != nil {
		return nil, &noKeys{err}
	}
	if _, err := opts.Keys.LoadMeta(b.CircuitID); err != nil {
		return nil, &noKeys{err}
	}
	res := &Wrapped{CircuitID: b.CircuitID, Seconds: map[string]float64{}}
	phase := opts.phases(ctx, res.Seconds)
	// Verified here to refuse a bad proof before the outer set-up (1.5–2.5 min), as a
	// rejection; ProveOuter verifies it again (about 6 s), as a library call must.
	if err := phase("verify", func() error { return m.VerifyAggregated(oa.Tree, oa.Keys.VK, oa.Statement, oa.Aggregated) }); err != nil {
		return nil, fmt.Errorf("%w: %w", verify.ErrRejected, err)
	}
	var o, ot *aggregate.Outer
	var op *aggregate.OuterProof
	if err := phase("outer set-up", func() (err error) { o, err = m.OuterLayer(oa.Tree, outer); return }); err != nil {
		return nil, fmt.Errorf("the outer layer: %w", err)
	}
	if err := phase("outer proof", func() (err error) {
		ot, op, err = m.ProveOuter(oa.Tree, oa.Keys.VK, oa.Statement, oa.Origin, oa.Aggregated, o)
		return
	}); err != nil {
		return nil, err
	}
	var k aggregate.WrapKeys
	if k.Shape, err = ot.WrapShape(); err != nil {
		return nil, err
	}
	o = nil
	runtime.GC() // the outer prover's buffers, before the circuit and its proving key
	if err := phase("load keys", func() (err error) {
		if k.CCS, err = opts.Keys.LoadCircuit(b.CircuitID); err != nil {
			return &noKeys{err}
		}
		k.ID = b.CircuitID
		if k.PK, k.VK, err = opts.Keys.Load(b.CircuitID); err != nil {
			return &noKeys{err}
		}
		return nil
	}); err != nil {
		return nil, err
	}
	var wp *wrap.Wrapped
	if err := phase("wrap", func() (err error) { wp, err = ot.Wrap(&k, op); return }); err != nil {
		return nil, err
	}
	w := &machine.Wrapped{Shapes: oa.Aggregated.Shapes, Proof: wp}
	if err := phase("check", func() error { return m.VerifyWrapped(oa.Tree, oa.Keys.VK, oa.Statement, oa.Origin, w, k.VK, k.ID) }); err != nil {
		return nil, fmt.Errorf("the wrapped proof does not verify: %w", err)
	}
	enc, err := w.Encode()
	if err != nil {
		return nil, err
	}
	out := *env
	out.Proofs = [][]byte{enc}
	op2 := outer.FRI
	out.Wrap = &op2
	out.Meta.PhaseSeconds = map[string]float64{}
	for k, v := range env.Meta.PhaseSeconds {
		out.Meta.PhaseSeconds[k] = v
	}
	for k, v := range res.Seconds {
		out.Meta.PhaseSeconds["wrap "+k] = v
	}
	res.Envelope, res.Proof = &out, w
	return res, nil
}

// WrapKeyFrom is a verify.Options.WrapKey reading the keys' cache: the binding of the
// label, then the verifying key of its circuit.
func WrapKeyFrom(c keys.Cache) func(label string) (*verify.WrapKey, error) {
	return func(label string) (*verify.WrapKey, error) {
		b, err := c.Bound(label)
		if err != nil {
			return nil, err
		}
		vk, err := c.LoadVK(b.CircuitID)
		if err != nil {
			return nil, err
		}
		return &verify.WrapKey{CircuitID: b.CircuitID, VK: vk, Conjectured: b.Conjectured, Provable: b.Provable, Regime: fri.Regime(b.Regime)}, nil
	}
}

// WrapLabel is the label of the wrap circuit of the machine on the engine parameters
// p (machine.WrapLabel) under the tree and outer parameters.
func WrapLabel(p, tree, outer hemera.Params) (string, error) {
	e, err := hemera.New(p)
	if err != nil {
		return "", fmt.Errorf("engine parameters: %w", err)
	}
	return machine.New(e).WrapLabel(tree, outer), nil
}
