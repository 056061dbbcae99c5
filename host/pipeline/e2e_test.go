package pipeline_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/oneiros-zk/oneiros/host/cli"
	"github.com/oneiros-zk/oneiros/host/plugin/plugintest"
	"github.com/oneiros-zk/oneiros/sdk/envelope"
)

// buildPlugins returns the directory of the binaries the tests run (built once per
// test binary): oneiros, the asm frontend, the CPU backend and the test backends.
func buildPlugins(t *testing.T) string { return binaries(t) }

var (
	binOnce sync.Once
	binDir  string
	binErr  error
)

func binaries(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "oneiros-test-bin-*")
		if binErr != nil {
			return
		}
		binErr = plugintest.BinariesInto(binDir, plugintest.Oneiros, plugintest.Frontend("asm", "github.com/oneiros-zk/oneiros/plugins/asm"),
			plugintest.CPUBackend, plugintest.Binary{Name: "oneiros-backend-wrong", Package: "./testdata/backend-wrong"},
			plugintest.Binary{Name: "oneiros-backend-badseg", Package: "./testdata/backend-badseg"})
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

func run(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := cli.Main(args, &out, &errb)
	return code, out.String(), errb.String()
}

// TestProveVerifyThroughPlugins runs the host's main job through real plugin processes:
// host → asm frontend → CPU backend → envelope, then verifies the envelope, rejects it
// with any of a sample of flipped bytes, and inspects it.
func TestProveVerifyThroughPlugins(t *testing.T) {
	dir := buildPlugins(t)
	work := t.TempDir()
	prog := filepath.Join(work, "p.s")
	src := `.fp 0x1000
main:   ecall read, [8]
        add   [12], [8], [8]
        sw    [12], 0x3000, 2
        lhu   [16], 0x3000, 3
        call  f, 32
        ecall write, [16], 2
        ecall write, [52], 4
        halt  0
f:      sub   [20], [8], 1
        ret
`
	if err := os.WriteFile(prog, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(work, "in.bin")
	os.WriteFile(in, []byte{0x34, 0x12, 0, 0}, 0o644)
	proof := filepath.Join(work, "p.proof")
	cfg := filepath.Join(work, "fast.yaml")
	// Fewer queries keep the test quick; the verifier is told the same minimum.
	os.WriteFile(cfg, []byte("engine:\n  num_queries: 24\n  min_security_bits: 30\n  min_provable_bits: 0\n"), 0o644)

	code, out, errs := run("--config", cfg, "prove", "--isa", "asm", prog, "--input", in, "-o", proof, "--plugin-dir", dir, "-q")
	if code != 0 {
		t.Fatalf("prove: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = run("--config", cfg, "verify", proof)
	if code != 0 || !strings.Contains(out, "verified") {
		t.Fatalf("verify: exit %d\n%s%s", code, out, errs)
	}
	code, out, _ = run("inspect", proof, "-o", "json")
	if code != 0 || !strings.Contains(out, `"claim_root"`) || !strings.Contains(out, `"proof_digest"`) {
		t.Fatalf("inspect: exit %d\n%s", code, out)
	}
	// The default minimum security (100 bits) rejects this low-query proof.
	if code, _, _ := run("verify", proof); code != 1 {
		t.Fatalf("a 24-query proof passed the default security minimum (exit %d)", code)
	}
	// The claim's context fields, edited after proving (checksum recomputed): exit 1,
	// naming the field. --source checks source_digest against the program's bytes.
	b, _ := os.ReadFile(proof)
	for field, edit := range map[string]func(c *envelope.Claim){
		"isa":           func(c *envelope.Claim) { c.ISA = "wasm" },
		"source_digest": func(c *envelope.Claim) { c.SourceDigest = envelope.SourceDigest([]byte("x")) },
		"input_digest":  func(c *envelope.Claim) { c.InputDigest = envelope.InputDigest([]byte("x")) },
	} {
		env, err := envelope.Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		edit(&env.Claim)
		f := filepath.Join(work, "edited.proof")
		os.WriteFile(f, env.Encode(), 0o644)
		if code, _, errs := run("--config", cfg, "verify", f); code != 1 || !strings.Contains(errs, field) {
			t.Errorf("claim %s edited: exit %d, want 1 naming it (%s)", field, code, errs)
		}
	}
	if code, _, errs := run("--config", cfg, "verify", proof, "--source", prog); code != 0 {
		t.Errorf("verify --source with the program: exit %d (%s)", code, errs)
	}
	if code, _, errs := run("--config", cfg, "verify", proof, "--source", in); code != 1 || !strings.Contains(errs, "source_digest") {
		t.Errorf("verify --source with another file: exit %d, want 1 (%s)", code, errs)
	}
	if code, _, errs := run("--config", cfg, "verify", proof, "--input", in); code != 0 {
		t.Errorf("verify --input with the input: exit %d (%s)", code, errs)
	}
	if code, _, errs := run("--config", cfg, "verify", proof, "--input", prog); code != 1 || !strings.Contains(errs, "input_digest") {
		t.Errorf("verify --input with another file: exit %d, want 1 (%s)", code, errs)
	}
	step := len(b) / 40
	for i := 0; i < len(b); i += step {
		c := bytes.Clone(b)
		c[i] ^= 0x10
		f := filepath.Join(work, "flipped.proof")
		os.WriteFile(f, c, 0o644)
		if code, _, errs := run("--config", cfg, "verify", f); code != 1 {
			t.Fatalf("flipped byte %d of %d: exit %d, want 1 (%s)", i, len(b), code, errs)
		}
	}
	// A configuration whose proof cannot meet its floor is refused before proving (exit
	// 2, naming the key), not blamed on the backend after it.
	weak := filepath.Join(work, "weak.yaml")
	os.WriteFile(weak, []byte("engine:\n  num_queries: 24\n"), 0o644)
	if code, _, errs := run("--config", weak, "prove", "--isa", "asm", prog, "--input", in, "-o", filepath.Join(work, "weak.proof"), "--plugin-dir", dir, "-q"); code != 2 || !strings.Contains(errs, "engine.min_security_bits") {
		t.Errorf("a config below its own floor: exit %d, want 2 naming engine.min_security_bits (%s)", code, errs)
	}
	// Bad input exits 2.
	if code, _, _ := run("prove", "--isa", "asm", filepath.Join(work, "missing.s"), "-o", proof, "--plugin-dir", dir); code != 2 {
		t.Fatalf("missing program: exit %d, want 2", code)
	}
	if code, _, _ := run("prove", "--isa", "nosuch", prog, "-o", proof, "--plugin-dir", dir); code != 2 {
		t.Fatalf("unknown ISA: exit %d, want 2", code)
	}
}

// TestExamplesThroughPlugins proves and verifies the example programs through the real
// plugin processes: sort (loads, stores, shifts, compares, branches, I/O), fib (CALL and
// RET), keccak (the KECCAKF precompile) and isa_tour (every instruction of the ISA, both
// precompiles, unaligned and cross-page accesses, indirect jumps and calls).
func TestExamplesThroughPlugins(t *testing.T) {
	dir := buildPlugins(t)
	work := t.TempDir()
	cfg := filepath.Join(work, "fast.yaml")
	os.WriteFile(cfg, []byte("engine:\n  num_queries: 24\n  min_security_bits: 30\n  min_provable_bits: 0\n"), 0o644)
	for _, ex := range []struct {
		name  string
		input []byte
	}{
		{"sort", []byte{3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0xff, 0xff, 0xff, 0xff}},
		{"fib", []byte{30, 0, 0, 0}},
		{"keccak", []byte("the quick brown fox jumps over the lazy dog, twice: the quick brown fox jumps over the lazy dog")},
		{"isa_tour", []byte{5, 0, 0, 0, 7, 0, 0, 0}},
	} {
		in := filepath.Join(work, ex.name+".in")
		os.WriteFile(in, ex.input, 0o644)
		proof := filepath.Join(work, ex.name+".proof")
		prog := filepath.Join("..", "..", "examples", ex.name+".s")
		if code, out, errs := run("--config", cfg, "prove", "--isa", "asm", prog, "--input", in, "-o", proof, "--plugin-dir", dir, "-q"); code != 0 {
			t.Fatalf("%s: prove exit %d\n%s%s", ex.name, code, out, errs)
		}
		code, out, errs := run("--config", cfg, "verify", proof, "-o", "json")
		if code != 0 || !strings.Contains(out, `"verified": true`) {
			t.Fatalf("%s: verify exit %d\n%s%s", ex.name, code, out, errs)
		}
		t.Logf("%s: %s", ex.name, strings.TrimSpace(strings.Split(strings.Split(out, `"cycles": `)[1], ",")[0]))
	}
}
