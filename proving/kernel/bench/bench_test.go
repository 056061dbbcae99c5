package bench

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/kernel/cpu"
	"github.com/oneiros-zk/oneiros/proving/merkle"
)

// The gnark-raw pipelines compute exactly what the kernels compute, so that their
// times compare like for like.
func TestGnarkRawMatchesKernels(t *testing.T) {
	k := cpu.New(3)
	for _, logN := range []int{2, 3, 5, 8} {
		for _, cols := range []int{1, 4, 9, 20} {
			t.Run(fmt.Sprintf("logN=%d/cols=%d", logN, cols), func(t *testing.T) {
				tr := trace(1<<logN, cols)
				shift := fri.Shift(logN + logBlowup)
				want, err := k.CosetLDE(tr, logBlowup, shift)
				if err != nil {
					t.Fatal(err)
				}
				got := newGnarkLDE(logN, logBlowup, shift, 3).extend(tr)
				for c := range want {
					if !slices.Equal(got[c], want[c]) {
						t.Fatalf("column %d of the raw LDE differs", c)
					}
				}
				tree, err := k.MerkleCommit([]merkle.Matrix{{Cols: want}})
				if err != nil {
					t.Fatal(err)
				}
				levels := gnarkTree(got, 3)
				if root := hash.Digest(levels[len(levels)-1][0]); root != tree.Root().Narrow() {
					t.Fatalf("raw root %v, tree root %v", root, tree.Root())
				}
				if o := tree.Open(1); hash.Digest(levels[0][0]) != o.Path[0].Narrow() {
					t.Fatal("raw leaf 0 differs from the tree's")
				}
			})
		}
	}
}

var allKernels = []string{"lde", "gnark_fft", "merkle", "gnark_poseidon2", "commit", "gnark_commit", "quotient", "fri_fold", "msm", "gnark_msm"}

func TestRun(t *testing.T) {
	var seen []string
	cfg := Config{LogN: 6, Cols: 5, Reps: 2, Workers: 2}
	rows, err := Run(context.Background(), cpu.New(2), cfg, func(r Row) { seen = append(seen, r.Kernel) })
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range rows {
		names = append(names, r.Kernel)
		if r.Seconds <= 0 || r.Throughput <= 0 || r.Unit == "" || r.Size <= 0 || r.Cols <= 0 {
			t.Errorf("row %+v", r)
		}
		wantImpl := ImplHemera
		if strings.HasPrefix(r.Kernel, "gnark_") {
			wantImpl = ImplGnark
		}
		if r.Impl != wantImpl {
			t.Errorf("%s: impl %q, want %q", r.Kernel, r.Impl, wantImpl)
		}
	}
	if !slices.Equal(names, allKernels) || !slices.Equal(seen, allKernels) {
		t.Errorf("rows %v, progress %v; want %v", names, seen, allKernels)
	}
	sizes := map[string]int{"lde": 64, "merkle": 128, "commit": 64, "quotient": 128, "fri_fold": 128, "msm": 64}
	for _, r := range rows {
		if s, ok := sizes[r.Kernel]; ok && r.Size != s {
			t.Errorf("%s: size %d, want %d", r.Kernel, r.Size, s)
		}
	}
	if s := Summarize(rows); s.CommitRatio <= 0 {
		t.Errorf("summary %+v", s)
	}
}

func TestRunNarrowTable(t *testing.T) {
	// One column: the quotient's Wide table has no cubic constraint, only its counter.
	rows, err := Run(context.Background(), cpu.New(1), Config{LogN: 4, Cols: 1, Reps: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(allKernels) {
		t.Fatalf("%d rows", len(rows))
	}
}

func TestRunStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	rows, err := Run(ctx, cpu.New(1), Config{LogN: 4, Cols: 2, Reps: 1}, func(Row) {
		if n++; n == 2 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) || len(rows) != 2 {
		t.Errorf("%d rows, %v", len(rows), err)
	}
}

func TestConfigValidate(t *testing.T) {
	for _, c := range []Config{
		{LogN: 1, Cols: 1, Reps: 1},
		{LogN: 23, Cols: 1, Reps: 1},
		{LogN: 8, Cols: 0, Reps: 1},
		{LogN: 8, Cols: 1, Reps: 0},
		{LogN: 8, Cols: 1, Reps: 1, Workers: -1},
	} {
		if _, err := Run(context.Background(), cpu.New(1), c, nil); err == nil {
			t.Errorf("%+v accepted", c)
		}
	}
}

func TestSummarize(t *testing.T) {
	rows := []Row{{Kernel: "commit", Impl: ImplHemera, Seconds: 3}, {Kernel: "gnark_commit", Impl: ImplGnark, Seconds: 2}}
	if got := Summarize(rows).CommitRatio; got != 1.5 {
		t.Errorf("ratio %v", got)
	}
	if got := Summarize(rows[:1]).CommitRatio; got != 0 {
		t.Errorf("ratio without gnark_commit %v", got)
	}
}

func TestParallelCoversEveryIndex(t *testing.T) {
	for _, tc := range []struct{ n, align, workers int }{{0, 16, 3}, {5, 16, 3}, {16, 16, 3}, {100, 16, 3}, {1 << 10, 16, 7}, {9, 1, 4}} {
		seen := make([]int, tc.n)
		parallel(tc.n, tc.align, tc.workers, func(lo, hi int) {
			if lo%tc.align != 0 {
				t.Errorf("%+v: range starts at %d", tc, lo)
			}
			for i := lo; i < hi; i++ {
				seen[i]++
			}
		})
		for i, c := range seen {
			if c != 1 {
				t.Fatalf("%+v: index %d seen %d times", tc, i, c)
			}
		}
	}
}

// The floor's rates are positive and finite (no timing is asserted).
func TestMeasureFloor(t *testing.T) {
	f, err := MeasureFloor(context.Background(), 2, 20*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]float64{"mul/s": f.MulPerSec, "add/s": f.AddPerSec, "perm/s": f.PermPerSec} {
		if !(v > 0) || math.IsInf(v, 0) {
			t.Errorf("%s = %v", name, v)
		}
	}
	if f.Workers != 2 || f.Seconds != 0.02 {
		t.Errorf("%+v", f)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := MeasureFloor(ctx, 1, time.Millisecond); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestCountOps(t *testing.T) {
	for _, tc := range []struct {
		kernel     string
		size, cols int
		want       Ops
	}{
		// n = 4, N = 8: mul 4/2·2 + 8/2·3 + 4, add 4·2 + 8·3, per column.
		{"lde", 4, 1, Ops{Mul: 20, Add: 32}},
		{"gnark_fft", 4, 3, Ops{Mul: 60, Add: 96}},
		// 8 leaves of ⌈9/8⌉ = 2 permutations, 7 nodes.
		{"merkle", 8, 9, Ops{Perm: 23}},
		{"gnark_poseidon2", 8, 8, Ops{Perm: 15}},
		{"commit", 4, 9, Ops{Mul: 180, Add: 288, Perm: 23}},
		{"fri_fold", 16, 1, Ops{Mul: 8 * 25, Add: 8 * 30}},
		// 16 columns: 6 cubics; 1 column: none.
		{"quotient", 128, 16, Ops{Mul: 128 * 59, Add: 128 * 51}},
		{"quotient", 32, 1, Ops{Mul: 32 * 17, Add: 32 * 15}},
	} {
		if got, ok := CountOps(tc.kernel, tc.size, tc.cols); !ok || got != tc.want {
			t.Errorf("%s %d×%d: %+v %v, want %+v", tc.kernel, tc.size, tc.cols, got, ok, tc.want)
		}
	}
	for _, k := range []string{"msm", "gnark_msm", "nope"} {
		if _, ok := CountOps(k, 64, 1); ok {
			t.Errorf("%s counted", k)
		}
	}
	f := Floor{MulPerSec: 10, AddPerSec: 20, PermPerSec: 1}
	if got := f.Time(Ops{Mul: 10, Add: 20, Perm: 3}); got != 5 {
		t.Errorf("floor time %v", got)
	}
	if got := (Floor{MulPerSec: 10}).Time(Ops{Mul: 10, Perm: 1}); got != 0 {
		t.Errorf("floor time without a permutation rate %v", got)
	}
}

// A run with a floor: every counted kernel has its floor time and a positive ratio to
// it; the MSM rows have neither.
func TestRunWithFloor(t *testing.T) {
	rows, err := Run(context.Background(), cpu.New(2), Config{LogN: 6, Cols: 5, Reps: 1, Workers: 2}, nil)
	if err != nil {
		t.Fatal(err)
	}
	f, err := MeasureFloor(context.Background(), 2, 10*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	ApplyFloor(rows, f)
	for _, r := range rows {
		msm := strings.HasSuffix(r.Kernel, "msm")
		if counted := r.Ops != (Ops{}); counted == msm {
			t.Errorf("%s: ops %+v", r.Kernel, r.Ops)
		}
		if !msm && (!(r.FloorSeconds > 0) || !(r.VsFloor > 0) || math.IsInf(r.VsFloor, 0)) {
			t.Errorf("%s: floor %v s, ratio %v", r.Kernel, r.FloorSeconds, r.VsFloor)
		}
		if msm && (r.FloorSeconds != 0 || r.VsFloor != 0) {
			t.Errorf("%s has a floor: %+v", r.Kernel, r)
		}
	}
}
