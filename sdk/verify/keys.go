package verify

import (
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/machine"
)

// setKeys sets up the program's keys at the ROM height the envelope's proofs state: the
// program's own, or its ROM padded to a catalogue class (core/machine.SetupROM) when
// the segments were cut by a catalogue (segments.shapes: catalogue). The height is a
// key-generation option the verifier applies to the program it holds: any height at
// least the program's encodes the same program (the padding rows can be fetched by no
// CPU row), and a proof that states another height than its segments were proven at
// does not verify.
func (r *opened) setKeys(prog *isa.Program) (*opened, error) {
	r.m.SetCatalogueStore(CatalogueCache{})
	var err error
	switch {
	case r.agg != nil:
		r.keys, err = r.m.KeysForAggregated(prog, r.agg)
	case r.wrapped != nil:
		r.keys, err = r.m.KeysForAggregated(prog, &machine.Aggregated{Shapes: r.wrapped.Shapes, Catalogue: r.wrapped.Catalogue})
	default:
		r.keys, err = r.m.KeysForProofs(prog, r.proofs)
	}
	if err != nil {
		return nil, reject("%v", err)
	}
	return r, nil
}
