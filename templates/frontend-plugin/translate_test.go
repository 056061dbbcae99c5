package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/sdk/frontend"
	"github.com/oneiros-zk/oneiros/sdk/frontend/frontendtest"
)

func TestExample(t *testing.T) {
	p, err := translate([]byte(example))
	if err != nil {
		t.Fatal(err)
	}
	res, err := exec.Run(context.Background(), p, exec.Options{Input: []byte{21, 0, 0, 0}})
	if err != nil || string(res.Output) != "\x2b\x00\x00\x00" {
		t.Fatalf("got %+v, %v", res, err)
	}
}

func TestLoop(t *testing.T) {
	// counts down from the input, printing each value
	src := "read\nloop:\ndup\nprint\npush 1\nsub\ndup\njnz loop\npush 7\nhalt\n"
	p, err := translate([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	res, err := exec.Run(context.Background(), p, exec.Options{Input: []byte{3, 0, 0, 0}})
	if err != nil || len(res.Output) != 12 || res.ExitCode != 7 {
		t.Fatalf("got %+v, %v", res, err)
	}
}

func TestErrors(t *testing.T) {
	for src, want := range map[string]string{
		"add\n":                     "needs 2 stack words",
		"push 1\nfrob\n":            "unknown instruction",
		"push 1\n":                  "run past its end",
		"push 1\njmp nowhere\n":     "no label",
		"push 1\nx:\npush 2\njmp x": "differs",
	} {
		if _, err := translate([]byte(src)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want it to say %q", src, err, want)
		}
	}
}

func TestConformance(t *testing.T) {
	frontendtest.TestInProcess(t, frontend.FromTranslator(stack{}))
}

// sload asks the host: the hook's answer (storage[7] = 0xcafe) is what the program sees.
func TestStorageHook(t *testing.T) {
	p, err := translate([]byte(storageExample))
	if err != nil {
		t.Fatal(err)
	}
	res, err := exec.Run(context.Background(), p, exec.Options{Input: []byte{7, 0, 0, 0}, Hooks: hooks()})
	if err != nil || string(res.Output) != "\xff\xca\x00\x00" {
		t.Fatalf("got %+v, %v", res, err)
	}
}

// TestConformanceSuite runs the template's own suite (testdata/suite) in process, as
// `oneiros conformance stack` does through the plugin: every case passes, wrong outcomes
// fail, and undecodable expectations are an error.
func TestConformanceSuite(t *testing.T) {
	ctx := context.Background()
	f := frontend.FromTranslator(stack{})
	var runs []*frontend.ConformanceRun
	if err := f.ConformanceCases(ctx, frontend.ConformanceRequest{SuiteDir: "testdata/suite"},
		func(r *frontend.ConformanceRun) error { runs = append(runs, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(runs) != 4 {
		t.Fatalf("%d runs, want 4", len(runs))
	}
	for _, r := range runs {
		req := frontend.JudgeRequest{Run: *r}
		p, err := f.Load(ctx, frontend.LoadRequest{Source: r.Source, FileName: r.FileName})
		if err != nil {
			req.LoadError, req.InvalidInput = err.Error(), errors.Is(err, frontend.ErrInvalidInput)
		} else {
			res, err := f.Execute(ctx, frontend.ExecuteRequest{Handle: p.Handle, Input: r.Input, Limits: r.Limits}, discard{})
			if err != nil {
				t.Fatal(err)
			}
			req.Result = res
		}
		req.Run.Source, req.Run.Input = nil, nil // as the host sends it
		v, err := f.ConformanceJudge(ctx, req)
		if err != nil || len(v.Cases) != 1 || v.Cases[0].Status != frontend.CasePassed {
			t.Fatalf("%s: %+v, %v", r.ID, v, err)
		}
		if req.Result != nil {
			if len(v.Candidates) != 1 || !bytes.Equal(v.Candidates[0].Source, r.Source) || !bytes.Equal(v.Candidates[0].Input, r.Input) {
				t.Fatalf("%s: candidates %+v", r.ID, v.Candidates)
			}
			bad := *req.Result
			bad.PublicOutput = append([]byte{1}, bad.PublicOutput...)
			req.Result = &bad
			if v, _ := f.ConformanceJudge(ctx, req); v == nil || v.Cases[0].Status != frontend.CaseFailed {
				t.Fatalf("%s: a wrong output passed", r.ID)
			}
		} else {
			req.LoadError = "some other refusal"
			if v, _ := f.ConformanceJudge(ctx, req); v == nil || v.Cases[0].Status != frontend.CaseFailed {
				t.Fatalf("%s: a refusal for another reason passed", r.ID)
			}
		}
	}
	if _, err := f.ConformanceJudge(ctx, frontend.JudgeRequest{Run: frontend.ConformanceRun{ID: "x", Expect: []byte("[")}}); err == nil {
		t.Fatal("undecodable expectations were judged")
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
func (discard) Progress(uint64) error       { return nil }
