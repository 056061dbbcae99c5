//go:build cuda

package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/oneiros-zk/oneiros/host/cli"
	"github.com/oneiros-zk/oneiros/sdk/backend"
)

// buildPlugins builds the asm frontend, the CPU backend and this backend (with the cuda
// tag, linked against the ICICLE libraries CGO_LDFLAGS names: make test-cuda sets it).
func buildPlugins(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, b := range []struct{ name, pkg, tags, cgo string }{
		{"oneiros-frontend-asm", "github.com/oneiros-zk/oneiros/plugins/asm", "", "0"},
		{"oneiros-backend-cpu", "github.com/oneiros-zk/oneiros/backends/cpu", "", "0"},
		{"oneiros-backend-cuda", "github.com/oneiros-zk/oneiros/backends/cuda", "cuda", "1"},
	} {
		cmd := exec.Command("go", "build", "-tags", b.tags, "-o", filepath.Join(dir, b.name), b.pkg)
		cmd.Env = append(os.Environ(), "CGO_ENABLED="+b.cgo)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("building %s: %v\n%s", b.name, err, out)
		}
	}
	return dir
}

func oneiros(t *testing.T, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if code := cli.Main(args, &out, &errb); code != 0 {
		t.Fatalf("oneiros %v: exit %d\n%s%s", args, code, out.String(), errb.String())
	}
	return out.String()
}

type inspected struct {
	ProofDigest string `json:"proof_digest"`
	ClaimRoot   string `json:"claim_root"`
	Meta        struct {
		Backend string `json:"backend"`
		Device  string `json:"device"`
	} `json:"meta"`
}

// prove proves an example (examples/NAME.s) with its input on the embedded defaults with
// the given backend flags and returns what inspect -o json says of the envelope.
func prove(t *testing.T, plugins, work, example string, input []byte, flags ...string) inspected {
	t.Helper()
	proof := filepath.Join(work, example+"-"+flags[1]+".proof")
	in := filepath.Join(work, example+".in")
	if err := os.WriteFile(in, input, 0o644); err != nil {
		t.Fatal(err)
	}
	oneiros(t, append([]string{"prove", "--isa", "asm", filepath.Join("..", "..", "examples", example+".s"), "--input", in,
		"-o", proof, "--plugin-dir", plugins, "-q"}, flags...)...)
	oneiros(t, "verify", proof)
	var v inspected
	if err := json.Unmarshal([]byte(oneiros(t, "inspect", proof, "-o", "json")), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// A full proof made on ICICLE's CPU device through the real plugin processes is the CPU
// backend's, byte for byte: the same proof_digest. And --backend auto keeps the CPU
// backend on a machine without a GPU even when this plugin is installed.
func TestProofMatchesCPUBackend(t *testing.T) {
	plugins := buildPlugins(t)
	work := t.TempDir()
	sortIn, err := os.ReadFile(filepath.Join("..", "..", "examples", "sort.in"))
	if err != nil {
		t.Fatal(err)
	}
	type example struct {
		name  string
		input []byte
	}
	examples := []example{{"sort", sortIn}}
	if !testing.Short() { // every instruction, both precompiles: the widest set of tables
		examples = append(examples, example{"isa_tour", []byte{5, 0, 0, 0, 7, 0, 0, 0}})
	}
	for _, ex := range examples {
		ref := prove(t, plugins, work, ex.name, ex.input, "--backend", "cpu")
		got := prove(t, plugins, work, ex.name, ex.input, "--backend", "cuda", "--device", "cpu")
		if got.Meta.Backend != "cuda" || got.Meta.Device != "cpu" {
			t.Errorf("%s: proven by %+v, want backend cuda on device cpu", ex.name, got.Meta)
		}
		if got.ProofDigest != ref.ProofDigest || got.ClaimRoot != ref.ClaimRoot {
			t.Errorf("%s: proof_digest %s (claim_root %s) on ICICLE's CPU device, %s (%s) on the CPU backend", ex.name, got.ProofDigest, got.ClaimRoot, ref.ProofDigest, ref.ClaimRoot)
		}
		t.Logf("%s: proof_digest %s on both backends", ex.name, got.ProofDigest)
	}
	gpu := false
	for _, d := range mustDescribe(t).Devices {
		gpu = gpu || (d.Kind == "cuda" && d.Available)
	}
	auto := prove(t, plugins, work, "sort", sortIn, "--backend", "auto")
	if want := map[bool]string{false: "cpu", true: "cuda"}[gpu]; auto.Meta.Backend != want {
		t.Errorf("--backend auto chose %s; want %s (GPU available: %v)", auto.Meta.Backend, want, gpu)
	}
}

func mustDescribe(t *testing.T) *backend.Description {
	t.Helper()
	d, err := cudaBackend{}.Describe(t.Context(), backend.DescribeRequest{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}
