// Package conformance serves the WebAssembly spec-test suite (wast2json files:
// <group>/<name>/<name>.json with a manifest.json flagging the commands that use
// floating point; see the suite's README) through the plugin contract's conformance
// methods (sdk/frontend.Conformer), so that `oneiros conformance wasm` runs it through
// the plugin process without the host knowing the format.
//
// # Runs
//
// Each file becomes one run: its modules and invocations, in order, as one invocation
// container (package container) translated into one program whose public output
// holds each step's outcome (docs/wasm.md), so the steps share state as the spec
// tests require. Each binary assert_malformed and assert_invalid module is a run of
// its own that Load must refuse as the source's fault. Float-flagged assertions are
// decided as skipped without running (the frontend has no floating point); text-format
// modules are not counted.
//
// # Judging
//
// A run's Expect holds the container and, for every assertion, its id, kind, the
// index of its outcome in the output and what it must be (the expected words of a
// return). assert_return passes when the step returned exactly the expected words,
// assert_trap and assert_exhaustion when it trapped, assert_uninstantiable when
// instantiation trapped, assert_unlinkable when linking refused the module. Every
// passing return or trap, up to three per file (the first, the cheapest), is a proof
// candidate: the container cut after its step, judged again on the verified proof's
// output.
//
// With the host's execution counts, the judge translates the container again to read
// its profile table (the pc ranges of entry and runtime code, and the WebAssembly
// instructions each pc starts) and reports the cycles of WebAssembly code and the
// WebAssembly instructions executed.
package conformance

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/oneiros-zk/oneiros/plugins/wasm/container"
	"github.com/oneiros-zk/oneiros/plugins/wasm/internal/spectest"
	"github.com/oneiros-zk/oneiros/plugins/wasm/internal/suite"
	"github.com/oneiros-zk/oneiros/plugins/wasm/loader"
	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

// ErrSuite is wrapped by errors about a suite directory that cannot be read.
var ErrSuite = errors.New("wasm conformance suite")

// Outcome kinds the container's program writes (docs/wasm.md).
const (
	outcomeReturned = 0
	outcomeTrapped  = 1
	outcomeRejected = 2
)

// limits bound one run of a container.
var limits = frontend.Limits{MaxCycles: 1 << 31, MaxMemoryBytes: 1 << 31, MaxOutputBytes: 1 << 26}

// expectation is what one assertion's outcome must be.
type expectation struct {
	ID       string   `json:"id"`       // name.json:line
	Type     string   `json:"type"`     // the command: assert_return, assert_trap, …
	Kind     string   `json:"kind"`     // return, trap, unlinkable, uninstantiable, malformed
	Field    string   `json:"field"`    // the export invoked
	Text     string   `json:"text"`     // the suite's message
	Want     []uint32 `json:"want"`     // return: the expected words
	Bad      string   `json:"bad"`      // return: why the expectation cannot be met (a NaN, a bad value)
	NSteps   int      `json:"nsteps"`   // the container's steps up to and including this one
	Position int      `json:"position"` // index of this step's outcome
}

// expect is a run's Expect.
type expect struct {
	Container []byte        `json:"container,omitempty"` // the run's source (container runs)
	Cases     []expectation `json:"cases"`
}

// Cases implements frontend.Conformer's ConformanceCases.
func Cases(ctx context.Context, req frontend.ConformanceRequest, emit func(*frontend.ConformanceRun) error) error {
	ms, err := filepath.Glob(filepath.Join(req.SuiteDir, "*", "*", "manifest.json"))
	if err != nil || len(ms) == 0 {
		return fmt.Errorf("%w: no <group>/<name>/manifest.json under %s", ErrSuite, req.SuiteDir)
	}
	files, err := suite.Files(req.SuiteDir)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrSuite, err)
	}
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		if req.Filter != "" && !strings.Contains(f.Group, req.Filter) && !strings.Contains(f.Name, req.Filter) {
			continue
		}
		runs, err := fileRuns(f, req.Measure)
		if err != nil {
			return err
		}
		for _, r := range runs {
			if err := emit(r); err != nil {
				return err
			}
		}
	}
	return nil
}

// fileRuns turns one file into its runs: the container run (first) and one run per
// binary malformed or invalid module.
func fileRuns(f suite.File, measure bool) ([]*frontend.ConformanceRun, error) {
	main := &frontend.ConformanceRun{ID: f.Group + "/" + f.Name + ".json", Group: f.Group, FileName: f.Name + ".owic",
		Limits: limits, Measure: measure}
	runs := []*frontend.ConformanceRun{main}
	var steps []container.Step
	var exps []expectation
	outcomes := 0
	cur := int32(-1)
	modules := int32(0)
	named := map[string]int32{}
	read := func(c suite.Command) ([]byte, error) {
		b, err := os.ReadFile(filepath.Join(f.Dir, filepath.Base(c.Filename)))
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrSuite, err)
		}
		return b, nil
	}
	for _, c := range f.Commands {
		id := fmt.Sprintf("%s.json:%d", f.Name, c.Line)
		if f.Float[c.Line] && strings.HasPrefix(c.Type, "assert_") {
			main.Decided = append(main.Decided, frontend.ConformanceCase{ID: f.Group + "/" + id, Group: f.Group,
				Status: frontend.CaseSkipped, Reason: "uses floating point"})
			continue
		}
		switch c.Type {
		case "module", "assert_unlinkable", "assert_uninstantiable":
			b, err := read(c)
			if err != nil {
				return nil, err
			}
			steps = append(steps, container.Step{Kind: container.KindModule, Name: c.Name, Bytes: b, Module: -1})
			if c.Type != "module" {
				kind := strings.TrimPrefix(c.Type, "assert_")
				exps = append(exps, expectation{ID: id, Type: c.Type, Kind: kind, Text: c.Text, NSteps: len(steps), Position: outcomes})
			}
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
			steps = append(steps, container.Step{Kind: container.KindRegister, Name: c.As, Module: m})
		case "assert_malformed", "assert_invalid":
			if c.ModuleType == "text" {
				continue
			}
			b, err := read(c)
			if err != nil {
				return nil, err
			}
			e, _ := json.Marshal(expect{Cases: []expectation{{ID: id, Type: c.Type, Kind: "malformed", Text: c.Text}}})
			runs = append(runs, &frontend.ConformanceRun{ID: f.Group + "/" + id, Group: f.Group,
				FileName: filepath.Base(c.Filename), Source: b, Limits: limits, Expect: e})
		case "action", "assert_return", "assert_trap", "assert_exhaustion":
			e := expectation{ID: id, Type: c.Type, Text: c.Text, NSteps: -1}
			a := c.Action
			if a == nil {
				e.Bad = "no action"
				exps = append(exps, e)
				continue
			}
			e.Field = a.Field
			m := cur
			if a.Module != "" {
				var ok bool
				if m, ok = named[a.Module]; !ok {
					e.Bad = "no module " + a.Module
				}
			}
			if m < 0 && e.Bad == "" {
				e.Bad = "no module"
			}
			if e.Bad != "" {
				exps = append(exps, e) // counted as a failure, as the suite cannot be followed
				continue
			}
			s := container.Step{Kind: container.KindGet, Module: m, Name: a.Field}
			if a.Type == "invoke" {
				s.Kind = container.KindInvoke
				for _, v := range a.Args {
					val, err := parseValue(v)
					if err != nil {
						return nil, fmt.Errorf("%w: %s/%s: %v", ErrSuite, f.Group, id, err)
					}
					s.Args = append(s.Args, val)
				}
			}
			steps = append(steps, s)
			if c.Type != "action" {
				e.Kind = map[string]string{"assert_return": "return", "assert_trap": "trap", "assert_exhaustion": "trap"}[c.Type]
				e.NSteps, e.Position = len(steps), outcomes
				if e.Kind == "return" {
					e.Want, e.Bad = wantWords(c.Expected)
				}
				exps = append(exps, e)
			}
			outcomes++
		}
	}
	if len(steps) == 0 {
		if len(main.Decided) == 0 {
			return runs[1:], nil
		}
		main.Measure = false
		return runs, nil // only decided cases
	}
	flags := uint32(container.FlagLenientFloat)
	if measure {
		flags |= container.FlagProfile
	}
	main.Source = (&container.Container{Flags: flags, Steps: steps}).Encode()
	main.Expect, _ = json.Marshal(expect{Container: main.Source, Cases: exps})
	return runs, nil
}

// wantWords reads an assert_return's expected values as output words.
func wantWords(vs []suite.Value) ([]uint32, string) {
	var want []uint32
	for _, v := range vs {
		if s, _ := v.Value.(string); strings.HasPrefix(s, "nan:") {
			return nil, "a NaN expectation (float)"
		}
		val, err := parseValue(v)
		if err != nil {
			return nil, err.Error()
		}
		want = append(want, uint32(val.Bits))
		if v.Type == "i64" || v.Type == "f64" {
			want = append(want, uint32(val.Bits>>32))
		}
	}
	return want, ""
}

var valueTypes = map[string]byte{"i32": 0x7F, "i64": 0x7E, "f32": 0x7D, "f64": 0x7C, "funcref": 0x70, "externref": 0x6F}

// parseValue reads a wast2json value: the unsigned decimal of its bit pattern; for
// references "null" (0) or an extern index n (n+1).
func parseValue(v suite.Value) (container.Value, error) {
	t, ok := valueTypes[v.Type]
	if !ok {
		return container.Value{}, fmt.Errorf("unknown value type %q", v.Type)
	}
	s, _ := v.Value.(string)
	if t == 0x70 || t == 0x6F {
		if s == "null" {
			return container.Value{Type: t}, nil
		}
		n, err := strconv.ParseUint(s, 10, 32)
		return container.Value{Type: t, Bits: n + 1}, err
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return container.Value{}, fmt.Errorf("value %q of type %s: %v", s, v.Type, err)
	}
	return container.Value{Type: t, Bits: n}, nil
}

// Judge implements frontend.Conformer's ConformanceJudge.
func Judge(_ context.Context, req frontend.JudgeRequest) (*frontend.Verdict, error) {
	var e expect
	if err := json.Unmarshal(req.Run.Expect, &e); err != nil {
		return nil, fmt.Errorf("%w: run %s: its expectations do not decode: %v", frontend.ErrInvalidInput, req.Run.ID, err)
	}
	group := req.Run.Group
	v := &frontend.Verdict{}
	verdict := func(x expectation, reason string) {
		c := frontend.ConformanceCase{ID: group + "/" + x.ID, Group: group, Status: frontend.CasePassed}
		if reason != "" {
			c.Status, c.Reason = frontend.CaseFailed, x.Type+": "+reason
		}
		v.Cases = append(v.Cases, c)
	}
	if len(e.Cases) == 1 && e.Cases[0].Kind == "malformed" {
		x := e.Cases[0]
		switch {
		case req.LoadError == "":
			verdict(x, fmt.Sprintf("the plugin loaded the module (want %q)", x.Text))
		case !req.InvalidInput:
			verdict(x, "the plugin failed: "+req.LoadError)
		default:
			verdict(x, "")
		}
		return v, nil
	}
	var outs []outcome
	var why string
	switch {
	case req.LoadError != "":
		why = "the container did not load: " + req.LoadError
	case req.ExecuteError != "":
		why = "the container did not run: " + req.ExecuteError
	case req.Result == nil:
		why = "no outcome was given"
	default:
		outs = decodeOutcomes(req.Result.PublicOutput)
	}
	for _, x := range e.Cases {
		switch {
		case why != "":
			verdict(x, why)
		case x.Bad != "" && x.NSteps < 0:
			verdict(x, x.Bad)
		case x.Position < 0 || x.Position >= len(outs):
			verdict(x, fmt.Sprintf("no outcome: the run ended %s (%s)", req.Result.Status, req.Result.TrapReason))
		default:
			msg := judge(x, outs[x.Position])
			verdict(x, msg)
			if msg == "" && !req.Proven && (x.Kind == "return" || x.Kind == "trap") && len(v.Candidates) < maxCandidates {
				if c, err := cut(e.Container, x); err == nil {
					v.Candidates = append(v.Candidates, *c.withID(group, req.Run, req.Result.TotalCycles))
				}
			}
		}
	}
	if len(req.PCCounts) > 0 && len(e.Container) > 0 {
		l, err := loader.Load(e.Container, loader.Options{})
		if err != nil {
			return nil, fmt.Errorf("%w: run %s: the container does not translate again: %v", frontend.ErrInvalidInput, req.Run.ID, err)
		}
		if len(req.PCCounts) != len(l.Program.Code) {
			return nil, fmt.Errorf("%w: run %s: %d execution counts for %d instructions", frontend.ErrInvalidInput, req.Run.ID,
				len(req.PCCounts), len(l.Program.Code))
		}
		v.SourceCycles, v.SourceInstructions = spectest.Measure(l.Program, req.PCCounts)
		if v.SourceInstructions == 0 {
			v.SourceCycles = 0
		}
	}
	return v, nil
}

// maxCandidates bounds the proof candidates of one run: the first passing cases, the
// cheapest to prove (each is the container up to its step). The host proves a few
// cases in all, the groups in turn.
const maxCandidates = 3

// candidate is a passing case as a run of its own.
type candidate struct {
	src []byte
	x   expectation
}

// cut is the container cut after the case's step, without the profile flag.
func cut(src []byte, x expectation) (*candidate, error) {
	c, err := container.Decode(src)
	if err != nil {
		return nil, err
	}
	if x.NSteps <= 0 || x.NSteps > len(c.Steps) {
		return nil, fmt.Errorf("step %d of %d", x.NSteps, len(c.Steps))
	}
	c.Steps, c.Flags = c.Steps[:x.NSteps], c.Flags&^container.FlagProfile
	return &candidate{src: c.Encode(), x: x}, nil
}

func (c *candidate) withID(group string, run frontend.ConformanceRun, cost uint64) *frontend.ConformanceRun {
	e, _ := json.Marshal(expect{Container: c.src, Cases: []expectation{c.x}})
	return &frontend.ConformanceRun{ID: group + "/" + c.x.ID, Group: group, FileName: strings.ReplaceAll(c.x.ID, ":", "_") + ".owic",
		Source: c.src, Limits: run.Limits, Expect: e, Cost: cost}
}

// outcome is one step's outcome read from the public output.
type outcome struct {
	kind    uint32
	payload uint32
	words   []uint32
}

// decodeOutcomes splits a container run's output into outcomes.
func decodeOutcomes(out []byte) []outcome {
	var res []outcome
	for len(out) >= 4 {
		tag := binary.LittleEndian.Uint32(out)
		out = out[4:]
		o := outcome{kind: tag & 0xFF, payload: tag >> 8}
		if o.kind == outcomeReturned {
			for i := uint32(0); i < o.payload && len(out) >= 4; i++ {
				o.words = append(o.words, binary.LittleEndian.Uint32(out))
				out = out[4:]
			}
		}
		res = append(res, o)
	}
	return res
}

// judge checks an outcome against an expectation with the suite's rules; "" is a pass.
func judge(x expectation, o outcome) string {
	switch x.Kind {
	case "unlinkable":
		if o.kind == outcomeRejected {
			return "" // rejected at link time (or earlier)
		}
		return fmt.Sprintf("the module linked (outcome %s)", o)
	case "uninstantiable":
		if o.kind == outcomeTrapped {
			return ""
		}
		return fmt.Sprintf("instantiation did not trap (outcome %s)", o)
	case "trap":
		if o.kind == outcomeTrapped {
			return ""
		}
		return fmt.Sprintf("%s did not trap (%q expected): outcome %s", x.Field, x.Text, o)
	case "return":
		if o.kind != outcomeReturned {
			return fmt.Sprintf("%s: outcome %s, want a return", x.Field, o)
		}
		if x.Bad != "" {
			return x.Bad
		}
		if len(x.Want) != len(o.words) {
			return fmt.Sprintf("%s returned %d words, want %d", x.Field, len(o.words), len(x.Want))
		}
		for i := range x.Want {
			if x.Want[i] != o.words[i] {
				return fmt.Sprintf("%s returned %v, want %v", x.Field, o.words, x.Want)
			}
		}
		return ""
	}
	return fmt.Sprintf("unknown expectation kind %q", x.Kind)
}

func (o outcome) String() string {
	switch o.kind {
	case outcomeReturned:
		return fmt.Sprintf("returned %v", o.words)
	case outcomeTrapped:
		return fmt.Sprintf("trapped (code %d)", o.payload)
	case outcomeRejected:
		return fmt.Sprintf("rejected (reason %d)", o.payload)
	}
	return fmt.Sprintf("unknown outcome %d", o.kind)
}
