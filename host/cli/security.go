package cli

import (
	"fmt"
	"io"

	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/sdk/envelope"
	"github.com/oneiros-zk/oneiros/sdk/verify"
)

// security is an envelope's security accounting as the verifier computes it
// (verify.Security), computed once per command; ok is false when the parameters, the
// program or a proof do not decode.
type security struct {
	hemera.Security
	ok bool
}

func securityOf(env *envelope.Envelope) security {
	s, err := verify.Security(env)
	return security{Security: s, ok: err == nil}
}

// line is the one-line summary.
func (s security) line() string {
	if !s.ok {
		return "unknown (the parameters, program or proofs do not decode)"
	}
	return fmt.Sprintf("%d bits conjectured, %d provable (%s)", s.Conjectured, s.Provable, s.ProvableRegime)
}

// view is the machine-readable accounting (nil when it cannot be computed).
func (s security) view() any {
	if !s.ok {
		return nil
	}
	return s.Security
}

// printTerms writes the per-term breakdown, one line per regime.
func (s security) printTerms(w io.Writer) {
	if !s.ok {
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
