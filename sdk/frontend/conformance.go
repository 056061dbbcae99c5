package frontend

import (
	"context"
	"fmt"
	"unicode/utf8"
)

// Conformance suites through the plugin contract (protocol 1.4). A frontend whose ISA
// has an external conformance suite reads it itself: the host knows nothing of the
// suite's format. The host asks for the suite's runs ([Frontend.ConformanceCases]),
// loads and executes each as it would any program, and hands the outcome back
// ([Frontend.ConformanceJudge]), which says which of the suite's cases passed and which
// passing cases can be proven; it proves those through the backend and has their
// proven outcome judged again. `oneiros conformance ISA --suite DIR` does this for any
// plugin that serves a suite, third-party ones included, with one report format.
//
// A Translator serves a suite by also implementing [Conformer]; [FromTranslator]
// forwards to it.

// ConformanceRequest names a suite.
type ConformanceRequest struct {
	// SuiteDir is the suite's directory, an absolute path the plugin reads.
	SuiteDir string
	// Filter, when set, keeps only the runs whose id or group contains it.
	Filter string
	// Measure says the host will send per-instruction execution counts to
	// ConformanceJudge for the runs that ask for them; when false, none should ask.
	Measure bool
}

// ConformanceRun is a program the host loads and executes for a suite, and what the
// plugin needs to judge its outcome.
type ConformanceRun struct {
	ID       string // unique within the suite
	Group    string // the group its cases are counted in
	FileName string // handed to Load
	Source   []byte // may be empty (an empty file is a test too)
	Input    []byte
	Limits   Limits
	// Expect is opaque to the host and handed back to ConformanceJudge: the
	// expectations, in the plugin's own encoding. The plugin must treat it as
	// untrusted bytes (it crossed a process boundary twice). A run with neither
	// Source nor Expect is not loaded: it only reports its Decided cases.
	Expect []byte
	// Decided are cases decided without running (skipped ones, for example).
	Decided []ConformanceCase
	// Measure asks for per-instruction execution counts in ConformanceJudge.
	Measure bool
	// Cost estimates a proof candidate's cycles; the host proves the cheapest
	// candidates of each group first.
	Cost uint64
}

// Runs says whether the host loads the run and has it judged: it has a source or
// expectations. A run with neither only reports its Decided cases.
func (r *ConformanceRun) Runs() bool { return len(r.Source) > 0 || len(r.Expect) > 0 }

// CaseStatus is a case's verdict.
type CaseStatus int

// The verdicts. The zero value is not valid.
const (
	CasePassed  CaseStatus = 1
	CaseFailed  CaseStatus = 2
	CaseSkipped CaseStatus = 3 // not run: outside what the frontend supports
)

func (s CaseStatus) String() string {
	switch s {
	case CasePassed:
		return "passed"
	case CaseFailed:
		return "failed"
	case CaseSkipped:
		return "skipped"
	}
	return fmt.Sprintf("CaseStatus(%d)", int(s))
}

func (s CaseStatus) valid() bool { return s >= CasePassed && s <= CaseSkipped }

// ConformanceCase is the verdict on one case of a suite.
type ConformanceCase struct {
	ID      string // the suite's name for the case, e.g. "i32.json:120"
	Group   string
	Status  CaseStatus
	Reason  string            // why it failed or was skipped
	Details map[string]string // figures worth reporting, e.g. "gas_used"
}

// JudgeRequest is a run and its outcome. Exactly one of LoadError, ExecuteError and
// Result is set.
type JudgeRequest struct {
	// Run is the run as the plugin sent it, without Source and Input.
	Run ConformanceRun
	// LoadError says why Load refused the source; InvalidInput, that the refusal
	// was the source's fault (ErrInvalidInput) rather than the plugin's.
	LoadError    string
	InvalidInput bool
	// ExecuteError says why the loaded program could not be executed.
	ExecuteError string
	// Result is how the run ended.
	Result *Result
	// PCCounts are the executions of each normalized instruction, when Run.Measure.
	PCCounts []uint64
	// Proven says the outcome is a verified proof's (its public output and exit
	// code), not an execution's.
	Proven bool
}

// Verdict judges a run.
type Verdict struct {
	// Cases are every case the run tests.
	Cases []ConformanceCase
	// Candidates are passing cases that can be proven, each a run of its own.
	Candidates []ConformanceRun
	// With PCCounts: the cycles spent in code lowered from source instructions and
	// the source instructions executed (cycles per source instruction).
	SourceCycles, SourceInstructions uint64
}

// Conformer is implemented by a [Translator] whose ISA has an external conformance
// suite. ConformanceCases reads the suite from req.SuiteDir and calls emit with each
// run, in the order they should be reported; an error of emit must be returned.
// ConformanceJudge judges one run's outcome. Both are called concurrently with the
// rest of the frontend; they must not rely on state kept between calls (the host
// may run a judge long after the cases were listed, or in another process of the
// plugin): everything a verdict needs goes in the run's Expect.
type Conformer interface {
	ConformanceCases(ctx context.Context, req ConformanceRequest, emit func(*ConformanceRun) error) error
	ConformanceJudge(ctx context.Context, req JudgeRequest) (*Verdict, error)
}

// Bounds on what a plugin may send for one case or run, checked by the host's client.
const (
	maxConformanceID = 512 // bytes of an id or group
)

// checkRun refuses a run the host cannot use: an empty or oversized id, text that is
// not UTF-8, an invalid decided case.
func checkRun(r *ConformanceRun) error {
	if err := checkName("run id", r.ID, false); err != nil {
		return err
	}
	if err := checkName("run "+r.ID+": group", r.Group, true); err != nil {
		return err
	}
	if !utf8.ValidString(r.FileName) || len(r.FileName) > maxConformanceID {
		return fmt.Errorf("%w: run %s: file name is not UTF-8 of at most %d bytes", ErrProtocol, r.ID, maxConformanceID)
	}
	for i := range r.Decided {
		if err := checkCase(&r.Decided[i]); err != nil {
			return fmt.Errorf("run %s: %w", r.ID, err)
		}
	}
	if !r.Runs() && (r.Measure || len(r.Input) > 0) {
		return fmt.Errorf("%w: run %s has neither source nor expectations but an input or a measure request", ErrProtocol, r.ID)
	}
	return nil
}

func checkCase(c *ConformanceCase) error {
	if err := checkName("case id", c.ID, false); err != nil {
		return err
	}
	if err := checkName("case "+c.ID+": group", c.Group, true); err != nil {
		return err
	}
	if !c.Status.valid() {
		return fmt.Errorf("%w: case %s has status %d, not passed, failed or skipped", ErrProtocol, c.ID, int(c.Status))
	}
	if !utf8.ValidString(c.Reason) {
		return fmt.Errorf("%w: case %s: reason is not UTF-8", ErrProtocol, c.ID)
	}
	for k, v := range c.Details {
		if !utf8.ValidString(k) || !utf8.ValidString(v) || k == "" {
			return fmt.Errorf("%w: case %s: a detail's name or value is empty or not UTF-8", ErrProtocol, c.ID)
		}
	}
	return nil
}

func checkName(what, s string, emptyOK bool) error {
	switch {
	case s == "" && !emptyOK:
		return fmt.Errorf("%w: %s is empty", ErrProtocol, what)
	case len(s) > maxConformanceID:
		return fmt.Errorf("%w: %s is %d bytes, more than %d", ErrProtocol, what, len(s), maxConformanceID)
	case !utf8.ValidString(s):
		return fmt.Errorf("%w: %s is not UTF-8", ErrProtocol, what)
	}
	return nil
}

// checkVerdict refuses a verdict the host cannot use.
func checkVerdict(v *Verdict) error {
	for i := range v.Cases {
		if err := checkCase(&v.Cases[i]); err != nil {
			return err
		}
	}
	for i := range v.Candidates {
		c := &v.Candidates[i]
		if err := checkRun(c); err != nil {
			return fmt.Errorf("candidate: %w", err)
		}
		if !c.Runs() {
			return fmt.Errorf("%w: candidate %s has neither source nor expectations", ErrProtocol, c.ID)
		}
	}
	if v.SourceCycles > 0 && v.SourceInstructions == 0 {
		return fmt.Errorf("%w: a verdict counts %d source cycles but no source instruction", ErrProtocol, v.SourceCycles)
	}
	return nil
}
