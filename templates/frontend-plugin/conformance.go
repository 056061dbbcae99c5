package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

// The template's conformance suite: `oneiros conformance stack --suite DIR` runs it
// through this plugin (frontend.Conformer; docs/plugins.md, "Conformance suites"). The
// format is the simplest a machine's suite can have, a directory of cases:
//
//	DIR/<group>/<name>.stack   the program
//	DIR/<group>/<name>.json    {"input": "<hex>", "output": "<hex>"} — the run must halt
//	                           and print exactly output — or {"error": "<text>"} — Load
//	                           must refuse the program, naming text
//
// Replace it with your machine's suite format; keep the shape: ConformanceCases reads the
// suite and emits one run per program with its expectations in Expect, ConformanceJudge
// judges an outcome from Expect alone and offers passing cases as proof candidates.

// expectation is a case's .json file, and a run's Expect.
type expectation struct {
	ID     string `json:"id,omitempty"`     // set in Expect: the case's id
	Source string `json:"source,omitempty"` // set in Expect: the program, for a proof candidate
	Input  string `json:"input,omitempty"`
	Output string `json:"output,omitempty"`
	Error  string `json:"error,omitempty"`
}

// maxExpect bounds an Expect the judge decodes (it crossed two process boundaries).
const maxExpect = 1 << 20

func (stack) ConformanceCases(ctx context.Context, req frontend.ConformanceRequest, emit func(*frontend.ConformanceRun) error) error {
	progs, err := filepath.Glob(filepath.Join(req.SuiteDir, "*", "*.stack"))
	if err != nil || len(progs) == 0 {
		return fmt.Errorf("%w: no <group>/<name>.stack under %s", frontend.ErrInvalidInput, req.SuiteDir)
	}
	sort.Strings(progs)
	for _, p := range progs {
		if err := ctx.Err(); err != nil {
			return err
		}
		group, name := filepath.Base(filepath.Dir(p)), strings.TrimSuffix(filepath.Base(p), ".stack")
		id := group + "/" + name
		if req.Filter != "" && !strings.Contains(id, req.Filter) {
			continue
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("%w: %v", frontend.ErrInvalidInput, err)
		}
		b, err := os.ReadFile(strings.TrimSuffix(p, ".stack") + ".json")
		if err != nil {
			return fmt.Errorf("%w: case %s has no expectations: %v", frontend.ErrInvalidInput, id, err)
		}
		var e expectation
		if err := json.Unmarshal(b, &e); err != nil {
			return fmt.Errorf("%w: %s.json: %v", frontend.ErrInvalidInput, id, err)
		}
		in, err := hex.DecodeString(e.Input)
		if err != nil {
			return fmt.Errorf("%w: %s.json: input: %v", frontend.ErrInvalidInput, id, err)
		}
		if _, err := hex.DecodeString(e.Output); err != nil {
			return fmt.Errorf("%w: %s.json: output: %v", frontend.ErrInvalidInput, id, err)
		}
		e.ID, e.Source = id, string(src)
		exp, _ := json.Marshal(e)
		run := &frontend.ConformanceRun{ID: id, Group: group, FileName: name + ".stack", Source: src, Input: in,
			Limits: frontend.Limits{MaxCycles: 1 << 24, MaxOutputBytes: 1 << 20}, Expect: exp}
		if err := emit(run); err != nil {
			return err
		}
	}
	return nil
}

func (stack) ConformanceJudge(_ context.Context, req frontend.JudgeRequest) (*frontend.Verdict, error) {
	if len(req.Run.Expect) > maxExpect {
		return nil, fmt.Errorf("%w: run %s: expectations of %d bytes", frontend.ErrInvalidInput, req.Run.ID, len(req.Run.Expect))
	}
	var e expectation
	if err := json.Unmarshal(req.Run.Expect, &e); err != nil || e.ID == "" {
		return nil, fmt.Errorf("%w: run %s: the expectations do not decode (%v)", frontend.ErrInvalidInput, req.Run.ID, err)
	}
	want, err := hex.DecodeString(e.Output)
	if err != nil {
		return nil, fmt.Errorf("%w: run %s: output: %v", frontend.ErrInvalidInput, req.Run.ID, err)
	}
	fail := ""
	switch r := req.Result; {
	case e.Error != "":
		switch {
		case req.LoadError == "":
			fail = fmt.Sprintf("the program loaded; want a refusal naming %q", e.Error)
		case !req.InvalidInput:
			fail = "the plugin failed: " + req.LoadError
		case !strings.Contains(req.LoadError, e.Error):
			fail = fmt.Sprintf("refused with %q, which does not name %q", req.LoadError, e.Error)
		}
	case req.LoadError != "":
		fail = "the program did not load: " + req.LoadError
	case req.ExecuteError != "":
		fail = "the program did not run: " + req.ExecuteError
	case r == nil:
		fail = "no outcome"
	case r.Status != frontend.StatusHalted || r.ExitCode != 0:
		fail = fmt.Sprintf("the run ended %s (code %d, %s), want a halt with code 0", r.Status, r.ExitCode, r.TrapReason)
	case !bytes.Equal(r.PublicOutput, want):
		fail = fmt.Sprintf("printed %x, want %x", r.PublicOutput, want)
	}
	c := frontend.ConformanceCase{ID: e.ID, Group: req.Run.Group, Status: frontend.CasePassed}
	v := &frontend.Verdict{Cases: []frontend.ConformanceCase{c}}
	if fail != "" {
		v.Cases[0].Status, v.Cases[0].Reason = frontend.CaseFailed, fail
		return v, nil
	}
	if e.Error == "" && !req.Proven && req.Result != nil { // a passing run: prove it as it is
		in, _ := hex.DecodeString(e.Input)
		cand := req.Run // the host sends it back without source and input
		cand.Source, cand.Input, cand.Cost = []byte(e.Source), in, req.Result.TotalCycles
		v.Candidates = append(v.Candidates, cand)
	}
	return v, nil
}
