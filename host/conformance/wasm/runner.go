package wasm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/host/plugin"
	"github.com/oneiros-zk/oneiros/sdk/config"
	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

// Options configure a run of the suite.
type Options struct {
	Suite   string         // the suite directory (<group>/<name>/<name>.json)
	Plugins plugin.Options // where to find oneiros-frontend-wasm (and the backend, to prove)
	// Prove proves and verifies Prove passing cases end to end; it needs Config.
	Prove  int
	Config *config.Config
	// Filter, when set, runs only the files whose group or name contains it.
	Filter string
	// Measure counts executed WebAssembly instructions from the trace (cycles per
	// instruction per group); it makes the run slower.
	Measure bool
	// Progress, when set, is called after each file.
	Progress func(file string, done, total int)
}

// Report is the outcome of a suite run. Its JSON form has the totals passed, failed and
// skipped at the top, the per-group (and per-file) counts in groups, every failure, and
// the proofs.
type Report struct {
	Suite    string    `json:"suite" yaml:"suite"`
	Plugin   string    `json:"plugin" yaml:"plugin"`
	Passed   int       `json:"passed" yaml:"passed"`
	Failed   int       `json:"failed" yaml:"failed"`
	Skipped  int       `json:"skipped" yaml:"skipped"`
	Groups   []*Group  `json:"groups" yaml:"groups"`
	Failures []Failure `json:"failures" yaml:"failures"`
	Proofs   []Proof   `json:"proofs,omitempty" yaml:"proofs,omitempty"`
	// Cycles of WebAssembly code and WebAssembly instructions executed, over all files
	// (with Measure).
	WasmCycles           uint64  `json:"wasm_cycles,omitempty" yaml:"wasm_cycles,omitempty"`
	WasmInstructions     uint64  `json:"wasm_instructions,omitempty" yaml:"wasm_instructions,omitempty"`
	CyclesPerInstruction float64 `json:"cycles_per_instruction,omitempty" yaml:"cycles_per_instruction,omitempty"`
	Seconds              float64 `json:"seconds" yaml:"seconds"`
}

// Group counts the cases of one group (int_arith, control, …).
type Group struct {
	Name                 string  `json:"name" yaml:"name"`
	Passed               int     `json:"passed" yaml:"passed"`
	Failed               int     `json:"failed" yaml:"failed"`
	Skipped              int     `json:"skipped" yaml:"skipped"`
	Cycles               uint64  `json:"cycles" yaml:"cycles"` // all normalized cycles of the group's runs
	WasmCycles           uint64  `json:"wasm_cycles,omitempty" yaml:"wasm_cycles,omitempty"`
	WasmInstructions     uint64  `json:"wasm_instructions,omitempty" yaml:"wasm_instructions,omitempty"`
	CyclesPerInstruction float64 `json:"cycles_per_instruction,omitempty" yaml:"cycles_per_instruction,omitempty"`
	Files                []*File `json:"files" yaml:"files"`
}

// File counts the cases of one JSON file.
type File struct {
	Name                 string  `json:"name" yaml:"name"`
	Passed               int     `json:"passed" yaml:"passed"`
	Failed               int     `json:"failed" yaml:"failed"`
	Skipped              int     `json:"skipped" yaml:"skipped"`
	Cycles               uint64  `json:"cycles" yaml:"cycles"`
	WasmCycles           uint64  `json:"wasm_cycles,omitempty" yaml:"wasm_cycles,omitempty"`
	WasmInstructions     uint64  `json:"wasm_instructions,omitempty" yaml:"wasm_instructions,omitempty"`
	CyclesPerInstruction float64 `json:"cycles_per_instruction,omitempty" yaml:"cycles_per_instruction,omitempty"`
}

// Failure is one failing case.
type Failure struct {
	ID     string `json:"id" yaml:"id"` // group/file.json:line
	Group  string `json:"group" yaml:"group"`
	Reason string `json:"reason" yaml:"reason"`
}

// Proof is one proven case.
type Proof struct {
	ID        string  `json:"id" yaml:"id"`
	Cycles    uint64  `json:"cycles" yaml:"cycles"`
	Seconds   float64 `json:"seconds" yaml:"seconds"`
	ClaimRoot string  `json:"claim_root,omitempty" yaml:"claim_root,omitempty"`
	Verified  bool    `json:"verified" yaml:"verified"`
	Error     string  `json:"error,omitempty" yaml:"error,omitempty"`
}

// ErrSuite reports a suite directory that cannot be read.
var ErrSuite = errors.New("wasm conformance suite")

// Run runs the suite through the plugin and returns the report. Errors are for runs that
// could not happen (no suite, no plugin); failing cases are in the report.
func Run(ctx context.Context, opts Options) (*Report, error) {
	t0 := time.Now()
	files, err := readSuite(opts.Suite)
	if err != nil {
		return nil, err
	}
	if opts.Filter != "" {
		var keep []suiteFile
		for _, f := range files {
			if strings.Contains(f.group, opts.Filter) || strings.Contains(f.name, opts.Filter) {
				keep = append(keep, f)
			}
		}
		files = keep
	}
	p, err := plugin.LaunchNamed(ctx, opts.Plugins, plugin.KindFrontend, "wasm")
	if err != nil {
		return nil, err
	}
	defer p.Close()
	fe := p.Frontend
	rep := &Report{Suite: opts.Suite, Plugin: fe.Description.Name + " " + fe.Description.Version, Groups: []*Group{}, Failures: []Failure{}}
	groups := map[string]*Group{}
	var candidates []candidate
	for i, f := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		g := groups[f.group]
		if g == nil {
			g = &Group{Name: f.group}
			groups[f.group] = g
			rep.Groups = append(rep.Groups, g)
		}
		r := &fileRun{f: f, fe: fe, measure: opts.Measure, rep: &File{Name: f.name}}
		if err := r.run(ctx); err != nil {
			return nil, err
		}
		fr := r.rep
		g.Files = append(g.Files, fr)
		g.Passed, g.Failed, g.Skipped = g.Passed+fr.Passed, g.Failed+fr.Failed, g.Skipped+fr.Skipped
		g.Cycles += fr.Cycles
		g.WasmCycles += fr.WasmCycles
		g.WasmInstructions += fr.WasmInstructions
		for _, msg := range r.failures {
			rep.Failures = append(rep.Failures, Failure{ID: f.group + "/" + msg.id, Group: f.group, Reason: msg.reason})
		}
		candidates = append(candidates, r.candidates...)
		if opts.Progress != nil {
			opts.Progress(f.group+"/"+f.name, i+1, len(files))
		}
	}
	for _, g := range rep.Groups {
		rep.Passed, rep.Failed, rep.Skipped = rep.Passed+g.Passed, rep.Failed+g.Failed, rep.Skipped+g.Skipped
		rep.WasmCycles += g.WasmCycles
		rep.WasmInstructions += g.WasmInstructions
		g.CyclesPerInstruction = ratio(g.WasmCycles, g.WasmInstructions)
	}
	rep.CyclesPerInstruction = ratio(rep.WasmCycles, rep.WasmInstructions)
	if opts.Prove > 0 {
		rep.Proofs = prove(ctx, opts, candidates)
	}
	rep.Seconds = time.Since(t0).Seconds()
	return rep, nil
}

func ratio(a, b uint64) float64 {
	if b == 0 {
		return 0
	}
	return float64(int(float64(a)/float64(b)*100+0.5)) / 100
}

// expectation is what a container step's outcome must be.
type expectation struct {
	id       string
	cmd      command
	kind     string // "module", "action", "return", "trap", "unlinkable", "uninstantiable"
	nsteps   int    // the container's steps up to and including this one
	position int    // index of this step's outcome
}

type failure struct{ id, reason string }

// candidate is a passing case that can be proven.
type candidate struct {
	id        string
	group     string
	steps     []step
	exp       expectation
	fileCycle uint64
}

type fileRun struct {
	f          suiteFile
	fe         *plugin.Frontend
	measure    bool
	rep        *File
	failures   []failure
	candidates []candidate
}

func (r *fileRun) fail(c command, format string, args ...any) {
	r.rep.Failed++
	r.failures = append(r.failures, failure{id: fmt.Sprintf("%s.json:%d", r.f.name, c.Line),
		reason: fmt.Sprintf("%s: %s", c.Type, fmt.Sprintf(format, args...))})
}

func (r *fileRun) run(ctx context.Context) error {
	var steps []step
	var exps []expectation
	outcomes := 0
	cur := int32(-1)
	modules := int32(0)
	named := map[string]int32{}
	for _, c := range r.f.commands {
		id := fmt.Sprintf("%s.json:%d", r.f.name, c.Line)
		if r.f.float[c.Line] && strings.HasPrefix(c.Type, "assert_") {
			r.rep.Skipped++ // float-flagged: skipped, never run, never passed
			continue
		}
		switch c.Type {
		case "module", "assert_unlinkable", "assert_uninstantiable":
			b, err := os.ReadFile(filepath.Join(r.f.dir, c.Filename))
			if err != nil {
				return fmt.Errorf("%w: %v", ErrSuite, err)
			}
			steps = append(steps, step{kind: stepModule, name: c.Name, bytes: b})
			kind := map[string]string{"module": "module", "assert_unlinkable": "unlinkable", "assert_uninstantiable": "uninstantiable"}[c.Type]
			exps = append(exps, expectation{id: id, cmd: c, kind: kind, nsteps: len(steps), position: outcomes})
			outcomes++
			if c.Type == "module" {
				cur = modules
				if c.Name != "" {
					named[c.Name] = modules
				}
			}
			modules++
		case "register":
			m := cur
			if c.Name != "" {
				m = named[c.Name]
			}
			steps = append(steps, step{kind: stepRegister, name: c.As, module: m})
		case "assert_malformed", "assert_invalid":
			if c.ModuleType == "text" {
				continue
			}
			b, err := os.ReadFile(filepath.Join(r.f.dir, c.Filename))
			if err != nil {
				return fmt.Errorf("%w: %v", ErrSuite, err)
			}
			_, err = r.fe.Load(ctx, frontend.LoadRequest{Source: b, FileName: c.Filename})
			switch {
			case err == nil:
				r.fail(c, "the plugin loaded %s (want %q)", c.Filename, c.Text)
			case errors.Is(err, frontend.ErrInvalidInput):
				r.rep.Passed++
			default:
				r.fail(c, "the plugin failed: %v", err)
			}
		case "action", "assert_return", "assert_trap", "assert_exhaustion":
			a := c.Action
			if a == nil {
				r.fail(c, "no action")
				continue
			}
			m := cur
			if a.Module != "" {
				var ok bool
				if m, ok = named[a.Module]; !ok {
					r.fail(c, "no module %s", a.Module)
					continue
				}
			}
			if m < 0 {
				r.fail(c, "no module")
				continue
			}
			s := step{kind: stepGet, module: m, name: a.Field}
			if a.Type == "invoke" {
				s.kind = stepInvoke
				for _, v := range a.Args {
					val, err := parseValue(v)
					if err != nil {
						return fmt.Errorf("%w: %s: %v", ErrSuite, id, err)
					}
					s.args = append(s.args, val)
				}
			}
			steps = append(steps, s)
			kind := map[string]string{"action": "action", "assert_return": "return", "assert_trap": "trap", "assert_exhaustion": "trap"}[c.Type]
			exps = append(exps, expectation{id: id, cmd: c, kind: kind, nsteps: len(steps), position: outcomes})
			outcomes++
		}
	}
	if len(steps) == 0 {
		return nil
	}
	flags := uint32(flagLenientFloat)
	if r.measure {
		flags |= flagProfile
	}
	src := encodeContainer(flags, steps)
	prog, err := r.fe.Load(ctx, frontend.LoadRequest{Source: src, FileName: r.f.name + ".owic"})
	if err != nil {
		for _, e := range exps {
			if e.kind != "module" && e.kind != "action" {
				r.fail(e.cmd, "the container did not load: %v", err)
			}
		}
		return nil
	}
	res, counts, err := r.execute(ctx, prog)
	if err != nil {
		for _, e := range exps {
			if e.kind != "module" && e.kind != "action" {
				r.fail(e.cmd, "the container did not run: %v", err)
			}
		}
		return nil
	}
	r.rep.Cycles = res.TotalCycles
	if counts != nil {
		if p, err := isa.Decode(prog.Normalized); err == nil {
			r.rep.WasmCycles, r.rep.WasmInstructions = measure(p, counts)
			r.rep.CyclesPerInstruction = ratio(r.rep.WasmCycles, r.rep.WasmInstructions)
		}
	}
	outs := decodeOutcomes(res.PublicOutput)
	for _, e := range exps {
		if e.kind == "module" || e.kind == "action" {
			continue // harness steps: their failures show in the cases that depend on them
		}
		if e.position >= len(outs) {
			r.fail(e.cmd, "no outcome: the run ended %s (%s)", res.Status, res.TrapReason)
			continue
		}
		if msg := judge(e, outs[e.position]); msg != "" {
			r.fail(e.cmd, "%s", msg)
			continue
		}
		r.rep.Passed++
		if e.kind == "return" || e.kind == "trap" {
			r.candidates = append(r.candidates, candidate{id: r.f.group + "/" + e.id, group: r.f.group,
				steps: steps[:e.nsteps], exp: e, fileCycle: res.TotalCycles})
		}
	}
	return nil
}

// execute runs a loaded container, counting each pc's executions when measuring.
func (r *fileRun) execute(ctx context.Context, prog *frontend.Program) (*frontend.Result, []uint64, error) {
	req := frontend.ExecuteRequest{Handle: prog.Handle,
		Limits: frontend.Limits{MaxCycles: 1 << 31, MaxMemoryBytes: 1 << 31, MaxOutputBytes: 1 << 26}}
	if !r.measure {
		res, err := r.fe.Execute(ctx, req, discard{})
		return res, nil, err
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
	res, err := r.fe.Execute(ctx, req, pipeWriter{pw})
	pw.Close()
	if rerr := <-done; err == nil && rerr != nil {
		err = fmt.Errorf("reading the trace: %w", rerr)
	}
	return res, counts, err
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
func (discard) Progress(uint64) error       { return nil }

type pipeWriter struct{ w *io.PipeWriter }

func (p pipeWriter) Write(b []byte) (int, error) { return p.w.Write(b) }
func (p pipeWriter) Progress(uint64) error       { return nil }
