package conformance

import (
	"context"
	"fmt"
	"strings"

	"github.com/oneiros-zk/oneiros/plugins/svm/output"
	"github.com/oneiros-zk/oneiros/plugins/svm/translate"
	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

// Judge judges one run's outcome against the expectation in its Expect blob. A passing
// case that executes is a proof candidate (its container, with the run's cycles as the
// cost), unless the outcome is already a proof's. The error is for a request that
// cannot be judged: an Expect blob that is missing or malformed (ErrExpect).
func Judge(_ context.Context, req frontend.JudgeRequest) (*frontend.Verdict, error) {
	e, err := decodeExpect(req.Run.Expect)
	if err != nil {
		return nil, fmt.Errorf("run %s: %w", req.Run.ID, err)
	}
	reason := judge(e, &req)
	c := frontend.ConformanceCase{ID: req.Run.ID, Group: req.Run.Group, Status: frontend.CasePassed, Reason: reason}
	if reason != "" {
		c.Status = frontend.CaseFailed
	}
	v := &frontend.Verdict{Cases: []frontend.ConformanceCase{c}}
	if reason == "" && !req.Proven && e.runs() && req.Result != nil {
		v.Candidates = []frontend.ConformanceRun{{ID: req.Run.ID, Group: req.Run.Group, FileName: req.Run.FileName,
			Source: e.Source, Limits: req.Run.Limits, Expect: req.Run.Expect, Cost: req.Result.TotalCycles}}
	}
	return v, nil
}

// judge returns "" when the outcome meets the expectation, else why not.
func judge(e *expectation, req *frontend.JudgeRequest) string {
	switch {
	case req.LoadError != "" && !req.InvalidInput:
		return "Load failed outside the program: " + req.LoadError
	case req.LoadError != "":
		return judgeRefusal(e, req.LoadError)
	case req.ExecuteError != "":
		return "Execute: " + req.ExecuteError
	case req.Result == nil:
		return "the host sent no outcome"
	case !e.runs():
		return fmt.Sprintf("want %s, the program loaded", e.Result)
	}
	res := req.Result
	out, err := output.Decode(res.PublicOutput, e.Part == partInstr)
	if err != nil {
		return fmt.Sprintf("%v (run %s %s)", err, res.Status, res.TrapReason)
	}
	exit := out.Exit
	if e.Part == partInstr {
		return judgeInstr(e, res, exit)
	}
	return judgeELF(e, res, exit)
}

// judgeRefusal judges a program that Load refused as the source's fault: the verifier
// (instr verify_fail) or the loader at the expected stage (elf load_error) must have
// refused it.
func judgeRefusal(e *expectation, loadErr string) string {
	switch {
	case e.Part == partInstr && e.Result == instrVerifyFail:
		if strings.Contains(loadErr, "verify:") {
			return ""
		}
		return "want verify_fail, Load refused at another stage: " + loadErr
	case e.Part == partELF && e.Result == elfLoadError:
		if strings.Contains(loadErr, e.Stage+":") {
			return ""
		}
		return fmt.Sprintf("want a refusal at stage %s (%s), got: %s", e.Stage, e.Error, loadErr)
	}
	return fmt.Sprintf("want %s, Load refused: %s", e.Result, loadErr)
}

func judgeInstr(e *expectation, res *frontend.Result, exit *output.Exit) string {
	if e.Result == instrFault {
		if res.Status == frontend.StatusTrapped && exit.Status != 0 {
			return ""
		}
		return fmt.Sprintf("want fault, the run ended %s with status %d", res.Status, exit.Status)
	}
	if res.Status != frontend.StatusHalted || exit.Status != 0 {
		return fmt.Sprintf("want ok, the run ended %s (%s), error %s", res.Status, res.TrapReason, errorName(exit.Status))
	}
	var diffs []string
	for i, w := range e.Regs {
		if exit.Registers[i] != w {
			diffs = append(diffs, fmt.Sprintf("r%d = %#x, want %#x", i, exit.Registers[i], w))
		}
	}
	return strings.Join(diffs, "; ")
}

func judgeELF(e *expectation, res *frontend.Result, exit *output.Exit) string {
	var diffs []string
	switch e.Result {
	case elfOK:
		if res.Status != frontend.StatusHalted || exit.Status != 0 {
			return fmt.Sprintf("want ok, the run ended %s with %s", res.Status, errorName(exit.Status))
		}
		if exit.R0 != e.R0 {
			diffs = append(diffs, fmt.Sprintf("r0 = %#x, want %#x", exit.R0, e.R0))
		}
	case elfError:
		if got := errorName(exit.Status); got != e.Error || res.Status != frontend.StatusTrapped {
			diffs = append(diffs, fmt.Sprintf("the run ended %s with %s, want %s", res.Status, got, e.Error))
		}
	}
	if exit.Units != e.Count {
		diffs = append(diffs, fmt.Sprintf("%d instructions, want %d", exit.Units, e.Count))
	}
	return strings.Join(diffs, "; ")
}

// errorName names an exit record's status as Agave does.
func errorName(status uint32) string {
	if n, ok := translate.ErrorNames[status]; ok {
		return n
	}
	return fmt.Sprintf("error %d", status)
}
