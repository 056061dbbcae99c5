package aggregate

import (
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hemera"
)

// Params are the engine parameters chosen for recursion layers: blowup 8, 28 queries,
// 16 bits of grinding, folding by 4 — 100 bits of conjectured security and 57 provable
// (the engine's default floor of 100 provable bits is lifted: MinProvableBits 0).
//
// Why: a join's size is linear in the queries of the proofs it verifies. With them a
// join is 0.87M instructions (tables of 2^20, 2^18, 2^15 rows) and proves in 15–32 s on
// two shared cores; with the default parameters (blowup 2, 203 queries, 100 provable bits at
// a segment's heights) it is 6.5M instructions on 2^23 rows, and at those heights the
// degree-4 extension's field term (|F| ≈ 2^124 against a 2^24-point domain) caps every
// regime at 99 bits, below the floor anyway. docs/injector.md ("Aggregation") has the
// figures of the three sets compared.
var Params = hemera.Params{
	FRI: fri.Params{LogBlowup: 3, NumQueries: 28, GrindingBits: 16, LogArity: 2, LogFinalPolyLen: 3,
		LogUpGrindingBits: 12, DEEPGrindingBits: 8, ExtDegree: 4},
	MinSecurityBits: hemera.DefaultMinSecurityBits,
}
