package wasm

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/oneiros-zk/oneiros/host/pipeline"
)

// prove proves and verifies up to opts.Prove passing cases, taken in turn from each
// group (cheapest files first): each case is a container of its file's steps up to and
// including it, and its proven public output must hold the expected outcome.
func prove(ctx context.Context, opts Options, cands []candidate) []Proof {
	byGroup := map[string][]candidate{}
	var order []string
	for _, c := range cands {
		if _, ok := byGroup[c.group]; !ok {
			order = append(order, c.group)
		}
		byGroup[c.group] = append(byGroup[c.group], c)
	}
	for _, g := range order {
		cs := byGroup[g]
		sort.SliceStable(cs, func(i, j int) bool {
			if cs[i].fileCycle != cs[j].fileCycle {
				return cs[i].fileCycle < cs[j].fileCycle
			}
			return len(cs[i].steps) < len(cs[j].steps)
		})
	}
	var picked []candidate
	for round := 0; len(picked) < opts.Prove; round++ {
		more := false
		for _, g := range order {
			if cs := byGroup[g]; round < len(cs) && len(picked) < opts.Prove {
				picked = append(picked, cs[round])
				more = true
			}
		}
		if !more {
			break
		}
	}
	var out []Proof
	for _, c := range picked {
		if ctx.Err() != nil {
			break
		}
		t0 := time.Now()
		pr := Proof{ID: c.id}
		res, err := pipeline.Prove(ctx, &pipeline.Request{ISA: "wasm", Source: encodeContainer(flagLenientFloat, c.steps),
			FileName: c.id + ".owic", Profile: "continuations", Config: opts.Config, Plugins: opts.Plugins})
		if err != nil {
			pr.Error = err.Error()
		} else {
			env := res.Envelope
			outs := decodeOutcomes(env.Output)
			switch {
			case c.exp.position >= len(outs):
				pr.Error = fmt.Sprintf("the proven output holds %d outcomes, the case is number %d", len(outs), c.exp.position+1)
			default:
				if msg := judge(c.exp, outs[c.exp.position]); msg != "" {
					pr.Error = "the proven outcome is wrong: " + msg
				} else {
					pr.Verified = true
				}
			}
			pr.Cycles = env.Claim.Cycles
			pr.ClaimRoot = env.Claim.Root().String()
		}
		pr.Seconds = time.Since(t0).Seconds()
		out = append(out, pr)
	}
	return out
}
