package frontend

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// suiteFake serves a suite whose runs and verdicts the tests set.
type suiteFake struct {
	UnimplementedFrontend
	runs    []*ConformanceRun
	verdict *Verdict
	got     JudgeRequest
	panics  bool
}

func (s *suiteFake) ConformanceCases(_ context.Context, req ConformanceRequest, emit func(*ConformanceRun) error) error {
	if req.SuiteDir != "/suite" || req.Filter != "f" || !req.Measure {
		return errors.New("request not carried across")
	}
	for _, r := range s.runs {
		if err := emit(r); err != nil {
			return err
		}
	}
	return nil
}

func (s *suiteFake) ConformanceJudge(_ context.Context, req JudgeRequest) (*Verdict, error) {
	if s.panics {
		panic("a judge bug")
	}
	s.got = req
	return s.verdict, nil
}

func goodRun() *ConformanceRun {
	return &ConformanceRun{ID: "g/a", Group: "g", FileName: "a.x", Source: []byte("src"), Input: []byte("in"),
		Limits: Limits{MaxCycles: 9}, Expect: []byte("exp"), Measure: true, Cost: 5,
		Decided: []ConformanceCase{{ID: "g/a:1", Group: "g", Status: CaseSkipped, Reason: "float"}}}
}

// TestConformanceRoundTrip: runs, judge requests and verdicts cross the wire intact;
// the judge gets the run without its source and input.
func TestConformanceRoundTrip(t *testing.T) {
	f := &suiteFake{runs: []*ConformanceRun{goodRun(), {ID: "g/only-decided", Decided: []ConformanceCase{{ID: "x", Status: CaseSkipped}}}},
		verdict: &Verdict{Cases: []ConformanceCase{{ID: "g/a:2", Group: "g", Status: CaseFailed, Reason: "r",
			Details: map[string]string{"gas_used": "21000"}}}, Candidates: []ConformanceRun{*goodRun()}, SourceCycles: 10, SourceInstructions: 4}}
	c := connect(t, f)
	ctx := context.Background()
	var got []*ConformanceRun
	if err := c.ConformanceCases(ctx, ConformanceRequest{SuiteDir: "/suite", Filter: "f", Measure: true},
		func(r *ConformanceRun) error { got = append(got, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != "g/a" || string(got[0].Expect) != "exp" || got[0].Limits.MaxCycles != 9 || !got[0].Measure ||
		got[0].Cost != 5 || len(got[0].Decided) != 1 || got[0].Decided[0].Status != CaseSkipped || got[1].Runs() {
		t.Fatalf("runs: %+v", got)
	}
	v, err := c.ConformanceJudge(ctx, JudgeRequest{Run: *got[0], LoadError: "refused", InvalidInput: true, PCCounts: []uint64{1, 2},
		Result: &Result{Status: StatusTrapped, TrapReason: "t", PublicOutput: []byte("o"), TotalCycles: 3}, Proven: true})
	if err != nil {
		t.Fatal(err)
	}
	j := f.got
	if j.Run.ID != "g/a" || j.Run.Source != nil || j.Run.Input != nil || string(j.Run.Expect) != "exp" || j.LoadError != "refused" ||
		!j.InvalidInput || len(j.PCCounts) != 2 || j.Result == nil || j.Result.Status != StatusTrapped || string(j.Result.PublicOutput) != "o" || !j.Proven {
		t.Fatalf("judge request: %+v", j)
	}
	if len(v.Cases) != 1 || v.Cases[0].Details["gas_used"] != "21000" || len(v.Candidates) != 1 || string(v.Candidates[0].Source) != "src" ||
		v.SourceCycles != 10 || v.SourceInstructions != 4 {
		t.Fatalf("verdict: %+v", v)
	}
}

// TestConformanceProtocolViolations: the client refuses what a host cannot use, naming
// it, and a judge's panic is an error, not a dead plugin.
func TestConformanceProtocolViolations(t *testing.T) {
	ctx := context.Background()
	req := ConformanceRequest{SuiteDir: "/suite", Filter: "f", Measure: true}
	mut := func(f func(r *ConformanceRun)) []*ConformanceRun { r := goodRun(); f(r); return []*ConformanceRun{r} }
	for _, tc := range []struct {
		name string
		runs []*ConformanceRun
		want string
	}{
		{"empty id", mut(func(r *ConformanceRun) { r.ID = "" }), "run id is empty"},
		{"long id", mut(func(r *ConformanceRun) { r.ID = strings.Repeat("x", 600) }), "more than 512"},
		{"bad status", mut(func(r *ConformanceRun) { r.Decided[0].Status = 7 }), "status 7"},
		{"input without a program", mut(func(r *ConformanceRun) { r.Source, r.Expect = nil, nil }), "neither source nor expectations"},
		{"twice", []*ConformanceRun{goodRun(), goodRun()}, "two runs named g/a"},
	} {
		err := connect(t, &suiteFake{runs: tc.runs}).ConformanceCases(ctx, req, func(*ConformanceRun) error { return nil })
		if !errors.Is(err, ErrProtocol) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want a protocol error naming %q", tc.name, err, tc.want)
		}
	}
	// A run asking for counts the host did not offer.
	f := &suiteFake{runs: []*ConformanceRun{goodRun()}}
	c := connect(t, f)
	err := c.ConformanceCases(ctx, ConformanceRequest{SuiteDir: "/suite", Filter: "f"}, func(*ConformanceRun) error { return nil })
	if err == nil {
		t.Error("a measure request the host did not offer was accepted")
	}
	for _, tc := range []struct {
		name string
		v    *Verdict
		want string
	}{
		{"bad case", &Verdict{Cases: []ConformanceCase{{ID: "a", Status: 0}}}, "status 0"},
		{"empty candidate", &Verdict{Candidates: []ConformanceRun{{ID: "c"}}}, "neither source nor expectations"},
		{"cycles without instructions", &Verdict{SourceCycles: 3}, "no source instruction"},
		{"empty detail name", &Verdict{Cases: []ConformanceCase{{ID: "a", Status: CasePassed, Details: map[string]string{"": "1"}}}}, "detail"},
	} {
		_, err := connect(t, &suiteFake{verdict: tc.v}).ConformanceJudge(ctx, JudgeRequest{Run: *goodRun()})
		if !errors.Is(err, ErrProtocol) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want a protocol error naming %q", tc.name, err, tc.want)
		}
	}
	c = connect(t, &suiteFake{panics: true})
	if _, err := c.ConformanceJudge(ctx, JudgeRequest{Run: *goodRun()}); err == nil || !strings.Contains(err.Error(), "a judge bug") {
		t.Errorf("a panicking judge: %v", err)
	}
	if _, err := c.ConformanceJudge(ctx, JudgeRequest{Run: *goodRun()}); err == nil || !strings.Contains(err.Error(), "a judge bug") {
		t.Errorf("the plugin did not survive a panicking judge: %v", err)
	}
	// A frontend without a suite.
	if err := connect(t, &fake{}).ConformanceCases(ctx, req, func(*ConformanceRun) error { return nil }); !errors.Is(err, ErrUnimplemented) {
		t.Errorf("no suite: %v, want ErrUnimplemented", err)
	}
}
