// Package distributed proves continuation segments on workers that pull jobs from NATS
// JetStream: the coordinator (host/pipeline under the distributed profile) publishes a
// job per segment, with the segment's records in the JetStream object store; a worker
// (`oneiros worker`) proves it with its own backend plugin, stores the proof and
// publishes a result, and acknowledges the job only then. A job whose worker dies is
// redelivered after its ack deadline; a proof the coordinator rejects is retried.
//
// # Subjects and objects
//
//   - stream ONEIROS_JOBS (work queue, file storage) on subject oneiros.jobs: one [Job]
//     (JSON, at most [MaxJobBytes]) per segment attempt, deduplicated by message ID
//     run/index/attempt; the durable pull consumer "workers" is shared by every worker;
//   - object store ONEIROS: run/program, run/input, run/seg-NNNNNN.rec (the segment's
//     rebased records), run/seg-NNNNNN.proof (the segment proof);
//   - subject oneiros.results.run: one [Result] (JSON) per finished attempt.
//
// run is the coordinator's run key: a digest of everything a segment proof depends on.
package distributed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/oneiros-zk/oneiros/core/chips/hook"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/sdk/backend"
	"github.com/oneiros-zk/oneiros/sdk/config"
)

// Names of the JetStream resources.
const (
	JobStream    = "ONEIROS_JOBS"
	JobSubject   = "oneiros.jobs"
	ResultPrefix = "oneiros.results."
	Bucket       = "ONEIROS"
	Consumer     = "workers"
)

// Format is the version of Job and Result; a worker refuses another (2 added the
// segment's memory object, 3 the output sponge's state).
const Format = 3

// MaxJobBytes bounds a job or result message.
const MaxJobBytes = 64 << 10

// DefaultAckWait is how long a job may go without an acknowledgement or an in-progress
// signal before JetStream redelivers it, unless Settings say otherwise (a worker
// signals every quarter of it while it proves).
const DefaultAckWait = 30 * time.Second

// Settings are a connection's credentials and TLS files and, for the coordinator, the
// ack deadline it gives the workers' consumer (config's distributed section).
type Settings struct {
	AckWait                       time.Duration
	Creds, TLSCA, TLSCert, TLSKey string
}

// SettingsOf takes the settings from the configuration.
func SettingsOf(d config.Distributed) Settings {
	return Settings{AckWait: d.AckWait, Creds: d.Creds, TLSCA: d.TLSCA, TLSCert: d.TLSCert, TLSKey: d.TLSKey}
}

func (s Settings) options() ([]nats.Option, error) {
	var opts []nats.Option
	for key, f := range map[string]string{"distributed.creds": s.Creds, "distributed.tls_ca": s.TLSCA, "distributed.tls_cert": s.TLSCert, "distributed.tls_key": s.TLSKey} {
		if f == "" {
			continue
		}
		if _, err := os.Stat(f); err != nil {
			return nil, fmt.Errorf("%s: %w", key, err)
		}
	}
	if (s.TLSCert == "") != (s.TLSKey == "") {
		return nil, fmt.Errorf("distributed.tls_cert and distributed.tls_key go together")
	}
	if s.Creds != "" {
		opts = append(opts, nats.UserCredentials(s.Creds))
	}
	if s.TLSCA != "" {
		opts = append(opts, nats.RootCAs(s.TLSCA))
	}
	if s.TLSCert != "" {
		opts = append(opts, nats.ClientCert(s.TLSCert, s.TLSKey))
	}
	return opts, nil
}

// Job is one segment attempt.
type Job struct {
	Format   int            `json:"format"`
	Machine  string         `json:"machine"` // the zkVM tables' ID (core/machine.ID) the proof must use
	Run      string         `json:"run"`
	Index    int            `json:"index"`
	Attempt  int            `json:"attempt"`
	Params   backend.Params `json:"params"`
	Context  string         `json:"context"` // the claim's context digest, hex
	InputLen uint32         `json:"input_len"`
	InStart  uint32         `json:"in_start"`
	OutStart uint32         `json:"out_start"`
	// HookStart and HookState are the hook calls before the segment and the host
	// answers' sponge state there (core/chips/hook; 16 field elements, none for the
	// initial state).
	HookStart uint32   `json:"hook_start,omitempty"`
	HookState []uint32 `json:"hook_state,omitempty"`
	// OutState is the output sponge's state where the segment's output starts
	// (core/chips/output; 16 field elements, none for the initial state).
	OutState []uint32 `json:"out_state,omitempty"`
	Cycles   uint64   `json:"cycles"`
	Program  string   `json:"program"` // object names
	Input    string   `json:"input"`
	Records  string   `json:"records"`
	// Memory names the object holding the memory where the segment starts (the words
	// that differ from the program's image, core/machine.EncodeMemory); none: the image.
	Memory string `json:"memory,omitempty"`
	// MinLogN is the segment's catalogue shape (segments.shapes: catalogue; core/machine
	// SegmentRun.MinLogN, one log height per table), none for natural heights. A worker
	// that ignores it proves natural heights, which the host refuses (not the shape).
	MinLogN []int  `json:"min_log_n,omitempty"`
	Results string `json:"results"` // the subject of the result
	// Avoid names workers whose proof of this segment was rejected: they leave the job
	// to others (unless it has gone round many times).
	Avoid []string `json:"avoid,omitempty"`
}

// Result is a worker's answer to a job.
type Result struct {
	Format  int                `json:"format"`
	Run     string             `json:"run"`
	Index   int                `json:"index"`
	Attempt int                `json:"attempt"`
	Worker  string             `json:"worker"`
	Backend string             `json:"backend"`
	Seconds float64            `json:"seconds"`
	Phases  map[string]float64 `json:"phases,omitempty"`
	Proof   string             `json:"proof,omitempty"` // object name; empty with Error
	Error   string             `json:"error,omitempty"`
	// Started marks the message a worker sends when it takes the job (no proof yet):
	// the coordinator shows which worker holds which segment.
	Started bool `json:"started,omitempty"`
}

// DecodeJob parses and checks a job message.
func DecodeJob(b []byte) (*Job, error) {
	if len(b) > MaxJobBytes {
		return nil, fmt.Errorf("job of %d bytes, over the %d-byte limit", len(b), MaxJobBytes)
	}
	var j Job
	if err := json.Unmarshal(b, &j); err != nil {
		return nil, fmt.Errorf("malformed job: %w", err)
	}
	switch {
	case j.Format != Format:
		return &j, fmt.Errorf("job format %d, this worker reads %d (another OneirOS version)", j.Format, Format)
	case j.Run == "" || j.Index < 0 || j.Attempt < 0 || j.Program == "" || j.Records == "" || j.Results == "":
		return &j, fmt.Errorf("incomplete job (run %q, index %d)", j.Run, j.Index)
	}
	return &j, nil
}

// DecodeResult parses and checks a result message.
func DecodeResult(b []byte) (*Result, error) {
	if len(b) > MaxJobBytes {
		return nil, fmt.Errorf("result of %d bytes, over the %d-byte limit", len(b), MaxJobBytes)
	}
	var r Result
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("malformed result: %w", err)
	}
	if r.Format != Format {
		return nil, fmt.Errorf("result format %d, want %d", r.Format, Format)
	}
	return &r, nil
}

// Conn is a connection to NATS with JetStream, its job stream, consumer and bucket.
type Conn struct {
	NC      *nats.Conn
	JS      jetstream.JetStream
	Jobs    jetstream.Stream
	Workers jetstream.Consumer
	Objects jetstream.ObjectStore
}

// ErrUnreachable is wrapped by a failure to reach NATS.
var ErrUnreachable = errors.New("NATS unreachable")

// Role says what a connection is for: the coordinator configures the job stream and
// the workers' consumer (its ack deadline), a worker binds to them as they are.
type Role int

// Roles.
const (
	Coordinator Role = iota
	WorkerRole
)

// Connect connects to url and makes sure the job stream, the workers' consumer and the
// object store exist.
func Connect(ctx context.Context, url, name string, role Role, set Settings) (*Conn, error) {
	extra, err := set.options()
	if err != nil {
		return nil, err
	}
	if set.AckWait == 0 {
		set.AckWait = DefaultAckWait
	}
	opts := append([]nats.Option{nats.Name(name), nats.Timeout(5 * time.Second), nats.MaxReconnects(-1)}, extra...)
	nc, err := nats.Connect(url, opts...)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrUnreachable, url, err)
	}
	c := &Conn{NC: nc}
	fail := func(what string, err error) (*Conn, error) {
		nc.Close()
		return nil, fmt.Errorf("%w: %s: JetStream %s: %w", ErrUnreachable, url, what, err)
	}
	if c.JS, err = jetstream.New(nc); err != nil {
		return fail("context", err)
	}
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	scfg := jetstream.StreamConfig{Name: JobStream, Subjects: []string{JobSubject},
		Retention: jetstream.WorkQueuePolicy, Storage: jetstream.FileStorage, Duplicates: 10 * time.Minute, MaxMsgSize: MaxJobBytes}
	ccfg := jetstream.ConsumerConfig{Durable: Consumer, AckPolicy: jetstream.AckExplicitPolicy, AckWait: set.AckWait, MaxDeliver: -1, MaxAckPending: 1024}
	if role == WorkerRole {
		if c.Jobs, err = c.JS.Stream(sctx, JobStream); err == nil {
			c.Workers, err = c.Jobs.Consumer(sctx, Consumer)
		}
	}
	if c.Workers == nil {
		if c.Jobs, err = c.JS.CreateOrUpdateStream(sctx, scfg); err != nil {
			return fail("stream "+JobStream, err)
		}
		if c.Workers, err = c.Jobs.CreateOrUpdateConsumer(sctx, ccfg); err != nil {
			return fail("consumer "+Consumer, err)
		}
	}
	if c.Objects, err = c.JS.CreateOrUpdateObjectStore(sctx, jetstream.ObjectStoreConfig{Bucket: Bucket, Storage: jetstream.FileStorage}); err != nil {
		return fail("object store "+Bucket, err)
	}
	return c, nil
}

// ackWait is the workers' consumer's ack deadline.
func (c *Conn) ackWait() time.Duration {
	if info := c.Workers.CachedInfo(); info != nil && info.Config.AckWait > 0 {
		return info.Config.AckWait
	}
	return DefaultAckWait
}

// Close closes the connection.
func (c *Conn) Close() { c.NC.Close() }

// Embedded starts a NATS server with JetStream on 127.0.0.1 (a free port), storing in
// dir; only this machine can reach it.
func Embedded(dir string) (*server.Server, error) {
	s, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, JetStream: true, StoreDir: dir,
		NoLog: true, NoSigs: true, MaxPayload: 8 << 20})
	if err != nil {
		return nil, fmt.Errorf("embedded NATS server: %w", err)
	}
	go s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		s.Shutdown()
		return nil, fmt.Errorf("embedded NATS server: not ready within 10s")
	}
	return s, nil
}

// ObjectName names a run's objects.
func ObjectName(run, what string) string { return run + "/" + what }

// SegmentObject names a segment's records ("rec"), the memory where it starts ("mem")
// or its proof ("proof").
func SegmentObject(run string, index int, kind string) string {
	return ObjectName(run, fmt.Sprintf("seg-%06d.%s", index, kind))
}

// HookStateOf is a job's hook state (or output state: the same type) as words (none for
// the initial state, the zero one).
func HookStateOf(s hook.State) []uint32 {
	if s == (hook.State{}) {
		return nil
	}
	w := make([]uint32, len(s))
	for i := range s {
		w[i] = uint32(s[i].Uint64())
	}
	return w
}

// hookState parses a job's hook state (what names it: "hook" or "output"): none, or
// hash.Width canonical field elements.
func hookState(what string, w []uint32) (hook.State, error) {
	var s hook.State
	if len(w) == 0 {
		return s, nil
	}
	if len(w) != len(s) {
		return s, fmt.Errorf("%s state of %d elements, want %d", what, len(w), len(s))
	}
	for i, v := range w {
		if !field.Canonical(v) {
			return s, fmt.Errorf("%s state element %d is %d, not below the field's modulus", what, i, v)
		}
		s[i] = field.New(uint64(v))
	}
	return s, nil
}
