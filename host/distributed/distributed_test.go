package distributed

import (
	"encoding/json"
	"github.com/oneiros-zk/oneiros/core/chips/output"
	"strings"
	"testing"
)

func TestDecodeJob(t *testing.T) {
	good := Job{Format: Format, Machine: "m", Run: "r", Index: 3, Program: "r/program", Records: "r/seg-000003.rec",
		Memory: "r/seg-000003.mem", Results: ResultPrefix + "r"}
	b, _ := json.Marshal(good)
	if j, err := DecodeJob(b); err != nil || j.Index != 3 || j.Memory != good.Memory {
		t.Fatalf("%+v, %v", j, err)
	}
	for name, tc := range map[string]struct {
		b    []byte
		want string
	}{
		"malformed":      {[]byte("{"), "malformed job"},
		"other format":   {[]byte(`{"format":1,"run":"r","program":"p","records":"x","results":"s"}`), "another OneirOS version"},
		"incomplete":     {[]byte(`{"format":3,"run":"r"}`), "incomplete job"},
		"negative index": {[]byte(`{"format":3,"run":"r","index":-1,"program":"p","records":"x","results":"s"}`), "incomplete job"},
		"over the limit": {make([]byte, MaxJobBytes+1), "over the 65536-byte limit"},
	} {
		if _, err := DecodeJob(tc.b); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
	}
}

// FuzzDecodeJob and FuzzDecodeResult: the decoders of messages from the network never
// panic.
func FuzzDecodeJob(f *testing.F) {
	b, _ := json.Marshal(Job{Format: Format, Run: "r", Program: "p", Records: "x", Results: "s", Avoid: []string{"w"}})
	f.Add(b)
	f.Add([]byte("{}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		j, err := DecodeJob(b)
		if err == nil && (j.Index < 0 || j.Run == "") {
			t.Fatalf("accepted %+v", j)
		}
	})
}

func FuzzDecodeResult(f *testing.F) {
	b, _ := json.Marshal(Result{Format: Format, Run: "r", Proof: "r/seg-000000.proof"})
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		if r, err := DecodeResult(b); err == nil && r.Format != Format {
			t.Fatalf("accepted %+v", r)
		}
	})
}

// TestJobStates: a job's hook and output sponge states round-trip as words (none for the
// initial, zero, state), and a parse refuses a wrong length or a non-canonical element,
// naming which state.
func TestJobStates(t *testing.T) {
	s := output.Absorb(output.IV(), 0, []byte("seventeen bytes!!"))
	w := HookStateOf(s)
	if len(w) != len(s) || HookStateOf(output.State{}) != nil {
		t.Fatalf("words %v", w)
	}
	got, err := hookState("output", w)
	if err != nil || got != s {
		t.Fatalf("round trip: %v", err)
	}
	if got, err := hookState("output", nil); err != nil || got != (output.State{}) {
		t.Fatalf("no words: %v", err)
	}
	if _, err := hookState("output", w[:3]); err == nil || !strings.Contains(err.Error(), "output state of 3 elements") {
		t.Fatalf("3 words: %v", err)
	}
	w[5] = 0x7f000001 // p
	if _, err := hookState("output", w); err == nil || !strings.Contains(err.Error(), "output state element 5") {
		t.Fatalf("an element equal to p: %v", err)
	}
}
