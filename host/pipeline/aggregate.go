package pipeline

import (
	"context"
	"fmt"
	"time"

	"github.com/oneiros-zk/oneiros/core/aggregate"
	"github.com/oneiros-zk/oneiros/core/machine"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/sdk/config"
	"github.com/oneiros-zk/oneiros/sdk/envelope"
	"github.com/oneiros-zk/oneiros/sdk/verify"
)

// Aggregated is an envelope's segment proofs made one (Aggregate).
type Aggregated struct {
	Envelope *envelope.Envelope // the aggregated envelope: the same claim, one proof
	Proof    *machine.Aggregated
	Seconds  float64 // the aggregation's wall time, the segments' verification included
}

// Aggregate verifies and links an envelope's segment proofs and proves them as one
// recursion proof at aggregate.Params, under the configuration's floors (the stricter of
// the two) and workers; progress, when not nil, hears of each leaf and join. A failure
// of the proofs (they do not verify, link or prove the claim) wraps verify.ErrRejected;
// any other error is the input's (an envelope aggregated already, a run too large).
func Aggregate(ctx context.Context, env *envelope.Envelope, cfg *config.Config, progress machine.AggregateProgress) (*Aggregated, error) {
	if env.Aggregation != nil {
		return nil, fmt.Errorf("the envelope is aggregated already")
	}
	opts := verify.Options{MinSecurityBits: cfg.Engine.MinSecurityBits, MinProvableBits: cfg.Engine.MinProvableBits, Workers: cfg.Engine.Workers}
	o, err := verify.Open(env, opts)
	if err != nil {
		return nil, err // a rejection
	}
	if err := machine.Aggregatable(o.Statement); err != nil {
		return nil, err
	}
	params := aggregate.Params
	params.MinSecurityBits = max(params.MinSecurityBits, opts.MinSecurityBits)
	params.MinProvableBits = max(params.MinProvableBits, opts.MinProvableBits)
	params.Workers = cfg.Engine.Workers
	tree, err := hemera.New(params)
	if err != nil {
		return nil, fmt.Errorf("aggregation parameters: %w", err)
	}
	start := time.Now()
	a, err := o.Machine.Aggregate(ctx, tree, o.Keys.VK, o.Statement, o.Segments, progress)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", verify.ErrRejected, err)
	}
	secs := time.Since(start).Seconds()
	agg := *env
	agg.Proofs = [][]byte{a.Encode()}
	agg.Aggregation = &params.FRI
	agg.Meta.PhaseSeconds = map[string]float64{"aggregate": secs}
	for k, v := range env.Meta.PhaseSeconds {
		agg.Meta.PhaseSeconds[k] = v
	}
	return &Aggregated{Envelope: &agg, Proof: a, Seconds: secs}, nil
}

// CatalogueRootInfo is the fixed vk_root of the aggregated proofs of runs cut by the
// machine's catalogue (segments.shapes: catalogue) under the configuration's engine
// parameters and aggregate.Params — the constant a contract pins — and what it is of.
type CatalogueRootInfo struct {
	Root     hash.Digest
	Name, ID string
	Shapes   int
	Computed bool    // the refs were made here (not read from the cache)
	Seconds  float64 // wall time
}

// CatalogueRoot computes CatalogueRootInfo for the configuration. The catalogue's leaf
// refs are read from, or made and kept in, the user's cache (verify.CatalogueCache):
// made, they cost a leaf set-up per shape, and progress (when not nil) hears of each of
// the leaf programs built.
func CatalogueRoot(cfg *config.Config, progress func(done, total int)) (*CatalogueRootInfo, error) {
	seg, err := hemera.New(cfg.Engine.Hemera())
	if err != nil {
		return nil, fmt.Errorf("engine parameters: %w", err)
	}
	params := aggregate.Params
	params.MinSecurityBits = max(params.MinSecurityBits, cfg.Engine.MinSecurityBits)
	params.MinProvableBits = max(params.MinProvableBits, cfg.Engine.MinProvableBits)
	params.Workers = cfg.Engine.Workers
	tree, err := hemera.New(params)
	if err != nil {
		return nil, fmt.Errorf("aggregation parameters: %w", err)
	}
	start := time.Now()
	m := machine.New(seg)
	m.SetCatalogueStore(verify.CatalogueCache{})
	cat, err := m.CatalogueV1()
	if err != nil {
		return nil, err
	}
	_, computed, err := m.CatalogueRefsProgress(tree, cat, progress)
	if err != nil {
		return nil, err
	}
	root, err := m.CatalogueRoot(tree, cat)
	if err != nil {
		return nil, err
	}
	return &CatalogueRootInfo{Root: root, Name: cat.Name(), ID: cat.ID().String(), Shapes: len(cat.Shapes()), Computed: computed,
		Seconds: time.Since(start).Seconds()}, nil
}
