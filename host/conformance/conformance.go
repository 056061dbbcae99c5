// Package conformance runs an external conformance suite through any frontend plugin
// that serves one (plugin protocol 1.4, sdk/frontend's Conformer). The host knows
// nothing of the suite's format or of the ISA: the plugin reads the suite and lists
// its runs, the host loads and executes each run as it would any program, the plugin
// judges the outcome case by case, and the host proves and verifies the passing cases
// the plugin offers as candidates, having their proven outcome judged again.
//
// The report has one shape for every ISA: totals, per-group counts and cycles, the
// failures, and the proofs.
package conformance

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"time"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/host/pipeline"
	"github.com/oneiros-zk/oneiros/host/plugin"
	"github.com/oneiros-zk/oneiros/sdk/config"
	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

// Options configure a run of a suite.
type Options struct {
	ISA     string         // the frontend plugin oneiros-frontend-<ISA> serves the suite
	Suite   string         // the suite's directory
	Plugins plugin.Options // where to find the frontend (and the backend, to prove)
	// Filter, when set, keeps only the runs whose id or group contains it (the plugin
	// applies it).
	Filter string
	// Measure counts the cycles per source instruction of the runs that support it
	// (the trace is decoded: slower).
	Measure bool
	// Prove proves and verifies up to Prove passing cases end to end, taking the
	// groups in turn, cheapest candidates first; it needs Config.
	Prove   int
	Config  *config.Config
	Backend string // for proving: "" is the configuration's backend.kind
	// AllCases lists every case in the report, not only the failures.
	AllCases bool
	// Progress, when set, is called after each run.
	Progress func(run string, done, total int)
}

// Report is the outcome of a suite run.
type Report struct {
	ISA      string   `json:"isa" yaml:"isa"`
	Suite    string   `json:"suite" yaml:"suite"`
	Plugin   string   `json:"plugin" yaml:"plugin"` // name and version
	Passed   int      `json:"passed" yaml:"passed"`
	Failed   int      `json:"failed" yaml:"failed"`
	Skipped  int      `json:"skipped" yaml:"skipped"`
	Runs     int      `json:"runs" yaml:"runs"`     // programs executed
	Cycles   uint64   `json:"cycles" yaml:"cycles"` // normalized cycles of every run
	Groups   []*Group `json:"groups" yaml:"groups"`
	Failures []Case   `json:"failures" yaml:"failures"`
	Cases    []Case   `json:"cases,omitempty" yaml:"cases,omitempty"` // every case, with Options.AllCases
	Proofs   []Proof  `json:"proofs,omitempty" yaml:"proofs,omitempty"`
	// Cycles spent in code lowered from source instructions, and the source
	// instructions executed, over the measured runs.
	SourceCycles         uint64  `json:"source_cycles,omitempty" yaml:"source_cycles,omitempty"`
	SourceInstructions   uint64  `json:"source_instructions,omitempty" yaml:"source_instructions,omitempty"`
	CyclesPerInstruction float64 `json:"cycles_per_instruction,omitempty" yaml:"cycles_per_instruction,omitempty"`
	Seconds              float64 `json:"seconds" yaml:"seconds"`
}

// Group counts the cases of one group, in the order the plugin listed them.
type Group struct {
	Name                 string  `json:"name" yaml:"name"`
	Passed               int     `json:"passed" yaml:"passed"`
	Failed               int     `json:"failed" yaml:"failed"`
	Skipped              int     `json:"skipped" yaml:"skipped"`
	Runs                 int     `json:"runs" yaml:"runs"`
	Cycles               uint64  `json:"cycles" yaml:"cycles"`
	SourceCycles         uint64  `json:"source_cycles,omitempty" yaml:"source_cycles,omitempty"`
	SourceInstructions   uint64  `json:"source_instructions,omitempty" yaml:"source_instructions,omitempty"`
	CyclesPerInstruction float64 `json:"cycles_per_instruction,omitempty" yaml:"cycles_per_instruction,omitempty"`
}

// Case is the verdict on one case.
type Case struct {
	ID      string            `json:"id" yaml:"id"`
	Group   string            `json:"group" yaml:"group"`
	Status  string            `json:"status" yaml:"status"` // passed, failed, skipped
	Reason  string            `json:"reason,omitempty" yaml:"reason,omitempty"`
	Details map[string]string `json:"details,omitempty" yaml:"details,omitempty"`
}

// Proof is one proven case.
type Proof struct {
	ID        string  `json:"id" yaml:"id"`
	Group     string  `json:"group" yaml:"group"`
	Cycles    uint64  `json:"cycles" yaml:"cycles"`
	Seconds   float64 `json:"seconds" yaml:"seconds"`
	ClaimRoot string  `json:"claim_root,omitempty" yaml:"claim_root,omitempty"`
	Verified  bool    `json:"verified" yaml:"verified"` // proven, verified, and its proven outcome passes
	Error     string  `json:"error,omitempty" yaml:"error,omitempty"`
}

// ErrNoSuite is wrapped by the error for a plugin that serves no conformance suite.
var ErrNoSuite = errors.New("the plugin serves no conformance suite")

// Run runs the suite and returns the report. Errors are for runs that could not
// happen (no suite, no plugin, a plugin that broke the protocol or died); failing
// cases are in the report.
func Run(ctx context.Context, opts Options) (*Report, error) {
	t0 := time.Now()
	if opts.Prove > 0 && opts.Config == nil {
		return nil, fmt.Errorf("conformance: proving needs a configuration")
	}
	dir, err := filepath.Abs(opts.Suite)
	if err != nil {
		return nil, err
	}
	p, err := plugin.LaunchNamed(ctx, opts.Plugins, plugin.KindFrontend, opts.ISA)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	fe := p.Frontend
	rep := &Report{ISA: opts.ISA, Suite: opts.Suite, Plugin: fe.Description.Name + " " + fe.Description.Version,
		Groups: []*Group{}, Failures: []Case{}}
	if fe.Description.ProtocolMajor == frontend.ProtocolMajor && fe.Description.ProtocolMinor < 4 {
		return nil, fmt.Errorf("%w: %s speaks plugin protocol %d.%d; conformance suites came in 1.4", ErrNoSuite,
			rep.Plugin, fe.Description.ProtocolMajor, fe.Description.ProtocolMinor)
	}
	var runs []*frontend.ConformanceRun
	err = fe.ConformanceCases(ctx, frontend.ConformanceRequest{SuiteDir: dir, Filter: opts.Filter, Measure: opts.Measure},
		func(r *frontend.ConformanceRun) error { runs = append(runs, r); return nil })
	switch {
	case errors.Is(err, frontend.ErrUnimplemented):
		return nil, fmt.Errorf("%w: %s (%v)", ErrNoSuite, rep.Plugin, err)
	case err != nil:
		return nil, fmt.Errorf("reading the suite %s through %s: %w", opts.Suite, rep.Plugin, err)
	}
	if len(runs) == 0 {
		return nil, fmt.Errorf("the suite %s has no run (filter %q)", opts.Suite, opts.Filter)
	}
	t := tally{rep: rep, groups: map[string]*Group{}, all: opts.AllCases}
	var cands []frontend.ConformanceRun
	for i, r := range runs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for _, c := range r.Decided {
			t.add(r.Group, c)
		}
		if r.Runs() {
			v, cycles, err := runOne(ctx, fe, r)
			if err != nil {
				return nil, fmt.Errorf("run %s: %w", r.ID, err)
			}
			g := t.group(r.Group)
			g.Runs++
			g.Cycles += cycles
			g.SourceCycles += v.SourceCycles
			g.SourceInstructions += v.SourceInstructions
			rep.Runs++
			for _, c := range v.Cases {
				t.add(r.Group, c)
			}
			cands = append(cands, v.Candidates...)
		}
		runs[i] = nil // its source is no longer needed
		if opts.Progress != nil {
			opts.Progress(r.ID, i+1, len(runs))
		}
	}
	for _, g := range rep.Groups {
		rep.Cycles += g.Cycles
		rep.SourceCycles += g.SourceCycles
		rep.SourceInstructions += g.SourceInstructions
		g.CyclesPerInstruction = ratio(g.SourceCycles, g.SourceInstructions)
	}
	rep.CyclesPerInstruction = ratio(rep.SourceCycles, rep.SourceInstructions)
	if opts.Prove > 0 {
		rep.Proofs = prove(ctx, opts, fe, pick(cands, opts.Prove))
	}
	rep.Seconds = time.Since(t0).Seconds()
	return rep, nil
}

// tally counts verdicts into the report.
type tally struct {
	rep    *Report
	groups map[string]*Group
	all    bool
}

func (t *tally) group(name string) *Group {
	g := t.groups[name]
	if g == nil {
		g = &Group{Name: name}
		t.groups[name] = g
		t.rep.Groups = append(t.rep.Groups, g)
	}
	return g
}

func (t *tally) add(runGroup string, c frontend.ConformanceCase) {
	group := cmp.Or(c.Group, runGroup)
	g := t.group(group)
	rc := Case{ID: c.ID, Group: group, Status: c.Status.String(), Reason: c.Reason, Details: c.Details}
	switch c.Status {
	case frontend.CasePassed:
		g.Passed++
		t.rep.Passed++
	case frontend.CaseFailed:
		g.Failed++
		t.rep.Failed++
		t.rep.Failures = append(t.rep.Failures, rc)
	case frontend.CaseSkipped:
		g.Skipped++
		t.rep.Skipped++
	}
	if t.all {
		t.rep.Cases = append(t.rep.Cases, rc)
	}
}

// runOne loads and executes a run and has the plugin judge the outcome. A plugin that
// is gone is an error; a source it refuses or a run that cannot happen is an outcome
// for the judge.
func runOne(ctx context.Context, fe *plugin.Frontend, r *frontend.ConformanceRun) (*frontend.Verdict, uint64, error) {
	jr := frontend.JudgeRequest{Run: *r}
	var cycles uint64
	prog, err := fe.Load(ctx, frontend.LoadRequest{Source: r.Source, FileName: r.FileName})
	switch {
	case err != nil && (errors.Is(err, frontend.ErrUnavailable) || ctx.Err() != nil):
		return nil, 0, err
	case err != nil:
		jr.LoadError, jr.InvalidInput = err.Error(), errors.Is(err, frontend.ErrInvalidInput)
	default:
		res, counts, err := execute(ctx, fe, prog, r)
		switch {
		case err != nil && (errors.Is(err, frontend.ErrUnavailable) || ctx.Err() != nil):
			return nil, 0, err
		case err != nil:
			jr.ExecuteError = err.Error()
		default:
			jr.Result, jr.PCCounts, cycles = res, counts, res.TotalCycles
		}
	}
	v, err := fe.ConformanceJudge(ctx, jr)
	if err != nil {
		return nil, 0, err
	}
	return v, cycles, nil
}

// execute runs a loaded program, counting each pc's executions when the run asks.
func execute(ctx context.Context, fe *plugin.Frontend, prog *frontend.Program, r *frontend.ConformanceRun) (*frontend.Result, []uint64, error) {
	req := frontend.ExecuteRequest{Handle: prog.Handle, Input: r.Input, Limits: r.Limits}
	if !r.Measure {
		res, err := fe.Execute(ctx, req, discard{})
		return res, nil, err
	}
	if prog.Info.InstructionCount > maxMeasured {
		return nil, nil, fmt.Errorf("%w: the program has %d instructions", frontend.ErrProtocol, prog.Info.InstructionCount)
	}
	counts := make([]uint64, prog.Info.InstructionCount)
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		_, err := trace.ReadStream(pr, 0, func(rec *trace.Record) error {
			if int(rec.PC) < len(counts) {
				counts[rec.PC]++
			}
			return nil
		})
		pr.CloseWithError(err)
		done <- err
	}()
	res, err := fe.Execute(ctx, req, pipeWriter{pw})
	pw.Close()
	if rerr := <-done; err == nil && rerr != nil {
		err = fmt.Errorf("reading the trace: %w", rerr)
	}
	return res, counts, err
}

// maxMeasured bounds the programs whose executions are counted per instruction.
const maxMeasured = 1 << 24

// pick takes up to n candidates, the groups in turn (in the order they first
// appear), the cheapest of each group first.
func pick(cands []frontend.ConformanceRun, n int) []frontend.ConformanceRun {
	byGroup := map[string][]frontend.ConformanceRun{}
	var order []string
	for _, c := range cands {
		if _, ok := byGroup[c.Group]; !ok {
			order = append(order, c.Group)
		}
		byGroup[c.Group] = append(byGroup[c.Group], c)
	}
	for _, g := range order {
		sort.SliceStable(byGroup[g], func(i, j int) bool { return byGroup[g][i].Cost < byGroup[g][j].Cost })
	}
	var out []frontend.ConformanceRun
	for round := 0; len(out) < n; round++ {
		added := false
		for _, g := range order {
			if cs := byGroup[g]; round < len(cs) && len(out) < n {
				out = append(out, cs[round])
				added = true
			}
		}
		if !added {
			break
		}
	}
	return out
}

// prove proves and verifies each candidate through the pipeline, as `oneiros prove
// --profile continuations` would, and has its proven outcome judged.
func prove(ctx context.Context, opts Options, fe *plugin.Frontend, cands []frontend.ConformanceRun) []Proof {
	var out []Proof
	for _, c := range cands {
		if ctx.Err() != nil {
			break
		}
		t0 := time.Now()
		pr := Proof{ID: c.ID, Group: c.Group}
		proved, err := pipeline.Prove(ctx, &pipeline.Request{ISA: opts.ISA, Source: c.Source, FileName: c.FileName,
			Input: c.Input, Profile: "continuations", Backend: opts.Backend, Config: opts.Config, Plugins: opts.Plugins})
		if err != nil {
			pr.Error = err.Error()
		} else {
			env := proved.Envelope
			pr.Cycles, pr.ClaimRoot = env.Claim.Cycles, env.Claim.Root().String()
			res := &frontend.Result{Status: frontend.StatusHalted, ExitCode: int64(env.Claim.ExitCode),
				PublicOutput: env.Output, TotalCycles: env.Claim.Cycles}
			if st := isa.ExitStatus(env.Claim.ExitStatus); st != isa.StatusHalted {
				res.Status, res.ExitCode, res.TrapReason = frontend.StatusTrapped, 0, st.String()
			}
			v, err := fe.ConformanceJudge(ctx, frontend.JudgeRequest{Run: c, Result: res, Proven: true})
			switch {
			case err != nil:
				pr.Error = "judging the proven outcome: " + err.Error()
			case len(v.Cases) == 0:
				pr.Error = "the plugin judged no case of the proven outcome"
			default:
				pr.Verified = true
				for _, k := range v.Cases {
					if k.Status != frontend.CasePassed {
						pr.Verified, pr.Error = false, fmt.Sprintf("the proven outcome fails %s: %s", k.ID, k.Reason)
						break
					}
				}
			}
		}
		pr.Seconds = time.Since(t0).Seconds()
		out = append(out, pr)
	}
	return out
}

func ratio(a, b uint64) float64 {
	if b == 0 {
		return 0
	}
	return float64(int(float64(a)/float64(b)*100+0.5)) / 100
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
func (discard) Progress(uint64) error       { return nil }

type pipeWriter struct{ w *io.PipeWriter }

func (p pipeWriter) Write(b []byte) (int, error) { return p.w.Write(b) }
func (p pipeWriter) Progress(uint64) error       { return nil }
