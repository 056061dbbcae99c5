package aggregate

import (
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hemera"
)

// Params are the engine parameters chosen for recursion layers: blowup 2, 193 queries,
// folding by 16, 20 bits of grinding before the queries — 100 bits of conjectured and
// 100 of provable security, the engine's default floors, at the heights of a tree's
// proofs (2^22 rows for the arithmetic table).
//
// Why: a join's size is linear in the queries of the proofs it verifies, and its heights
// bound the security: at 2^23 rows the degree-4 extension's field term (|F| ≈ 2^124
// against the 2^24-point domain) caps every regime at 99 bits, whatever the queries. The
// default parameters (fold by 4, 16 grinding bits, 203 queries) give a join of 6.5M
// instructions on 2^23 rows, so 99 bits; folding by 16 (shorter FRI paths) and four
// more grinding bits (ten fewer queries) bring it to 4.9M on 2^22 rows, so 100. Blowup
// 8 with 28 queries would be 0.87M instructions and about 30% faster to prove, with
// 57 provable bits: the whole system is as sound as its weakest layer, so the tree keeps
// the provable floor. docs/injector.md ("Aggregation") has the figures.
var Params = hemera.Params{
	FRI: fri.Params{LogBlowup: 1, NumQueries: 193, GrindingBits: 20, LogArity: 4, LogFinalPolyLen: 3,
		LogUpGrindingBits: 12, DEEPGrindingBits: 8, ExtDegree: 4},
	MinSecurityBits: hemera.DefaultMinSecurityBits,
	MinProvableBits: hemera.DefaultMinProvableBits,
}
