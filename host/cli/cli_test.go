package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/configs"
	"gopkg.in/yaml.v3"
)

// run runs the binary's Main and returns its exit status and output.
func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errs bytes.Buffer
	code = Main(args, &out, &errs)
	return code, out.String(), errs.String()
}

// writeFile writes a config file into dir (a new temporary one when "") and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestProfilesListJSON(t *testing.T) {
	code, out, errs := run(t, "profiles", "list", "-o", "json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got []struct {
		Name          string `json:"name"`
		Description   string `json:"description"`
		Schedule      string `json:"schedule"`
		SegmentCycles uint64 `json:"segment_cycles"`
		Default       bool   `json:"default"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	want := []struct {
		name, schedule string
		cycles         uint64
	}{{"continuations", "sequential", 1 << 20}, {"distributed", "parallel", 1 << 20}, {"standard", "single", 1 << 21}}
	if len(got) != len(want) {
		t.Fatalf("got %d profiles: %s", len(got), out)
	}
	for i, w := range want {
		g := got[i]
		if g.Name != w.name || g.Schedule != w.schedule || g.SegmentCycles != w.cycles || g.Description == "" || g.Default != (w.name == "standard") {
			t.Errorf("profile %d = %+v, want %+v", i, g, w)
		}
	}
}

func TestProfilesListText(t *testing.T) {
	code, out, _ := run(t, "profiles", "list")
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(out, "\n")
	col := strings.Index(lines[0], "SCHEDULE")
	if !strings.HasPrefix(lines[0], "NAME ") || col < 0 {
		t.Fatalf("header %q", lines[0])
	}
	for i, name := range []string{"continuations", "distributed", "standard *"} {
		l := lines[i+1]
		if !strings.HasPrefix(l, name) || len(l) <= col || l[col-1] != ' ' || l[col] == ' ' {
			t.Errorf("row %q is not aligned under SCHEDULE (column %d)", l, col)
		}
	}
}

func TestProfilesShow(t *testing.T) {
	code, out, errs := run(t, "profiles", "show", "standard", "-o", "yaml")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var v profileView
	if err := yaml.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if v.Name != "standard" || len(v.Overrides) != 1 || v.Overrides[0] != (override{"segments.segment_cycles", "2097152", "1048576"}) {
		t.Errorf("got %+v", v)
	}
	code, out, _ = run(t, "profiles", "show", "continuations")
	if code != ExitOK || !strings.Contains(out, "schedule          sequential: segments one after another\n") || !strings.Contains(out, "overrides         none") {
		t.Errorf("text:\n%s", out)
	}
	// A user's file changes what the profile does.
	cfg := writeFile(t, "", "c.yaml", "segments:\n  segment_cycles: 65536\n")
	code, out, _ = run(t, "--config", cfg, "profiles", "show", "continuations", "-o", "json")
	if code != ExitOK || !strings.Contains(out, `"segment_cycles": 65536`) {
		t.Errorf("with --config: %d\n%s", code, out)
	}
	code, _, errs = run(t, "profiles", "show", "fast")
	if code != ExitBadInput || errs != "oneiros: unknown profile \"fast\" (registered: continuations, distributed, standard)\n" {
		t.Errorf("unknown profile: exit %d, %q", code, errs)
	}
}

// planJSON is the JSON a plan prints, as a script would read it.
type planJSON struct {
	Profile     string `json:"profile"`
	TotalCycles uint64 `json:"total_cycles"`
	Segments    []struct {
		Index            int     `json:"index"`
		FirstCycle       uint64  `json:"first_cycle"`
		Cycles           uint64  `json:"cycles"`
		Height           uint64  `json:"height"`
		PeakMemoryBytes  uint64  `json:"peak_memory_bytes"`
		EstimatedSeconds float64 `json:"estimated_seconds"`
	} `json:"segments"`
	Concurrency struct {
		Nodes             int `json:"nodes"`
		SegmentsPerNode   int `json:"segments_per_node"`
		WorkersPerSegment int `json:"workers_per_segment"`
	} `json:"concurrency"`
	PeakMemoryBytes  uint64  `json:"peak_memory_bytes"`
	EstimatedSeconds float64 `json:"estimated_seconds"`
	Calibrated       *bool   `json:"calibrated"`
}

func TestPlanJSON(t *testing.T) {
	// On this machine, whatever it is.
	code, out, errs := run(t, "plan", "--profile", "continuations", "--cycles", "100000000", "-o", "json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var p planJSON
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if p.Profile != "continuations" || p.TotalCycles != 100_000_000 || len(p.Segments) != 96 || p.Calibrated == nil || *p.Calibrated {
		t.Fatalf("plan: %s, %d cycles, %d segments", p.Profile, p.TotalCycles, len(p.Segments))
	}
	var sum uint64
	var secs float64
	for i, s := range p.Segments {
		if s.Index != i || s.FirstCycle != sum || s.Height < s.Cycles || s.PeakMemoryBytes == 0 || s.EstimatedSeconds <= 0 {
			t.Errorf("segment %d: %+v", i, s)
		}
		sum += s.Cycles
		secs += s.EstimatedSeconds
	}
	if sum != p.TotalCycles || p.PeakMemoryBytes < p.Segments[0].PeakMemoryBytes || p.EstimatedSeconds < secs*0.999 || p.Concurrency.SegmentsPerNode != 1 {
		t.Errorf("totals: %d cycles, peak %d, %g s (segments sum to %g s), concurrency %+v", sum, p.PeakMemoryBytes, p.EstimatedSeconds, secs, p.Concurrency)
	}

	// On a described machine, with numbers to match.
	code, out, errs = run(t, "plan", "--profile", "distributed", "--cycles", "1e8", "--cores", "16", "--memory", "64GiB", "--nodes", "2", "-o", "json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var d planJSON
	json.Unmarshal([]byte(out), &d)
	if d.Concurrency.Nodes != 2 || d.Concurrency.SegmentsPerNode != 4 || d.Concurrency.WorkersPerSegment != 4 || d.EstimatedSeconds >= secs {
		t.Errorf("distributed: %+v, %g s", d.Concurrency, d.EstimatedSeconds)
	}
}

func TestPlanText(t *testing.T) {
	code, out, errs := run(t, "plan", "--profile", "continuations", "--cycles", "100_000_000", "--cores", "16", "--memory", "64GiB")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"profile continuations (sequential): 100000000 cycles in 96 segment(s) of at most 1048575 cycles\n",
		"machine: 16 cores, 64.0 GiB; 1 segment(s) at once per machine, 16 worker(s) each\n",
		"SEGMENTS  COUNT  FIRST CYCLE   CYCLES  HEIGHT     MEMORY   TIME\n",
		"    0-94     95            0  1048575    2^20    1.4 GiB  3.2 s\n",
		"      95      1     99614625   385375    2^19  695.5 MiB  1.6 s\n",
		"total: 100000000 cycles, peak memory 1.6 GiB per machine, estimated 5m9s\n",
		"note: estimates use placeholder constants",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestPlanYAML(t *testing.T) {
	code, out, _ := run(t, "plan", "--profile", "standard", "--cycles", "1000", "-o", "yaml")
	var p struct {
		Profile  string           `yaml:"profile"`
		Segments []map[string]any `yaml:"segments"`
	}
	if code != ExitOK || yaml.Unmarshal([]byte(out), &p) != nil || p.Profile != "standard" || len(p.Segments) != 1 || p.Segments[0]["height"] != 1024 {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	typo := writeFile(t, dir, "my.yaml", "version: 1\nprofile: continuations\nengine:\n  log_blowup: 1\n  num_queris: 80\n")
	twoBad := writeFile(t, dir, "two.yaml", "engine:\n  log_blowup: 9\nbackend:\n  kind: gpu\n")
	badProfile := writeFile(t, dir, "p.yaml", "profile: fastest\n")
	tests := []struct {
		name string
		args []string
		want string // stderr, exactly, with the file's directory written as DIR
	}{
		{"typo in config", []string{"--config", typo, "profiles", "list"},
			"oneiros: DIR/my.yaml:5: engine.num_queris: unknown key (did you mean num_queries?)\n"},
		{"typo in config, plan", []string{"--config", typo, "plan", "--cycles", "10"},
			"oneiros: DIR/my.yaml:5: engine.num_queris: unknown key (did you mean num_queries?)\n"},
		{"two problems", []string{"--config", twoBad, "config", "show"},
			"oneiros: DIR/two.yaml:2: engine.log_blowup: 9 is out of range (allowed 1..4)\n" +
				"oneiros: DIR/two.yaml:4: backend.kind: unknown value \"gpu\" (did you mean \"cuda\"? allowed: auto, cpu, cuda)\n"},
		{"unknown profile in config", []string{"--config", badProfile, "plan", "--cycles", "10"},
			"oneiros: DIR/p.yaml:1: profile: unknown profile \"fastest\" (registered: continuations, distributed, standard)\n"},
		{"unknown profile flag", []string{"plan", "--profile", "fast", "--cycles", "10"},
			"oneiros: --profile: profile: unknown profile \"fast\" (registered: continuations, distributed, standard)\n"},
		{"missing config", []string{"--config", "DIR/none.yaml", "config", "show"},
			"oneiros: read config: open DIR/none.yaml: no such file or directory\n"},
		{"bad log level", []string{"--log-level", "loud", "config", "show"},
			"oneiros: --log-level: logging.level: unknown value \"loud\" (allowed: trace, debug, info, warn, error)\n"},
		{"bad -o", []string{"profiles", "list", "-o", "xml"},
			"oneiros: unknown output format \"xml\" (allowed: text, json, yaml)\n"},
		{"bad -o, plan", []string{"plan", "--cycles", "10", "-o", "csv"},
			"oneiros: unknown output format \"csv\" (allowed: text, json, yaml)\n"},
		{"no cycles", []string{"plan", "--profile", "continuations"},
			"oneiros: --cycles is required (or --isa ISA PROGRAM)\n"},
		{"zero cycles", []string{"plan", "--cycles", "0"},
			"oneiros: bad planner input: cycles must be at least 1\n"},
		{"cycles not a number", []string{"plan", "--cycles", "lots"},
			"oneiros: --cycles: \"lots\" is not a whole number (e.g. 100000000, 0x4000000 or 1e8)\n"},
		{"bad memory", []string{"plan", "--cycles", "10", "--memory", "64 gigs"},
			"oneiros: --memory: \"64 gigs\" is not a size (e.g. 64GiB, 512MiB or 1048576)\n"},
		{"too long for standard", []string{"plan", "--profile", "standard", "--cycles", "1e8"},
			"oneiros: run too long for the profile: 100000000 cycles are more than profile standard's single segment of 2097150 cycles (segments.segment_cycles, set at profile standard); use --profile continuations, or raise segments.segment_cycles (at most 2^21)\n"},
		{"nodes for a one-machine profile", []string{"plan", "--profile", "continuations", "--cycles", "10", "--nodes", "3"},
			"oneiros: bad planner input: profile continuations proves on one machine; 3 nodes need a parallel profile such as distributed\n"},
		{"unknown flag", []string{"plan", "--cylces", "10"},
			"oneiros: unknown flag: --cylces\n"},
		{"stray argument", []string{"profiles", "list", "extra"},
			"oneiros: unknown command \"extra\" for \"oneiros profiles list\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i, a := range tt.args {
				tt.args[i] = strings.ReplaceAll(a, "DIR", dir)
			}
			code, out, errs := run(t, tt.args...)
			if code != ExitBadInput {
				t.Errorf("exit %d, want %d", code, ExitBadInput)
			}
			if out != "" {
				t.Errorf("stdout %q, want nothing", out)
			}
			if want := strings.ReplaceAll(tt.want, "DIR", dir); errs != want {
				t.Errorf("stderr:\n got %q\nwant %q", errs, want)
			}
		})
	}
}

func TestConfigShow(t *testing.T) {
	// The YAML form is a file --config accepts, and round-trips.
	code, out, errs := run(t, "--log-level", "debug", "config", "show", "--profile", "continuations")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	path := writeFile(t, "", "shown.yaml", out)
	code, again, errs := run(t, "--config", path, "config", "show")
	if code != ExitOK || again != out {
		t.Errorf("round trip: exit %d %s\nfirst:\n%s\nagain:\n%s", code, errs, out, again)
	}
	if !strings.Contains(out, "level: debug\n") || !strings.Contains(out, "profile: continuations\n") || !strings.Contains(out, "call_timeout: 10m0s\n") {
		t.Errorf("yaml:\n%s", out)
	}

	code, out, _ = run(t, "config", "show", "-o", "text")
	for _, want := range []string{
		"KEY                         VALUE       FROM\n",
		"segments.segment_cycles     2097152     profile standard\n",
		"engine.log_blowup           1           oneiros.default.yaml:8\n",
	} {
		if code != ExitOK || !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}

	code, out, _ = run(t, "config", "show", "-o", "json")
	var j map[string]any
	if code != ExitOK || json.Unmarshal([]byte(out), &j) != nil || j["profile"] != "standard" {
		t.Errorf("json:\n%s", out)
	}

	code, out, _ = run(t, "config", "default")
	if code != ExitOK || out != string(configs.Default()) {
		t.Errorf("config default differs from the embedded file")
	}
}
