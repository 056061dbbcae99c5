package stark

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/lookup"
)

// CheckBuses checks the engine's part of what keeps the LogUp argument sound: every
// public message's bus id is a canonical field element (bus ids are fingerprint
// coefficients, and p + b would alias bus b), and on every bus the number of message
// slots, Σ over present tables of height × interactions on the bus plus the public
// messages on it, stays below p. A multiplicity is a field element: with p or more
// slots, p copies of one tuple would sum to zero, so a tuple could be sent p times
// and never received (or the converse) and the bus would still balance. The rest is
// each AIR's part: the count bound speaks of slots whose multiplicity is 0 or 1 (a
// boolean column, a selector) or fixed by the key; a multiplicity the prover chooses
// freely can be p − 1, that is −1, so it is sound only on the side that answers a
// lookup (a table's count column: any values there still leave every looked-up tuple
// in the table), never on the side whose messages must all be accounted for. Prove and
// Verify run it; so does a verifier in another form (the Injector's wrap circuit, built
// for given heights), which must refuse what Verify refuses.
func CheckBuses(vk *VerifyingKey, logN []int, bus []lookup.Message) error {
	slots := map[uint32]uint64{}
	for i, m := range bus {
		if !field.Canonical(m.Bus) {
			return fmt.Errorf("public message %d is on bus %d, not below p = %d", i, m.Bus, field.Modulus)
		}
		slots[m.Bus]++
	}
	for t, a := range vk.AIRs {
		if t >= len(logN) || logN[t] < 0 || logN[t] > field.TwoAdicity {
			continue
		}
		for _, it := range a.Interactions {
			slots[it.Bus.ID] += uint64(1) << logN[t]
		}
	}
	for b, n := range slots {
		if n >= field.Modulus {
			return fmt.Errorf("bus %d carries %d messages, not below p = %d: multiplicity sums could wrap (lower the table heights)", b, n, field.Modulus)
		}
	}
	return nil
}
