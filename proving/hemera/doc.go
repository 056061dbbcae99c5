// Package hemera wires the Hemera Engine together: the FRI commitment scheme (package
// fri) on a kernel set (package kernel/cpu by default, or the CUDA backend's), under the
// STARK of package stark, with the parameters of the configuration and the conjectured
// security they give.
//
// # Usage
//
//	e, err := hemera.New(hemera.DefaultParams)
//	pk, vk, err := e.Setup(airs, prep)
//	proof, err := e.Prove(pk, &stark.Witness{Main: traces, Publics: pubs})
//	err = e.Verify(vk, proof, pubs, nil)
//
// # Security
//
// [Engine.SecurityBits] applies the conjecture of fri.Params.ConjecturedSecurity to the
// tallest trace; Prove refuses and Verify rejects proofs below MinSecurityBits. With the
// defaults (blowup 2, 100 queries, 16 grinding bits) a 2^20-row trace gets 101 bits.
//
// # Performance
//
// Workers bounds every parallel step; the proof bytes do not depend on it.
package hemera
