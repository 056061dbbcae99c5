package benchsuite

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/oneiros-zk/oneiros/host/pipeline"
	"github.com/oneiros-zk/oneiros/host/plugin"
	"github.com/oneiros-zk/oneiros/proving/kernel/bench"
	"github.com/oneiros-zk/oneiros/sdk/config"
	"github.com/oneiros-zk/oneiros/sdk/envelope"
	"github.com/oneiros-zk/oneiros/sdk/injector/keys"
)

// Stats are the times of a row's repetitions.
type Stats struct {
	Median float64 `json:"median" yaml:"median"`
	Min    float64 `json:"min" yaml:"min"`
	Max    float64 `json:"max" yaml:"max"`
	Reps   int     `json:"reps" yaml:"reps"`
}

func statsOf(v []float64) Stats {
	s := slices.Clone(v)
	slices.Sort(s)
	return Stats{Median: s[len(s)/2], Min: s[0], Max: s[len(s)-1], Reps: len(s)}
}

// Row is one measured workload.
type Row struct {
	ID           string             `json:"id" yaml:"id"`
	Kind         string             `json:"kind" yaml:"kind"` // "kernel", "prove", "aggregate" or "wrap"
	Seconds      Stats              `json:"seconds" yaml:"seconds"`
	Throughput   float64            `json:"throughput" yaml:"throughput"` // Unit per second, at the median
	Unit         string             `json:"unit" yaml:"unit"`
	VsGnark      float64            `json:"vs_gnark,omitempty" yaml:"vs_gnark,omitempty"`           // kernel time over bare gnark-crypto's for the same work
	FloorSeconds float64            `json:"floor_seconds,omitempty" yaml:"floor_seconds,omitempty"` // the kernel's arithmetic at Machine.Floor's rates (bench.CountOps)
	VsFloor      float64            `json:"vs_floor,omitempty" yaml:"vs_floor,omitempty"`           // median over FloorSeconds: 1.0 is the arithmetic's speed
	Cycles       uint64             `json:"cycles,omitempty" yaml:"cycles,omitempty"`
	Segments     int                `json:"segments,omitempty" yaml:"segments,omitempty"`
	ProofBytes   int                `json:"proof_bytes,omitempty" yaml:"proof_bytes,omitempty"`
	PeakBytes    uint64             `json:"peak_memory_bytes,omitempty" yaml:"peak_memory_bytes,omitempty"` // this process and its plugins, sampled
	Phases       map[string]float64 `json:"phases,omitempty" yaml:"phases,omitempty"`
	Skipped      string             `json:"skipped,omitempty" yaml:"skipped,omitempty"` // why the row was not measured
}

// Result is a run of a suite.
type Result struct {
	Suite        string      `json:"suite" yaml:"suite"`
	SuiteVersion int         `json:"suite_version" yaml:"suite_version"`
	Started      time.Time   `json:"started" yaml:"started"`
	Seconds      float64     `json:"seconds" yaml:"seconds"`
	Complete     bool        `json:"complete" yaml:"complete"` // false: interrupted, the rows done so far
	Machine      Fingerprint `json:"machine" yaml:"machine"`
	Rows         []Row       `json:"rows" yaml:"rows"`
}

// Options configure a run.
type Options struct {
	Config  *config.Config
	Backend string // auto, cpu, cuda
	Device  string
	Plugins plugin.Options
	Root    string // the repository root (programs' paths are relative to it)
	// Kernels measures the kernels for a case (in process or through a backend plugin).
	Kernels func(ctx context.Context, cfg bench.Config) ([]bench.Row, error)
	// FloorWorkers, when positive and the fingerprint has no floor, has Run measure the
	// arithmetic floor (bench.MeasureFloor) on that many goroutines before the first
	// kernel case. Set it when Kernels runs on this machine's CPU; 0 for a GPU.
	FloorWorkers int
	// WrapKeys is the cache the wrap rows take their keys from (the zero Cache: the
	// default directory).
	WrapKeys keys.Cache
	// Out, if set, is rewritten (atomically) after every row: an interrupted run leaves
	// the rows done.
	Out string
	// Progress is told when a row starts ("") and ends (its result).
	Progress func(id string, done, total int, row *Row)
}

// cases counts a suite's cases (kernel sizes and programs), for progress.
func (s *Suite) cases() int {
	n := len(s.Kernels) + len(s.Proves)
	for _, p := range s.Proves {
		if p.Aggregate {
			n++
		}
		if p.Wrap {
			n++
		}
	}
	return n
}

// Run runs the suite. An interrupted run returns the rows done with the context's error.
func Run(ctx context.Context, s *Suite, fp Fingerprint, o Options) (*Result, error) {
	res := &Result{Suite: s.Name, SuiteVersion: Version, Started: time.Now().UTC(), Machine: fp}
	total, done := s.cases(), 0
	save := func() error {
		res.Seconds = time.Since(res.Started).Seconds()
		if o.Out == "" {
			return nil
		}
		return writeJSON(o.Out, res)
	}
	progress := func(id string, row *Row) {
		if o.Progress != nil {
			o.Progress(id, done, total, row)
		}
	}
	if len(s.Kernels) > 0 && res.Machine.Floor == nil && o.FloorWorkers > 0 {
		f, err := bench.MeasureFloor(ctx, o.FloorWorkers, bench.FloorDuration)
		if err != nil {
			if ctx.Err() != nil {
				save()
				return res, ctx.Err()
			}
			return res, err
		}
		res.Machine.Floor = &f
	}
	for _, kc := range s.Kernels {
		id := fmt.Sprintf("kernel/2^%dx%d", kc.LogN, kc.Cols)
		progress(id, nil)
		rows, err := kernelRows(ctx, kc, o, res.Machine.Floor)
		if err != nil {
			if ctx.Err() != nil {
				save()
				return res, ctx.Err()
			}
			rows = []Row{{ID: id, Kind: "kernel", Skipped: err.Error()}}
		}
		res.Rows = append(res.Rows, rows...)
		done++
		progress(id, &rows[len(rows)-1])
		if err := save(); err != nil {
			return res, err
		}
	}
	for _, pc := range s.Proves {
		id := "prove/" + pc.ID
		progress(id, nil)
		row, env, err := proveRow(ctx, pc, o)
		if err != nil && ctx.Err() != nil {
			save()
			return res, ctx.Err()
		}
		res.Rows = append(res.Rows, *row)
		done++
		progress(id, row)
		if err := save(); err != nil {
			return res, err
		}
		if !pc.Aggregate {
			continue
		}
		id = "aggregate/" + pc.ID
		progress(id, nil)
		arow, aenv := aggregateRow(ctx, id, env, o)
		if ctx.Err() != nil {
			save()
			return res, ctx.Err()
		}
		res.Rows = append(res.Rows, *arow)
		done++
		progress(id, arow)
		if err := save(); err != nil {
			return res, err
		}
		if !pc.Wrap {
			continue
		}
		id = "wrap/" + pc.ID
		progress(id, nil)
		wrow := wrapRow(ctx, id, aenv, o)
		if ctx.Err() != nil {
			save()
			return res, ctx.Err()
		}
		res.Rows = append(res.Rows, *wrow)
		done++
		progress(id, wrow)
		if err := save(); err != nil {
			return res, err
		}
	}
	res.Complete = true
	return res, save()
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// kernelRows measures every kernel of a case Reps times (one repetition per call, so
// that min and max are the repetitions'), and with a floor sets each counted kernel's
// floor time and its median's ratio to it.
func kernelRows(ctx context.Context, kc KernelCase, o Options, floor *bench.Floor) ([]Row, error) {
	times := map[string][]float64{}
	var first []bench.Row
	for range kc.Reps {
		rs, err := o.Kernels(ctx, bench.Config{LogN: kc.LogN, Cols: kc.Cols, Reps: 1})
		if err != nil {
			return nil, err
		}
		if first == nil {
			first = rs
		}
		for _, r := range rs {
			k := r.Kernel + "/" + r.Impl
			times[k] = append(times[k], r.Seconds)
		}
	}
	var rows []Row
	gnark := map[string]float64{}
	for _, r := range first {
		if r.Impl == bench.ImplGnark {
			gnark[r.Kernel] = statsOf(times[r.Kernel+"/"+r.Impl]).Median
		}
	}
	for _, r := range first {
		st := statsOf(times[r.Kernel+"/"+r.Impl])
		row := Row{ID: fmt.Sprintf("kernel/%s/2^%dx%d/%s", r.Kernel, kc.LogN, r.Cols, r.Impl), Kind: "kernel", Seconds: st, Unit: r.Unit}
		if st.Median > 0 && r.Seconds > 0 {
			row.Throughput = r.Throughput * r.Seconds / st.Median // the work is fixed: rescale to the median
		}
		if g := gnark[gnarkTwin[r.Kernel]]; g > 0 && r.Impl == bench.ImplHemera {
			row.VsGnark = st.Median / g
		}
		if ops, ok := bench.CountOps(r.Kernel, r.Size, r.Cols); ok && floor != nil {
			row.FloorSeconds = floor.Time(ops)
			if row.FloorSeconds > 0 && st.Median > 0 {
				row.VsFloor = st.Median / row.FloorSeconds
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// gnarkTwin names the bare gnark-crypto row doing a kernel's work.
var gnarkTwin = map[string]string{"lde": "gnark_fft", "merkle": "gnark_poseidon2", "commit": "gnark_commit", "msm": "gnark_msm"}

// proveRow proves a program Reps times through the plugins; it returns the last
// envelope too.
func proveRow(ctx context.Context, pc ProveCase, o Options) (*Row, *envelope.Envelope, error) {
	row := &Row{ID: "prove/" + pc.ID, Kind: "prove", Unit: "cycles/s"}
	src, err := os.ReadFile(filepath.Join(o.Root, pc.Program))
	if err != nil {
		row.Skipped = fmt.Sprintf("program %s: %v", pc.Program, err)
		return row, nil, err
	}
	input := pc.Input
	if pc.InputFile != "" {
		if input, err = os.ReadFile(filepath.Join(o.Root, pc.InputFile)); err != nil {
			row.Skipped = fmt.Sprintf("input %s: %v", pc.InputFile, err)
			return row, nil, err
		}
	}
	cfg := o.Config.Clone()
	if pc.SegmentCycles != 0 {
		cfg.Segments.SegmentCycles = pc.SegmentCycles
	} else if pc.Profile == "standard" {
		cfg.Segments.SegmentCycles = 1 << 21
	}
	var times []float64
	var peak uint64
	var last *envelope.Envelope
	for range max(pc.Reps, 1) {
		stop := samplePeak()
		t0 := time.Now()
		proved, err := pipeline.Prove(ctx, &pipeline.Request{ISA: pc.ISA, Source: src, FileName: filepath.Base(pc.Program), Input: input,
			Profile: pc.Profile, Backend: o.Backend, Device: o.Device, Config: cfg, Plugins: o.Plugins, LocalWorkers: -1})
		secs := time.Since(t0).Seconds()
		peak = max(peak, stop())
		if err != nil {
			row.Skipped = err.Error()
			return row, nil, err
		}
		env := proved.Envelope
		last = env
		times = append(times, secs)
		row.Cycles, row.Segments = env.Claim.Cycles, len(env.Proofs)
		row.ProofBytes = 0
		for _, p := range env.Proofs {
			row.ProofBytes += len(p)
		}
		row.Phases = env.Meta.PhaseSeconds
	}
	row.Seconds = statsOf(times)
	row.Throughput = float64(row.Cycles) / row.Seconds.Median
	row.PeakBytes = peak
	return row, last, nil
}

// aggregateRow aggregates an envelope's segment proofs once (pipeline.Aggregate, at the
// aggregation's own parameters): its time, throughput in the run's cycles per second,
// the aggregated proof's size and the peak memory. A row whose envelope is missing (its
// prove row failed) or whose aggregation fails is skipped, naming why.
func aggregateRow(ctx context.Context, id string, env *envelope.Envelope, o Options) (*Row, *envelope.Envelope) {
	row := &Row{ID: id, Kind: "aggregate", Unit: "cycles/s"}
	if env == nil {
		row.Skipped = "its prove row failed"
		return row, nil
	}
	stop := samplePeak()
	res, err := pipeline.Aggregate(ctx, env, o.Config, nil)
	row.PeakBytes = stop()
	if err != nil {
		row.Skipped = err.Error()
		return row, nil
	}
	row.Seconds = statsOf([]float64{res.Seconds})
	row.Cycles, row.Segments = env.Claim.Cycles, len(env.Proofs)
	row.ProofBytes = len(res.Envelope.Proofs[0])
	row.Throughput = float64(row.Cycles) / res.Seconds
	return row, res.Envelope
}

// wrapRow wraps an aggregated envelope once (pipeline.Wrap, the keys from o.WrapKeys):
// its time and phases (the outer proof, the Groth16 proof), the run's cycles per
// second, the wrapped proof's size and the peak memory. Without keys for the circuit
// (oneiros wrap setup makes them: tens of minutes, so bench does not), under floors
// the outer layer does not meet (--preset wrap), or without an aggregated envelope,
// the row is skipped, naming why.
func wrapRow(ctx context.Context, id string, aenv *envelope.Envelope, o Options) *Row {
	row := &Row{ID: id, Kind: "wrap", Unit: "cycles/s"}
	if aenv == nil {
		row.Skipped = "its aggregate row failed"
		return row
	}
	stop := samplePeak()
	t0 := time.Now()
	res, err := pipeline.Wrap(ctx, aenv, o.Config, pipeline.WrapOptions{Keys: o.WrapKeys})
	secs := time.Since(t0).Seconds()
	row.PeakBytes = stop()
	if err != nil {
		row.Skipped = err.Error()
		return row
	}
	row.Seconds = statsOf([]float64{secs})
	row.Cycles, row.Segments = aenv.Claim.Cycles, 1
	if b, err := res.Proof.Proof.Encode(); err == nil {
		row.ProofBytes = len(b)
	}
	row.Throughput = float64(row.Cycles) / secs
	row.Phases = res.Seconds
	return row
}

// samplePeak samples the resident memory of this process and its children (the plugins)
// every 50 ms until the returned function is called, which returns the largest sum seen
// (0 where /proc is not there).
func samplePeak() func() uint64 {
	if runtime.GOOS != "linux" {
		return func() uint64 { return 0 }
	}
	var mu sync.Mutex
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			n := treeRSS(os.Getpid())
			mu.Lock()
			peak = max(peak, n)
			mu.Unlock()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		return peak
	}
}

// treeRSS is the resident memory of pid and its descendants.
func treeRSS(pid int) uint64 {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	parent := map[int]int{}
	for _, e := range ents {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid …: comm may hold spaces; the fields after its last ')'.
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) > 1 {
			pp, _ := strconv.Atoi(f[1])
			parent[p] = pp
		}
	}
	in := func(p int) bool {
		for range 64 {
			if p == pid {
				return true
			}
			q, ok := parent[p]
			if !ok || q == p || q == 0 {
				return false
			}
			p = q
		}
		return false
	}
	var sum uint64
	for p := range parent {
		if !in(p) {
			continue
		}
		b, err := os.ReadFile("/proc/" + strconv.Itoa(p) + "/status")
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
				kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
				sum += kb << 10
			}
		}
	}
	return sum
}
