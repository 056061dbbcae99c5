package svm

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/oneiros-zk/oneiros/host/pipeline"
	"github.com/oneiros-zk/oneiros/host/plugin"
	"github.com/oneiros-zk/oneiros/sdk/config"
	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

// Options configure a run of the suite.
type Options struct {
	Suite   string         // the suite directory (with instr/ and elf/)
	Plugins plugin.Options // where to find oneiros-frontend-svm (and the backend, to prove)
	// Prove proves (and verifies) the first Prove passing runs end to end; it needs
	// Config.
	Prove  int
	Config *config.Config
	// Filter, when set, runs only the cases whose id contains it.
	Filter string
	// Progress, when set, is called after each case.
	Progress func(done, total int)
}

// Report is the outcome of a suite run. Its JSON form has the totals passed, failed and
// skipped at the top, the per-part, per-version, per-group counts in groups, every
// failure, and the proofs.
type Report struct {
	Suite    string    `json:"suite" yaml:"suite"`
	Plugin   string    `json:"plugin" yaml:"plugin"`
	Passed   int       `json:"passed" yaml:"passed"`
	Failed   int       `json:"failed" yaml:"failed"`
	Skipped  int       `json:"skipped" yaml:"skipped"`
	Groups   []*Group  `json:"groups" yaml:"groups"`
	Failures []Failure `json:"failures" yaml:"failures"`
	Proofs   []Proof   `json:"proofs,omitempty" yaml:"proofs,omitempty"`
	Seconds  float64   `json:"seconds" yaml:"seconds"`
}

// Group counts the cases of one part, version and group.
type Group struct {
	Part    string `json:"part" yaml:"part"`       // instr or elf
	Version string `json:"version" yaml:"version"` // v0, v2, v3 (the ELF's version for elf cases)
	Name    string `json:"group" yaml:"group"`     // bitwise, int_math, … or exec, exec_legacy, load
	Passed  int    `json:"passed" yaml:"passed"`
	Failed  int    `json:"failed" yaml:"failed"`
	Skipped int    `json:"skipped" yaml:"skipped"`
}

// Failure is one failing case.
type Failure struct {
	ID      string `json:"id" yaml:"id"`
	Part    string `json:"part" yaml:"part"`
	Version string `json:"version" yaml:"version"`
	Group   string `json:"group" yaml:"group"`
	Reason  string `json:"reason" yaml:"reason"`
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

// testCase is one runnable case of either part.
type testCase struct {
	id, part, version, group string
	source                   []byte
	input                    []byte
	check                    func(p *frontend.Program, loadErr error, res *frontend.Result) string
	skip                     string
	runs                     bool // the case runs (it is not a verifier or loader rejection)
}

// ErrSuite reports a suite directory that cannot be read.
var ErrSuite = errors.New("svm conformance suite")

// Run runs the suite through the plugin and returns the report. Errors are for runs that
// could not happen (no suite, no plugin); failing cases are in the report.
func Run(ctx context.Context, opts Options) (*Report, error) {
	t0 := time.Now()
	cases, err := loadSuite(opts.Suite)
	if err != nil {
		return nil, err
	}
	if opts.Filter != "" {
		var keep []testCase
		for _, c := range cases {
			if strings.Contains(c.id, opts.Filter) {
				keep = append(keep, c)
			}
		}
		cases = keep
	}
	p, err := plugin.LaunchNamed(ctx, opts.Plugins, plugin.KindFrontend, "svm")
	if err != nil {
		return nil, err
	}
	defer p.Close()
	fe := p.Frontend
	rep := &Report{Suite: opts.Suite, Plugin: fe.Description.Name + " " + fe.Description.Version, Groups: []*Group{},
		Failures: []Failure{}}
	groups := map[string]*Group{}
	var passing []testCase
	for i, c := range cases {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		key := c.part + "/" + c.version + "/" + c.group
		g := groups[key]
		if g == nil {
			g = &Group{Part: c.part, Version: c.version, Name: c.group}
			groups[key] = g
			rep.Groups = append(rep.Groups, g)
		}
		reason := c.skip
		if reason == "" {
			reason = runCase(ctx, fe, c)
		}
		switch {
		case c.skip != "":
			g.Skipped++
			rep.Skipped++
		case reason == "":
			g.Passed++
			rep.Passed++
			passing = append(passing, c)
		default:
			g.Failed++
			rep.Failed++
			rep.Failures = append(rep.Failures, Failure{ID: c.id, Part: c.part, Version: c.version, Group: c.group, Reason: reason})
		}
		if opts.Progress != nil {
			opts.Progress(i+1, len(cases))
		}
	}
	sort.SliceStable(rep.Groups, func(i, j int) bool {
		a, b := rep.Groups[i], rep.Groups[j]
		if a.Part != b.Part {
			return a.Part > b.Part // instr before elf
		}
		if a.Version != b.Version {
			return a.Version < b.Version
		}
		return a.Name < b.Name
	})
	if opts.Prove > 0 {
		rep.Proofs = prove(ctx, opts, passing)
	}
	rep.Seconds = time.Since(t0).Seconds()
	return rep, nil
}

// runCase loads and runs one case and returns "" when it passes, else why not.
func runCase(ctx context.Context, fe frontend.Frontend, c testCase) (reason string) {
	prog, err := fe.Load(ctx, frontend.LoadRequest{Source: c.source, FileName: c.id + ".osvm"})
	if err != nil {
		if !errors.Is(err, frontend.ErrInvalidInput) {
			return fmt.Sprintf("Load failed outside the program: %v", err)
		}
		return c.check(nil, err, nil)
	}
	res, err := fe.Execute(ctx, frontend.ExecuteRequest{Handle: prog.Handle, Input: c.input,
		Limits: frontend.Limits{MaxCycles: 1 << 28, MaxOutputBytes: 1 << 24}}, discard{})
	if err != nil {
		return fmt.Sprintf("Execute: %v", err)
	}
	return c.check(prog, nil, res)
}

// discard is a trace writer that keeps nothing.
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
func (discard) Progress(uint64) error       { return nil }

// prove proves n passing cases through the pipeline, which also verifies each proof in
// the host: the first passing case of each group in turn (so that a few proofs cover
// several versions, groups, faults and ELF programs), then the next of each, and so on.
func prove(ctx context.Context, opts Options, passing []testCase) []Proof {
	var order []string
	byGroup := map[string][]testCase{}
	for _, c := range passing {
		if !c.runs {
			continue
		}
		k := c.part + "/" + c.version + "/" + c.group
		if _, ok := byGroup[k]; !ok {
			order = append(order, k)
		}
		byGroup[k] = append(byGroup[k], c)
	}
	var picked []testCase
	for round := 0; len(picked) < opts.Prove; round++ {
		added := false
		for _, k := range order {
			if round < len(byGroup[k]) && len(picked) < opts.Prove {
				picked = append(picked, byGroup[k][round])
				added = true
			}
		}
		if !added {
			break
		}
	}
	var out []Proof
	for _, c := range picked {
		t0 := time.Now()
		pr := Proof{ID: c.id}
		res, err := pipeline.Prove(ctx, &pipeline.Request{ISA: "svm", Source: c.source, FileName: c.id + ".osvm", Input: c.input,
			Profile: "continuations", Config: opts.Config, Plugins: opts.Plugins})
		if err != nil {
			pr.Error = err.Error()
		} else {
			pr.Cycles, pr.Verified = res.Envelope.Claim.Cycles, true
			pr.ClaimRoot = res.Envelope.Claim.Root().String()
		}
		pr.Seconds = time.Since(t0).Seconds()
		out = append(out, pr)
	}
	return out
}

// loadSuite reads both parts of the suite.
func loadSuite(dir string) ([]testCase, error) {
	if _, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSuite, err)
	}
	var cases []testCase
	for _, v := range []int{0, 2, 3} {
		path := filepath.Join(dir, "instr", fmt.Sprintf("sbpf_v%d.json", v))
		b, err := os.ReadFile(path)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrSuite, err)
		}
		cs, err := instrCases(b)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrSuite, path, err)
		}
		cases = append(cases, cs...)
	}
	path := filepath.Join(dir, "elf", "cases.json")
	if b, err := os.ReadFile(path); err == nil {
		cs, err := elfCases(b, filepath.Join(dir, "elf", "programs"))
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrSuite, path, err)
		}
		cases = append(cases, cs...)
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w: %w", ErrSuite, err)
	}
	if len(cases) == 0 {
		return nil, fmt.Errorf("%w: %s holds neither instr/sbpf_v*.json nor elf/cases.json", ErrSuite, dir)
	}
	return cases, nil
}

type instrJSON struct {
	ID         string   `json:"id"`
	Version    uint8    `json:"sbpf_version"`
	File       string   `json:"file"`
	Program    string   `json:"program_hex"`
	RegsIn     []string `json:"regs_in"`
	Input      string   `json:"input_hex"`
	Boundaries []uint32 `json:"region_boundaries"`
	Expect     string   `json:"expect"`
	RegsOut    []string `json:"regs_out"`
}

func parseRegs(s []string) (*[12]uint64, error) {
	if len(s) != 12 {
		return nil, fmt.Errorf("%d registers, want 12", len(s))
	}
	var r [12]uint64
	for i, x := range s {
		v, err := strconv.ParseUint(x, 16, 64)
		if err != nil {
			return nil, fmt.Errorf("register %d: %w", i, err)
		}
		r[i] = v
	}
	return &r, nil
}

// instrCases turns instruction vectors into containers: bytecode, registers, a writable
// input region (split at the boundaries), budget 100, no heap, no syscalls, registers
// dumped at exit.
func instrCases(b []byte) ([]testCase, error) {
	var raw []instrJSON
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, err
	}
	heap := uint32(0)
	var out []testCase
	for _, r := range raw {
		c := testCase{id: r.ID, part: "instr", version: fmt.Sprintf("v%d", r.Version),
			group: strings.TrimSuffix(filepath.Base(r.File), ".instr")}
		text, err1 := hex.DecodeString(r.Program)
		input, err2 := hex.DecodeString(r.Input)
		regs, err3 := parseRegs(r.RegsIn)
		if err := errors.Join(err1, err2, err3); err != nil {
			c.skip = "malformed case: " + err.Error()
			out = append(out, c)
			continue
		}
		if input == nil {
			input = []byte{}
		}
		ct := &container{text: text, textVersion: r.Version, budget: 100, heap: &heap, regs: regs, input: input,
			inputWritable: true, boundaries: r.Boundaries, syscalls: []syscallEntry{}, dumpRegisters: true}
		c.source = ct.encode()
		c.runs = r.Expect != "verify_fail"
		want := r
		c.check = func(_ *frontend.Program, loadErr error, res *frontend.Result) string {
			return checkInstr(want, loadErr, res)
		}
		out = append(out, c)
	}
	return out, nil
}

func checkInstr(c instrJSON, loadErr error, res *frontend.Result) string {
	if c.Expect == "verify_fail" {
		if loadErr != nil && strings.Contains(loadErr.Error(), "verify:") {
			return ""
		}
		if loadErr != nil {
			return fmt.Sprintf("want verify_fail, Load refused at another stage: %v", loadErr)
		}
		return "want verify_fail, the verifier accepted the program"
	}
	if loadErr != nil {
		return fmt.Sprintf("want %s, Load refused: %v", c.Expect, loadErr)
	}
	exit, _, err := decodeOutput(res.PublicOutput, true)
	if err != nil {
		return fmt.Sprintf("%v (run %s %s)", err, res.Status, res.TrapReason)
	}
	if c.Expect == "fault" {
		if res.Status == frontend.StatusTrapped && exit.status != 0 {
			return ""
		}
		return fmt.Sprintf("want fault, the run ended %s with status %d", res.Status, exit.status)
	}
	if res.Status != frontend.StatusHalted || exit.status != 0 {
		return fmt.Sprintf("want ok, the run ended %s (%s), error %s", res.Status, res.TrapReason, errorNames[exit.status])
	}
	want, err := parseRegs(c.RegsOut)
	if err != nil {
		return "malformed expectation: " + err.Error()
	}
	var diffs []string
	for i, w := range want {
		if exit.regs[i] != w {
			diffs = append(diffs, fmt.Sprintf("r%d = %#x, want %#x", i, exit.regs[i], w))
		}
	}
	return strings.Join(diffs, "; ")
}

type elfJSON struct {
	ID         string `json:"id"`
	Group      string `json:"group"`
	ELF        string `json:"elf"`
	ELFVersion uint8  `json:"elf_sbpf_version"`
	Config     struct {
		Versions       []uint8 `json:"enabled_sbpf_versions"`
		OptimizeRodata *bool   `json:"optimize_rodata"`
		Reject         bool    `json:"reject_broken_elfs"`
	} `json:"config"`
	Syscalls map[string]string `json:"syscalls"`
	Input    string            `json:"input_hex"`
	Expect   struct {
		Result string `json:"result"`
		R0     string `json:"r0"`
		Count  uint64 `json:"instruction_count"`
		Error  string `json:"error"`
		Stage  string `json:"stage"`
	} `json:"expect"`
}

// elfCases turns the ELF cases into containers with the upstream test's settings.
func elfCases(b []byte, programs string) ([]testCase, error) {
	var raw []elfJSON
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, err
	}
	impls := map[string]uint8{"log_string": implLogString, "log_u64": implLogU64}
	var out []testCase
	for _, r := range raw {
		c := testCase{id: r.ID, part: "elf", version: fmt.Sprintf("v%d", r.ELFVersion), group: r.Group}
		elf, err := os.ReadFile(filepath.Join(programs, r.ELF))
		input, err2 := hex.DecodeString(r.Input)
		if err := errors.Join(err, err2); err != nil {
			c.skip = "unreadable case: " + err.Error()
			out = append(out, c)
			continue
		}
		heap := uint32(0)
		ct := &container{elf: elf, reject: r.Config.Reject, optimize: r.Config.OptimizeRodata == nil || *r.Config.OptimizeRodata,
			heap: &heap, input: input, syscalls: []syscallEntry{}}
		if input == nil {
			ct.input = []byte{}
		}
		if len(r.Config.Versions) == 2 {
			ct.versions = &[2]uint8{r.Config.Versions[0], r.Config.Versions[1]}
		}
		names := make([]string, 0, len(r.Syscalls))
		for name := range r.Syscalls {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			impl, ok := impls[r.Syscalls[name]]
			if !ok {
				c.skip = fmt.Sprintf("syscall %q (%s) has no implementation in the frontend", name, r.Syscalls[name])
			}
			ct.syscalls = append(ct.syscalls, syscallEntry{impl: impl, name: name})
		}
		ct.budget = max(r.Expect.Count, 1)
		c.source = ct.encode()
		c.runs = r.Expect.Result != "load_error"
		want := r
		c.check = func(_ *frontend.Program, loadErr error, res *frontend.Result) string {
			return checkELF(want, loadErr, res)
		}
		out = append(out, c)
	}
	return out, nil
}

func checkELF(c elfJSON, loadErr error, res *frontend.Result) string {
	e := c.Expect
	if e.Result == "load_error" {
		if loadErr == nil {
			return fmt.Sprintf("want the loader to refuse it (%s: %s), it loaded", e.Stage, e.Error)
		}
		if !strings.Contains(loadErr.Error(), e.Stage+":") {
			return fmt.Sprintf("want a refusal at stage %s (%s), got: %v", e.Stage, e.Error, loadErr)
		}
		return ""
	}
	if loadErr != nil {
		return fmt.Sprintf("want %s, Load refused: %v", e.Result, loadErr)
	}
	exit, _, err := decodeOutput(res.PublicOutput, false)
	if err != nil {
		return fmt.Sprintf("%v (run %s %s)", err, res.Status, res.TrapReason)
	}
	switch e.Result {
	case "ok":
		if res.Status != frontend.StatusHalted || exit.status != 0 {
			return fmt.Sprintf("want ok, the run ended %s with %s", res.Status, errorNames[exit.status])
		}
		r0, err := strconv.ParseUint(strings.TrimPrefix(e.R0, "0x"), 16, 64)
		if err != nil {
			return "malformed expectation: " + err.Error()
		}
		var diffs []string
		if exit.r0 != r0 {
			diffs = append(diffs, fmt.Sprintf("r0 = %#x, want %#x", exit.r0, r0))
		}
		if exit.units != e.Count {
			diffs = append(diffs, fmt.Sprintf("%d instructions, want %d", exit.units, e.Count))
		}
		return strings.Join(diffs, "; ")
	case "error":
		var diffs []string
		if got := errorNames[exit.status]; got != e.Error || res.Status != frontend.StatusTrapped {
			diffs = append(diffs, fmt.Sprintf("the run ended %s with %s, want %s", res.Status, got, e.Error))
		}
		if exit.units != e.Count {
			diffs = append(diffs, fmt.Sprintf("%d instructions, want %d", exit.units, e.Count))
		}
		return strings.Join(diffs, "; ")
	}
	return fmt.Sprintf("unknown expectation %q", e.Result)
}
