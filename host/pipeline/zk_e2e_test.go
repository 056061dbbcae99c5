package pipeline_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/sdk/envelope"
)

// TestZKThroughPlugins proves a few-cycle run with engine.zk: true through the real
// plugin processes (host → asm frontend → CPU backend), verifies and inspects the
// envelope (both say zero-knowledge), checks that two proofs of the same run differ
// (fresh masking randomness) under one claim, and that the envelope relabelled as a
// plain proof is rejected.
func TestZKThroughPlugins(t *testing.T) {
	dir := buildPlugins(t)
	work := t.TempDir()
	prog, in := tinyIORun(t, work)
	cfg := filepath.Join(work, "zk.yaml")
	os.WriteFile(cfg, []byte("engine:\n  num_queries: 24\n  min_security_bits: 30\n  min_provable_bits: 0\n  zk: true\n"), 0o644)

	var envs [2]*envelope.Envelope
	for i := range envs {
		proof := filepath.Join(work, "p"+string(rune('0'+i))+".proof")
		if code, out, errs := run("--config", cfg, "prove", "--isa", "asm", prog, "--input", in, "-o", proof, "--plugin-dir", dir, "-q"); code != 0 {
			t.Fatalf("prove: exit %d\n%s%s", code, out, errs)
		}
		b, err := os.ReadFile(proof)
		if err != nil {
			t.Fatal(err)
		}
		if envs[i], err = envelope.Decode(b); err != nil {
			t.Fatal(err)
		}
		if !envs[i].Params.ZK {
			t.Fatal("engine.zk: true made an envelope without zk")
		}
	}
	if envs[0].Claim != envs[1].Claim || envs[0].ProofDigest() == envs[1].ProofDigest() {
		t.Error("two zero-knowledge proofs of one run: want one claim and different proofs")
	}
	proof := filepath.Join(work, "p0.proof")
	code, out, errs := run("--config", cfg, "verify", proof)
	if code != 0 || !strings.Contains(out, "verified") || !strings.Contains(out, "zero-knowledge yes") {
		t.Fatalf("verify: exit %d\n%s%s", code, out, errs)
	}
	if code, out, _ := run("inspect", proof, "-o", "json"); code != 0 || !strings.Contains(out, `"zk": true`) {
		t.Fatalf("inspect -o json: exit %d\n%s", code, out)
	}
	if code, out, _ := run("inspect", proof); code != 0 || !strings.Contains(out, "zero-knowledge yes") {
		t.Fatalf("inspect: exit %d\n%s", code, out)
	}
	envs[0].Params.ZK = false
	plain := filepath.Join(work, "relabelled.proof")
	os.WriteFile(plain, envs[0].Encode(), 0o644)
	if code, _, errs := run("--config", cfg, "verify", plain); code != 1 {
		t.Errorf("a zero-knowledge proof labelled plain: exit %d, want 1 (%s)", code, errs)
	}
}

// tinyIORun writes a few-cycle program that reads a byte, adds 5 and writes it, and its
// input (7) into work: the quickest run that uses the input and output tapes.
func tinyIORun(t *testing.T, work string) (prog, in string) {
	t.Helper()
	prog, in = filepath.Join(work, "p.s"), filepath.Join(work, "in.bin")
	if err := os.WriteFile(prog, []byte(".fp 0x1000\nmain: ecall read, [8]\n add [12], [8], 5\n ecall write, [12], 1\n halt 0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in, []byte{7}, 0o644); err != nil {
		t.Fatal(err)
	}
	return prog, in
}
