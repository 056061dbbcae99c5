package cli

import (
	"fmt"
	"io"

	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/sdk/envelope"
	"github.com/oneiros-zk/oneiros/sdk/injector/keys"
	"github.com/oneiros-zk/oneiros/sdk/verify"
)

// security is an envelope's security accounting as the verifier computes it
// (verify.Security), computed once per command; ok is false when the parameters, the
// program or a proof do not decode.
type security struct {
	hemera.Security
	ok bool
	// wrapped: the envelope is wrapped; outer: its outer layer's security (the wrap
	// keys') is counted in.
	wrapped, outer bool
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
	line := fmt.Sprintf("%d bits conjectured, %d provable (%s)", s.Conjectured, s.Provable, s.ProvableRegime)
	if s.wrapped && !s.outer {
		line += "; the outer layer's is not counted: its wrap keys are not in the cache (--keys)"
	}
	return line
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

// withOuter is s with a wrapped proof's outer layer (its wrap keys' security) taken
// into account: the weaker of the two, the outer layer's regime when it is the weaker.
func (s security) withOuter(k *verify.WrapKey) security {
	if !s.ok {
		return s
	}
	if k.Conjectured < s.Conjectured {
		s.Conjectured = k.Conjectured
	}
	if k.Provable < s.Provable {
		s.Provable, s.ProvableRegime = k.Provable, k.Regime
	}
	s.outer = true
	return s
}

// outerFromCache is withOuter with the binding of the envelope's wrap circuit from the
// keys' cache at dir, when it is there; without it the accounting leaves the outer
// layer out and says so (line).
func (s security) outerFromCache(env *envelope.Envelope, dir *string) security {
	s.wrapped = true
	var d string
	if dir != nil {
		d = *dir
	}
	label, err := verify.WrapLabelOf(env)
	if err != nil {
		return s
	}
	b, err := keys.Cache{Dir: d}.Bound(label)
	if err != nil {
		return s
	}
	return s.withOuter(&verify.WrapKey{Conjectured: b.Conjectured, Provable: b.Provable, Regime: fri.Regime(b.Regime)})
}
