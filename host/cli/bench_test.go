package cli

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/oneiros-zk/oneiros/proving/kernel/bench"
	"github.com/oneiros-zk/oneiros/proving/kernel/cpu"
	"github.com/oneiros-zk/oneiros/sdk/backend"
)

var benchKernelNames = []string{"lde", "gnark_fft", "merkle", "gnark_poseidon2", "commit", "gnark_commit", "quotient", "fri_fold", "msm", "gnark_msm"}

// benchJSON is the JSON `bench kernels` prints, as a script would read it.
type benchJSON struct {
	Backend string `json:"backend"`
	Config  struct {
		LogN    int `json:"log_n"`
		Cols    int `json:"cols"`
		Reps    int `json:"reps"`
		Workers int `json:"workers"`
	} `json:"config"`
	Rows []struct {
		Kernel     string  `json:"kernel"`
		Impl       string  `json:"impl"`
		Size       int     `json:"size"`
		Cols       int     `json:"cols"`
		Seconds    float64 `json:"seconds"`
		Throughput float64 `json:"throughput"`
		Unit       string  `json:"unit"`
		Floor      float64 `json:"floor_seconds"`
		VsFloor    float64 `json:"vs_floor"`
	} `json:"rows"`
	Summary struct {
		CommitRatio *float64 `json:"commit_ratio"`
	} `json:"summary"`
	Floor *struct {
		Workers int     `json:"workers"`
		Mul     float64 `json:"mul_per_s"`
		Add     float64 `json:"add_per_s"`
		Perm    float64 `json:"perm_per_s"`
	} `json:"floor"`
}

func TestBenchKernelsJSON(t *testing.T) {
	code, out, errs := run(t, "bench", "kernels", "--log-n", "8", "--cols", "4", "--reps", "1", "--workers", "2", "-o", "json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if errs != "" {
		t.Errorf("progress on stderr in JSON mode: %q", errs)
	}
	var b benchJSON
	if err := json.Unmarshal([]byte(out), &b); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if b.Backend != "cpu" || b.Config.LogN != 8 || b.Config.Cols != 4 || b.Config.Reps != 1 || b.Config.Workers != 2 {
		t.Errorf("header: %s %+v", b.Backend, b.Config)
	}
	if len(b.Rows) != len(benchKernelNames) {
		t.Fatalf("%d rows:\n%s", len(b.Rows), out)
	}
	for i, r := range b.Rows {
		impl := "hemera"
		if strings.HasPrefix(r.Kernel, "gnark_") {
			impl = "gnark-raw"
		}
		if r.Kernel != benchKernelNames[i] || r.Impl != impl || r.Size <= 0 || r.Cols <= 0 || r.Seconds <= 0 || r.Throughput <= 0 || !strings.HasSuffix(r.Unit, "/s") {
			t.Errorf("row %d: %+v", i, r)
		}
		if msm := strings.HasSuffix(r.Kernel, "msm"); msm != (r.Floor == 0) || msm != (r.VsFloor == 0) || r.VsFloor < 0 {
			t.Errorf("row %d (%s): floor %v s, ratio %v", i, r.Kernel, r.Floor, r.VsFloor)
		}
	}
	if f := b.Floor; f == nil || f.Workers != 2 || f.Mul <= 0 || f.Add <= 0 || f.Perm <= 0 {
		t.Errorf("floor %+v", f)
	}
	if b.Summary.CommitRatio == nil || *b.Summary.CommitRatio <= 0 {
		t.Errorf("summary: commit_ratio missing or not positive:\n%s", out)
	}
}

func TestBenchKernelsText(t *testing.T) {
	code, out, errs := run(t, "bench", "kernels", "--log-n", "6", "--cols", "3", "--reps", "1")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(out, "\n")
	if !strings.HasPrefix(lines[0], "kernels on cpu: 2^6 rows × 3 columns, median of 1 run(s), ") {
		t.Errorf("title %q", lines[0])
	}
	header := lines[2]
	col := strings.Index(header, "SECONDS")
	if !strings.HasPrefix(header, "KERNEL ") || col < 0 {
		t.Fatalf("header %q", header)
	}
	for i, name := range benchKernelNames {
		l := lines[3+i]
		if !strings.HasPrefix(l, name+" ") || len(l) <= col || l[col-1] != ' ' || l[col] == ' ' || !strings.HasSuffix(l, "/s") {
			t.Errorf("row %q is not aligned under SECONDS (column %d)", l, col)
		}
	}
	if !strings.Contains(out, "\ncommit ratio (hemera commit / gnark-raw commit): ") || !strings.Contains(header, " FLOOR ") || !strings.Contains(header, " VS FLOOR ") ||
		!strings.Contains(out, "\narithmetic floor (") {
		t.Errorf("no ratio or floor:\n%s", out)
	}
	progress := strings.Split(strings.TrimSuffix(errs, "\n"), "\n")
	if len(progress) != len(benchKernelNames) {
		t.Fatalf("%d progress lines:\n%s", len(progress), errs)
	}
	for i, p := range progress {
		if !strings.HasPrefix(p, "bench: "+benchKernelNames[i]+" ") || !strings.HasSuffix(p, " s") {
			t.Errorf("progress line %q", p)
		}
	}
}

func TestBenchKernelsYAMLAndConfigWorkers(t *testing.T) {
	cfg := writeFile(t, "", "c.yaml", "engine:\n  workers: 3\nbackend:\n  kind: cpu\n")
	code, out, errs := run(t, "--config", cfg, "bench", "kernels", "--log-n", "4", "--cols", "2", "--reps", "1", "-o", "yaml")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var b struct {
		Config struct {
			Workers int `yaml:"workers"`
		} `yaml:"config"`
		Rows    []map[string]any `yaml:"rows"`
		Summary map[string]any   `yaml:"summary"`
	}
	if err := yaml.Unmarshal([]byte(out), &b); err != nil || b.Config.Workers != 3 || len(b.Rows) != len(benchKernelNames) || b.Summary["commit_ratio"] == nil {
		t.Errorf("%v: %+v\n%s", err, b, out)
	}
}

func TestBenchKernelsBadInput(t *testing.T) {
	cuda := writeFile(t, "", "c.yaml", "backend:\n  kind: cuda\n")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--backend", "cuda"}, "oneiros: --backend cuda: no backend plugin oneiros-backend-cuda in ["},
		{[]string{"--backend", "metal"}, "oneiros: --backend \"metal\": unknown backend (allowed: auto, cpu, cuda)\n"},
		{[]string{"--config", cuda}, "oneiros: backend.kind cuda: no backend plugin oneiros-backend-cuda in ["},
		{[]string{"--device", "cuda", "--backend", "cpu"}, "oneiros: --device \"cuda\": the cpu backend has only \"cpu\"\n"},
		{[]string{"--log-n", "30"}, "oneiros: --log-n 30 is outside [2, 22]\n"},
		{[]string{"--cols", "0"}, "oneiros: --cols 0 is outside [1, 4096]\n"},
		{[]string{"--reps", "0"}, "oneiros: --reps 0 is outside [1, 100]\n"},
		{[]string{"--workers", "-2"}, "oneiros: --workers -2 is outside [0, 1024]\n"},
		{[]string{"-o", "xml"}, "oneiros: unknown output format \"xml\" (allowed: text, json, yaml)\n"},
		{[]string{"--log-n", "x"}, ""},
	} {
		args := append([]string{"bench", "kernels", "--log-n", "4", "--cols", "1", "--reps", "1"}, tc.args...)
		if tc.args[0] == "--config" {
			args = append([]string{"--config", tc.args[1]}, args[:len(args)-2]...)
		}
		code, out, errs := run(t, args...)
		// The wanted message is the whole of stderr, or its start when it names directories.
		if code != ExitBadInput || out != "" || !strings.HasPrefix(errs, tc.want) || (!strings.HasSuffix(tc.want, "[") && tc.want != "" && errs != tc.want) || errs == "" {
			t.Errorf("%v: exit %d, stderr %q, stdout %q", tc.args, code, errs, out)
		}
	}
}

// A backend plugin's rows (BenchRow: the trace height asked, seconds, throughput) become
// the same table as the in-process bench's: sizes, columns and implementations recovered.
func TestPluginRowsSameTable(t *testing.T) {
	for _, tc := range []struct{ logN, cols int }{{4, 1}, {6, 3}, {8, 5}} {
		want, err := bench.Run(context.Background(), cpu.New(2), bench.Config{LogN: tc.logN, Cols: tc.cols, Reps: 1, Workers: 2}, nil)
		if err != nil {
			t.Fatal(err)
		}
		var rs []backend.BenchRow
		for _, r := range want {
			rs = append(rs, backend.BenchRow{Kernel: r.Kernel, LogSize: tc.logN, Seconds: r.Seconds, Throughput: r.Throughput, Unit: r.Unit, Device: "cpu"})
		}
		if got := pluginRows(rs, tc.cols); !slices.Equal(got, want) {
			t.Errorf("logN %d, %d columns:\n got %+v\nwant %+v", tc.logN, tc.cols, got, want)
		}
	}
}

// TestBenchProveSegments proves mix.s in segments in-process: the JSON report counts the
// segments and every cycle, with a proof size and security figures; a segment size that
// is not a power of two in range is bad input.
func TestBenchProveSegments(t *testing.T) {
	cfg := writeFile(t, "", "c.yaml", "engine:\n  num_queries: 24\n  min_security_bits: 30\n  min_provable_bits: 0\n")
	code, out, errs := run(t, "--config", cfg, "bench", "prove", "--program", "../../examples/mix.s", "--iterations", "500", "--segment-cycles", "1024", "-o", "json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var b proveBench
	if err := json.Unmarshal([]byte(out), &b); err != nil {
		t.Fatal(err)
	}
	if b.Segments != int((b.Cycles+1022)/1023) || b.Cycles < 5000 || b.ProofBytes == 0 || b.SegmentCycles != 1024 || b.SecurityBits < 30 {
		t.Errorf("report %+v", b)
	}
	if code, _, errs := run(t, "bench", "prove", "--program", "../../examples/mix.s", "--segment-cycles", "1000"); code != ExitBadInput || !strings.Contains(errs, "--segment-cycles") {
		t.Errorf("--segment-cycles 1000: exit %d (%s)", code, errs)
	}
}

// TestBenchRunAndCompareBadInput: an unknown suite is exit 2 listing the valid ones;
// compare flags a regression beyond the noise with exit 1 and reads only bench results.
func TestBenchRunAndCompareBadInput(t *testing.T) {
	code, _, errs := run(t, "bench", "run", "--suite", "fast", "--root", "../..")
	if code != ExitBadInput || !strings.Contains(errs, `unknown suite "fast" (valid: full, quick, standard)`) {
		t.Errorf("unknown suite: exit %d (%s)", code, errs)
	}
	a := writeFile(t, "", "a.json", `{"suite":"quick","suite_version":1,"rows":[{"id":"prove/x","kind":"prove","seconds":{"median":1,"min":0.9,"max":1.1,"reps":3}}]}`)
	b := writeFile(t, "", "b.json", `{"suite":"quick","suite_version":1,"rows":[{"id":"prove/x","kind":"prove","seconds":{"median":2,"min":1.9,"max":2.1,"reps":3}}]}`)
	code, out, errs := run(t, "bench", "compare", a, b)
	if code != ExitRejected || !strings.Contains(out, "2.00× REGRESSED") {
		t.Errorf("compare: exit %d\n%s%s", code, out, errs)
	}
	if code, out, _ := run(t, "bench", "compare", a, a); code != ExitOK || !strings.Contains(out, "1.00×") {
		t.Errorf("compare with itself: exit %d\n%s", code, out)
	}
	bad := writeFile(t, "", "c.json", `{"rows":[]}`)
	if code, _, errs := run(t, "bench", "compare", a, bad); code != ExitBadInput || !strings.Contains(errs, "not a bench result") {
		t.Errorf("compare with a non-result: exit %d (%s)", code, errs)
	}
}
