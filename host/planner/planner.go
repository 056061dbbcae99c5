package planner

import (
	"errors"
	"fmt"
	"math/bits"

	"github.com/oneiros-zk/oneiros/core/machine"
	"github.com/oneiros-zk/oneiros/sdk/config"
	"github.com/oneiros-zk/oneiros/sdk/config/profile"
)

// MaxSegments bounds the segments of one plan. At the smallest segment size (2^10) it
// admits runs of 2^30 cycles; longer runs need larger segments.
const MaxSegments = 1 << 20

var (
	// ErrInput marks a workload or machine the planner cannot plan for.
	ErrInput = errors.New("bad planner input")
	// ErrTooLong marks a run longer than a single-segment profile proves.
	ErrTooLong = errors.New("run too long for the profile")
)

// Workload is what the planner knows of a run before it happens.
type Workload struct {
	Cycles       uint64 `yaml:"cycles" json:"cycles"`               // expected normalized cycles
	ProgramBytes uint64 `yaml:"program_bytes" json:"program_bytes"` // normalized program image (instructions and initial memory)
	InputBytes   uint64 `yaml:"input_bytes" json:"input_bytes"`     // input tape
}

// Plan is how a run will be proved: its segments, what runs at once, and the estimated
// memory and time. Its JSON form is what `oneiros plan -o json` prints.
type Plan struct {
	Profile          string           `yaml:"profile" json:"profile"`
	Schedule         profile.Schedule `yaml:"schedule" json:"schedule"`
	TotalCycles      uint64           `yaml:"total_cycles" json:"total_cycles"`
	SegmentCycles    uint64           `yaml:"segment_cycles" json:"segment_cycles"` // the budget of one segment
	Segments         []Segment        `yaml:"segments" json:"segments"`
	Concurrency      Concurrency      `yaml:"concurrency" json:"concurrency"`
	PeakMemoryBytes  uint64           `yaml:"peak_memory_bytes" json:"peak_memory_bytes"` // per machine
	EstimatedSeconds float64          `yaml:"estimated_seconds" json:"estimated_seconds"` // wall time of the whole run's proving
	Machine          Machine          `yaml:"machine" json:"machine"`
	Calibrated       bool             `yaml:"calibrated" json:"calibrated"` // false while the cost model's constants are placeholders
	Warnings         []string         `yaml:"warnings,omitempty" json:"warnings,omitempty"`
}

// Concurrency is what runs at once.
type Concurrency struct {
	Nodes             int `yaml:"nodes" json:"nodes"`                             // machines proving together
	SegmentsPerNode   int `yaml:"segments_per_node" json:"segments_per_node"`     // segment proofs at once on one machine
	WorkersPerSegment int `yaml:"workers_per_segment" json:"workers_per_segment"` // goroutines of one segment proof
}

// Segment is one continuation segment of a plan.
type Segment struct {
	Index            int     `yaml:"index" json:"index"`
	FirstCycle       uint64  `yaml:"first_cycle" json:"first_cycle"`
	Cycles           uint64  `yaml:"cycles" json:"cycles"`
	Height           uint64  `yaml:"height" json:"height"`                       // padded trace height: the next power of two
	PeakMemoryBytes  uint64  `yaml:"peak_memory_bytes" json:"peak_memory_bytes"` // working set of this segment's proof
	EstimatedSeconds float64 `yaml:"estimated_seconds" json:"estimated_seconds"` // wall time of this segment's proof
	StartSeconds     float64 `yaml:"start_seconds" json:"start_seconds"`         // when it starts, from the start of proving
}

// Capacity is the most cycles one segment holds under segments.segment_cycles = size:
// one fewer than size, since the CPU table's last row is padding (a segment then fills a
// table of exactly size rows), and at most machine.MaxCycles (timestamps stay below
// 2^28). The pipeline cuts runs at this capacity; plans count segments with it.
func Capacity(size uint64) uint64 {
	if size < 2 {
		return 1
	}
	return min(size-1, machine.MaxCycles)
}

// New plans the proving of workload w under profile p on machine m with the default
// cost model. cfg is the effective configuration with p's overrides applied, as
// [profile.Select] leaves it.
func New(p *profile.Profile, cfg *config.Config, w Workload, m Machine) (*Plan, error) {
	return DefaultCostModel.Plan(p, cfg, w, m)
}

// Plan plans the proving of workload w under profile p on machine m with this cost
// model; see [New].
func (cm *CostModel) Plan(p *profile.Profile, cfg *config.Config, w Workload, m Machine) (*Plan, error) {
	if p == nil || cfg == nil {
		return nil, fmt.Errorf("%w: no profile or configuration", ErrInput)
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := check(p, cfg, w, m); err != nil {
		return nil, err
	}
	nodes := max(m.Nodes, 1)
	budget := Capacity(p.SegmentCycles(cfg))
	if p.Schedule == profile.Single && w.Cycles > budget {
		return nil, fmt.Errorf("%w: %d cycles are more than profile %s's single segment of %d cycles (segments.segment_cycles, set at %s); "+
			"use --profile continuations, or raise segments.segment_cycles (at most 2^21)",
			ErrTooLong, w.Cycles, p.Name, budget, originOf(cfg, "segments.segment_cycles"))
	}
	n := (w.Cycles-1)/budget + 1
	if n > MaxSegments {
		return nil, fmt.Errorf("%w: %d cycles in segments of %d make %d segments, more than %d; raise segments.segment_cycles",
			ErrInput, w.Cycles, budget, n, MaxSegments)
	}

	plan := &Plan{
		Profile:       p.Name,
		Schedule:      p.Schedule,
		TotalCycles:   w.Cycles,
		SegmentCycles: budget,
		Segments:      make([]Segment, n),
		Machine:       Machine{Cores: m.Cores, MemoryBytes: m.MemoryBytes, Nodes: nodes},
		Calibrated:    cm.Calibrated,
	}
	var largest uint64 // working set of the largest segment
	for i := range plan.Segments {
		first := uint64(i) * budget
		cycles := min(budget, w.Cycles-first)
		height := nextPow2(cycles + 1) // the CPU's rows: the cycles and a padding row
		ws := p.WorkingSet(cm.ProverBytes(cfg, height), cm.RecordBytes(cycles))
		plan.Segments[i] = Segment{Index: i, FirstCycle: first, Cycles: cycles, Height: height, PeakMemoryBytes: ws}
		largest = max(largest, ws)
	}
	process := cm.ProcessBytes(w)

	slots, workers := concurrency(p, cfg, m, int(n))
	if p.Schedule == profile.Parallel && slots > 1 && m.MemoryBytes > 0 {
		fit := 1
		if m.MemoryBytes > process {
			fit = max(1, int(min((m.MemoryBytes-process)/largest, uint64(slots))))
		}
		if fit < slots {
			plan.Warnings = append(plan.Warnings, fmt.Sprintf("memory bounds the segments at once to %d (cores allow %d)", fit, slots))
			slots = fit
			if cfg.Engine.Workers == 0 && p.Concurrency.WorkersPerSegment == 0 {
				workers = max(1, m.Cores/slots)
			}
		}
	}
	plan.Concurrency = Concurrency{Nodes: nodes, SegmentsPerNode: slots, WorkersPerSegment: workers}

	// Goroutines beyond the cores of a slot add no speed.
	effective := min(workers, max(1, m.Cores/slots))
	durations := make([]float64, n)
	for i := range plan.Segments {
		s := &plan.Segments[i]
		s.EstimatedSeconds = cm.Seconds(cfg, s.Height, effective)
		durations[i] = s.EstimatedSeconds
	}
	starts, total := schedule(durations, slots*nodes)
	for i := range plan.Segments {
		plan.Segments[i].StartSeconds = starts[i]
	}
	plan.EstimatedSeconds = total
	plan.PeakMemoryBytes = process + uint64(slots)*largest

	switch {
	case m.MemoryBytes == 0:
		plan.Warnings = append(plan.Warnings, "the machine's memory is unknown; peak memory is not checked against it")
	case plan.PeakMemoryBytes > m.MemoryBytes:
		plan.Warnings = append(plan.Warnings, fmt.Sprintf("estimated peak memory %s exceeds the machine's %s; lower segments.segment_cycles or use continuations",
			Bytes(plan.PeakMemoryBytes), Bytes(m.MemoryBytes)))
	}
	if cfg.Engine.Workers > m.Cores {
		plan.Warnings = append(plan.Warnings, fmt.Sprintf("engine.workers (%d) exceeds the %d cores; times assume %d", cfg.Engine.Workers, m.Cores, effective))
	}
	if cfg.Segments.Catalogue() {
		plan.Warnings = append(plan.Warnings, "segments.shapes is catalogue: the segments are padded to the catalogue's shapes (about 1.5-2x the natural cost on long runs, more on short ones: docs/leaf-shapes.md) and may end before segment_cycles, which this plan, counting by capacity, does not show")
	}
	if cfg.Backend.Kind == "cuda" {
		plan.Warnings = append(plan.Warnings, "times are estimated for the CPU backend; the CUDA backend has no cost model yet")
	}
	return plan, nil
}

// check refuses workloads and machines that cannot be planned for.
func check(p *profile.Profile, cfg *config.Config, w Workload, m Machine) error {
	switch {
	case w.Cycles == 0:
		return fmt.Errorf("%w: cycles must be at least 1", ErrInput)
	case w.Cycles > cfg.Limits.MaxCycles:
		return fmt.Errorf("%w: %d cycles exceed limits.max_cycles (%d, set at %s)", ErrInput, w.Cycles, cfg.Limits.MaxCycles, originOf(cfg, "limits.max_cycles"))
	case w.InputBytes > cfg.Limits.MaxInputBytes:
		return fmt.Errorf("%w: %d input bytes exceed limits.max_input_bytes (%d, set at %s)", ErrInput, w.InputBytes, cfg.Limits.MaxInputBytes, originOf(cfg, "limits.max_input_bytes"))
	case w.ProgramBytes > 1<<32:
		return fmt.Errorf("%w: a program of %d bytes does not fit the 2^32-byte address space", ErrInput, w.ProgramBytes)
	case m.Cores < 1:
		return fmt.Errorf("%w: the machine needs at least 1 core, not %d", ErrInput, m.Cores)
	case m.Nodes < 0:
		return fmt.Errorf("%w: negative node count %d", ErrInput, m.Nodes)
	case m.Nodes > 1 && p.Schedule != profile.Parallel:
		return fmt.Errorf("%w: profile %s proves on one machine; %d nodes need a parallel profile such as distributed", ErrInput, p.Name, m.Nodes)
	case p.SegmentCycles(cfg) == 0:
		return fmt.Errorf("%w: profile %s gives segments of 0 cycles", ErrInput, p.Name)
	}
	return nil
}

// concurrency returns how many segments one machine proves at once (before memory is
// considered) and the workers of each: engine.workers when set, else the profile's
// hint, else all the cores of a slot.
func concurrency(p *profile.Profile, cfg *config.Config, m Machine, segments int) (slots, workers int) {
	workers = cfg.Engine.Workers
	if workers == 0 {
		workers = p.Concurrency.WorkersPerSegment
	}
	if p.Schedule != profile.Parallel {
		if workers == 0 {
			workers = m.Cores
		}
		return 1, workers
	}
	if workers == 0 {
		workers = m.Cores
	}
	slots = max(1, m.Cores/min(workers, m.Cores))
	slots = min(slots, segments)
	if p.Concurrency.Segments > 0 {
		slots = min(slots, p.Concurrency.Segments)
	}
	return slots, workers
}

func originOf(cfg *config.Config, key string) string {
	if o := cfg.Origin(key).String(); o != "" {
		return o
	}
	return "in code"
}

// nextPow2 returns the least power of two at least n (n ≥ 1).
func nextPow2(n uint64) uint64 {
	if n <= 1 {
		return 1
	}
	return 1 << bits.Len64(n-1)
}

// Bytes writes a byte count in binary units: "1.5 GiB".
func Bytes(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit && exp < 5; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
