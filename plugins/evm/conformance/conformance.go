package conformance

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/oneiros-zk/oneiros/plugins/evm/output"
	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

// ErrSuite is wrapped by errors about a suite directory that cannot be read. It wraps
// frontend.ErrInvalidInput: the request named a directory that is not a state-test
// suite, the plugin did not fail.
var ErrSuite = fmt.Errorf("%w: EVM state-test suite", frontend.ErrInvalidInput)

// limits bound one case's run: the defaults of configs/oneiros.default.yaml, which the
// host-side runner this package replaces took from the configuration.
var limits = frontend.Limits{MaxCycles: 1 << 30, MaxMemoryBytes: 1 << 32, MaxOutputBytes: 1 << 24}

// Cases implements frontend.Conformer's ConformanceCases: one run per case, its source
// the case's transaction container, in the order of cases.json. Run ids are
// group/case (a case id can repeat across groups).
func Cases(ctx context.Context, req frontend.ConformanceRequest, emit func(*frontend.ConformanceRun) error) error {
	cases, err := Load(req.SuiteDir)
	if err != nil {
		return fmt.Errorf("%w %s: %v", ErrSuite, req.SuiteDir, err)
	}
	for _, c := range cases {
		if err := ctx.Err(); err != nil {
			return err
		}
		if req.Filter != "" && !strings.Contains(c.ID, req.Filter) && !strings.Contains(c.Group, req.Filter) {
			continue
		}
		src := c.Container.Marshal()
		r := &frontend.ConformanceRun{ID: c.Group + "/" + c.ID, Group: c.Group, FileName: c.ID + ".json",
			Source: src, Limits: limits, Expect: encodeExpect(c, src)}
		if err := emit(r); err != nil {
			return err
		}
	}
	return nil
}

// Judge implements frontend.Conformer's ConformanceJudge: the run's one case passes
// when the run halted and its public output, applied to the container's pre-state,
// gives the fixture's post-state root and logs hash ([Case.Check]). A passing case
// that was executed (not proven) is offered as a proof candidate, its cycles the cost.
// The verdict's details carry the label, the gas used, the transaction's status and
// the cycles, as far as the outcome has them.
func Judge(_ context.Context, req frontend.JudgeRequest) (*frontend.Verdict, error) {
	c, src, err := decodeExpect(req.Run.Expect)
	if err != nil {
		return nil, fmt.Errorf("%w: run %s: its expectations do not decode: %v", frontend.ErrInvalidInput, req.Run.ID, err)
	}
	k := frontend.ConformanceCase{ID: c.ID, Group: req.Run.Group, Status: frontend.CaseFailed, Details: map[string]string{}}
	if c.Label != "" {
		k.Details["label"] = c.Label
	}
	v := &frontend.Verdict{}
	res := req.Result
	switch {
	case req.LoadError != "":
		k.Reason = "load: " + req.LoadError
	case req.ExecuteError != "":
		k.Reason = "execute: " + req.ExecuteError
	case res == nil:
		k.Reason = "no outcome was given"
	default:
		k.Details["cycles"] = strconv.FormatUint(res.TotalCycles, 10)
		if res.Status != frontend.StatusHalted {
			k.Reason = fmt.Sprintf("the run ended with %s: %s", res.Status, res.TrapReason)
			break
		}
		out, err := output.Decode(res.PublicOutput)
		if err != nil {
			k.Reason = err.Error()
			break
		}
		k.Details["gas_used"] = strconv.FormatUint(out.GasUsed, 10)
		k.Details["tx_status"] = out.Status.String()
		if err := c.Check(out); err != nil {
			k.Reason = err.Error()
			break
		}
		k.Status = frontend.CasePassed
		if !req.Proven {
			v.Candidates = append(v.Candidates, frontend.ConformanceRun{ID: req.Run.ID, Group: req.Run.Group,
				FileName: req.Run.FileName, Source: src, Limits: req.Run.Limits, Expect: req.Run.Expect, Cost: res.TotalCycles})
		}
	}
	if req.Proven && k.Status != frontend.CasePassed {
		k.Reason = "the proven outcome: " + k.Reason
	}
	v.Cases = []frontend.ConformanceCase{k}
	return v, nil
}
