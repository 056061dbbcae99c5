package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/oneiros-zk/oneiros/core/machine"
	"github.com/oneiros-zk/oneiros/host/distributed"
)

// MaxAttempts bounds how often the coordinator hands out one segment after its proof
// was rejected or its worker failed.
const MaxAttempts = 3

// arrival is a segment proof that reached the coordinator, from a worker, the object
// store (an earlier coordinator's attempt) or the work directory.
type arrival struct {
	index   int
	attempt int
	data    []byte // nil: take it from the work directory
	by      string // who made it: "worker W (backend B)"
	worker  string
	backend string
	seconds float64
	phases  map[string]float64
}

// coordinator hands segments to workers over NATS JetStream and links their proofs in
// order.
type coordinator struct {
	pr       *prover
	conn     *distributed.Conn
	run      string
	program  string // object names
	input    string
	inFlight chan struct{} // a slot per segment handed out and not yet linked

	mu       sync.Mutex
	jobs     map[int]*job
	attempts map[int]int
	handed   map[int]bool // handed to workers (holds a slot)
	by       map[int]string
	avoid    map[int][]string // workers whose proof of the segment was rejected

	arrivals chan arrival
	total    chan int
}

// distOptions are the distributed profile's settings.
type distOptions struct {
	url     string // "": an embedded server in the work directory
	workers int    // local workers
}

// startDistributed connects to NATS (starting an embedded server when no URL is given),
// stores the run's program and input, and starts the local workers. stop ends them.
func startDistributed(ctx context.Context, req *Request, pr *prover, run string, opts distOptions) (c *coordinator, stop func(), err error) {
	var stops []func()
	stop = func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}
	defer func() {
		if err != nil {
			stop()
		}
	}()
	url := opts.url
	if url == "" {
		dir := filepath.Join(pr.wd.dir, "nats")
		s, err := distributed.Embedded(dir)
		if err != nil {
			return nil, stop, err
		}
		stops = append(stops, func() {
			s.Shutdown()
			s.WaitForShutdown()
		})
		url = s.ClientURL()
		req.progress("nats", "embedded NATS server with JetStream at %s (store %s)", url, dir)
	}
	set := distributed.SettingsOf(req.Config.Distributed)
	conn, err := distributed.Connect(ctx, url, "oneiros-coordinator", distributed.Coordinator, set)
	if err != nil {
		return nil, stop, err
	}
	stops = append(stops, conn.Close)
	c = &coordinator{pr: pr, conn: conn, run: run, jobs: map[int]*job{}, attempts: map[int]int{}, handed: map[int]bool{}, by: map[int]string{}, avoid: map[int][]string{},
		arrivals: make(chan arrival, 16), total: make(chan int, 1),
		program: distributed.ObjectName(run, "program"), input: distributed.ObjectName(run, "input")}
	if _, err := conn.Objects.PutBytes(ctx, c.program, pr.program.Encode()); err != nil {
		return nil, stop, fmt.Errorf("storing the program: %w", err)
	}
	if _, err := conn.Objects.PutBytes(ctx, c.input, req.Input); err != nil {
		return nil, stop, fmt.Errorf("storing the input: %w", err)
	}
	slots := 8
	if opts.workers > 0 {
		slots = 2 * opts.workers
	}
	c.inFlight = make(chan struct{}, slots)

	// Local workers: each with its own backend plugin process and connection.
	wctx, wcancel := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	stops = append(stops, func() {
		wcancel()
		wg.Wait()
	})
	for i := range opts.workers {
		be, beName, err := chooseBackend(ctx, req)
		if err != nil {
			return nil, stop, err
		}
		stops = append(stops, func() { be.Close() })
		if err := checkProtocol(be, beName, req.Config.Engine); err != nil {
			return nil, stop, err
		}
		wc, err := distributed.Connect(ctx, url, fmt.Sprintf("oneiros-local-worker-%d", i), distributed.WorkerRole, set)
		if err != nil {
			return nil, stop, err
		}
		stops = append(stops, wc.Close)
		w := &distributed.Worker{Conn: wc, Name: fmt.Sprintf("local-%d", i), Backend: be, BackendName: beName, Device: deviceName(req.Device),
			Log: func(format string, args ...any) {
				req.progress("worker", "local-%d: %s", i, fmt.Sprintf(format, args...))
			}}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = w.Run(wctx)
		}()
	}
	if opts.workers > 0 {
		req.progress("workers", "%d local worker(s)", opts.workers)
	}
	return c, stop, nil
}

// distribute hands each segment of jobs to the workers and links the proofs in order;
// it returns when every segment is linked, or with the first failure.
func (c *coordinator) distribute(ctx context.Context, jobs <-chan *job) error {
	results := make(chan *nats.Msg, 64)
	sub, err := c.conn.NC.ChanSubscribe(distributed.ResultPrefix+c.run, results)
	if err != nil {
		return fmt.Errorf("subscribing to results: %w", err)
	}
	defer sub.Unsubscribe()
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	go func() {
		n := 0
		for j := range jobs {
			n++
			if err := c.feed(ctx, j); err != nil {
				cancel(err)
				for range jobs {
				}
				return
			}
		}
		c.total <- n
	}()
	return c.collect(ctx, results)
}

// feed takes a segment from the segmenter: from the work directory or the object store
// when an earlier attempt left its proof, else to the workers.
func (c *coordinator) feed(ctx context.Context, j *job) error {
	c.mu.Lock()
	c.jobs[j.index] = j
	c.mu.Unlock()
	if _, err := os.Stat(c.pr.wd.proofPath(j.index)); err == nil {
		return send(ctx, c.arrivals, arrival{index: j.index, by: "the work directory"})
	}
	if data, err := c.conn.Objects.GetBytes(ctx, distributed.SegmentObject(c.run, j.index, "proof")); err == nil {
		return send(ctx, c.arrivals, arrival{index: j.index, data: data, by: "the object store (an earlier attempt)"})
	}
	select {
	case c.inFlight <- struct{}{}:
	case <-ctx.Done():
		return context.Cause(ctx)
	}
	if err := c.upload(ctx, j); err != nil {
		return err
	}
	if len(j.memory) > 0 {
		// The memory where the segment starts: an object (a job message is small).
		if _, err := c.conn.Objects.PutBytes(ctx, distributed.SegmentObject(c.run, j.index, "mem"), machine.EncodeMemory(j.memory)); err != nil {
			return fmt.Errorf("segment %d: storing its memory: %w", j.index, err)
		}
		c.mu.Lock()
		j.memory, j.memObject = nil, true
		c.mu.Unlock()
	}
	c.mu.Lock()
	c.handed[j.index] = true
	c.mu.Unlock()
	return c.publish(ctx, j, 0)
}

// upload moves a segment's records from the work directory to the object store.
func (c *coordinator) upload(ctx context.Context, j *job) error {
	f, err := os.Open(c.pr.wd.recordsPath(j.index))
	if err != nil {
		return fmt.Errorf("segment %d: its records: %w", j.index, err)
	}
	_, err = c.conn.Objects.Put(ctx, jetstream.ObjectMeta{Name: distributed.SegmentObject(c.run, j.index, "rec")}, f)
	f.Close()
	if err != nil {
		return fmt.Errorf("segment %d: storing its records: %w", j.index, err)
	}
	os.Remove(c.pr.wd.recordsPath(j.index))
	return nil
}

func send(ctx context.Context, ch chan arrival, a arrival) error {
	select {
	case ch <- a:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// publish hands attempt of segment j to the workers.
func (c *coordinator) publish(ctx context.Context, j *job, attempt int) error {
	if err := checkFloor(c.pr.req.Config.Engine, j.cycles); err != nil {
		return err
	}
	c.mu.Lock()
	c.attempts[j.index] = attempt
	c.mu.Unlock()
	var memObject string
	c.mu.Lock()
	if j.memObject {
		memObject = distributed.SegmentObject(c.run, j.index, "mem")
	}
	c.mu.Unlock()
	job := distributed.Job{Format: distributed.Format, Machine: c.pr.machineID, Run: c.run, Index: j.index, Attempt: attempt,
		Params: c.pr.params, Context: c.pr.bound.String(), InputLen: uint32(len(c.pr.req.Input)), InStart: j.inStart, OutStart: j.outStart,
		HookStart: j.hookStart, HookState: distributed.HookStateOf(j.hookState), OutState: distributed.HookStateOf(j.outState), Cycles: j.cycles, Program: c.program, Input: c.input, Records: distributed.SegmentObject(c.run, j.index, "rec"),
		Memory: memObject, MinLogN: j.minLogN(),
		Results: distributed.ResultPrefix + c.run, Avoid: c.avoidList(j.index)}
	b, _ := json.Marshal(job)
	id := fmt.Sprintf("%s/%d/%d", c.run, j.index, attempt)
	if _, err := c.conn.JS.Publish(ctx, distributed.JobSubject, b, jetstream.WithMsgID(id)); err != nil {
		return fmt.Errorf("segment %d: publishing its job: %w", j.index, err)
	}
	c.pr.req.progress("dispatch", "segment %d (attempt %d): %d cycles handed to the workers", j.index, attempt, j.cycles)
	return nil
}

func (c *coordinator) avoidList(i int) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.avoid[i]...)
}

func (c *coordinator) avoidWorker(i int, w string) {
	if w == "" {
		return
	}
	c.mu.Lock()
	c.avoid[i] = append(c.avoid[i], w)
	c.mu.Unlock()
}

// retry hands segment i out again after a failure, or gives up after MaxAttempts.
func (c *coordinator) retry(ctx context.Context, i int, why error) error {
	c.mu.Lock()
	j, attempt := c.jobs[i], c.attempts[i]+1
	c.mu.Unlock()
	if attempt >= MaxAttempts {
		return fmt.Errorf("segment %d failed %d times; the last: %w", i, attempt, why)
	}
	c.pr.req.progress("warning", "segment %d: %v: handing it out again (attempt %d)", i, why, attempt)
	return c.publish(ctx, j, attempt)
}

// collect links the segments in order as their proofs arrive.
func (c *coordinator) collect(ctx context.Context, results <-chan *nats.Msg) error {
	buffer := map[int]arrival{}
	next, total := 0, -1
	for total < 0 || next < total {
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case total = <-c.total:
			continue
		case a := <-c.arrivals:
			if a.index >= next {
				buffer[a.index] = a
			}
		case m := <-results:
			r, err := distributed.DecodeResult(m.Data)
			if err != nil {
				c.pr.req.progress("warning", "dropped a malformed result: %v", err)
				continue
			}
			c.mu.Lock()
			current, known := c.attempts[r.Index], c.jobs[r.Index] != nil
			c.mu.Unlock()
			if r.Run != c.run || !known || r.Index < next || r.Attempt != current {
				continue // another run's, already linked, or a superseded attempt
			}
			by := fmt.Sprintf("worker %s (backend %s)", r.Worker, r.Backend)
			if r.Started {
				c.pr.req.progress("worker", "segment %d (attempt %d) taken by %s", r.Index, r.Attempt, by)
				continue
			}
			if r.Error != "" {
				c.avoidWorker(r.Index, r.Worker)
				if err := c.retry(ctx, r.Index, fmt.Errorf("%s failed: %s", by, r.Error)); err != nil {
					return err
				}
				continue
			}
			data, err := c.conn.Objects.GetBytes(ctx, r.Proof)
			if err != nil {
				if err := c.retry(ctx, r.Index, fmt.Errorf("%s: its proof object %s: %w", by, r.Proof, err)); err != nil {
					return err
				}
				continue
			}
			buffer[r.Index] = arrival{index: r.Index, attempt: r.Attempt, data: data, by: by, worker: r.Worker, backend: r.Backend, seconds: r.Seconds, phases: r.Phases}
		}
		for {
			a, ok := buffer[next]
			if !ok {
				break
			}
			delete(buffer, next)
			c.mu.Lock()
			j := c.jobs[next]
			c.mu.Unlock()
			if a.data == nil {
				if c.pr.resume(j) {
					c.by[next] = "resumed"
					next++
					continue
				}
				if err := c.handOut(ctx, j); err != nil {
					return err
				}
				break
			}
			err := c.pr.accept(j, a.data, a.seconds, a.phases, a.by)
			if err == nil {
				c.by[next] = fmt.Sprintf("%s (%s)", a.worker, a.backend)
				if a.worker == "" {
					c.by[next] = "resumed"
				}
				c.done(ctx, next)
				next++
				continue
			}
			if re := (*errRejected)(nil); !errors.As(err, &re) {
				return err
			}
			c.conn.Objects.Delete(ctx, distributed.SegmentObject(c.run, next, "proof"))
			c.avoidWorker(next, a.worker)
			c.mu.Lock()
			handed := c.handed[next]
			c.mu.Unlock()
			if !handed {
				if err := c.handOut(ctx, j); err != nil {
					return err
				}
			} else if err := c.retry(ctx, next, err); err != nil {
				return err
			}
			break
		}
	}
	return nil
}

// handOut gives a segment whose kept proof failed to the workers (its records are in
// the work directory: the segmenter wrote them).
func (c *coordinator) handOut(ctx context.Context, j *job) error {
	if err := c.upload(ctx, j); err != nil {
		return err
	}
	c.mu.Lock()
	attempt := c.attempts[j.index]
	c.mu.Unlock()
	return c.publish(ctx, j, attempt)
}

// done frees a linked segment's slot and objects.
func (c *coordinator) done(ctx context.Context, i int) {
	c.mu.Lock()
	handed := c.handed[i]
	delete(c.handed, i)
	c.mu.Unlock()
	if handed {
		<-c.inFlight
	}
	c.conn.Objects.Delete(ctx, distributed.SegmentObject(c.run, i, "rec"))
	c.conn.Objects.Delete(ctx, distributed.SegmentObject(c.run, i, "mem"))
	c.conn.Objects.Delete(ctx, distributed.SegmentObject(c.run, i, "proof"))
}

// cleanup deletes the run's objects.
func (c *coordinator) cleanup(ctx context.Context) {
	c.conn.Objects.Delete(ctx, c.program)
	c.conn.Objects.Delete(ctx, c.input)
}

// proverSummary says which backends proved which segments, for the envelope's metadata.
func (c *coordinator) proverSummary() string {
	groups := map[string][]int{}
	for i, b := range c.by {
		groups[b] = append(groups[b], i)
	}
	names := make([]string, 0, len(groups))
	for b := range groups {
		names = append(names, b)
	}
	sort.Strings(names)
	var parts []string
	for _, b := range names {
		idx := groups[b]
		sort.Ints(idx)
		parts = append(parts, fmt.Sprintf("%s: segments %s", b, ranges(idx)))
	}
	s := "distributed; " + strings.Join(parts, "; ")
	if len(s) > 1000 {
		s = s[:1000] + "…"
	}
	return s
}

// ranges writes sorted integers as "0-3,5,7-8".
func ranges(v []int) string {
	var b strings.Builder
	for i := 0; i < len(v); {
		j := i
		for j+1 < len(v) && v[j+1] == v[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		if j > i {
			fmt.Fprintf(&b, "%d-%d", v[i], v[j])
		} else {
			fmt.Fprintf(&b, "%d", v[i])
		}
		i = j + 1
	}
	return b.String()
}
