package evm_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/oneiros-zk/oneiros/host/cli"
)

// buildPlugins builds the EVM frontend and the CPU backend into a temporary directory.
func buildPlugins(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, pkg := range map[string]string{
		"oneiros-frontend-evm": "github.com/oneiros-zk/oneiros/plugins/evm",
		"oneiros-backend-cpu":  "github.com/oneiros-zk/oneiros/backends/cpu",
	} {
		cmd := exec.Command("go", "build", "-o", filepath.Join(dir, name), pkg)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("building %s: %v\n%s", name, err, out)
		}
	}
	return dir
}

func suite(t *testing.T) string {
	d := filepath.Join("..", "..", "..", "..", "shared", "conformance", "evm")
	if _, err := os.Stat(filepath.Join(d, "cases.json")); err != nil {
		t.Skip("no shared EVM suite next to the repository")
	}
	return d
}

func run(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := cli.Main(args, &out, &errb)
	return code, out.String(), errb.String()
}

// TestConformanceThroughPlugins runs the state tests through the real plugin processes
// (a sample in short mode), proves one, and proves and verifies a Solidity ERC-20
// transfer with `oneiros prove`.
func TestConformanceThroughPlugins(t *testing.T) {
	dir := buildPlugins(t)
	args := []string{"conformance", "evm", "--suite", suite(t), "--plugin-dir", dir, "-o", "json", "--prove", "1"}
	if testing.Short() {
		args = append(args, "--run", "^(add_d0|sstore_sload|log1_d0|RevertOpcodeCalls_d0|MCOPY_d0)")
	}
	code, out, errs := run(args...)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	var rep struct {
		Passed, Failed, Skipped, Proved int
		Groups                          map[string]map[string]int
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Failed != 0 || rep.Passed == 0 || rep.Proved != 1 || len(rep.Groups) == 0 {
		t.Fatalf("report %+v", rep)
	}
	if !testing.Short() && rep.Passed != 425 {
		t.Fatalf("%d of 425 cases passed", rep.Passed)
	}

	// A Solidity ERC-20 transfer, proven and verified.
	proof := filepath.Join(t.TempDir(), "transfer.proof")
	src := filepath.Join("..", "..", "..", "examples", "evm", "token_transfer.json")
	if code, out, errs := run("prove", "--isa", "evm", src, "--plugin-dir", dir, "-q", "-o", proof); code != 0 {
		t.Fatalf("prove: exit %d\n%s\n%s", code, out, errs)
	}
	if code, out, errs := run("verify", proof); code != 0 {
		t.Fatalf("verify: exit %d\n%s\n%s", code, out, errs)
	}
	// A bad suite directory is bad input.
	if code, _, _ := run("conformance", "evm", "--suite", t.TempDir(), "--plugin-dir", dir); code != 2 {
		t.Fatalf("missing suite: exit %d, want 2", code)
	}
}
