package svm_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/host/cli"
	svmconf "github.com/oneiros-zk/oneiros/host/conformance/svm"
	"github.com/oneiros-zk/oneiros/host/pipeline"
	"github.com/oneiros-zk/oneiros/host/plugin"
	"github.com/oneiros-zk/oneiros/sdk/config"
	"github.com/oneiros-zk/oneiros/sdk/envelope"
)

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
	for name, pkg := range map[string]string{
		"oneiros-frontend-svm": "github.com/oneiros-zk/oneiros/plugins/svm",
		"oneiros-backend-cpu":  "github.com/oneiros-zk/oneiros/backends/cpu",
	} {
		cmd := exec.Command("go", "build", "-o", filepath.Join(dir, name), pkg)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("building %s: %v\n%s", name, err, out)
		}
	}
	return dir, nil
}

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// TestRunner runs a small suite of hand-written cases (every kind of expectation, both
// parts) through the real plugin process.
func TestRunner(t *testing.T) {
	dir := buildPlugins(t)
	rep, err := svmconf.Run(context.Background(), svmconf.Options{Suite: "testdata/suite", Plugins: plugin.Options{Dirs: []string{dir}}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed != 0 || rep.Passed != 9 || rep.Skipped != 0 {
		t.Fatalf("passed %d, failed %d, skipped %d: %+v", rep.Passed, rep.Failed, rep.Skipped, rep.Failures)
	}
	if len(rep.Groups) != 7 {
		t.Fatalf("groups %+v", rep.Groups)
	}
}

// TestCommand runs `oneiros conformance svm` with JSON output and two proofs.
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
		"-o", "json", "--prove", fmt.Sprint(proofs), "-q"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errb.String())
	}
	var rep struct {
		Passed, Failed, Skipped int
		Groups                  []map[string]any
		Proofs                  []struct {
			ID       string
			Verified bool
			Cycles   uint64
		}
	}
	if err := json.Unmarshal([]byte(out.String()), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if rep.Passed != 9 || rep.Failed != 0 || len(rep.Groups) == 0 || len(rep.Proofs) != proofs {
		t.Fatalf("report %+v", rep)
	}
	for _, p := range rep.Proofs {
		if !p.Verified || p.Cycles == 0 {
			t.Fatalf("proof %+v", p)
		}
	}
	// A missing suite is bad input (exit 2).
	if code := cli.Main([]string{"conformance", "svm", "--suite", filepath.Join(work, "none"), "--plugin-dir", dir, "-q"}, &out, &errb); code != 2 {
		t.Fatalf("missing suite: exit %d", code)
	}
}

// TestSharedSuite runs the shared suite when the checkout has it next to it.
func TestSharedSuite(t *testing.T) {
	suite := "../../../../shared/conformance/svm"
	if _, err := os.Stat(suite); err != nil {
		t.Skip("no shared suite")
	}
	dir := buildPlugins(t)
	rep, err := svmconf.Run(context.Background(), svmconf.Options{Suite: suite, Plugins: plugin.Options{Dirs: []string{dir}}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed != 0 || rep.Passed < 2006 {
		t.Fatalf("passed %d, failed %d: %+v", rep.Passed, rep.Failed, rep.Failures)
	}
}

// TestProveFault proves a hostile program that never ends: the budget runs out, the run
// ends in TRAP with ExceededMaxInstructions (1), and that outcome is proven and verified.
func TestProveFault(t *testing.T) {
	dir := buildPlugins(t)
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Overlay("fast", []byte("engine:\n  num_queries: 24\n  min_security_bits: 30\n  min_provable_bits: 0\n")); err != nil {
		t.Fatal(err)
	}
	// A container (docs/svm.md): TEXT = ja -1; exit, sBPF v0, budget 50, empty input.
	src := []byte("OSVM\x01\x00\x00\x00")
	sec := func(id byte, p []byte) {
		src = append(src, id)
		src = binary.LittleEndian.AppendUint32(src, uint32(len(p)))
		src = append(src, p...)
	}
	sec(2, []byte{0, 0x05, 0, 0xff, 0xff, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0})
	sec(5, binary.LittleEndian.AppendUint64(nil, 50))
	sec(8, []byte{0})
	res, err := pipeline.Prove(context.Background(), &pipeline.Request{ISA: "svm", Source: src, FileName: "loop.osvm",
		Profile: "standard", Config: cfg, Plugins: plugin.Options{Dirs: []string{dir}}})
	if err != nil {
		t.Fatal(err)
	}
	c := res.Envelope.Claim
	if isa.ExitStatus(c.ExitStatus) != isa.StatusTrap || c.ExitCode != 1 {
		t.Fatalf("claim: exit %v code %d", isa.ExitStatus(c.ExitStatus), c.ExitCode)
	}
}

// TestProveExamples proves the example Solana programs (C, built with clang and lld)
// end to end through the plugins, and checks that the claims bind their outputs.
func TestProveExamples(t *testing.T) {
	dir := buildPlugins(t)
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Overlay("fast", []byte("engine:\n  num_queries: 24\n  min_security_bits: 30\n  min_provable_bits: 0\n")); err != nil {
		t.Fatal(err)
	}
	examples := []string{"transfer", "counter"}
	if testing.Short() {
		examples = examples[:1]
	}
	for _, name := range examples {
		base := filepath.Join("..", "..", "..", "plugins", "svm", "examples", name)
		src, err1 := os.ReadFile(base + ".so")
		input, err2 := os.ReadFile(base + ".in")
		want, err3 := os.ReadFile(base + ".out")
		if err := errors.Join(err1, err2, err3); err != nil {
			t.Fatal(err)
		}
		res, err := pipeline.Prove(context.Background(), &pipeline.Request{ISA: "svm", Source: src, FileName: name + ".so",
			Input: input, Profile: "standard", Config: cfg, Plugins: plugin.Options{Dirs: []string{dir}}})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		env := res.Envelope
		if isa.ExitStatus(env.Claim.ExitStatus) != isa.StatusHalted || !bytes.Equal(env.Output, want) {
			t.Fatalf("%s: exit %v, output %x", name, isa.ExitStatus(env.Claim.ExitStatus), env.Output)
		}
		if env.Claim.OutputDigest != envelope.OutputDigest(want) {
			t.Fatalf("%s: the claim does not bind the output", name)
		}
	}
}
