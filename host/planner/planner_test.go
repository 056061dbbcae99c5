package planner

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/configs"
	"github.com/oneiros-zk/oneiros/sdk/config"
	"github.com/oneiros-zk/oneiros/sdk/config/profile"
)

// setup returns the profile name and its effective configuration, from an optional
// user document.
func setup(t *testing.T, name, doc string) (*profile.Profile, *config.Config) {
	t.Helper()
	cfg, err := config.Default()
	if doc != "" {
		cfg, err = config.Parse("u.yaml", []byte(doc))
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Set("test", "profile", name); err != nil {
		t.Fatal(err)
	}
	p, err := profile.Select(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p, cfg
}

var box = Machine{Cores: 16, MemoryBytes: 64 << 30}

func TestContinuations(t *testing.T) {
	p, cfg := setup(t, "continuations", "")
	plan, err := New(p, cfg, Workload{Cycles: 100_000_000}, box)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Segments) != 96 || plan.SegmentCycles != 1<<20-1 || plan.Schedule != profile.Sequential {
		t.Fatalf("%d segments of %d (%s), want 96 of 2^20 − 1, sequential", len(plan.Segments), plan.SegmentCycles, plan.Schedule)
	}
	var sum uint64
	var seconds float64
	for i, s := range plan.Segments {
		if s.Index != i || s.FirstCycle != sum {
			t.Errorf("segment %d: index %d, first cycle %d, want %d", i, s.Index, s.FirstCycle, sum)
		}
		if s.Height < s.Cycles || s.Height&(s.Height-1) != 0 || s.Height >= 2*s.Cycles {
			t.Errorf("segment %d: height %d for %d cycles", i, s.Height, s.Cycles)
		}
		if math.Abs(s.StartSeconds-seconds) > 1e-6 {
			t.Errorf("segment %d starts at %g, want %g (one after another)", i, s.StartSeconds, seconds)
		}
		sum += s.Cycles
		seconds += s.EstimatedSeconds
	}
	last := plan.Segments[95]
	if sum != 100_000_000 || last.Cycles != 100_000_000-95*(1<<20-1) || last.Height != 1<<19 {
		t.Errorf("cycles sum %d, last segment %d cycles at height %d", sum, last.Cycles, last.Height)
	}
	if plan.Concurrency != (Concurrency{Nodes: 1, SegmentsPerNode: 1, WorkersPerSegment: 16}) {
		t.Errorf("concurrency %+v", plan.Concurrency)
	}
	if math.Abs(plan.EstimatedSeconds-seconds) > 1e-6 {
		t.Errorf("total %g s, want the sum %g s", plan.EstimatedSeconds, seconds)
	}
	// Memory is that of one segment, whatever the run's length.
	m := DefaultCostModel
	want := m.FixedBytes + m.ProverBytes(cfg, 1<<20) + m.RecordBytes(1<<20-1)
	if plan.PeakMemoryBytes != want || plan.Segments[0].PeakMemoryBytes != want-m.FixedBytes {
		t.Errorf("peak %d, first segment %d; want %d and %d", plan.PeakMemoryBytes, plan.Segments[0].PeakMemoryBytes, want, want-m.FixedBytes)
	}
	if plan.Calibrated || len(plan.Warnings) != 0 {
		t.Errorf("calibrated %v, warnings %v", plan.Calibrated, plan.Warnings)
	}
}

func TestStandard(t *testing.T) {
	p, cfg := setup(t, "standard", "")
	plan, err := New(p, cfg, Workload{Cycles: 2_000_000, ProgramBytes: 1 << 20}, box)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Segments) != 1 || plan.Segments[0].Height != 1<<21 || plan.SegmentCycles != Capacity(profile.StandardSegmentCycles) {
		t.Errorf("plan %+v", plan)
	}
	_, err = New(p, cfg, Workload{Cycles: 5_000_000}, box)
	if !errors.Is(err, ErrTooLong) || !strings.Contains(err.Error(), "5000000 cycles are more than profile standard's single segment of 2097150 cycles (segments.segment_cycles, set at profile standard); use --profile continuations") {
		t.Errorf("too long: %v", err)
	}
	// A user's segment size lowers the limit.
	p, cfg = setup(t, "standard", "segments:\n  segment_cycles: 0x10000\n")
	if _, err := New(p, cfg, Workload{Cycles: 70_000}, box); !errors.Is(err, ErrTooLong) {
		t.Errorf("lowered limit: %v", err)
	}
}

func TestDistributed(t *testing.T) {
	p, cfg := setup(t, "distributed", "")
	w := Workload{Cycles: 100_000_000}
	plan, err := New(p, cfg, w, box)
	if err != nil {
		t.Fatal(err)
	}
	// Hint: 4 workers per segment, so 4 segments at once on 16 cores.
	if plan.Concurrency != (Concurrency{Nodes: 1, SegmentsPerNode: 4, WorkersPerSegment: 4}) {
		t.Errorf("concurrency %+v", plan.Concurrency)
	}
	m := DefaultCostModel
	largest := plan.Segments[0].PeakMemoryBytes
	if plan.PeakMemoryBytes != m.FixedBytes+4*largest {
		t.Errorf("peak %d, want fixed + 4 segments", plan.PeakMemoryBytes)
	}
	seq, _ := New(profileOf(t, "continuations"), cfg, w, box)
	if plan.EstimatedSeconds >= seq.EstimatedSeconds {
		t.Errorf("parallel %g s is not faster than sequential %g s", plan.EstimatedSeconds, seq.EstimatedSeconds)
	}
	// Eight nodes: 32 slots.
	many := box
	many.Nodes = 8
	wide, _ := New(p, cfg, w, many)
	if wide.EstimatedSeconds >= plan.EstimatedSeconds || wide.Segments[40].StartSeconds == 0 || wide.Segments[31].StartSeconds != 0 {
		t.Errorf("8 nodes: %g s vs %g s; starts %g %g", wide.EstimatedSeconds, plan.EstimatedSeconds, wide.Segments[31].StartSeconds, wide.Segments[40].StartSeconds)
	}
	// Memory bounds what runs at once.
	small := Machine{Cores: 16, MemoryBytes: 4 << 30}
	tight, _ := New(p, cfg, w, small)
	if tight.Concurrency.SegmentsPerNode != 2 || len(tight.Warnings) != 1 || !strings.Contains(tight.Warnings[0], "memory bounds") {
		t.Errorf("4 GiB: %+v %v", tight.Concurrency, tight.Warnings)
	}
	// engine.workers set by the user beats the profile's hint.
	p, cfg = setup(t, "distributed", "engine:\n  workers: 8\n")
	if plan, _ := New(p, cfg, w, box); plan.Concurrency.SegmentsPerNode != 2 || plan.Concurrency.WorkersPerSegment != 8 {
		t.Errorf("workers 8: %+v", plan.Concurrency)
	}
}

func profileOf(t *testing.T, name string) *profile.Profile {
	p, err := profile.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestErrors(t *testing.T) {
	p, cfg := setup(t, "continuations", "")
	std, stdCfg := setup(t, "standard", "")
	tiny, tinyCfg := setup(t, "continuations", "segments:\n  segment_cycles: 1024\nlimits:\n  max_cycles: 0x10000000000\n")
	tests := []struct {
		name string
		p    *profile.Profile
		cfg  *config.Config
		w    Workload
		m    Machine
		want string
	}{
		{"zero cycles", p, cfg, Workload{}, box, "bad planner input: cycles must be at least 1"},
		{"over max cycles", p, cfg, Workload{Cycles: 1<<30 + 1}, box, "bad planner input: 1073741825 cycles exceed limits.max_cycles (1073741824, set at oneiros.default.yaml:" + defaultLine(t, "max_cycles") + ")"},
		{"over max input", p, cfg, Workload{Cycles: 1, InputBytes: 1 << 29}, box, "bad planner input: 536870912 input bytes exceed limits.max_input_bytes (268435456, set at oneiros.default.yaml:" + defaultLine(t, "max_input_bytes") + ")"},
		{"no cores", p, cfg, Workload{Cycles: 1}, Machine{}, "bad planner input: the machine needs at least 1 core, not 0"},
		{"nodes, sequential", p, cfg, Workload{Cycles: 1}, Machine{Cores: 1, Nodes: 2}, "bad planner input: profile continuations proves on one machine; 2 nodes need a parallel profile such as distributed"},
		{"too long for standard", std, stdCfg, Workload{Cycles: 1 << 23}, box, "run too long for the profile: 8388608 cycles are more than profile standard's single segment of 2097150 cycles (segments.segment_cycles, set at profile standard); use --profile continuations, or raise segments.segment_cycles (at most 2^21)"},
		{"too many segments", tiny, tinyCfg, Workload{Cycles: 1 << 40}, box, "bad planner input: 1099511627776 cycles in segments of 1023 make 1074791426 segments, more than 1048576; raise segments.segment_cycles"},
		{"no profile", nil, cfg, Workload{Cycles: 1}, box, "bad planner input: no profile or configuration"},
	}
	for _, tt := range tests {
		_, err := New(tt.p, tt.cfg, tt.w, tt.m)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s:\n got %v\nwant %s", tt.name, err, tt.want)
		}
	}
}

func TestWarnings(t *testing.T) {
	p, cfg := setup(t, "standard", "backend:\n  kind: cuda\nengine:\n  workers: 64\n")
	plan, err := New(p, cfg, Workload{Cycles: 2_000_000}, Machine{Cores: 2, MemoryBytes: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"exceeds the machine's 1.0 GiB", "engine.workers (64) exceeds the 2 cores; times assume 2", "CPU backend"}
	if len(plan.Warnings) != len(want) {
		t.Fatalf("warnings %q", plan.Warnings)
	}
	for i, w := range want {
		if !strings.Contains(plan.Warnings[i], w) {
			t.Errorf("warning %q lacks %q", plan.Warnings[i], w)
		}
	}
	plan, _ = New(p, cfg, Workload{Cycles: 1}, Machine{Cores: 2})
	if !strings.Contains(strings.Join(plan.Warnings, "\n"), "memory is unknown") {
		t.Errorf("unknown memory not reported: %q", plan.Warnings)
	}
	p, cfg = setup(t, "continuations", "segments:\n  shapes: catalogue\n")
	plan, err = New(p, cfg, Workload{Cycles: 3_000_000}, Machine{Cores: 2, MemoryBytes: 64 << 30})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(plan.Warnings, "\n"), "segments.shapes is catalogue") {
		t.Errorf("a catalogue plan does not say its counts are by capacity: %q", plan.Warnings)
	}
}

func TestCostModel(t *testing.T) {
	cfg, _ := config.Default()
	m := DefaultCostModel
	if got := m.ProverBytes(cfg, 1<<20); got != 1344<<20 {
		t.Errorf("ProverBytes(2^20) = %d, want 1344 B/row at log_blowup 1", got)
	}
	cfg.Engine.LogBlowup = 2
	if got := m.ProverBytes(cfg, 1<<20); got != (384+4*(384+64+32))<<20 {
		t.Errorf("ProverBytes(2^20, blowup 4) = %d", got)
	}
	cfg.Engine.LogBlowup, cfg.Engine.GrindingBits = 1, 0
	one := m.Seconds(cfg, 1<<20, 1)
	if want := float64(1<<20)/25_000 + 1.0/500_000; math.Abs(one-want) > 1e-9 {
		t.Errorf("Seconds(2^20, 1 worker) = %g, want %g", one, want)
	}
	if four := m.Seconds(cfg, 1<<20, 4); math.Abs(four*3.4-one) > 1e-6 {
		t.Errorf("4 workers: %g, want %g / 3.4", four, one)
	}
}

func TestSchedule(t *testing.T) {
	starts, end := schedule([]float64{3, 1, 1, 1, 2}, 2)
	want := []float64{0, 0, 1, 2, 3}
	for i := range want {
		if starts[i] != want[i] {
			t.Fatalf("starts %v, want %v", starts, want)
		}
	}
	if end != 5 {
		t.Errorf("end %g, want 5", end)
	}
	if _, end := schedule(nil, 4); end != 0 {
		t.Errorf("empty schedule ends at %g", end)
	}
}

func TestNextPow2(t *testing.T) {
	for _, tt := range [][2]uint64{{1, 1}, {2, 2}, {3, 4}, {1 << 20, 1 << 20}, {1<<20 + 1, 1 << 21}, {385_280, 1 << 19}} {
		if got := nextPow2(tt[0]); got != tt[1] {
			t.Errorf("nextPow2(%d) = %d, want %d", tt[0], got, tt[1])
		}
	}
}

func TestMemTotal(t *testing.T) {
	in := "MemFree:  100 kB\nMemTotal:       16318480 kB\n"
	if got := memTotal(strings.NewReader(in)); got != 16318480*1024 {
		t.Errorf("memTotal = %d", got)
	}
	if got := memTotal(strings.NewReader("garbage\n")); got != 0 {
		t.Errorf("memTotal(garbage) = %d", got)
	}
	if m := Detect(); m.Cores < 1 || m.Nodes != 1 {
		t.Errorf("Detect() = %+v", m)
	}
}

func TestBytes(t *testing.T) {
	for n, want := range map[uint64]string{0: "0 B", 1023: "1023 B", 1536: "1.5 KiB", 1344 << 20: "1.3 GiB", 1 << 40: "1.0 TiB"} {
		if got := Bytes(n); got != want {
			t.Errorf("Bytes(%d) = %q, want %q", n, got, want)
		}
	}
}

// defaultLine is the line of the embedded defaults that sets key (its first occurrence).
func defaultLine(t *testing.T, key string) string {
	t.Helper()
	for i, line := range strings.Split(string(configs.Default()), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), key+":") {
			return strconv.Itoa(i + 1)
		}
	}
	t.Fatalf("the defaults do not set %s", key)
	return ""
}
