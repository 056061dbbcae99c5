package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/host/plugin/plugintest"
)

// buildBinaries builds oneiros, this plugin and the CPU backend into a temporary
// directory: the end-to-end tests run the real processes.
func buildBinaries(t *testing.T) string {
	return plugintest.Binaries(t, plugintest.Oneiros, plugintest.Frontend("wasm", "github.com/oneiros-zk/oneiros/plugins/wasm"), plugintest.CPUBackend)
}

func oneiros(t *testing.T, dir string, args ...string) (int, []byte, []byte) {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := exec.Command(filepath.Join(dir, "oneiros"), args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.Bytes(), errb.Bytes()
}

// TestProveThroughPlugins proves and verifies real programs end to end through the
// plugin processes (host → wasm frontend → CPU backend → envelope → verify): C programs
// compiled with clang for wasm32-wasi, and a WebAssembly trap, which is provable too.
func TestProveThroughPlugins(t *testing.T) {
	dir := buildBinaries(t)
	work := t.TempDir()
	cfg := filepath.Join(work, "fast.yaml")
	// Fewer queries keep the test quick; the verifier is told the same minimum.
	os.WriteFile(cfg, []byte(plugintest.FastYAML), 0o644)
	type run struct {
		name, file  string
		input, want []byte
		status      string
		code        uint32
	}
	runs := []run{{name: "sha256-abc", file: "examples/c/sha256.wasm", input: []byte("abc"),
		want: mustHex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"), status: "halted"},
		{name: "divide-by-zero", file: "examples/divide.wasm", input: []byte{7, 0, 0, 0, 0, 0, 0, 0}, status: "trap", code: 2}}
	if !testing.Short() {
		for _, p := range programs() {
			if p.name == "sha256" || p.name == "bf-hello" || p.name == "rust-wc" {
				runs = append(runs, run{name: p.name, file: p.file, input: p.input, want: p.output, status: "halted"})
			}
		}
		sin, sout := sortInput(24)
		runs = append(runs, run{name: "sort", file: "examples/c/sort.wasm", input: sin, want: sout, status: "halted"})
	}
	for i, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			in := filepath.Join(work, r.name+".in")
			os.WriteFile(in, r.input, 0o644)
			proof := filepath.Join(work, r.name+".proof")
			code, out, errs := oneiros(t, dir, "--config", cfg, "prove", "--isa", "wasm", filepath.FromSlash(r.file), "--input", in,
				"-o", proof, "--plugin-dir", dir, "-q", "--format", "json")
			if code != 0 {
				t.Fatalf("prove: exit %d\n%s%s", code, out, errs)
			}
			var sum struct {
				Claim struct {
					ExitStatus string `json:"exit_status"`
					ExitCode   uint32 `json:"exit_code"`
					Cycles     uint64 `json:"cycles"`
				} `json:"claim"`
				Output string `json:"output_hex"`
			}
			if err := json.Unmarshal(out, &sum); err != nil {
				t.Fatalf("prove output: %v\n%s", err, out)
			}
			if sum.Claim.ExitStatus != r.status || sum.Claim.ExitCode != r.code {
				t.Fatalf("claim: exit %s code %d, want %s code %d", sum.Claim.ExitStatus, sum.Claim.ExitCode, r.status, r.code)
			}
			if r.want != nil && sum.Output != hex.EncodeToString(r.want) {
				t.Fatalf("proven output %s, want %x", sum.Output, r.want)
			}
			t.Logf("%s: %d cycles proven", r.name, sum.Claim.Cycles)
			if code, out, errs := oneiros(t, dir, "--config", cfg, "verify", proof); code != 0 {
				t.Fatalf("verify: exit %d\n%s%s", code, out, errs)
			}
			if i == 0 { // a flipped byte is rejected
				b, _ := os.ReadFile(proof)
				b[len(b)/2] ^= 1
				bad := filepath.Join(work, "flipped.proof")
				os.WriteFile(bad, b, 0o644)
				if code, _, _ := oneiros(t, dir, "--config", cfg, "verify", bad); code != 1 {
					t.Fatalf("a flipped proof: exit %d, want 1", code)
				}
			}
		})
	}
	// execute --profile-cycles counts the cycles by WebAssembly instruction through the
	// plugin protocol's source map (text and JSON).
	in := filepath.Join(work, "abc.in")
	os.WriteFile(in, []byte("abc"), 0o644)
	code, out, errs := oneiros(t, dir, "execute", "--isa", "wasm", filepath.FromSlash("examples/c/sha256.wasm"), "--input", in, "--plugin-dir", dir, "-q", "--profile-cycles", "-o", "json")
	var ex struct {
		Profile struct {
			BySource         map[string]uint64 `json:"by_source"`
			SourceExecutions map[string]uint64 `json:"source_executions"`
		} `json:"profile"`
	}
	if code != 0 || json.Unmarshal(out, &ex) != nil || ex.Profile.BySource["i32.xor"] == 0 || ex.Profile.SourceExecutions["i32.add"] == 0 {
		t.Fatalf("execute --profile-cycles -o json: exit %d, %+v\n%s%s", code, ex.Profile, out, errs)
	}
	if code, out, _ := oneiros(t, dir, "execute", "--isa", "wasm", filepath.FromSlash("examples/c/sha256.wasm"), "--input", in, "--plugin-dir", dir, "-q", "--profile-cycles"); code != 0 || !bytes.Contains(out, []byte("CYCLES EACH")) || !bytes.Contains(out, []byte("i32.xor")) {
		t.Fatalf("execute --profile-cycles: exit %d\n%s", code, out)
	}
	// translate reports the normalized program, writes its encoding (-O) and prints its
	// assembly annotated with the source map (--disasm).
	enc := filepath.Join(work, "sha256.onrp")
	code, out, errs = oneiros(t, dir, "translate", "--isa", "wasm", filepath.FromSlash("examples/c/sha256.wasm"), "--plugin-dir", dir, "-O", enc, "-o", "json")
	var tr struct {
		ProgramID    string `json:"program_id"`
		Instructions int    `json:"instructions"`
		SourceLabels int    `json:"source_labels"`
	}
	if code != 0 || json.Unmarshal(out, &tr) != nil || tr.SourceLabels == 0 {
		t.Fatalf("translate -o json: exit %d, %+v\n%s%s", code, tr, out, errs)
	}
	b, err := os.ReadFile(enc)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := isa.Decode(b); err != nil || p.ID().String() != tr.ProgramID || len(p.Code) != tr.Instructions {
		t.Fatalf("translate -O: %v, or another program than the report's", err)
	}
	if code, out, _ := oneiros(t, dir, "translate", "--isa", "wasm", filepath.FromSlash("examples/c/sha256.wasm"), "--plugin-dir", dir, "--disasm"); code != 0 || !bytes.Contains(out, []byte("  ; i32.xor\n")) || !bytes.Contains(out, []byte("  ; (function prologue)\n")) {
		t.Fatalf("translate --disasm: exit %d\n%.2000s", code, out)
	}
	// A module with floating point is refused at load time, naming function and offset.
	code, _, errs = oneiros(t, dir, "execute", "--isa", "wasm", filepath.FromSlash("testdata/float.wasm"), "--plugin-dir", dir, "-q")
	if code != 2 || !bytes.Contains(errs, []byte("unsupported instruction f32.const")) || !bytes.Contains(errs, []byte("offset 0x")) {
		t.Fatalf("float module: exit %d, %s", code, errs)
	}
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}
