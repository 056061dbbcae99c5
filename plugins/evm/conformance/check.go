package conformance

import (
	"fmt"
	"sort"
	"strings"

	"github.com/oneiros-zk/oneiros/plugins/evm/container"
	"github.com/oneiros-zk/oneiros/plugins/evm/output"
)

// Check compares a run's outcome with the case's expectation: the post-state root and
// the logs hash (the fixture's pass criteria), and, to explain a failure, the gas used
// and the accounts that differ from the fixture's post-state. It returns nil when the
// case passes.
func (c *Case) Check(o *output.Outcome) error {
	post := o.Apply(c.Container.Pre)
	root, logs := StateRoot(post), LogsHash(o.Logs)
	if root == c.Want.StateRoot && logs == c.Want.LogsHash {
		return nil
	}
	var why []string
	if root != c.Want.StateRoot {
		why = append(why, fmt.Sprintf("state root %s, want %s", root, c.Want.StateRoot))
	}
	if logs != c.Want.LogsHash {
		why = append(why, fmt.Sprintf("logs hash %s, want %s (%d logs)", logs, c.Want.LogsHash, len(o.Logs)))
	}
	if c.Want.GasUsed != nil && *c.Want.GasUsed != o.GasUsed {
		why = append(why, fmt.Sprintf("gas used %d, want %d", o.GasUsed, *c.Want.GasUsed))
	}
	if c.Want.State != nil {
		why = append(why, diffStates(post, c.Want.State)...)
	}
	why = append(why, fmt.Sprintf("status %s", o.Status))
	return fmt.Errorf("%s", strings.Join(why, "; "))
}

func diffStates(got, want map[container.Address]*container.Account) []string {
	var out []string
	addrs := map[container.Address]bool{}
	for a := range got {
		addrs[a] = true
	}
	for a := range want {
		addrs[a] = true
	}
	keys := make([]container.Address, 0, len(addrs))
	for a := range addrs {
		keys = append(keys, a)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
	for _, a := range keys {
		g, w := got[a], want[a]
		switch {
		case g == nil:
			out = append(out, fmt.Sprintf("%s missing", a))
		case w == nil:
			out = append(out, fmt.Sprintf("%s should not exist (balance %s nonce %d)", a, g.Balance, g.Nonce))
		default:
			if g.Balance.Cmp(w.Balance) != 0 {
				out = append(out, fmt.Sprintf("%s balance %s, want %s", a, g.Balance, w.Balance))
			}
			if g.Nonce != w.Nonce {
				out = append(out, fmt.Sprintf("%s nonce %d, want %d", a, g.Nonce, w.Nonce))
			}
			if string(g.Code) != string(w.Code) {
				out = append(out, fmt.Sprintf("%s code %x, want %x", a, g.Code, w.Code))
			}
			for k, v := range w.Storage {
				if g.Storage[k] != v {
					out = append(out, fmt.Sprintf("%s slot %s = %s, want %s", a, k, g.Storage[k], v))
				}
			}
			for k, v := range g.Storage {
				if _, ok := w.Storage[k]; !ok && !v.IsZero() {
					out = append(out, fmt.Sprintf("%s slot %s = %s, want 0", a, k, v))
				}
			}
		}
	}
	return out
}
