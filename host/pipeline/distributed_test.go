package pipeline_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/oneiros-zk/oneiros/host/distributed"
)

// natsServer starts an embedded NATS server with JetStream for a test.
func natsServer(t *testing.T) string {
	t.Helper()
	s, err := distributed.Embedded(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Shutdown(); s.WaitForShutdown() })
	return s.ClientURL()
}

// workerProcess starts `oneiros worker` and returns it with a channel of its log lines.
func workerProcess(t *testing.T, bin, url, name, backend string) (*exec.Cmd, <-chan string) {
	t.Helper()
	cmd := exec.Command(filepath.Join(bin, "oneiros"), "worker", "--nats", url, "--name", name, "--backend", backend, "--plugin-dir", bin)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
	})
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			default:
			}
		}
		close(lines)
	}()
	return cmd, lines
}

// TestDistributedKilledWorker: a worker killed with SIGKILL in the middle of a segment
// leaves its job to be redelivered after the ack deadline; the run completes, and its
// segment proofs are the same bytes as the continuations profile's.
func TestDistributedKilledWorker(t *testing.T) {
	bin := binaries(t)
	url := natsServer(t)
	work := t.TempDir()
	prog, in, cfg := mixSetup(t, work, 15000, "segments:\n  segment_cycles: 16384\ndistributed:\n  ack_wait: 2s\n") // 10 segments
	// Set the consumer's ack deadline before the worker binds to it.
	c, err := distributed.Connect(context.Background(), url, "test", distributed.Coordinator, distributed.Settings{AckWait: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	victim, lines := workerProcess(t, bin, url, "victim", "cpu")
	killed := make(chan time.Time, 1)
	go func() {
		for l := range lines {
			if strings.Contains(l, "proven in") {
				time.Sleep(400 * time.Millisecond) // into its next segment
				syscall.Kill(-victim.Process.Pid, syscall.SIGKILL)
				killed <- time.Now()
				return
			}
		}
	}()
	proof := filepath.Join(work, "d.proof")
	t0 := time.Now()
	code, out, errs := run("--config", cfg, "prove", "--isa", "asm", prog, "--input", in, "-o", proof, "--profile", "distributed",
		"--nats", url, "--local-workers", "1", "--plugin-dir", bin, "-q")
	if code != 0 {
		t.Fatalf("prove: exit %d\n%s%s", code, out, errs)
	}
	select {
	case at := <-killed:
		t.Logf("worker killed %.1fs into the run; the run took %.1fs", at.Sub(t0).Seconds(), time.Since(t0).Seconds())
	default:
		t.Fatalf("the victim worker proved nothing before the run ended:\n%s", out)
	}
	d := readEnvelope(t, proof)
	if !strings.Contains(d.Meta.Backend, "victim (cpu)") {
		t.Logf("the victim's proofs: none kept (%s)", d.Meta.Backend)
	}
	seq := filepath.Join(work, "c.proof")
	if code, out, errs := run("--config", cfg, "prove", "--isa", "asm", prog, "--input", in, "-o", seq, "--profile", "continuations", "--plugin-dir", bin, "-q"); code != 0 {
		t.Fatalf("continuations: exit %d\n%s%s", code, out, errs)
	}
	s := readEnvelope(t, seq)
	if d.Claim != s.Claim || d.Claim.Root() != s.Claim.Root() || len(d.Proofs) != len(s.Proofs) {
		t.Fatalf("distributed and continuations differ: %d and %d segments", len(d.Proofs), len(s.Proofs))
	}
	for i := range d.Proofs {
		if !bytes.Equal(d.Proofs[i], s.Proofs[i]) {
			t.Errorf("segment %d: the distributed proof differs from the continuations one", i)
		}
	}
	if code, out, errs := run("--config", cfg, "verify", proof); code != 0 {
		t.Fatalf("verify: exit %d\n%s%s", code, out, errs)
	}
	t.Logf("envelope: %s", d.Meta.Backend)
}

// TestDistributedLyingWorker: a worker whose every proof is wrong is named, its segments
// are proven by another worker, and the run completes.
func TestDistributedLyingWorker(t *testing.T) {
	bin := binaries(t)
	url := natsServer(t)
	work := t.TempDir()
	prog, in, cfg := mixSetup(t, work, 4000, "segments:\n  segment_cycles: 8192\n") // 6 segments
	workerProcess(t, bin, url, "liar", "wrong")
	proof := filepath.Join(work, "d.proof")
	code, out, errs := run("--config", cfg, "prove", "--isa", "asm", prog, "--input", in, "-o", proof, "--profile", "distributed",
		"--nats", url, "--local-workers", "1", "--plugin-dir", bin)
	if code != 0 {
		t.Fatalf("prove: exit %d\n%s%s", code, out, errs)
	}
	env := readEnvelope(t, proof)
	if strings.Contains(env.Meta.Backend, "liar") || !strings.Contains(env.Meta.Backend, "local-0 (cpu)") {
		t.Errorf("envelope metadata: %s", env.Meta.Backend)
	}
	// The liar is waiting for jobs before the run publishes any: it takes some, and each
	// of its proofs must be refused with its name.
	if !strings.Contains(errs, "worker liar (backend wrong) produced a proof of segment") {
		t.Errorf("the lying worker was not named:\n%s", errs)
	}
	if code, out, errs := run("--config", cfg, "verify", proof); code != 0 {
		t.Fatalf("verify: exit %d\n%s%s", code, out, errs)
	}
}

// TestDistributedEmbeddedParityAndBadInput: with no --nats the profile starts its own
// server and workers, and gives the continuations claim_root; an unreachable server is
// exit 2; a worker refuses jobs from another version and malformed messages and stays up.
func TestDistributedEmbeddedParityAndBadInput(t *testing.T) {
	bin := binaries(t)
	work := t.TempDir()
	prog, in, cfg := mixSetup(t, work, 3000, "segments:\n  segment_cycles: 16384\n")
	dist, cont := filepath.Join(work, "d.proof"), filepath.Join(work, "c.proof")
	if code, out, errs := run("--config", cfg, "prove", "--isa", "asm", prog, "--input", in, "-o", dist, "--profile", "distributed", "--plugin-dir", bin, "-q"); code != 0 {
		t.Fatalf("distributed: exit %d\n%s%s", code, out, errs)
	}
	if code, out, errs := run("--config", cfg, "prove", "--isa", "asm", prog, "--input", in, "-o", cont, "--profile", "continuations", "--plugin-dir", bin, "-q"); code != 0 {
		t.Fatalf("continuations: exit %d\n%s%s", code, out, errs)
	}
	if d, c := readEnvelope(t, dist), readEnvelope(t, cont); d.Claim.Root() != c.Claim.Root() || len(d.Proofs) != 3 {
		t.Errorf("claim_root %s (%d segments) vs %s", d.Claim.Root(), len(d.Proofs), c.Claim.Root())
	}
	code, _, errs := run("--config", cfg, "prove", "--isa", "asm", prog, "--input", in, "-o", dist, "--profile", "distributed", "--nats", "nats://127.0.0.1:1", "--plugin-dir", bin, "-q")
	if code != 2 || !strings.Contains(errs, "NATS unreachable") {
		t.Errorf("unreachable NATS: exit %d, want 2 (%s)", code, errs)
	}

	// The distributed section of the configuration: a missing credentials file, and an
	// embedded server without local workers, are bad configurations (exit 2).
	for what, extra := range map[string]string{
		"distributed.creds":         "distributed:\n  nats_url: nats://127.0.0.1:1\n  creds: " + filepath.Join(work, "missing.creds") + "\n",
		"distributed.local_workers": "distributed:\n  local_workers: 0\n",
	} {
		f := filepath.Join(work, "d.yaml")
		b, _ := os.ReadFile(cfg)
		os.WriteFile(f, append(b, []byte(extra)...), 0o644)
		code, _, errs := run("--config", f, "prove", "--isa", "asm", prog, "--input", in, "-o", dist, "--profile", "distributed", "--plugin-dir", bin, "-q")
		if code != 2 || !strings.Contains(errs, what) {
			t.Errorf("%s: exit %d, want 2 naming it (%s)", what, code, errs)
		}
	}

	// Bad jobs: another version's, a malformed one; the worker stays up and answers.
	url := natsServer(t)
	ctx := context.Background()
	conn, err := distributed.Connect(ctx, url, "test", distributed.Coordinator, distributed.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	results, _ := conn.NC.SubscribeSync(distributed.ResultPrefix + "test-run")
	workerProcess(t, bin, url, "w", "cpu")
	if _, err := conn.JS.Publish(ctx, distributed.JobSubject, []byte("{not json")); err != nil {
		t.Fatal(err)
	}
	job := distributed.Job{Format: distributed.Format, Machine: "another-version", Run: "test-run", Index: 0, Program: "p", Records: "r",
		Results: distributed.ResultPrefix + "test-run"}
	b, _ := json.Marshal(job)
	if _, err := conn.JS.Publish(ctx, distributed.JobSubject, b); err != nil {
		t.Fatal(err)
	}
	m, err := results.NextMsg(20 * time.Second)
	if err != nil {
		t.Fatalf("no answer to another version's job: %v", err)
	}
	r, err := distributed.DecodeResult(m.Data)
	if err != nil || !strings.Contains(r.Error, "another OneirOS version") || r.Worker != "w" {
		t.Errorf("answer %+v, %v", r, err)
	}
	// A payload over the limit is refused by the stream, naming the size.
	if _, err := conn.JS.Publish(ctx, distributed.JobSubject, make([]byte, distributed.MaxJobBytes+1)); err == nil {
		t.Errorf("a job over %d bytes was accepted", distributed.MaxJobBytes)
	}
	// The worker is still up: the queue drains.
	deadline := time.Now().Add(10 * time.Second)
	for {
		info, err := conn.Jobs.Info(ctx)
		if err == nil && info.State.Msgs == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the worker left %d jobs in the queue", info.State.Msgs)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestDistributedCoordinatorRestart interrupts a distributed prove (SIGINT) once a segment
// proof is kept and starts it again: it resumes from its work directory (its embedded
// server's store included) without proving the kept segments again.
func TestDistributedCoordinatorRestart(t *testing.T) {
	bin := binaries(t)
	work := t.TempDir()
	prog, in, cfg := mixSetup(t, work, 8000, "segments:\n  segment_cycles: 8192\n")
	wd := filepath.Join(work, "wd")
	proof := filepath.Join(work, "p.proof")
	args := []string{"--config", cfg, "prove", "--isa", "asm", prog, "--input", in, "-o", proof, "--profile", "distributed", "--plugin-dir", bin, "--work-dir", wd}
	interruptOnceKept(t, exec.Command(filepath.Join(bin, "oneiros"), append(args, "-q")...), filepath.Join(wd, "seg-000000.proof"), proof)
	out := runBounded(t, 5*time.Minute, filepath.Join(bin, "oneiros"), args...)
	if !strings.Contains(string(out), "resumed     ") {
		t.Errorf("the second prove resumed nothing:\n%s", out)
	}
	if code, o, errs := run("--config", cfg, "verify", proof); code != 0 {
		t.Fatalf("verify: exit %d\n%s%s", code, o, errs)
	}
}

// TestJobsStatus: `oneiros jobs` reports the queue of a NATS server.
func TestJobsStatus(t *testing.T) {
	url := natsServer(t)
	code, out, errs := run("jobs", "--nats", url, "-o", "json")
	if code != 0 || !strings.Contains(out, `"queued": 0`) || !strings.Contains(out, `"ack_wait"`) {
		t.Fatalf("jobs: exit %d\n%s%s", code, out, errs)
	}
	if code, _, errs := run("jobs", "--nats", "nats://127.0.0.1:1"); code != 2 || !strings.Contains(errs, "NATS unreachable") {
		t.Errorf("jobs on an unreachable server: exit %d (%s)", code, errs)
	}
}

// TestDistributedMixedBackends: a worker on the CUDA backend (ICICLE's CPU device here)
// and one on the CPU backend prove segments of the same run; the envelope verifies,
// names which backend proved which segment, and holds the continuations profile's proofs.
// It needs a CUDA backend built with -tags cuda: `make test-cuda` builds one and runs
// this test with ONEIROS_CUDA_BACKEND naming it.
func TestDistributedMixedBackends(t *testing.T) {
	cuda := os.Getenv("ONEIROS_CUDA_BACKEND")
	if cuda == "" {
		t.Skip("ONEIROS_CUDA_BACKEND is not set: `make test-cuda` runs this test with a CUDA backend built on ICICLE")
	}
	bin := binaries(t)
	dir := t.TempDir()
	for _, f := range []string{"oneiros", "oneiros-frontend-asm", "oneiros-backend-cpu"} {
		if err := os.Symlink(filepath.Join(bin, f), filepath.Join(dir, f)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(cuda, filepath.Join(dir, "oneiros-backend-cuda")); err != nil {
		t.Fatal(err)
	}
	url := natsServer(t)
	work := t.TempDir()
	prog, in, cfg := mixSetup(t, work, 12000, "segments:\n  segment_cycles: 16384\n") // 9 segments
	cmd := exec.Command(filepath.Join(dir, "oneiros"), "worker", "--nats", url, "--name", "gpu-box", "--backend", "cuda", "--device", "cpu", "--plugin-dir", dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var log bytes.Buffer
	cmd.Stderr = &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); cmd.Wait() }()
	proof := filepath.Join(work, "d.proof")
	code, out, errs := run("--config", cfg, "prove", "--isa", "asm", prog, "--input", in, "-o", proof, "--profile", "distributed",
		"--nats", url, "--local-workers", "1", "--backend", "cpu", "--plugin-dir", dir, "-q")
	if code != 0 {
		t.Fatalf("prove: exit %d\n%s%s\nworker: %s", code, out, errs, log.String())
	}
	d := readEnvelope(t, proof)
	t.Logf("%s", d.Meta.Backend)
	if !strings.Contains(d.Meta.Backend, "gpu-box (cuda)") || !strings.Contains(d.Meta.Backend, "local-0 (cpu)") {
		t.Errorf("not both backends proved segments: %s\nworker: %s", d.Meta.Backend, log.String())
	}
	seq := filepath.Join(work, "c.proof")
	if code, out, errs := run("--config", cfg, "prove", "--isa", "asm", prog, "--input", in, "-o", seq, "--profile", "continuations", "--backend", "cpu", "--plugin-dir", dir, "-q"); code != 0 {
		t.Fatalf("continuations: exit %d\n%s%s", code, out, errs)
	}
	s := readEnvelope(t, seq)
	for i := range s.Proofs {
		if i >= len(d.Proofs) || !bytes.Equal(d.Proofs[i], s.Proofs[i]) {
			t.Errorf("segment %d differs between the mixed-backend and the CPU-only envelope", i)
		}
	}
	if code, out, errs := run("--config", cfg, "verify", proof); code != 0 {
		t.Fatalf("verify: exit %d\n%s%s", code, out, errs)
	}
}

// TestWorkerStopsOnSIGTERM: `oneiros worker` ends on SIGTERM with status 143.
func TestWorkerStopsOnSIGTERM(t *testing.T) {
	bin := binaries(t)
	url := natsServer(t)
	cmd := exec.Command(filepath.Join(bin, "oneiros"), "worker", "--nats", url, "--name", "w", "--plugin-dir", bin)
	log := &syncBuffer{}
	cmd.Stderr = log
	cmd.WaitDelay = 10 * time.Second // a descendant holding stderr cannot stall Wait
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(log.String(), "pulling segment jobs") && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-exited:
		if code := cmd.ProcessState.ExitCode(); code != 143 {
			t.Errorf("exit %d (%v), want 143\n%s", code, err, log.String())
		}
	case <-time.After(30 * time.Second): // the binary's own grace is 5 s
		cmd.Process.Kill()
		<-exited
		t.Fatalf("the worker still ran 30 s after SIGTERM:\n%s", log.String())
	}
}

// syncBuffer is a bytes.Buffer that a process writes while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
