package conformance_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/host/cli"
	hostconf "github.com/oneiros-zk/oneiros/host/conformance"
	"github.com/oneiros-zk/oneiros/host/plugin"
	"github.com/oneiros-zk/oneiros/host/plugin/plugintest"
	"github.com/oneiros-zk/oneiros/plugins/wasm/conformance"
	"github.com/oneiros-zk/oneiros/plugins/wasm/internal/suite"
	"github.com/oneiros-zk/oneiros/plugins/wasm/loader"
	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

func suiteDir(t *testing.T) string {
	d := suite.Dir()
	if d == "" {
		t.Skip("no shared WebAssembly conformance suite (../shared/conformance/wasm or $ONEIROS_WASM_SUITE)")
	}
	return d
}

func cases(t *testing.T, filter string) []*frontend.ConformanceRun {
	t.Helper()
	var runs []*frontend.ConformanceRun
	err := conformance.Cases(context.Background(), frontend.ConformanceRequest{SuiteDir: suiteDir(t), Filter: filter},
		func(r *frontend.ConformanceRun) error { runs = append(runs, r); return nil })
	if err != nil {
		t.Fatal(err)
	}
	return runs
}

// TestJudgeRejectsWrongOutcomes: the judge fails a container whose outcomes are not
// the expected ones, a malformed module that loaded, a plugin error that is not the
// source's fault, and a container that did not load; it never passes a case without an
// outcome.
func TestJudgeRejectsWrongOutcomes(t *testing.T) {
	runs := cases(t, "traps")
	var main, malformed *frontend.ConformanceRun
	for _, r := range runs {
		switch {
		case r.ID == "traps/traps.json":
			main = r
		case len(r.Source) > 0 && strings.HasSuffix(r.FileName, ".wasm") && malformed == nil:
			malformed = r
		}
	}
	if main == nil || len(main.Decided) == 0 {
		t.Fatalf("no container run with skipped cases among %d runs", len(runs))
	}
	judge := func(req frontend.JudgeRequest) *frontend.Verdict {
		t.Helper()
		v, err := conformance.Judge(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	count := func(v *frontend.Verdict) (passed, failed int) {
		for _, c := range v.Cases {
			switch c.Status {
			case frontend.CasePassed:
				passed++
			case frontend.CaseFailed:
				failed++
			}
		}
		return
	}
	// Every step "returned nothing": the traps' cases must all fail.
	out := bytes.Repeat([]byte{0, 0, 0, 0}, 64)
	v := judge(frontend.JudgeRequest{Run: *main, Result: &frontend.Result{Status: frontend.StatusHalted, PublicOutput: out}})
	if p, f := count(v); p != 0 || f == 0 || len(v.Candidates) != 0 {
		t.Fatalf("all-return outcomes: %d passed, %d failed, %d candidates", p, f, len(v.Candidates))
	}
	// No output at all.
	v = judge(frontend.JudgeRequest{Run: *main, Result: &frontend.Result{Status: frontend.StatusTrapped, TrapReason: "x"}})
	if p, f := count(v); p != 0 || f == 0 {
		t.Fatalf("no outcome: %d passed, %d failed", p, f)
	}
	v = judge(frontend.JudgeRequest{Run: *main, LoadError: "refused", InvalidInput: true})
	if p, f := count(v); p != 0 || f == 0 {
		t.Fatalf("unloaded container: %d passed, %d failed", p, f)
	}
	if malformed != nil {
		for _, tc := range []struct {
			req  frontend.JudgeRequest
			pass bool
		}{
			{frontend.JudgeRequest{Run: *malformed, Result: &frontend.Result{Status: frontend.StatusHalted}}, false},
			{frontend.JudgeRequest{Run: *malformed, LoadError: "plugin crashed"}, false},
			{frontend.JudgeRequest{Run: *malformed, LoadError: "bad magic", InvalidInput: true}, true},
		} {
			if p, _ := count(judge(tc.req)); (p == 1) != tc.pass {
				t.Errorf("malformed module %s (load error %q, invalid input %v): passed %v, want %v", malformed.ID,
					tc.req.LoadError, tc.req.InvalidInput, p == 1, tc.pass)
			}
		}
	}
	if _, err := conformance.Judge(context.Background(), frontend.JudgeRequest{Run: frontend.ConformanceRun{ID: "x", Expect: []byte("{")}}); err == nil ||
		!errors.Is(err, frontend.ErrInvalidInput) {
		t.Fatalf("undecodable expectations: %v", err)
	}
}

// FuzzJudge: expectations and outcomes from another process never make the judge panic.
func FuzzJudge(f *testing.F) {
	f.Add([]byte(`{"cases":[{"id":"a","kind":"return","want":[1],"nsteps":1,"position":0}]}`), []byte{0, 1, 0, 0, 1, 0, 0, 0}, false)
	f.Add([]byte(`{"container":"T1dJQw==","cases":[{"id":"a","kind":"trap","nsteps":9,"position":-1}]}`), []byte{1, 0, 0, 0}, true)
	f.Add([]byte(`{"cases":[{"id":"m","kind":"malformed"}]}`), []byte{}, false)
	f.Fuzz(func(t *testing.T, expect, output []byte, measure bool) {
		req := frontend.JudgeRequest{Run: frontend.ConformanceRun{ID: "f", Group: "g", Expect: expect},
			Result: &frontend.Result{Status: frontend.StatusHalted, PublicOutput: output}}
		if measure {
			req.PCCounts = []uint64{1, 2, 3}
		}
		conformance.Judge(context.Background(), req) //nolint:errcheck // only panics matter
	})
}

func buildPlugins(t *testing.T, prove bool) string {
	bins := []plugintest.Binary{plugintest.Frontend("wasm", "github.com/oneiros-zk/oneiros/plugins/wasm")}
	if prove {
		bins = append(bins, plugintest.CPUBackend)
	}
	return plugintest.Binaries(t, bins...)
}

// TestThroughPlugin runs a few files of the suite through the real plugin process and
// the host's generic runner, measures cycles per instruction, proves one passing case
// and has its proven outcome judged.
func TestThroughPlugin(t *testing.T) {
	s := suiteDir(t)
	dir := buildPlugins(t, true)
	cfg := plugintest.FastConfig(t)
	rep, err := hostconf.Run(context.Background(), hostconf.Options{ISA: "wasm", Suite: s,
		Plugins: plugin.Options{Dirs: []string{dir}}, Filter: "int_literals", Measure: true, Prove: 1, Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed != 0 || rep.Passed == 0 || rep.Runs == 0 {
		t.Fatalf("passed %d, failed %d, runs %d: %v", rep.Passed, rep.Failed, rep.Runs, rep.Failures)
	}
	if len(rep.Groups) != 1 || rep.Groups[0].SourceInstructions == 0 || rep.CyclesPerInstruction == 0 {
		t.Fatalf("groups %+v, cycles per instruction %v", rep.Groups, rep.CyclesPerInstruction)
	}
	if len(rep.Proofs) != 1 || !rep.Proofs[0].Verified || rep.Proofs[0].ClaimRoot == "" {
		t.Fatalf("proofs: %+v", rep.Proofs)
	}
}

// TestCLI runs `oneiros conformance wasm -o json` on a file with assertions of every kind
// (traps, malformed, invalid, float-flagged), on a missing suite and an unknown ISA.
func TestCLI(t *testing.T) {
	s := suiteDir(t)
	dir := buildPlugins(t, false)
	var out, errb bytes.Buffer
	code := cli.Main([]string{"conformance", "wasm", "--suite", s, "--run", "traps", "-o", "json", "--plugin-dir", dir, "-q"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errb.String())
	}
	var rep struct {
		ISA                     string `json:"isa"`
		Passed, Failed, Skipped *int
		Groups                  []struct {
			Name    string `json:"name"`
			Passed  int    `json:"passed"`
			Skipped int    `json:"skipped"`
		} `json:"groups"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if rep.ISA != "wasm" || rep.Passed == nil || rep.Failed == nil || rep.Skipped == nil || *rep.Failed != 0 || *rep.Passed == 0 ||
		*rep.Skipped == 0 || len(rep.Groups) != 1 || rep.Groups[0].Name != "traps" {
		t.Fatalf("report: %s", out.String())
	}
	out.Reset()
	if code := cli.Main([]string{"conformance", "wasm", "--suite", filepath.Join(t.TempDir(), "none"), "--plugin-dir", dir, "-q"}, &out, &errb); code != 2 {
		t.Fatalf("missing suite: exit %d, want 2", code)
	}
	if code := cli.Main([]string{"conformance", "nosuch", "--suite", s, "--plugin-dir", dir, "-q"}, &out, &errb); code != 2 {
		t.Fatalf("unknown ISA: exit %d, want 2", code)
	}
}

// TestTranslationIsDeterministic: the same source gives the same program every time,
// the spectest host module's functions included (they were laid out in a map's random
// order once: seven containers got a new program ID per run).
func TestTranslationIsDeterministic(t *testing.T) {
	for _, r := range cases(t, "imports") {
		if len(r.Source) == 0 || !strings.HasSuffix(r.FileName, ".owic") {
			continue
		}
		var first string
		for i := range 8 {
			l, err := loader.Load(r.Source, loader.Options{})
			if err != nil {
				t.Fatalf("%s: %v", r.ID, err)
			}
			id := l.Program.ID().String()
			if i == 0 {
				first = id
			} else if id != first {
				t.Fatalf("%s: program %s, then %s", r.ID, first, id)
			}
		}
		return
	}
	t.Fatal("no container run in the imports group")
}
