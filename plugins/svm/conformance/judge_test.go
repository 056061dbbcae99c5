package conformance

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/plugins/svm/compile"
	"github.com/oneiros-zk/oneiros/plugins/svm/output"
	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

// The tests of this file run the suite in process: the frontend the SDK builds over
// package compile, as the plugin does, stands for the host's Load and Execute.

type compiler struct{}

func (compiler) Describe() frontend.Description {
	return frontend.Description{Name: "svm", Version: "test", ISA: "svm", Extensions: []string{".osvm"}}
}

func (compiler) Translate(src []byte, _ string) (*frontend.Translation, error) {
	res, err := compile.Compile(src)
	if err != nil {
		return nil, err
	}
	return &frontend.Translation{Program: res.Program}, nil
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
func (discard) Progress(uint64) error       { return nil }

// outcome loads and executes a run as the host does and returns the judge's request.
func outcome(t *testing.T, fe frontend.Frontend, r *frontend.ConformanceRun) frontend.JudgeRequest {
	t.Helper()
	ctx := context.Background()
	jr := frontend.JudgeRequest{Run: *r}
	jr.Run.Source, jr.Run.Input = nil, nil
	prog, err := fe.Load(ctx, frontend.LoadRequest{Source: r.Source, FileName: r.FileName})
	if err != nil {
		jr.LoadError, jr.InvalidInput = err.Error(), errors.Is(err, frontend.ErrInvalidInput)
		return jr
	}
	res, err := fe.Execute(ctx, frontend.ExecuteRequest{Handle: prog.Handle, Input: r.Input, Limits: r.Limits}, discard{})
	if err != nil {
		t.Fatalf("%s: Execute: %v", r.ID, err)
	}
	jr.Result = res
	return jr
}

func listRuns(t *testing.T, dir, filter string) []*frontend.ConformanceRun {
	t.Helper()
	var runs []*frontend.ConformanceRun
	err := Cases(context.Background(), frontend.ConformanceRequest{SuiteDir: dir, Filter: filter},
		func(r *frontend.ConformanceRun) error { runs = append(runs, r); return nil })
	if err != nil {
		t.Fatal(err)
	}
	return runs
}

// TestJudge runs every case of testdata/suite: each passes, each passing case that runs
// is a candidate whose proven outcome (the form the host builds from a verified
// envelope) passes too, and a proven outcome offers no candidate.
func TestJudge(t *testing.T) {
	fe := frontend.FromTranslator(compiler{})
	runs := listRuns(t, "testdata/suite", "")
	if len(runs) != 9 {
		t.Fatalf("%d runs, want 9", len(runs))
	}
	candidates := 0
	for _, r := range runs {
		v, err := Judge(context.Background(), outcome(t, fe, r))
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Cases) != 1 || v.Cases[0].Status != frontend.CasePassed || v.Cases[0].ID != r.ID || v.Cases[0].Group != r.Group {
			t.Fatalf("%s: %+v", r.ID, v.Cases)
		}
		if len(v.Candidates) == 0 {
			continue
		}
		candidates++
		c := v.Candidates[0]
		if string(c.Source) != string(r.Source) || c.Cost == 0 || c.ID != r.ID {
			t.Fatalf("%s: candidate %s, cost %d, source of %d bytes", r.ID, c.ID, c.Cost, len(c.Source))
		}
		// The proven form: halted, or trapped with the isa status name and code 0.
		jr := outcome(t, fe, &c)
		res := &frontend.Result{Status: jr.Result.Status, PublicOutput: jr.Result.PublicOutput, TotalCycles: jr.Result.TotalCycles}
		if res.Status == frontend.StatusTrapped {
			res.TrapReason = isa.StatusTrap.String()
		} else {
			res.ExitCode = jr.Result.ExitCode
		}
		pv, err := Judge(context.Background(), frontend.JudgeRequest{Run: c, Result: res, Proven: true})
		if err != nil || pv.Cases[0].Status != frontend.CasePassed || len(pv.Candidates) != 0 {
			t.Fatalf("%s proven: %v %+v", r.ID, err, pv)
		}
	}
	if candidates != 7 { // all but a verify_fail and a load_error
		t.Fatalf("%d candidates, want 7", candidates)
	}
}

// TestJudgeFails judges outcomes that miss their expectations: each fails, saying why.
func TestJudgeFails(t *testing.T) {
	fe := frontend.FromTranslator(compiler{})
	byID := map[string]frontend.JudgeRequest{}
	for _, r := range listRuns(t, "testdata/suite", "") {
		byID[r.ID] = outcome(t, fe, r)
	}
	// edit returns a run's request with its expectation changed.
	edit := func(id string, f func(e *expectation)) frontend.JudgeRequest {
		jr := byID[id]
		e, err := decodeExpect(jr.Run.Expect)
		if err != nil {
			t.Fatal(err)
		}
		f(e)
		if jr.Run.Expect, err = e.encode(); err != nil {
			t.Fatal(err)
		}
		return jr
	}
	okID, faultID, verifyID := "t/v0:1", "t/v0:2", "t/v0:5"
	for _, c := range []struct {
		name, want string
		req        frontend.JudgeRequest
	}{
		{"a register differs", "r3 = ", edit(okID, func(e *expectation) { e.Regs[3]++ })},
		{"a fault expected, the run halted", "want fault, the run ended halted", edit(okID, func(e *expectation) {
			e.Result, e.Regs = instrFault, nil
		})},
		{"ok expected, the run trapped", "want ok, the run ended trapped", edit(faultID, func(e *expectation) {
			e.Result, e.Regs = instrOK, make([]uint64, 12)
		})},
		{"verify_fail expected, the program loaded", "want verify_fail, the program loaded", edit(okID, func(e *expectation) {
			e.Result, e.Regs = instrVerifyFail, nil
		})},
		{"ok expected, the verifier refused", "want ok, Load refused", edit(verifyID, func(e *expectation) {
			e.Result, e.Regs = instrOK, make([]uint64, 12)
		})},
		{"ok expected, the ELF run trapped", "want ok, the run ended trapped with AccessViolation",
			edit("counter_v0_readonly", func(e *expectation) { e.Result, e.Error = elfOK, "" })},
		{"another error", "want DivideByZero", edit("counter_v0_readonly", func(e *expectation) { e.Error = "DivideByZero" })},
		{"another instruction count", "75 instructions, want 76", edit("counter_v0_readonly", func(e *expectation) { e.Count++ })},
		{"a refusal at another stage", "want a refusal at stage load", edit("garbage", func(e *expectation) { e.Stage = "load" })},
		{"Load failed outside the program", "Load failed outside the program: it broke",
			func() frontend.JudgeRequest {
				jr := byID[okID]
				jr.Result, jr.LoadError = nil, "it broke"
				return jr
			}()},
		{"Execute failed", "Execute: no handle", func() frontend.JudgeRequest {
			jr := byID[okID]
			jr.Result, jr.ExecuteError = nil, "no handle"
			return jr
		}()},
		{"an output without an exit record", "no exit record", func() frontend.JudgeRequest {
			jr := byID[okID]
			res := *jr.Result
			res.PublicOutput = res.PublicOutput[:4]
			jr.Result = &res
			return jr
		}()},
	} {
		v, err := Judge(context.Background(), c.req)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got := v.Cases[0]
		if got.Status != frontend.CaseFailed || !strings.Contains(got.Reason, c.want) || len(v.Candidates) != 0 {
			t.Errorf("%s: %s %q, want failed %q", c.name, got.Status, got.Reason, c.want)
		}
	}
}

// TestJudgeELFOK compares r0 and the instruction count of a halted ELF run (the test
// suite's ELF program faults; the shared suite's pass).
func TestJudgeELFOK(t *testing.T) {
	e := &expectation{Format: expectFormat, Part: partELF, Result: elfOK, R0: 3, Count: 16, Source: []byte("OSVM")}
	halted := &frontend.Result{Status: frontend.StatusHalted}
	for _, c := range []struct {
		exit output.Exit
		want string
	}{
		{output.Exit{R0: 3, Units: 16}, ""},
		{output.Exit{R0: 4, Units: 16}, "r0 = 0x4, want 0x3"},
		{output.Exit{R0: 3, Units: 15}, "15 instructions, want 16"},
		{output.Exit{Status: 2, R0: 3, Units: 16}, "want ok, the run ended halted with AccessViolation"},
	} {
		if got := judgeELF(e, halted, &c.exit); got != c.want {
			t.Errorf("%+v: %q, want %q", c.exit, got, c.want)
		}
	}
}

// TestExpectMalformed hands the judge Expect blobs it must refuse, each with an error
// naming what is wrong.
func TestExpectMalformed(t *testing.T) {
	good := expectation{Format: expectFormat, Part: partInstr, Result: instrOK, Regs: make([]uint64, 12), Source: []byte("OSVM")}
	blob := func(f func(m map[string]any)) []byte {
		b, _ := json.Marshal(good)
		var m map[string]any
		json.Unmarshal(b, &m)
		f(m)
		b, _ = json.Marshal(m)
		return b
	}
	for _, c := range []struct {
		name, want string
		b          []byte
	}{
		{"empty", "no Expect blob", nil},
		{"not JSON", "not a JSON expectation", []byte{0xff, 0x00}},
		{"truncated", "not a JSON expectation", blob(func(map[string]any) {})[:20]},
		{"trailing data", "data after the expectation", append(blob(func(map[string]any) {}), " {}"...)},
		{"an unknown field", "unknown field", blob(func(m map[string]any) { m["extra"] = 1 })},
		{"another format", "format 2, want 1", blob(func(m map[string]any) { m["format"] = 2 })},
		{"an unknown part", `part "riscv"`, blob(func(m map[string]any) { m["part"] = "riscv" })},
		{"an unknown result", `instr result "maybe"`, blob(func(m map[string]any) { m["result"] = "maybe" })},
		{"eleven registers", "11 registers", blob(func(m map[string]any) { m["regs"] = make([]uint64, 11) })},
		{"a negative register", "not a JSON expectation", blob(func(m map[string]any) { m["regs"].([]any)[0] = -1 })},
		{"no container", "no container", blob(func(m map[string]any) { delete(m, "source") })},
		{"ELF fields on instr", "with ELF fields", blob(func(m map[string]any) { m["stage"] = "load" })},
		{"a load_error without a stage", `stage ""`, blob(func(m map[string]any) {
			m["part"], m["result"] = partELF, elfLoadError
			delete(m, "regs")
		})},
		{"an error without its name", "without the error's name", blob(func(m map[string]any) {
			m["part"], m["result"] = partELF, elfError
			delete(m, "regs")
		})},
		{"too large", "more than", make([]byte, maxExpect+1)},
	} {
		_, err := Judge(context.Background(), frontend.JudgeRequest{Run: frontend.ConformanceRun{ID: "x/1", Expect: c.b},
			Result: &frontend.Result{}})
		if err == nil || !errors.Is(err, ErrExpect) || !errors.Is(err, frontend.ErrInvalidInput) ||
			!strings.Contains(err.Error(), "run x/1") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an ErrExpect naming %q", c.name, err, c.want)
		}
	}
}

// TestCasesSuite checks the listing: report order, the filter on ids and groups, a
// skipped case, and a directory without the suite.
func TestCasesSuite(t *testing.T) {
	var groups []string
	for _, r := range listRuns(t, "testdata/suite", "") {
		if len(groups) == 0 || groups[len(groups)-1] != r.Group {
			groups = append(groups, r.Group)
		}
	}
	want := "instr/v0/alu instr/v0/jump instr/v0/load instr/v0/opcode instr/v3/jump elf/v0/exec elf/v0/load"
	if strings.Join(groups, " ") != want {
		t.Fatalf("groups in order %v, want %s", groups, want)
	}
	if r := listRuns(t, "testdata/suite", "garbage"); len(r) != 1 || r[0].ID != "garbage" {
		t.Fatalf("filter on an id: %+v", r)
	}
	if r := listRuns(t, "testdata/suite", "instr/v3/"); len(r) != 1 || r[0].Group != "instr/v3/jump" {
		t.Fatalf("filter on a group: %+v", r)
	}

	dir := t.TempDir()
	err := Cases(context.Background(), frontend.ConformanceRequest{SuiteDir: dir}, func(*frontend.ConformanceRun) error { return nil })
	if !errors.Is(err, ErrSuite) || !errors.Is(err, frontend.ErrInvalidInput) {
		t.Fatalf("empty directory: %v", err)
	}

	// A malformed record is skipped, an unknown expectation fails, without running.
	cases, err := instrCases([]byte(`[{"id":"a","file":"v0/x.instr","program_hex":"zz","regs_in":[]},
		{"id":"b","file":"v0/x.instr","program_hex":"9500000000000000","regs_in":["0","0","0","0","0","0","0","0","0","0","0","0"],"expect":"maybe"}]`))
	if err != nil || len(cases) != 2 || cases[0].decided == nil || cases[0].decided.Status != frontend.CaseSkipped ||
		cases[1].decided == nil || cases[1].decided.Status != frontend.CaseFailed {
		t.Fatalf("decided cases: %v %+v", err, cases)
	}
}

// FuzzJudge judges arbitrary Expect blobs and outputs: an error or a verdict on one
// case, never a panic.
func FuzzJudge(f *testing.F) {
	fe := frontend.FromTranslator(compiler{})
	var runs []*frontend.ConformanceRun
	Cases(context.Background(), frontend.ConformanceRequest{SuiteDir: "testdata/suite"},
		func(r *frontend.ConformanceRun) error { runs = append(runs, r); return nil })
	for _, r := range runs {
		prog, err := fe.Load(context.Background(), frontend.LoadRequest{Source: r.Source})
		var out []byte
		if err == nil {
			if res, err := fe.Execute(context.Background(), frontend.ExecuteRequest{Handle: prog.Handle, Limits: r.Limits}, discard{}); err == nil {
				out = res.PublicOutput
			}
		}
		f.Add(r.Expect, out, uint8(1))
	}
	f.Fuzz(func(t *testing.T, expect, out []byte, status uint8) {
		v, err := Judge(context.Background(), frontend.JudgeRequest{Run: frontend.ConformanceRun{ID: "f", Expect: expect},
			Result: &frontend.Result{Status: frontend.ExitStatus(status % 4), PublicOutput: out}})
		if err == nil && len(v.Cases) != 1 {
			t.Fatalf("%d cases", len(v.Cases))
		}
	})
}
