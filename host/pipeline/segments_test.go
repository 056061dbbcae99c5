package pipeline_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"math/bits"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oneiros-zk/oneiros/sdk/envelope"
)

// mixSetup writes mix.s's input (n iterations, about 11 cycles each) and a fast
// configuration; it returns the program, input and config paths.
func mixSetup(t *testing.T, work string, n uint32, extra string) (prog, in, cfg string) {
	t.Helper()
	prog = filepath.Join("..", "..", "examples", "mix.s")
	in = filepath.Join(work, "n.bin")
	os.WriteFile(in, binary.LittleEndian.AppendUint32(nil, n), 0o644)
	cfg = filepath.Join(work, "fast.yaml")
	os.WriteFile(cfg, []byte("engine:\n  num_queries: 24\n  min_security_bits: 30\n  min_provable_bits: 0\n"+extra), 0o644)
	return prog, in, cfg
}

func readEnvelope(t *testing.T, path string) *envelope.Envelope {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	env, err := envelope.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	return env
}

// TestClaimRootParityAcrossProfiles proves one run under the standard profile, under
// continuations with segments of 2^12 and 2^16 cycles (a shorter run and 2^14 under
// -short) and the default size, under
// continuations at 2^12 with the segments cut and padded to the machine's catalogue
// (segments.shapes: catalogue), and under distributed (an embedded NATS server and two
// local workers) at 2^12: every envelope verifies, has the expected number of
// segments, and states the same claim with the same claim_root.
func TestClaimRootParityAcrossProfiles(t *testing.T) {
	dir := buildPlugins(t)
	work := t.TempDir()
	// 71,505 cycles; under -short 22,005 (6 segments of 2^12, 2 of 2^14).
	iters, cycles, mid := uint32(6500), uint64(71505), uint64(1<<16)
	if testing.Short() {
		iters, cycles, mid = 2000, 22005, 1<<14
	}
	prog, in, cfg := mixSetup(t, work, iters, "")
	var want *envelope.Claim
	var segmented *envelope.Envelope
	for _, c := range []struct {
		name, profile string
		size          uint64 // 0: the profile's
		catalogue     bool   // segments.shapes: catalogue
	}{
		{"standard", "standard", 0, false},
		{"continuations 2^12", "continuations", 1 << 12, false},
		{"continuations 2^" + itoa(uint64(bits.TrailingZeros64(mid))), "continuations", mid, false},
		{"continuations default", "continuations", 0, false},
		{"continuations 2^12 catalogue", "continuations", 1 << 12, true},
		{"distributed 2^12", "distributed", 1 << 12, false},
	} {
		segments := 1 // the standard profile, and the default size (2^20) of continuations
		if c.size != 0 {
			segments = int((cycles + c.size - 1) / c.size)
		}
		args := []string{"--config", cfg}
		if c.size != 0 {
			f := filepath.Join(work, "size.yaml")
			b, _ := os.ReadFile(cfg)
			extra := "segments:\n  segment_cycles: " + itoa(c.size) + "\n"
			if c.catalogue {
				extra += "  shapes: catalogue\n"
			}
			os.WriteFile(f, append(b, []byte(extra)...), 0o644)
			args = []string{"--config", f}
		}
		proof := filepath.Join(work, strings.ReplaceAll(c.name, " ", "_")+".proof")
		code, out, errs := run(append(args, "prove", "--isa", "asm", prog, "--input", in, "-o", proof, "--profile", c.profile, "--plugin-dir", dir, "-q")...)
		if code != 0 {
			t.Fatalf("%s: prove exit %d\n%s%s", c.name, code, out, errs)
		}
		if code, out, errs := run(append(args, "verify", proof)...); code != 0 {
			t.Fatalf("%s: verify exit %d\n%s%s", c.name, code, out, errs)
		}
		env := readEnvelope(t, proof)
		if env.Claim.Cycles != cycles {
			t.Fatalf("%s: %d cycles, want %d", c.name, env.Claim.Cycles, cycles)
		}
		if len(env.Proofs) != segments {
			t.Errorf("%s: %d segments, want %d", c.name, len(env.Proofs), segments)
		}
		if want == nil {
			want = &env.Claim
		} else if env.Claim != *want || env.Claim.Root() != want.Root() {
			t.Errorf("%s: claim %+v (root %s), want %+v (root %s)", c.name, env.Claim, env.Claim.Root(), *want, want.Root())
		}
		t.Logf("%s: %d cycles, %d segments, %d bytes, claim_root %s", c.name, env.Claim.Cycles, len(env.Proofs), len(env.Encode()), env.Claim.Root())
		if len(env.Proofs) > 2 && segmented == nil {
			segmented = env
		}
	}
	// The envelope's segments rearranged: `oneiros verify` rejects each (exit 1).
	other := filepath.Join(work, "other.proof")
	os.WriteFile(in, binary.LittleEndian.AppendUint32(nil, iters+1), 0o644)
	f := filepath.Join(work, "size12.yaml")
	b, _ := os.ReadFile(cfg)
	os.WriteFile(f, append(b, []byte("segments:\n  segment_cycles: 4096\n")...), 0o644)
	if code, out, errs := run("--config", f, "prove", "--isa", "asm", prog, "--input", in, "-o", other, "--profile", "continuations", "--plugin-dir", dir, "-q"); code != 0 {
		t.Fatalf("other run: exit %d\n%s%s", code, out, errs)
	}
	spliceFrom := readEnvelope(t, other)
	ps := segmented.Proofs
	for name, proofs := range map[string][][]byte{
		"segment dropped":   append(append([][]byte(nil), ps[:3]...), ps[4:]...),
		"last dropped":      ps[:len(ps)-1],
		"two swapped":       append(append([][]byte(nil), ps[:3]...), append([][]byte{ps[4], ps[3]}, ps[5:]...)...),
		"spliced":           append(append([][]byte(nil), ps[:3]...), append([][]byte{spliceFrom.Proofs[3]}, ps[4:]...)...),
		"segment tampered":  append(append([][]byte(nil), ps[:3]...), append([][]byte{flip(ps[3], 40)}, ps[4:]...)...),
		"touched list edit": append(append([][]byte(nil), ps[:3]...), append([][]byte{flip(ps[3], 33)}, ps[4:]...)...),
	} {
		env := *segmented
		env.Proofs = proofs
		bad := filepath.Join(work, "bad.proof")
		os.WriteFile(bad, env.Encode(), 0o644)
		if code, out, errs := run("--config", f, "verify", bad); code != 1 {
			t.Errorf("%s: verify exit %d, want 1\n%s%s", name, code, out, errs)
		} else {
			t.Logf("%s: %s", name, strings.TrimSpace(errs))
		}
	}
}

func flip(b []byte, i int) []byte {
	c := bytes.Clone(b)
	c[i] ^= 1
	return c
}

func itoa(v uint64) string {
	if v < 10 {
		return string(rune('0' + v))
	}
	return itoa(v/10) + string(rune('0'+v%10))
}

// TestResumeProvesOnlyMissingSegments proves a run in segments keeping its work
// directory, removes two segment proofs (as an interruption leaves it), and proves
// again: only the missing segments are proven, and the proofs are the same bytes.
func TestResumeProvesOnlyMissingSegments(t *testing.T) {
	dir := buildPlugins(t)
	work := t.TempDir()
	prog, in, cfg := mixSetup(t, work, 2000, "segments:\n  segment_cycles: 4096\n")
	wd := filepath.Join(work, "wd")
	first, second := filepath.Join(work, "a.proof"), filepath.Join(work, "b.proof")
	prove := func(out string) string {
		code, stdout, errs := run("--config", cfg, "prove", "--isa", "asm", prog, "--input", in, "-o", out, "--profile", "continuations",
			"--plugin-dir", dir, "--work-dir", wd, "--keep-work")
		if code != 0 {
			t.Fatalf("prove: exit %d\n%s%s", code, stdout, errs)
		}
		return stdout + errs
	}
	prove(first)
	a := readEnvelope(t, first)
	if len(a.Proofs) < 4 {
		t.Fatalf("%d segments: the test needs at least 4", len(a.Proofs))
	}
	for _, i := range []string{"000001", "000003"} {
		if err := os.Remove(filepath.Join(wd, "seg-"+i+".proof")); err != nil {
			t.Fatal(err)
		}
	}
	out := prove(second)
	if want := "resumed     " + itoa(uint64(len(a.Proofs)-2)) + " segments"; !strings.Contains(out, want) {
		t.Errorf("the second prove does not say %q:\n%s", want, out)
	}
	if strings.Count(out, "proved in") != 2 {
		t.Errorf("the second prove proved %d segments, want 2:\n%s", strings.Count(out, "proved in"), out)
	}
	b := readEnvelope(t, second)
	if len(a.Proofs) != len(b.Proofs) || a.Claim != b.Claim {
		t.Fatalf("resumed envelope differs: %d vs %d proofs", len(a.Proofs), len(b.Proofs))
	}
	for i := range a.Proofs {
		if !bytes.Equal(a.Proofs[i], b.Proofs[i]) {
			t.Errorf("segment %d: the resumed proof differs from the uninterrupted one", i)
		}
	}
	// A corrupt proof in the work directory is proven again, with a warning.
	p0 := filepath.Join(wd, "seg-000000.proof")
	c, _ := os.ReadFile(p0)
	c[len(c)/2] ^= 1
	os.WriteFile(p0, c, 0o644)
	if out := prove(second); !strings.Contains(out, "segment 0's proof in the work directory") || !strings.Contains(out, "proving it again") {
		t.Errorf("a corrupt kept proof: no warning\n%s", out)
	}
	// Another run's work directory is ignored with a warning, never mixed in.
	os.WriteFile(in, binary.LittleEndian.AppendUint32(nil, 2001), 0o644)
	out = prove(second)
	if !strings.Contains(out, "holds another run's work (another input)") || strings.Contains(out, "resumed ") {
		t.Errorf("another run's work directory:\n%s", out)
	}
	if code, o, errs := run("--config", cfg, "verify", second); code != 0 {
		t.Errorf("verify after another run's work: exit %d\n%s%s", code, o, errs)
	}
}

// TestInterruptedProveResumes interrupts a real `oneiros prove` process (SIGINT) once a
// segment proof is in its work directory, and starts it again: it resumes, and its
// envelope verifies.
func TestInterruptedProveResumes(t *testing.T) {
	dir := buildPlugins(t)
	work := t.TempDir()
	bin := filepath.Join(dir, "oneiros")
	prog, in, cfg := mixSetup(t, work, 6000, "segments:\n  segment_cycles: 4096\n")
	wd := filepath.Join(work, "wd")
	proof := filepath.Join(work, "p.proof")
	args := []string{"--config", cfg, "prove", "--isa", "asm", prog, "--input", in, "-o", proof, "--profile", "continuations", "--plugin-dir", dir, "--work-dir", wd, "-q"}
	interruptOnceKept(t, exec.Command(bin, args...), filepath.Join(wd, "seg-000000.proof"), proof)
	runBounded(t, 5*time.Minute, bin, args...)
	if code, o, errs := run("--config", cfg, "verify", proof); code != 0 {
		t.Fatalf("verify: exit %d\n%s%s", code, o, errs)
	}
	if exists(wd) {
		t.Errorf("the work directory %s outlived a successful prove", wd)
	}
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// interruptOnceKept starts cmd (a prove), waits until the file kept exists, and sends
// it SIGINT. A prove that ends before then fails the test with its output, or skips it,
// saying so, when it finished (the file done exists): the interrupt came too late to
// test anything. Waiting is bounded: a prove that neither keeps the file nor ends within
// three minutes fails the test.
func interruptOnceKept(t *testing.T, cmd *exec.Cmd, kept, done string) {
	t.Helper()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = 10 * time.Second // a descendant holding the pipe cannot stall Wait
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.After(3 * time.Minute)
	for !exists(kept) {
		select {
		case err := <-exited:
			if exists(done) {
				t.Skipf("the prove finished before %s was seen: nothing to interrupt (%v)", filepath.Base(kept), err)
			}
			t.Fatalf("the prove ended (%v) before keeping %s:\n%s", err, filepath.Base(kept), out.String())
		case <-deadline:
			cmd.Process.Kill()
			<-exited
			t.Fatalf("the prove kept no %s in 3 minutes:\n%s", filepath.Base(kept), out.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	cmd.Process.Signal(os.Interrupt)
	select {
	case <-exited:
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		<-exited
		t.Fatalf("the prove did not stop within a minute of SIGINT:\n%s", out.String())
	}
	if exists(done) {
		t.Skipf("the prove finished before the interrupt reached it:\n%s", out.String())
	}
}

// runBounded runs a command to its end and returns its output, failing the test when it
// fails or runs longer than limit (killed, with the output so far).
func runBounded(t *testing.T, limit time.Duration, bin string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("%s %s: still running after %v, killed:\n%s", filepath.Base(bin), strings.Join(args, " "), limit, out)
	}
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(bin), strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestBadSegmentNamedAndOthersKept: a backend that returns, for segment 1, segment 0's
// proof (a valid proof of another segment) fails the run naming segment 1; segment 0's
// proof stays in the work directory.
func TestBadSegmentNamedAndOthersKept(t *testing.T) {
	dir := buildPlugins(t)
	work := t.TempDir()
	prog, in, cfg := mixSetup(t, work, 2000, "segments:\n  segment_cycles: 4096\n")
	wd := filepath.Join(work, "wd")
	code, out, errs := run("--config", cfg, "prove", "--isa", "asm", prog, "--input", in, "-o", filepath.Join(work, "p.proof"),
		"--profile", "continuations", "--backend", "badseg", "--plugin-dir", dir, "--work-dir", wd, "-q")
	if code != 3 || !strings.Contains(errs, "proof of segment 1 that the verifier rejects") {
		t.Fatalf("exit %d, want 3 naming segment 1\n%s%s", code, out, errs)
	}
	if !exists(filepath.Join(wd, "seg-000000.proof")) {
		t.Errorf("segment 0's proof was not kept in %s", wd)
	}
}

// TestStandardRefusesLongRun: the standard profile refuses a run longer than its one
// segment, naming continuations; a segment size that is not a power of two is a bad
// configuration naming the key.
func TestStandardRefusesLongRun(t *testing.T) {
	dir := buildPlugins(t)
	work := t.TempDir()
	prog, in, cfg := mixSetup(t, work, 2000, "segments:\n  segment_cycles: 4096\n")
	code, _, errs := run("--config", cfg, "prove", "--isa", "asm", prog, "--input", in, "-o", filepath.Join(work, "p.proof"),
		"--profile", "standard", "--plugin-dir", dir, "-q")
	if code != 2 || !strings.Contains(errs, "--profile continuations") {
		t.Errorf("standard, a run of 5 segments: exit %d, want 2 naming continuations (%s)", code, errs)
	}
	// A run that never halts stops at limits.max_cycles with the executor's trap message.
	loop := filepath.Join(work, "loop.s")
	os.WriteFile(loop, []byte(".fp 0x1000\nmain: add [8], [8], 1\n jmp main\n"), 0o644)
	lim := filepath.Join(work, "lim.yaml")
	b, _ := os.ReadFile(cfg)
	os.WriteFile(lim, append(b, []byte("limits:\n  max_cycles: 10000\n")...), 0o644)
	code, _, errs = run("--config", lim, "prove", "--isa", "asm", loop, "-o", filepath.Join(work, "loop.proof"), "--profile", "continuations", "--plugin-dir", dir, "-q")
	if code != 2 || !strings.Contains(errs, "cycle limit: 10000 cycles ran without a halt (max_cycles)") {
		t.Errorf("a run that never halts: exit %d, want 2 with the trap (%s)", code, errs)
	}
	for _, size := range []string{"5000", "512", "4194304"} {
		bad := filepath.Join(work, "bad.yaml")
		os.WriteFile(bad, []byte("segments:\n  segment_cycles: "+size+"\n"), 0o644)
		code, _, errs := run("--config", bad, "prove", "--isa", "asm", prog, "--input", in, "-o", filepath.Join(work, "p.proof"), "--plugin-dir", dir, "-q")
		if code != 2 || !strings.Contains(errs, "segments.segment_cycles") {
			t.Errorf("segment_cycles %s: exit %d, want 2 naming the key (%s)", size, code, errs)
		}
	}
}

func sleep() { time.Sleep(20 * time.Millisecond) }

// TestExecuteProfileCycles: `execute --profile-cycles` counts every cycle once by chip
// and once by opcode.
func TestExecuteProfileCycles(t *testing.T) {
	dir := buildPlugins(t)
	code, out, errs := run("execute", "--isa", "asm", filepath.Join("..", "..", "examples", "sort.s"), "--input", filepath.Join("..", "..", "examples", "sort.in"),
		"--profile-cycles", "--plugin-dir", dir, "-q", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	var v struct {
		Cycles  uint64 `json:"cycles"`
		Profile struct {
			Cycles   uint64            `json:"cycles"`
			ByChip   map[string]uint64 `json:"by_chip"`
			ByOpcode map[string]uint64 `json:"by_opcode"`
		} `json:"profile"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	sum := func(m map[string]uint64) (n uint64) {
		for _, c := range m {
			n += c
		}
		return n
	}
	if v.Profile.Cycles != v.Cycles || sum(v.Profile.ByChip) != v.Cycles || sum(v.Profile.ByOpcode) != v.Cycles || v.Profile.ByChip["loadstore"] == 0 {
		t.Errorf("profile %+v of %d cycles", v.Profile, v.Cycles)
	}
}
