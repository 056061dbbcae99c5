package distributed

import (
	"encoding/json"
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
		"incomplete":     {[]byte(`{"format":2,"run":"r"}`), "incomplete job"},
		"negative index": {[]byte(`{"format":2,"run":"r","index":-1,"program":"p","records":"x","results":"s"}`), "incomplete job"},
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
