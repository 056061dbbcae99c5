package cli

import (
	"fmt"
	"io"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/machine"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/stark"
	"github.com/oneiros-zk/oneiros/sdk/envelope"
)

// envelopeSecurity is the security accounting of the envelope's weakest proof under
// its parameters (hemera.Analyze on the shape read off the program's verifying key and
// each proof's table heights); ok is false when the parameters, the program or a proof
// do not decode.
func envelopeSecurity(env *envelope.Envelope) (hemera.Security, bool) {
	// One command asks several times, and deriving the verifying key is not free.
	key := fmt.Sprintf("%s/%+v/%s/%d", env.ProofDigest(), env.Params, env.Claim.ProgramID, len(env.Output))
	if key != lastKey {
		lastKey = key
		lastSec, lastOK = computeSecurity(env)
	}
	return lastSec, lastOK
}

var (
	lastKey string
	lastSec hemera.Security
	lastOK  bool
)

func computeSecurity(env *envelope.Envelope) (sec hemera.Security, ok bool) {
	p := env.Params
	e, err := hemera.New(hemera.Params{FRI: fri.Params{LogBlowup: p.LogBlowup, NumQueries: p.NumQueries,
		GrindingBits: p.GrindingBits, LogArity: p.FRILogArity, LogFinalPolyLen: p.LogFinalPolyLen,
		LogUpGrindingBits: p.LogUpGrindingBits, DEEPGrindingBits: p.DEEPGrindingBits, ZK: p.ZK}})
	if err != nil || len(env.Proofs) == 0 {
		return sec, false
	}
	prog, err := isa.Decode(env.Program)
	if err != nil {
		return sec, false
	}
	keys, err := machine.New(e).Setup(prog)
	if err != nil {
		return sec, false
	}
	for i, b := range env.Proofs {
		proof, err := stark.Decode(b)
		if err != nil || len(proof.LogN) != len(keys.VK.AIRs) {
			return sec, false
		}
		shape := hemera.ShapeOf(keys.VK, proof.LogN, nil)
		// The public bus messages: the exit, the image's words, the output's bytes.
		shape.Messages = 1 + len(machine.Image(prog)) + len(env.Output)
		s := hemera.Analyze(e.Params().FRI, shape)
		if i == 0 || s.Provable < sec.Provable || s.Conjectured < sec.Conjectured {
			sec = s
		}
	}
	return sec, true
}

// securityLine is the one-line summary of an envelope's security.
func securityLine(env *envelope.Envelope) string {
	s, ok := envelopeSecurity(env)
	if !ok {
		return "unknown (the parameters, program or proofs do not decode)"
	}
	return fmt.Sprintf("%d bits conjectured, %d provable (%s)", s.Conjectured, s.Provable, s.ProvableRegime)
}

// securityView is the machine-readable accounting (nil when it cannot be computed).
func securityView(env *envelope.Envelope) any {
	if s, ok := envelopeSecurity(env); ok {
		return s
	}
	return nil
}

// printSecurityTerms writes the per-term breakdown, one line per regime.
func printSecurityTerms(w io.Writer, env *envelope.Envelope) {
	s, ok := envelopeSecurity(env)
	if !ok {
		return
	}
	for _, r := range fri.Regimes {
		fmt.Fprintf(w, "  %-16s", r)
		for _, t := range s.Terms {
			if t.Regime == r {
				fmt.Fprintf(w, " %s %d,", t.Name, t.Bits)
			}
		}
		fmt.Fprintln(w)
	}
}
