package main

import (
	"context"
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
