package benchsuite

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/kernel/bench"
	"github.com/oneiros-zk/oneiros/proving/kernel/cpu"
)

func TestLookup(t *testing.T) {
	for _, n := range []string{"quick", "standard", "full"} {
		if s, err := Lookup(n); err != nil || s.cases() == 0 {
			t.Errorf("%s: %v", n, err)
		}
	}
	if _, err := Lookup("fast"); err == nil || err.Error() != `unknown suite "fast" (valid: full, quick, standard)` {
		t.Errorf("unknown suite: %v", err)
	}
}

// TestSuiteDefinitions: the embedded definitions name programs and input files that
// exist in the repository, and the quick suite is what it was when it was code
// (version 2 added the aggregate rows of the standard and full suites, version 3 their
// wrap rows); malformed
// definitions are refused naming the problem.
func TestSuiteDefinitions(t *testing.T) {
	if Version != 3 {
		t.Errorf("version %d", Version)
	}
	root := filepath.Join("..", "..")
	for _, n := range Names() {
		s, _ := Lookup(n)
		for _, p := range s.Proves {
			for _, f := range []string{p.Program, p.InputFile} {
				if _, err := os.Stat(filepath.Join(root, f)); f != "" && err != nil {
					t.Errorf("suite %s, case %s: %v", n, p.ID, err)
				}
			}
		}
	}
	st, _ := Lookup("standard")
	if c := st.Proves[len(st.Proves)-1]; !c.Aggregate || !c.Wrap || c.Profile != "continuations" || st.cases() != len(st.Kernels)+len(st.Proves)+2 {
		t.Errorf("standard suite: the continuations case aggregates and wraps (%+v), %d rows", c, st.cases())
	}
	q, _ := Lookup("quick")
	if len(q.Proves) != 2 || q.Proves[1].ID != "mix-2^14" || string(q.Proves[1].Input) != "\xc8\x05\x00\x00" || q.Proves[0].InputFile != "examples/sort.in" ||
		len(q.Kernels) != 1 || q.Kernels[0] != (KernelCase{LogN: 14, Cols: 16, Reps: 3}) {
		t.Errorf("quick suite: %+v", q)
	}
	for _, tc := range []struct{ yaml, want string }{
		{"version: 1\nsuites:\n  a:\n    proves:\n      - {id: x, isa: asm, program: p, profile: standard, reps: 1, colour: red}\n", "colour"},
		{"version: 1\nsuites:\n  a:\n    proves:\n      - {id: x, isa: asm, program: p, profile: standard, reps: 1}\n      - {id: x, isa: asm, program: p, profile: standard, reps: 1}\n", "two cases named x"},
		{"version: 1\nsuites:\n  a:\n    proves:\n      - {id: x, isa: asm, program: p, profile: standard, reps: 1, input: a, input_u32: 1}\n", "at most one"},
		{"version: 1\nsuites:\n  a:\n    proves:\n      - {id: x, isa: asm, program: p, profile: fast, reps: 1}\n", "profile"},
		{"version: 1\nsuites:\n  a:\n    proves:\n      - {id: x, program: p, profile: standard, reps: 1}\n", "needs id, isa"},
		{"version: 0\nsuites: {}\n", "version"},
		{"version: 1\nsuites:\n  a:\n    proves:\n      - {id: x, isa: asm, program: p, profile: continuations, reps: 1, wrap: true}\n", "wrap needs aggregate"},
		{"version: 1\nsuites:\n  a:\n    proves:\n      - {id: x, isa: asm, program: p, profile: standard, reps: 1, aggregate: true}\n", "aggregate needs the continuations profile"},
	} {
		if _, _, err := parse([]byte(tc.yaml)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want an error naming %q", tc.yaml, err, tc.want)
		}
	}
}

// TestRunKernelsAndReport runs a one-case suite of small kernels: every row has times,
// a throughput, and the hemera rows their ratio to gnark-crypto; the machine's floor is
// measured and every kernel but the MSMs has a floor time and a ratio to it; the result
// file is written; the report holds a plot and the rows.
func TestRunKernelsAndReport(t *testing.T) {
	dir := t.TempDir()
	s := &Suite{Name: "test", Kernels: []KernelCase{{LogN: 8, Cols: 4, Reps: 3}}}
	out := filepath.Join(dir, "r.json")
	calls := 0
	res, err := Run(context.Background(), s, Machine(), Options{Out: out, FloorWorkers: runtime.NumCPU(), Kernels: func(ctx context.Context, c bench.Config) ([]bench.Row, error) {
		calls++
		c.Workers = runtime.NumCPU()
		return bench.Run(ctx, cpu.New(c.Workers), c, nil)
	}})
	if err != nil || !res.Complete || calls != 3 {
		t.Fatalf("%v, complete %v, %d calls", err, res.Complete, calls)
	}
	vs := 0
	for _, r := range res.Rows {
		if r.Seconds.Reps != 3 || r.Seconds.Min > r.Seconds.Median || r.Seconds.Median > r.Seconds.Max || r.Throughput <= 0 {
			t.Errorf("row %+v", r)
		}
		if r.VsGnark > 0 {
			vs++
		}
		if msm := strings.Contains(r.ID, "msm/"); msm != (r.VsFloor == 0) || msm != (r.FloorSeconds == 0) || r.VsFloor < 0 {
			t.Errorf("%s: floor %v s, ratio %v", r.ID, r.FloorSeconds, r.VsFloor)
		}
	}
	if f := res.Machine.Floor; f == nil || !(f.MulPerSec > 0) || !(f.AddPerSec > 0) || !(f.PermPerSec > 0) || f.Workers != runtime.NumCPU() {
		t.Errorf("floor %+v", f)
	}
	if vs < 3 {
		t.Errorf("%d rows with a gnark-crypto ratio", vs)
	}
	back, err := Load(out)
	if err != nil || len(back.Rows) != len(res.Rows) || back.Machine.Cores == 0 || back.Machine.CPU == "" || back.Machine.Floor == nil || back.Rows[0].VsFloor != res.Rows[0].VsFloor {
		t.Fatalf("%+v, %v", back, err)
	}
	if err := Report(filepath.Join(dir, "report"), res); err != nil {
		t.Fatal(err)
	}
	html, _ := os.ReadFile(filepath.Join(dir, "report", "index.html"))
	svg, err := os.ReadFile(filepath.Join(dir, "report", "kernels.svg"))
	if err != nil || !strings.Contains(string(svg), "<svg") || !strings.Contains(string(html), "kernel/merkle/2^8x4/hemera") || !strings.Contains(string(html), `src="kernels.svg"`) ||
		!strings.Contains(string(html), `src="kernels-floor.svg"`) || !strings.Contains(string(html), "<th>vs floor</th>") || !strings.Contains(string(html), "arithmetic floor") {
		t.Errorf("report: %v\n%.300s", err, html)
	}
}

// TestInterruptedRunKeepsRows: a cancelled run returns, and leaves in its file, the rows
// done, marked incomplete.
func TestInterruptedRunKeepsRows(t *testing.T) {
	out := filepath.Join(t.TempDir(), "r.json")
	s := &Suite{Name: "test", Kernels: []KernelCase{{LogN: 6, Cols: 2, Reps: 1}, {LogN: 6, Cols: 2, Reps: 1}}}
	ctx, cancel := context.WithCancel(context.Background())
	res, err := Run(ctx, s, Fingerprint{}, Options{Out: out, Kernels: func(ctx context.Context, c bench.Config) ([]bench.Row, error) {
		rows, err := bench.Run(ctx, cpu.New(1), bench.Config{LogN: c.LogN, Cols: c.Cols, Reps: 1, Workers: 1}, nil)
		cancel() // Ctrl-C after the first case
		return rows, err
	}})
	if err == nil || res.Complete {
		t.Fatalf("err %v, complete %v", err, res.Complete)
	}
	back, err := Load(out)
	if err != nil || back.Complete || len(back.Rows) == 0 {
		t.Fatalf("partial file: %+v, %v", back, err)
	}
}

func TestCompare(t *testing.T) {
	row := func(id string, med, lo, hi float64) Row {
		return Row{ID: id, Kind: "prove", Seconds: Stats{Median: med, Min: lo, Max: hi, Reps: 3}}
	}
	a := &Result{Suite: "quick", SuiteVersion: 1, Rows: []Row{row("prove/x", 1, 0.9, 1.1), row("prove/y", 2, 1.9, 2.1), row("prove/z", 1, 1, 1)}}
	b := &Result{Suite: "quick", SuiteVersion: 2, Rows: []Row{row("prove/x", 1.5, 1.4, 1.6), row("prove/y", 2.05, 1.95, 2.2)}}
	c := Compare([]string{"a.json", "b.json"}, []*Result{a, b})
	if len(c.Rows) != 3 || !c.Rows[0].Regressed[1] || c.Rows[1].Regressed[1] || c.Rows[0].Ratios[1] != 1.5 || c.Rows[2].Seconds[1] != 0 {
		t.Errorf("%+v", c.Rows)
	}
	if len(c.Warnings) != 2 || !strings.Contains(c.Warnings[0], "suite quick v2") || !strings.Contains(c.Warnings[1], "prove/z (not in b.json)") {
		t.Errorf("warnings %q", c.Warnings)
	}
	if err := CompareReport(t.TempDir(), c); err != nil {
		t.Fatal(err)
	}
}
