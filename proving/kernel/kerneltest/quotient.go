package kerneltest

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/kernel"
)

// recordingJob is a kernel.QuotientJob that checks how it is run: which rows each call
// covers, how long its batches are, whether a worker function is shared between
// goroutines. Each row's output is a fixed function of the row and a constant.
type recordingJob struct {
	n, batch int
	c        field.Elem
	out      []field.Elem
	count    []atomic.Int32

	mu       sync.Mutex
	problems []string // at most a few, in the order seen
	workers  atomic.Int32
}

func newRecordingJob(n, batch int, c field.Elem) *recordingJob {
	j := &recordingJob{n: n, batch: batch, c: c}
	if n > 0 {
		j.out = make([]field.Elem, n)
		j.count = make([]atomic.Int32, n)
	}
	return j
}

func (j *recordingJob) Len() int      { return j.n }
func (j *recordingJob) BatchLen() int { return j.batch }

func (j *recordingJob) problem(format string, args ...any) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if len(j.problems) < 3 {
		j.problems = append(j.problems, fmt.Sprintf(format, args...))
	}
}

func (j *recordingJob) NewWorker() func(lo, hi int) {
	j.workers.Add(1)
	var busy atomic.Bool
	return func(lo, hi int) {
		if !busy.CompareAndSwap(false, true) {
			j.problem("a worker function was called from two goroutines at once")
			return
		}
		defer busy.Store(false)
		if lo < 0 || hi > j.n || lo >= hi {
			j.problem("batch [%d, %d) is empty or outside [0, %d)", lo, hi, j.n)
			return
		}
		if hi-lo > j.batch {
			j.problem("batch [%d, %d) has %d rows, more than BatchLen %d", lo, hi, hi-lo, j.batch)
		}
		for r := lo; r < hi; r++ {
			j.count[r].Add(1)
			// out[r] = (r+1)^3 + c·(r+1)
			x := field.New(uint64(r + 1))
			var y field.Elem
			y.Square(&x).Mul(&y, &x)
			x.Mul(&x, &j.c)
			j.out[r].Add(&y, &x)
		}
	}
}

// coverage describes rows not evaluated exactly once; "" when all were.
func (j *recordingJob) coverage() string {
	missing, twice, first := 0, 0, -1
	for r := range j.count {
		if c := j.count[r].Load(); c != 1 {
			if first < 0 {
				first = r
			}
			if c == 0 {
				missing++
			} else {
				twice++
			}
		}
	}
	if first < 0 {
		return ""
	}
	return fmt.Sprintf("%d rows never evaluated and %d more than once (first: row %d, %d times)", missing, twice, first, j.count[first].Load())
}

func (r *runner) quotient() {
	const K = "Quotient"
	g := r.gen("quotient")
	for _, tc := range []struct{ n, batch int }{
		{0, 16}, {1, 16}, {15, 16}, {16, 16}, {17, 16}, {100, 1}, {1000, 64},
		{3001, 1024}, {4096, 1024}, {5000, 7}, {1 << r.opts.MaxLogN, 1024},
	} {
		cs := fmt.Sprintf("%d rows in batches of %d", tc.n, tc.batch)
		c := g.elem()
		want, got := newRecordingJob(tc.n, tc.batch, c), newRecordingJob(tc.n, tc.batch, c)
		if !r.both(K, cs, func(k kernel.Kernels) error { return k.Quotient(want) },
			func(k kernel.Kernels) error { return k.Quotient(got) }) {
			continue
		}
		for _, p := range got.problems {
			r.fail(K, cs, "%s", p)
		}
		if msg := got.coverage(); msg != "" {
			r.fail(K, cs, "%s", msg)
		}
		if d := diff(got.out, want.out); d != "" {
			r.fail(K, cs, "outputs: %s", d)
		}
	}

	for _, bad := range []struct {
		cs       string
		n, batch int
	}{
		{"batches of 0", 64, 0},
		{"batches of -1", 64, -1},
		{"-1 rows", -1, 16},
	} {
		j := newRecordingJob(max(bad.n, 0), bad.batch, field.New(1))
		j.n = bad.n
		r.mustReject(K, bad.cs, func(k kernel.Kernels) error { return k.Quotient(j) })
		if len(j.problems) > 0 || anyCounted(j) {
			r.fail(K, bad.cs, "evaluated rows of a malformed job")
		}
	}
}

func anyCounted(j *recordingJob) bool {
	for r := range j.count {
		if j.count[r].Load() != 0 {
			return true
		}
	}
	return false
}
