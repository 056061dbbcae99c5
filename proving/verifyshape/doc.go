// Package verifyshape derives what a verifier of fixed size needs to know of the Hemera
// Engine's proofs before it sees one: which tables are present, the commitments the
// opening proof opens (their matrices, widths, log LDE heights and points), package
// fri's groups and folding schedule, and the sizes of the statement. Both verifiers
// that emit stark.Verify over another arithmetic build on it: the wrap circuit
// (proving/injector/wrap, a Groth16 circuit over BN254) and the recursion verifier
// (proving/recursion/verifier, a recursion program). Each adds its own refusals (the
// hash, zero knowledge, the extension degree it verifies) and names its errors.
//
// # Usage
//
//	s, err := verifyshape.New(vk, engine.Params(), proof.LogN, publics, bus)
//	for r, rd := range s.Rounds { ... } // the opened commitments, in the proof's order
//	for _, a := range s.Arities { ... } // the FRI layers
//
// A [Shape] keeps of the statement only its sizes and constant fields (each table's
// number of public values, each public message's bus, direction and tuple length): the
// values are the verifier's witness or input. [Statement] flattens the values in the
// order both verifiers expose them.
//
// # Security
//
// [New] refuses what the native verifier (hemera.Engine.Verify) rejects whatever the
// proof, so that a verifier built for a shape never accepts a proof the engine
// rejects: heights out of range or unlike the preprocessed ones, an absent table that
// is not optional, no table present, a public message on a bus id not below p, bus slot
// counts that could wrap (stark.CheckBuses), security below the parameters' floors
// (MinSecurityBits, MinProvableBits, as hemera.Analyze counts them), a committed matrix
// wider than package fri opens, and a shape whose largest LDE height holds only
// matrices opened nowhere (an absent optional table's preprocessed matrix). It does
// not check the parameters (fri.Params.Validate) or the scheme: its callers do, first.
package verifyshape
