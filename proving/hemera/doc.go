// Package hemera wires the Hemera Engine together: the FRI commitment scheme (package
// fri) on a kernel set (package kernel/cpu by default, or the CUDA backend's), under the
// STARK of package stark, with the parameters of the configuration and the security
// they give, term by term.
//
// # Usage
//
//	e, err := hemera.New(hemera.DefaultParams)
//	pk, vk, err := e.Setup(airs, prep)
//	proof, err := e.Prove(pk, &stark.Witness{Main: traces, Publics: pubs})
//	err = e.Verify(vk, proof, pubs, nil)
//	sec := e.Security(vk, proof.LogN, nil) // Conjectured, Provable, Terms
//
// # Security
//
// [Analyze] accounts for a proof of a given [Shape] (table heights, committed columns,
// constraints and their degree, LogUp interactions and tuple lengths, public messages)
// in three regimes, as the Ethereum Foundation's soundcalc does: the ethSTARK
// conjecture (Security.Conjectured), and the proven unique-decoding and Johnson-bound
// regimes (Security.Provable is the better of the two). The terms are FRI batching,
// FRI commit phase, FRI query phase (grinding included), DEEP, ALI, LogUp and the hash;
// docs/security-computation.md gives every formula and the defaults' figures.
//
// Prove refuses and Verify rejects a proof below MinSecurityBits (conjectured) or
// MinProvableBits (provable); the check runs on the full shape before any other work,
// and its error names the parameters and the weakest term. A zero floor is no floor in
// this package (tests use fast, weak parameters); sdk/verify reads a zero
// MinSecurityBits as [DefaultMinSecurityBits].
//
// The FRI parameters are absorbed first by the transcript (pcs.Scheme.ObserveParams),
// so a proof made under one parameter set never verifies under another.
//
// With the defaults (blowup 2, 203 queries, 16 grinding bits, folding by 4) the query
// phase gives 219 conjectured and 100 provable (unique-decoding) bits. FRI batches one
// function per committed column with independent coefficients and LogUp draws a β per
// tuple position, so neither term grows with the number of columns or the tuples'
// length: a zkVM proof of a 4-cycle program and one of ~100k cycles (examples/mix.s)
// get 100 provable bits (the query phase binds; LogUp is at 100 for the latter). The
// field-size terms still grow with the heights: LogUp (2·M/|F|, M fractions) and DEEP
// would bind a 2^20-row segment with every chip present at 92 and 97 bits, so the
// STARK grinds a proof of work before the LogUp challenges (12 bits by default) and
// before ζ (8 bits), which lifts them to 104 and 105; every-chip segments then get 100
// provable bits up to 2^22 rows (FRI batching is 100 there), and MinProvableBits is
// 100 by default. Past that only a larger challenge field helps; see
// docs/security-computation.md.
//
// # Performance
//
// Workers bounds every parallel step (the proof-of-work search included); the proof
// bytes do not depend on it.
package hemera
