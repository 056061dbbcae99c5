package conformance_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/oneiros-zk/oneiros/host/cli"
	"github.com/oneiros-zk/oneiros/host/conformance"
	"github.com/oneiros-zk/oneiros/host/plugin"
	"github.com/oneiros-zk/oneiros/host/plugin/plugintest"
)

// The tests of this file drive the real plugin process through the host's generic
// runner (host/conformance) and command (`oneiros conformance svm`).

var (
	buildOnce sync.Once
	buildDir  string
	buildErr  error
)

// buildPlugins builds the sBPF frontend and the CPU backend into a temporary directory,
// once for all the tests.
func buildPlugins(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() { buildDir, buildErr = build() })
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildDir
}

func build() (string, error) {
	dir, err := os.MkdirTemp("", "svm-conformance-plugins")
	if err != nil {
		return "", err
	}
	return dir, plugintest.BinariesInto(dir, plugintest.Frontend("svm", "github.com/oneiros-zk/oneiros/plugins/svm"), plugintest.CPUBackend)
}

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// testGroups are the groups of testdata/suite in report order.
var testGroups = []string{"instr/v0/alu", "instr/v0/jump", "instr/v0/load", "instr/v0/opcode", "instr/v3/jump", "elf/v0/exec",
	"elf/v0/load"}

// TestRunner runs a small suite of hand-written cases (every kind of expectation, both
// parts) through the real plugin process with the host's generic runner.
func TestRunner(t *testing.T) {
	dir := buildPlugins(t)
	rep, err := conformance.Run(context.Background(), conformance.Options{ISA: "svm", Suite: "testdata/suite",
		Plugins: plugin.Options{Dirs: []string{dir}}, AllCases: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed != 0 || rep.Passed != 9 || rep.Skipped != 0 || rep.Runs != 9 {
		t.Fatalf("passed %d, failed %d, skipped %d, runs %d: %+v", rep.Passed, rep.Failed, rep.Skipped, rep.Runs, rep.Failures)
	}
	var names []string
	for _, g := range rep.Groups {
		names = append(names, g.Name)
	}
	if !slices.Equal(names, testGroups) {
		t.Fatalf("groups %v, want %v", names, testGroups)
	}
	// The filter reaches the plugin: a group name, then a case id.
	rep, err = conformance.Run(context.Background(), conformance.Options{ISA: "svm", Suite: "testdata/suite",
		Plugins: plugin.Options{Dirs: []string{dir}}, Filter: "elf/"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Passed != 2 || len(rep.Groups) != 2 {
		t.Fatalf("filter elf/: passed %d, groups %d", rep.Passed, len(rep.Groups))
	}
}

// TestCommand runs `oneiros conformance svm` with JSON output and proofs: each is
// proven, verified, and its proven outcome judged by the plugin again.
func TestCommand(t *testing.T) {
	dir := buildPlugins(t)
	work := t.TempDir()
	cfg := filepath.Join(work, "fast.yaml")
	// Fewer queries keep the proofs quick; the verifier is told the same minimum.
	os.WriteFile(cfg, []byte("engine:\n  num_queries: 24\n  min_security_bits: 30\n  min_provable_bits: 0\n"), 0o644)
	proofs := 2
	if testing.Short() {
		proofs = 1
	}
	var out, errb strings.Builder
	code := cli.Main([]string{"--config", cfg, "conformance", "svm", "--suite", "testdata/suite", "--plugin-dir", dir,
		"--backend", "cpu", "-o", "json", "--prove", fmt.Sprint(proofs), "-q"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errb.String())
	}
	var rep conformance.Report
	if err := json.Unmarshal([]byte(out.String()), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if rep.ISA != "svm" || rep.Passed != 9 || rep.Failed != 0 || len(rep.Groups) != len(testGroups) || len(rep.Proofs) != proofs {
		t.Fatalf("report %+v", rep)
	}
	for i, p := range rep.Proofs {
		// The groups in turn: the first proof from the first group, the second from the next.
		if !p.Verified || p.Cycles == 0 || p.Group != testGroups[i] {
			t.Fatalf("proof %+v", p)
		}
	}
	// A missing suite is bad input (exit 2).
	if code := cli.Main([]string{"conformance", "svm", "--suite", filepath.Join(work, "none"), "--plugin-dir", dir, "-q"}, &out, &errb); code != 2 {
		t.Fatalf("missing suite: exit %d", code)
	}
	// So is a directory without the suite's files: the plugin refuses it.
	errb.Reset()
	if code := cli.Main([]string{"conformance", "svm", "--suite", work, "--plugin-dir", dir, "-q"}, &out, &errb); code != 2 ||
		!strings.Contains(errb.String(), "neither instr/sbpf_v*.json nor elf/cases.json") {
		t.Fatalf("empty suite: exit %d: %s", code, errb.String())
	}
}

// TestSharedSuite runs the shared suite when the checkout has it next to it.
func TestSharedSuite(t *testing.T) {
	suite := "../../../../shared/conformance/svm"
	if _, err := os.Stat(suite); err != nil {
		t.Skip("no shared suite")
	}
	dir := buildPlugins(t)
	rep, err := conformance.Run(context.Background(), conformance.Options{ISA: "svm", Suite: suite,
		Plugins: plugin.Options{Dirs: []string{dir}}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed != 0 || rep.Passed < 2006 || len(rep.Groups) != 17 {
		t.Fatalf("passed %d, failed %d, %d groups: %+v", rep.Passed, rep.Failed, len(rep.Groups), rep.Failures)
	}
}
