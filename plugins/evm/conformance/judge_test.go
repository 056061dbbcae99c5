package conformance_test

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math/big"
	"sort"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/plugins/evm/conformance"
	"github.com/oneiros-zk/oneiros/plugins/evm/container"
	"github.com/oneiros-zk/oneiros/plugins/evm/output"
	"github.com/oneiros-zk/oneiros/plugins/evm/translate"
	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

// runs lists the suite's runs whose id or group contains filter.
func runs(t *testing.T, filter string) []*frontend.ConformanceRun {
	t.Helper()
	var out []*frontend.ConformanceRun
	err := conformance.Cases(context.Background(), frontend.ConformanceRequest{SuiteDir: suiteDir(t), Filter: filter},
		func(r *frontend.ConformanceRun) error { out = append(out, r); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatalf("no run matches %q", filter)
	}
	return out
}

// execute translates and runs a run's source on the reference executor, as the plugin
// does, and returns the outcome the host would hand the judge.
func execute(t *testing.T, r *frontend.ConformanceRun) *frontend.Result {
	t.Helper()
	c, err := container.Parse(r.Source)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := translate.Build(c)
	if err != nil {
		t.Fatal(err)
	}
	res, err := exec.Run(context.Background(), tr.Program, exec.Options{Limits: exec.Limits{MaxCycles: r.Limits.MaxCycles,
		MaxMemoryBytes: r.Limits.MaxMemoryBytes, MaxOutputBytes: r.Limits.MaxOutputBytes}})
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitStatus != isa.StatusHalted {
		t.Fatalf("%s ended with %v", r.ID, res.ExitStatus)
	}
	return &frontend.Result{Status: frontend.StatusHalted, PublicOutput: res.Output, TotalCycles: res.Cycles}
}

func judge(t *testing.T, req frontend.JudgeRequest) (frontend.ConformanceCase, *frontend.Verdict) {
	t.Helper()
	req.Run.Source = nil // the host hands the run back without its source
	v, err := conformance.Judge(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Cases) != 1 {
		t.Fatalf("%d cases judged, want 1", len(v.Cases))
	}
	return v.Cases[0], v
}

// encode writes an outcome in the public output's format (output's doc), so that a
// test can hand the judge an output that decodes but is wrong.
func encode(o *output.Outcome) []byte {
	var b []byte
	u32 := func(v uint32) { b = binary.LittleEndian.AppendUint32(b, v) }
	u64 := func(v uint64) { u32(uint32(v)); u32(uint32(v >> 32)) }
	word := func(w container.Word) {
		for i := range 32 {
			b = append(b, w[31-i])
		}
	}
	addr := func(a container.Address) {
		var w container.Word
		copy(w[12:], a[:])
		word(w)
	}
	bytes := func(d []byte) {
		u32(uint32(len(d)))
		b = append(b, d...)
		b = append(b, make([]byte, (4-len(d)%4)%4)...)
	}
	b = append(b, output.Magic...)
	u32(uint32(o.Status))
	u64(o.GasUsed)
	bytes(o.ReturnData)
	for _, l := range o.Logs {
		u32(1)
		addr(l.Address)
		u32(uint32(len(l.Topics)))
		for _, tp := range l.Topics {
			word(tp)
		}
		bytes(l.Data)
	}
	u32(0)
	for _, a := range o.Accounts {
		u32(1)
		addr(a.Address)
		flags := uint32(0)
		if a.Deleted {
			flags |= output.FlagDeleted
		}
		if a.CodeChanged {
			flags |= output.FlagCodeChanged
		}
		u32(flags)
		word(container.WordOf(a.Balance))
		u64(a.Nonce)
		if a.CodeChanged {
			bytes(a.Code)
		}
		keys := make([]container.Word, 0, len(a.Storage))
		for k := range a.Storage {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return string(keys[i][:]) < string(keys[j][:]) })
		for _, k := range keys {
			u32(1)
			word(k)
			word(a.Storage[k])
		}
		u32(0)
	}
	return append(b, 0, 0, 0, 0)
}

// withExpect is r with one field of its Expect replaced.
func withExpect(t *testing.T, r *frontend.ConformanceRun, field string, value any) frontend.ConformanceRun {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Expect, &m); err != nil {
		t.Fatal(err)
	}
	if value == nil {
		delete(m, field)
	} else {
		m[field] = value
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	cp := *r
	cp.Expect = b
	return cp
}

// TestJudge: a case passes on its own outcome, with the details the report shows and
// itself as the one proof candidate, and passes in the proven form too.
func TestJudge(t *testing.T) {
	r := runs(t, "log1_d0")[0]
	res := execute(t, r)
	k, v := judge(t, frontend.JudgeRequest{Run: *r, Result: res})
	if k.Status != frontend.CasePassed {
		t.Fatalf("%s: %s %s", k.ID, k.Status, k.Reason)
	}
	if k.Details["gas_used"] == "" || k.Details["gas_used"] == "0" || k.Details["tx_status"] != "success" ||
		k.Details["cycles"] == "" || k.Details["label"] == "" || !strings.HasPrefix(r.ID, k.Group+"/") {
		t.Fatalf("case %+v", k)
	}
	if len(v.Candidates) != 1 || v.Candidates[0].Cost != res.TotalCycles || string(v.Candidates[0].Source) != string(r.Source) {
		t.Fatalf("%d candidates, or not the run itself at its cycles (%d, %d; source %d bytes, %d)", len(v.Candidates), v.Candidates[0].Cost, res.TotalCycles, len(v.Candidates[0].Source), len(r.Source))
	}
	// The proven form: what host/conformance builds from a verified envelope.
	c := v.Candidates[0]
	proven := &frontend.Result{Status: frontend.StatusHalted, PublicOutput: res.PublicOutput, TotalCycles: 1 << 20}
	k, v = judge(t, frontend.JudgeRequest{Run: c, Result: proven, Proven: true})
	if k.Status != frontend.CasePassed || len(v.Candidates) != 0 {
		t.Fatalf("proven: %s %s, %d candidates", k.Status, k.Reason, len(v.Candidates))
	}
}

// TestJudgeRejectsWrongOutcomes: a wrong post-state root or logs hash in the
// expectations, an output whose state or logs differ, another case's output, a trap,
// a refused load, a failed execution and no outcome all fail the case, in the proven
// form too, and none is offered as a proof candidate.
func TestJudgeRejectsWrongOutcomes(t *testing.T) {
	rs := runs(t, "log1_d")
	r, other := rs[0], rs[1]
	res := execute(t, r)
	out, err := output.Decode(res.PublicOutput)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Logs) == 0 || len(out.Accounts) == 0 {
		t.Fatalf("%s: want logs and changed accounts, got %+v", r.ID, out)
	}
	halted := func(o []byte) *frontend.Result {
		return &frontend.Result{Status: frontend.StatusHalted, PublicOutput: o, TotalCycles: res.TotalCycles}
	}
	// The control: the re-encoded outcome passes, so the edits below are what fails.
	if k, _ := judge(t, frontend.JudgeRequest{Run: *r, Result: halted(encode(out))}); k.Status != frontend.CasePassed {
		t.Fatalf("re-encoded outcome: %s", k.Reason)
	}
	edit := func(f func(o *output.Outcome)) []byte {
		o, _ := output.Decode(res.PublicOutput)
		f(o)
		return encode(o)
	}
	zero := container.Word{}
	for _, tc := range []struct {
		name, want string
		req        frontend.JudgeRequest
	}{
		{"wrong state root", "state root", frontend.JudgeRequest{Run: withExpect(t, r, "state_root", zero.String()), Result: res}},
		{"wrong logs hash", "logs hash", frontend.JudgeRequest{Run: withExpect(t, r, "logs_hash", zero.String()), Result: res}},
		{"a balance off by one", "state root", frontend.JudgeRequest{Run: *r, Result: halted(edit(func(o *output.Outcome) {
			o.Accounts[0].Balance = new(big.Int).Add(o.Accounts[0].Balance, big.NewInt(1))
		}))}},
		{"a slot written", "state root", frontend.JudgeRequest{Run: *r, Result: halted(edit(func(o *output.Outcome) {
			o.Accounts[0].Storage[container.Word{31: 0x77}] = container.Word{31: 1}
		}))}},
		{"a log lost", "logs hash", frontend.JudgeRequest{Run: *r, Result: halted(edit(func(o *output.Outcome) { o.Logs = o.Logs[1:] }))}},
		{"a topic changed", "logs hash", frontend.JudgeRequest{Run: *r, Result: halted(edit(func(o *output.Outcome) {
			o.Logs[0].Topics = append(o.Logs[0].Topics, zero)
		}))}},
		{"another case's output", "", frontend.JudgeRequest{Run: *r, Result: execute(t, other)}},
		{"an output that does not decode", "malformed", frontend.JudgeRequest{Run: *r, Result: halted(res.PublicOutput[:len(res.PublicOutput)-4])}},
		{"trapped", "trapped", frontend.JudgeRequest{Run: *r, Result: &frontend.Result{Status: frontend.StatusTrapped, TrapReason: "trap", PublicOutput: res.PublicOutput}}},
		{"load refused", "load", frontend.JudgeRequest{Run: *r, LoadError: "bad container", InvalidInput: true}},
		{"execution failed", "execute", frontend.JudgeRequest{Run: *r, ExecuteError: "out of memory"}},
		{"no outcome", "no outcome", frontend.JudgeRequest{Run: *r}},
	} {
		for _, proven := range []bool{false, true} {
			req := tc.req
			req.Proven = proven
			k, v := judge(t, req)
			if k.Status != frontend.CaseFailed || !strings.Contains(k.Reason, tc.want) || len(v.Candidates) != 0 {
				t.Errorf("%s (proven %v): %s %q, %d candidates; want failed, naming %q", tc.name, proven, k.Status, k.Reason,
					len(v.Candidates), tc.want)
			}
		}
	}
}

// TestJudgeRefusesBadExpectations: expectations that do not decode are the caller's
// fault (ErrInvalidInput), and the error names what is wrong.
func TestJudgeRefusesBadExpectations(t *testing.T) {
	r := runs(t, "log1_d0")[0]
	res := execute(t, r)
	for _, tc := range []struct {
		name, want string
		run        frontend.ConformanceRun
	}{
		{"not JSON", "JSON", frontend.ConformanceRun{ID: "x", Expect: []byte("{")}},
		{"empty", "JSON", frontend.ConformanceRun{ID: "x"}},
		{"trailing data", "trailing", frontend.ConformanceRun{ID: "x", Expect: append(append([]byte{}, r.Expect...), "{}"...)}},
		{"unknown field", "unknown field", withExpect(t, r, "extra", 1)},
		{"no id", "id", withExpect(t, r, "id", "")},
		{"no container", "container", withExpect(t, r, "container", nil)},
		{"a container that is not base64", "container", withExpect(t, r, "container", "@@")},
		{"a post-state that is not base64", "post", withExpect(t, r, "post", "@@")},
		{"a container that does not parse", "container", withExpect(t, r, "container", base64.StdEncoding.EncodeToString([]byte(`{"env":1}`)))},
		{"a short state root", "state_root", withExpect(t, r, "state_root", "0x1234")},
		{"a logs hash that is not hex", "logs_hash", withExpect(t, r, "logs_hash", "0x"+strings.Repeat("zz", 32))},
		{"a post-state that does not parse", "post", withExpect(t, r, "post", base64.StdEncoding.EncodeToString([]byte(`{"pre":1}`)))},
		{"a negative gas", "gas_used", withExpect(t, r, "gas_used", -1)},
	} {
		_, err := conformance.Judge(context.Background(), frontend.JudgeRequest{Run: tc.run, Result: res})
		if !errors.Is(err, frontend.ErrInvalidInput) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v; want ErrInvalidInput naming %q", tc.name, err, tc.want)
		}
	}
}

// FuzzJudge: expectations and outcomes from another process never make the judge
// panic, and an error is always ErrInvalidInput.
func FuzzJudge(f *testing.F) {
	const root = `"0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421"`
	ctr := `{"env":{"currentCoinbase":"0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ba","currentGasLimit":"0x1","currentNumber":"0x1",` +
		`"currentTimestamp":"0x1","currentBaseFee":"0x1"},"pre":{"0x1000000000000000000000000000000000000000":{"balance":"0x1","nonce":"0x0","code":"0x","storage":{"0x01":"0x02"}}},` +
		`"transaction":{"sender":"0x1000000000000000000000000000000000000000","to":"","nonce":"0x0","gasLimit":"0x0","gasPrice":"0x0","value":"0x0","data":"0x"}}`
	b64 := `"` + base64.StdEncoding.EncodeToString([]byte(ctr)) + `"`
	f.Add([]byte(`{"id":"a","container":`+b64+`,"state_root":`+root+`,"logs_hash":`+root+`,"gas_used":5,"post":`+b64+`}`),
		[]byte(output.Magic+"\x00\x00\x00\x00\x05\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"), false)
	f.Add([]byte(`{"id":"a","container":`+b64+`,"state_root":"0x","logs_hash":`+root+`}`), []byte(output.Magic), true)
	f.Add([]byte(`{}`), []byte{}, false)
	f.Fuzz(func(t *testing.T, expect, out []byte, proven bool) {
		req := frontend.JudgeRequest{Run: frontend.ConformanceRun{ID: "f", Group: "g", Expect: expect},
			Result: &frontend.Result{Status: frontend.StatusHalted, PublicOutput: out}, Proven: proven}
		v, err := conformance.Judge(context.Background(), req)
		switch {
		case err != nil && !errors.Is(err, frontend.ErrInvalidInput):
			t.Fatalf("an error that is not ErrInvalidInput: %v", err)
		case err == nil && (v == nil || len(v.Cases) != 1):
			t.Fatalf("verdict %+v", v)
		}
	})
}

// TestCasesRefusesABadSuite: a directory that is not a state-test suite is the
// request's fault (ErrSuite, ErrInvalidInput), not the plugin's.
func TestCasesRefusesABadSuite(t *testing.T) {
	for _, dir := range []string{t.TempDir(), "/nonexistent/suite"} {
		err := conformance.Cases(context.Background(), frontend.ConformanceRequest{SuiteDir: dir},
			func(*frontend.ConformanceRun) error { return nil })
		if !errors.Is(err, conformance.ErrSuite) || !errors.Is(err, frontend.ErrInvalidInput) || !strings.Contains(err.Error(), "cases.json") {
			t.Errorf("%s: %v", dir, err)
		}
	}
}
