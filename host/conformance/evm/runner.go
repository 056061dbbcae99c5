package evm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/host/pipeline"
	"github.com/oneiros-zk/oneiros/host/plugin"
	"github.com/oneiros-zk/oneiros/sdk/config"
	sdkevm "github.com/oneiros-zk/oneiros/sdk/evm"
	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

// Options configure a conformance run.
type Options struct {
	Suite   string // directory with cases.json
	Config  *config.Config
	Plugins plugin.Options
	// Prove proves and verifies Prove passing cases (through the backend, like `oneiros
	// prove`), taking the groups in turn (the first passing case of each group, then the
	// second, …); 0 proves none.
	Prove   int
	Backend string // for proving: auto, cpu, cuda
	// Filter keeps the cases it returns true for (nil: all).
	Filter func(*Case) bool
	// Stats, when set, receives each executed case's records (for cycle statistics).
	Stats func(c *Case, p *isa.Program, recs []trace.Record)
	// Progress receives a line per case for people watching.
	Progress func(msg string)
}

// Result is one case's outcome.
type Result struct {
	ID       string  `json:"id" yaml:"id"`
	Group    string  `json:"group" yaml:"group"`
	Label    string  `json:"label,omitempty" yaml:"label,omitempty"`
	Status   string  `json:"status" yaml:"status"` // passed, failed, skipped
	Reason   string  `json:"reason,omitempty" yaml:"reason,omitempty"`
	TxStatus string  `json:"tx_status,omitempty" yaml:"tx_status,omitempty"`
	GasUsed  uint64  `json:"gas_used" yaml:"gas_used"`
	Cycles   uint64  `json:"cycles" yaml:"cycles"`
	Proved   bool    `json:"proved,omitempty" yaml:"proved,omitempty"`
	ProveSec float64 `json:"prove_seconds,omitempty" yaml:"prove_seconds,omitempty"`
	Claim    string  `json:"claim_root,omitempty" yaml:"claim_root,omitempty"`
}

// Totals count results.
type Totals struct {
	Passed  int `json:"passed" yaml:"passed"`
	Failed  int `json:"failed" yaml:"failed"`
	Skipped int `json:"skipped" yaml:"skipped"`
	Proved  int `json:"proved" yaml:"proved"`
}

// Report is a whole run.
type Report struct {
	Totals
	Groups   map[string]*Totals `json:"groups" yaml:"groups"`
	Cases    []Result           `json:"cases" yaml:"cases"`
	Frontend string             `json:"frontend" yaml:"frontend"`
	Seconds  float64            `json:"seconds" yaml:"seconds"`
}

func (r *Report) add(res Result) {
	g := r.Groups[res.Group]
	if g == nil {
		g = &Totals{}
		r.Groups[res.Group] = g
	}
	for _, t := range []*Totals{&r.Totals, g} {
		switch res.Status {
		case "passed":
			t.Passed++
		case "failed":
			t.Failed++
		default:
			t.Skipped++
		}
	}
	r.Cases = append(r.Cases, res)
}

// GroupNames returns the report's groups in order.
func (r *Report) GroupNames() []string {
	names := make([]string, 0, len(r.Groups))
	for n := range r.Groups {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ErrNoFrontend reports that oneiros-frontend-evm was not found.
var ErrNoFrontend = errors.New("no EVM frontend plugin (oneiros-frontend-evm)")

type discard struct{ buf *bytes.Buffer }

func (d discard) Write(p []byte) (int, error) {
	if d.buf != nil {
		return d.buf.Write(p)
	}
	return len(p), nil
}
func (discard) Progress(uint64) error { return nil }

// Run executes every case through the EVM frontend plugin and checks it.
func Run(ctx context.Context, o Options) (*Report, error) {
	t0 := time.Now()
	cases, err := Load(o.Suite)
	if err != nil {
		return nil, err
	}
	fe, err := plugin.LaunchNamed(ctx, o.Plugins, plugin.KindFrontend, "evm")
	if err != nil {
		if errors.Is(err, plugin.ErrNotFound) {
			return nil, fmt.Errorf("%w: %w", ErrNoFrontend, err)
		}
		return nil, err
	}
	defer fe.Close()
	desc, err := fe.Frontend.Describe(ctx, frontend.DescribeRequest{})
	if err != nil {
		return nil, err
	}
	rep := &Report{Groups: map[string]*Totals{}, Frontend: desc.Name + " " + desc.Version}
	lim := o.Config.Limits
	srcs := map[int][]byte{} // sources of the passing cases, by result index
	owner := map[int]*Case{} // their cases (ids repeat across groups)
	for _, c := range cases {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		res := Result{ID: c.ID, Group: c.Group, Label: c.Label}
		if o.Filter != nil && !o.Filter(c) {
			res.Status, res.Reason = "skipped", "filtered out"
			rep.add(res)
			continue
		}
		src := c.Container.Marshal()
		prog, err := fe.Frontend.Load(ctx, frontend.LoadRequest{Source: src, FileName: c.ID + ".json"})
		if err != nil {
			if errors.Is(err, frontend.ErrUnavailable) {
				return nil, err
			}
			res.Status, res.Reason = "failed", "load: "+err.Error()
			rep.add(res)
			continue
		}
		var recs *bytes.Buffer
		if o.Stats != nil {
			recs = new(bytes.Buffer)
		}
		r, err := fe.Frontend.Execute(ctx, frontend.ExecuteRequest{Handle: prog.Handle,
			Limits: frontend.Limits{MaxCycles: lim.MaxCycles, MaxMemoryBytes: lim.MaxMemoryBytes, MaxOutputBytes: lim.MaxOutputBytes}},
			discard{recs})
		if err != nil {
			if errors.Is(err, frontend.ErrUnavailable) {
				return nil, err
			}
			res.Status, res.Reason = "failed", "execute: "+err.Error()
			rep.add(res)
			continue
		}
		res.Cycles = r.TotalCycles
		if r.Status != frontend.StatusHalted {
			res.Status, res.Reason = "failed", fmt.Sprintf("the run ended with %s: %s", r.Status, r.TrapReason)
			rep.add(res)
			continue
		}
		out, err := sdkevm.DecodeOutput(r.PublicOutput)
		if err != nil {
			res.Status, res.Reason = "failed", err.Error()
			rep.add(res)
			continue
		}
		res.GasUsed, res.TxStatus = out.GasUsed, out.Status.String()
		if err := c.Check(out); err != nil {
			res.Status, res.Reason = "failed", err.Error()
		} else {
			res.Status = "passed"
		}
		if o.Stats != nil {
			if p, err := isa.Decode(prog.Normalized); err == nil {
				var all []trace.Record
				if _, err := trace.ReadStream(bytes.NewReader(recs.Bytes()), 0, func(r *trace.Record) error {
					all = append(all, *r.Clone())
					return nil
				}); err == nil {
					o.Stats(c, p, all)
				}
			}
		}
		if o.Progress != nil {
			o.Progress(fmt.Sprintf("%-8s %-50s %8d cycles %s", res.Status, res.ID, res.Cycles, res.Reason))
		}
		if res.Status == "passed" {
			srcs[len(rep.Cases)], owner[len(rep.Cases)] = src, c
		}
		rep.add(res)
	}
	if o.Prove > 0 {
		for _, k := range proveOrder(rep, o.Prove) {
			res := &rep.Cases[k]
			err := prove(ctx, o, owner[k], srcs[k], res)
			g := rep.Groups[res.Group]
			if err != nil {
				res.Status, res.Reason = "failed", "prove: "+err.Error()
				rep.Passed--
				rep.Failed++
				g.Passed--
				g.Failed++
			} else {
				rep.Proved++
				g.Proved++
			}
			if o.Progress != nil {
				o.Progress(fmt.Sprintf("%-8s %-50s %8d cycles proved in %.1fs %s", res.Status, res.ID, res.Cycles, res.ProveSec, res.Reason))
			}
		}
	}
	rep.Seconds = time.Since(t0).Seconds()
	return rep, nil
}

// proveOrder picks up to n passing cases, the groups in turn. Runs longer than a segment
// are proven in segments (the continuations profile).
func proveOrder(rep *Report, n int) []int {
	byGroup := map[string][]int{}
	for k, c := range rep.Cases {
		if c.Status == "passed" {
			byGroup[c.Group] = append(byGroup[c.Group], k)
		}
	}
	var out []int
	for round := 0; len(out) < n; round++ {
		added := false
		for _, g := range rep.GroupNames() {
			if round < len(byGroup[g]) && len(out) < n {
				out = append(out, byGroup[g][round])
				added = true
			}
		}
		if !added {
			break
		}
	}
	return out
}

// prove proves and verifies one case through the pipeline and checks that the proven
// output is the outcome that passed.
func prove(ctx context.Context, o Options, c *Case, src []byte, res *Result) error {
	proved, err := pipeline.Prove(ctx, &pipeline.Request{ISA: "evm", Source: src, FileName: c.ID + ".json",
		Profile: "continuations", Backend: o.Backend, Config: o.Config, Plugins: o.Plugins})
	if err != nil {
		return err
	}
	out, err := sdkevm.DecodeOutput(proved.Envelope.Output)
	if err != nil {
		return err
	}
	if err := c.Check(out); err != nil {
		return fmt.Errorf("the proven output fails: %w", err)
	}
	res.Proved, res.ProveSec = true, proved.Envelope.Meta.ProveSeconds
	res.Claim = proved.Envelope.Claim.Root().String()
	return nil
}
