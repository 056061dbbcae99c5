package aggregate

import (
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
)

// Params are the engine parameters chosen for recursion layers: blowup 2, 193 queries,
// folding by 16, 20 bits of grinding before the queries — 100 bits of conjectured and
// 100 of provable security, the engine's default floors, at the heights of a tree's
// proofs (2^19 rows for the arithmetic table; up to 2^22 keeps 100 bits).
//
// Why: a join's size is linear in the queries of the proofs it verifies, and its heights
// bound the security: at 2^23 rows the degree-4 extension's field term (|F| ≈ 2^124
// against the 2^24-point domain) caps every regime at 99 bits, whatever the queries. The
// default parameters (fold by 4, 16 grinding bits, 203 queries) gave a join of 6.5M
// instructions on 2^23 rows, so 99 bits, before the compress, dot and input_base4
// instructions; folding by 16 (shorter FRI paths) and four more grinding bits (ten fewer
// queries) brought it to 4.9M on 2^22 rows, so 100 — and with those instructions to
// 0.89M on 2^19. Blowup 8 with 28 queries is far smaller again, with 57 provable bits:
// the whole system is as sound as its weakest layer, so the tree keeps the provable
// floor. docs/injector.md ("Aggregation") has the figures.
var Params = hemera.Params{
	FRI: fri.Params{LogBlowup: 1, NumQueries: 193, GrindingBits: 20, LogArity: 4, LogFinalPolyLen: 3,
		LogUpGrindingBits: 12, DEEPGrindingBits: 8, ExtDegree: 4},
	MinSecurityBits: hemera.DefaultMinSecurityBits,
	MinProvableBits: hemera.DefaultMinProvableBits,
}

// OuterParams are the engine parameters of the outer layer (Tree.Outer): the outer
// hash (hash.Outer, what the wrap circuit verifies), blowup 16, 20 queries, folding by
// 8, 20 grinding bits before the queries — 100 bits of conjectured security (20 × 4 +
// 20) and 59 of provable (Johnson regime: 20 × 1.98 + 20), the provable floor set
// there.
//
// Why: the wrap circuit's size is linear in the queries (about 0.21M constraints per
// query on top of a fixed 3.2M, for a tree at Params: 7.36M here), so the outer layer
// takes the largest blowup the engine offers (2^4) and grinds; its provable security
// is below the tree's 100 bits, and the chain is as sound as its weakest layer: the
// provable claim for a wrapped proof is 59 bits (docs/injector.md, "Aggregation", has
// the trade-off). The folding arity barely moves the circuit (fold by 4: 0.8% fewer
// constraints, by 16: 3% more).
var OuterParams = hemera.Params{
	FRI: fri.Params{LogBlowup: 4, NumQueries: 20, GrindingBits: 20, LogArity: 3, LogFinalPolyLen: 3,
		LogUpGrindingBits: 12, DEEPGrindingBits: 8, ExtDegree: 4, Hash: hash.Outer},
	MinSecurityBits: hemera.DefaultMinSecurityBits,
	MinProvableBits: 59,
}
