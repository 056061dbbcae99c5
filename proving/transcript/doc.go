// Package transcript is the Fiat–Shamir transcript of the Hemera Engine: a Poseidon2
// duplex sponge with domain separation, extension-field challenges, query indices and
// proof-of-work grinding.
//
// # Usage
//
//	tr := transcript.New("hemera/stark/v1")
//	tr.ObserveDigest(root)
//	alpha := tr.SampleExt()
//	nonce := tr.Grind(16)          // prover
//	ok := tr.CheckWitness(16, nonce) // both sides, at the same point
//
// # Security
//
// Width 16, rate 8, capacity 8 elements (≈248 bits). The protocol tag is hashed into the
// capacity before anything is absorbed, and absorbing a partial block flips a domain
// element in the capacity, so transcripts of different protocols, or with a message and
// its zero-padded extension, diverge. Observing anything discards squeezed output, so a
// challenge always depends on everything observed before it.
//
// # Performance
//
// One permutation per 8 observed or squeezed elements; grinding costs 2^bits
// permutations for the prover and one for the verifier.
package transcript
