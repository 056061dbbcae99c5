package wasm_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/oneiros-zk/oneiros/host/cli"
	"github.com/oneiros-zk/oneiros/host/conformance/wasm"
	"github.com/oneiros-zk/oneiros/host/plugin"
	"github.com/oneiros-zk/oneiros/sdk/config"
)

// suiteDir finds ../shared/conformance/wasm next to the repository ("" when absent).
func suiteDir(t *testing.T) string {
	wd, _ := os.Getwd()
	for d := wd; filepath.Dir(d) != d; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.work")); err == nil {
			s := filepath.Join(d, "..", "shared", "conformance", "wasm")
			if _, err := os.Stat(s); err == nil {
				return s
			}
			break
		}
	}
	t.Skip("no shared WebAssembly conformance suite")
	return ""
}

func buildPlugins(t *testing.T, prove bool) string {
	t.Helper()
	dir := t.TempDir()
	bins := map[string]string{"oneiros-frontend-wasm": "github.com/oneiros-zk/oneiros/plugins/wasm"}
	if prove {
		bins["oneiros-backend-cpu"] = "github.com/oneiros-zk/oneiros/backends/cpu"
	}
	for name, pkg := range bins {
		cmd := exec.Command("go", "build", "-o", filepath.Join(dir, name), pkg)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("building %s: %v\n%s", name, err, out)
		}
	}
	return dir
}

// TestRunThroughPlugin runs a few files of the suite through the real plugin process,
// proves one passing case, and checks the report.
func TestRunThroughPlugin(t *testing.T) {
	suite := suiteDir(t)
	dir := buildPlugins(t, true)
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Engine.NumQueries, cfg.Engine.MinSecurityBits, cfg.Engine.MinProvableBits = 24, 30, 0
	rep, err := wasm.Run(context.Background(), wasm.Options{Suite: suite, Plugins: plugin.Options{Dirs: []string{dir}},
		Filter: "int_literals", Measure: true, Prove: 1, Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed != 0 || rep.Passed == 0 {
		t.Fatalf("passed %d, failed %d: %v", rep.Passed, rep.Failed, rep.Failures)
	}
	if len(rep.Groups) != 1 || rep.Groups[0].WasmInstructions == 0 || rep.CyclesPerInstruction == 0 {
		t.Fatalf("groups %+v, cycles per instruction %v", rep.Groups, rep.CyclesPerInstruction)
	}
	if len(rep.Proofs) != 1 || !rep.Proofs[0].Verified {
		t.Fatalf("proofs: %+v", rep.Proofs)
	}
}

// TestCLI runs `oneiros conformance wasm -o json` on a file with assertions of every kind
// (traps, malformed, invalid, float-flagged) and on a missing suite.
func TestCLI(t *testing.T) {
	suite := suiteDir(t)
	dir := buildPlugins(t, false)
	var out, errb bytes.Buffer
	code := cli.Main([]string{"conformance", "wasm", "--suite", suite, "--run", "traps", "-o", "json", "--plugin-dir", dir, "-q"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errb.String())
	}
	var rep struct {
		Passed, Failed, Skipped *int
		Groups                  []struct {
			Name    string `json:"name"`
			Passed  int    `json:"passed"`
			Skipped int    `json:"skipped"`
		} `json:"groups"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if rep.Passed == nil || rep.Failed == nil || rep.Skipped == nil || *rep.Failed != 0 || *rep.Passed == 0 || *rep.Skipped == 0 ||
		len(rep.Groups) != 1 || rep.Groups[0].Name != "traps" {
		t.Fatalf("report: %s", out.String())
	}
	out.Reset()
	if code := cli.Main([]string{"conformance", "wasm", "--suite", filepath.Join(t.TempDir(), "none"), "--plugin-dir", dir, "-q"}, &out, &errb); code != 2 {
		t.Fatalf("missing suite: exit %d, want 2", code)
	}
	if code := cli.Main([]string{"conformance", "nosuch"}, &out, &errb); code != 2 {
		t.Fatalf("unknown ISA: exit %d, want 2", code)
	}
}
