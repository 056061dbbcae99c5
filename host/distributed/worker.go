package distributed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/oneiros-zk/oneiros/core/chips/memtree"
	"github.com/oneiros-zk/oneiros/core/machine"
	"github.com/oneiros-zk/oneiros/host/plugin"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/sdk/backend"
)

// Worker pulls segment jobs and proves them with its backend plugin.
type Worker struct {
	Conn        *Conn
	Name        string // names the worker in results and logs
	Backend     *plugin.Plugin
	BackendName string
	Device      string
	Log         func(format string, args ...any)

	mu      sync.Mutex
	objects map[string][]byte // programs and inputs, by object name (a few runs' worth)
	machine string
}

// Run proves jobs until ctx is done. A job in progress when ctx ends is handed back
// (negatively acknowledged: JetStream redelivers it at once to another worker); nothing
// is lost.
func (w *Worker) Run(ctx context.Context) error {
	w.machine = machine.New(nil).ID().String()
	for ctx.Err() == nil {
		msg, err := w.Conn.Workers.Next(jetstream.FetchMaxWait(time.Second))
		if err != nil {
			if errors.Is(err, jetstream.ErrNoMessages) || errors.Is(err, nats.ErrTimeout) || errors.Is(err, context.DeadlineExceeded) {
				continue
			}
			if ctx.Err() != nil || errors.Is(err, nats.ErrConnectionClosed) {
				return ctx.Err()
			}
			w.log("fetching a job: %v", err)
			select {
			case <-ctx.Done():
			case <-time.After(time.Second):
			}
			continue
		}
		w.handle(ctx, msg)
	}
	return nil
}

func (w *Worker) log(format string, args ...any) {
	if w.Log != nil {
		w.Log(format, args...)
	}
}

func (w *Worker) handle(ctx context.Context, msg jetstream.Msg) {
	job, err := DecodeJob(msg.Data())
	if err == nil && job.Machine != w.machine {
		err = fmt.Errorf("job for zkVM tables %.16s…, this worker's are %.16s… (another OneirOS version): refused", job.Machine, w.machine)
	}
	if err != nil {
		w.log("refused a job: %v", err)
		_ = msg.TermWithReason(err.Error())
		if job != nil && job.Results != "" {
			w.publish(job, &Result{Error: err.Error()})
		}
		return
	}
	if slices.Contains(job.Avoid, w.Name) {
		if md, err := msg.Metadata(); err == nil && md.NumDelivered < 20 {
			_ = msg.NakWithDelay(200 * time.Millisecond) // another worker's turn
			return
		}
	}
	w.publish(job, &Result{Started: true})
	// Keep the job ours while proving.
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(w.Conn.ackWait() / 4)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				_ = msg.InProgress()
			}
		}
	}()
	res := w.prove(ctx, job)
	close(done)
	if ctx.Err() != nil {
		_ = msg.Nak() // drained: another worker takes it now
		w.log("segment %d of run %.12s handed back (stopping)", job.Index, job.Run)
		return
	}
	w.publish(job, res)
	if err := msg.DoubleAck(ctx); err != nil {
		w.log("segment %d: acknowledging: %v", job.Index, err)
	}
	if res.Error != "" {
		w.log("segment %d of run %.12s failed: %s", job.Index, job.Run, res.Error)
	} else {
		w.log("segment %d of run %.12s proven in %.2fs (%d cycles)", job.Index, job.Run, res.Seconds, job.Cycles)
	}
}

func (w *Worker) publish(job *Job, r *Result) {
	r.Format, r.Run, r.Index, r.Attempt, r.Worker, r.Backend = Format, job.Run, job.Index, job.Attempt, w.Name, w.BackendName
	b, _ := json.Marshal(r)
	if err := w.Conn.NC.Publish(job.Results, b); err != nil {
		w.log("segment %d: publishing the result: %v", job.Index, err)
	}
}

// object returns a run-wide object (the program, the input), cached.
func (w *Worker) object(ctx context.Context, name string) ([]byte, error) {
	w.mu.Lock()
	b, ok := w.objects[name]
	w.mu.Unlock()
	if ok {
		return b, nil
	}
	b, err := w.Conn.Objects.GetBytes(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("object %s: %w", name, err)
	}
	w.mu.Lock()
	if w.objects == nil || len(w.objects) > 16 {
		w.objects = map[string][]byte{}
	}
	w.objects[name] = b
	w.mu.Unlock()
	return b, nil
}

func (w *Worker) prove(ctx context.Context, job *Job) *Result {
	fail := func(err error) *Result { return &Result{Error: err.Error()} }
	program, err := w.object(ctx, job.Program)
	if err != nil {
		return fail(err)
	}
	var input []byte
	if job.Input != "" {
		if input, err = w.object(ctx, job.Input); err != nil {
			return fail(err)
		}
	}
	if uint32(len(input)) != job.InputLen {
		return fail(fmt.Errorf("input object of %d bytes, the job says %d", len(input), job.InputLen))
	}
	bound, err := hash.ParseDigest(job.Context)
	if err != nil {
		return fail(fmt.Errorf("context: %w", err))
	}
	hs, err := hookState("hook", job.HookState)
	if err != nil {
		return fail(err)
	}
	outs, err := hookState("output", job.OutState)
	if err != nil {
		return fail(err)
	}
	var mem []memtree.Touch
	if job.Memory != "" {
		b, err := w.Conn.Objects.GetBytes(ctx, job.Memory)
		if err != nil {
			return fail(fmt.Errorf("memory %s: %w", job.Memory, err))
		}
		if mem, err = machine.DecodeMemory(b); err != nil {
			return fail(fmt.Errorf("memory %s: %w", job.Memory, err))
		}
	}
	recs, err := w.Conn.Objects.Get(ctx, job.Records)
	if err != nil {
		return fail(fmt.Errorf("records %s: %w", job.Records, err))
	}
	defer recs.Close()
	t0 := time.Now()
	proof, err := w.Backend.Backend.ProveSegment(ctx, backend.ProveRequest{Params: job.Params, Program: program, SegmentIndex: uint64(job.Index),
		Device: w.Device, Records: recs,
		Boundary: machine.Boundary{InputLen: job.InputLen, Context: bound, InStart: job.InStart, OutStart: job.OutStart,
			HookStart: job.HookStart, HookState: hs, OutState: outs, Memory: mem, Input: input, MinLogN: job.MinLogN}.Encode()})
	if err != nil {
		return fail(err)
	}
	secs := time.Since(t0).Seconds()
	name := SegmentObject(job.Run, job.Index, "proof")
	if _, err := w.Conn.Objects.PutBytes(ctx, name, proof.Data); err != nil {
		return fail(fmt.Errorf("storing the proof: %w", err))
	}
	return &Result{Seconds: secs, Phases: proof.PhaseSeconds, Proof: name}
}
