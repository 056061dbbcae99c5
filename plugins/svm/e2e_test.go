package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/host/pipeline"
	"github.com/oneiros-zk/oneiros/host/plugin"
	"github.com/oneiros-zk/oneiros/sdk/config"
	"github.com/oneiros-zk/oneiros/sdk/envelope"
)

// The tests of this file prove programs end to end through the real plugin processes
// (host pipeline → this frontend → CPU backend → host verifier).

// buildBinaries builds this plugin and the CPU backend into a temporary directory.
func buildBinaries(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, pkg := range map[string]string{
		"oneiros-frontend-svm": "github.com/oneiros-zk/oneiros/plugins/svm",
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

// fastConfig is the default configuration with fewer queries: quick proofs, and the
// verifier is told the same minimum.
func fastConfig(t *testing.T) *config.Config {
	t.Helper()
	cfg, err := config.Default()
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Overlay("fast", []byte("engine:\n  num_queries: 24\n  min_security_bits: 30\n  min_provable_bits: 0\n")); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestProveThroughPlugins proves a hostile program that never ends (the budget runs
// out: TRAP with ExceededMaxInstructions, 1) and the example Solana programs (C, built
// with clang and lld), and checks that the claims bind their outcomes and outputs.
func TestProveThroughPlugins(t *testing.T) {
	dir := buildBinaries(t)
	cfg := fastConfig(t)
	opts := plugin.Options{Dirs: []string{dir}}
	t.Run("fault", func(t *testing.T) {
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
			Profile: "standard", Config: cfg, Plugins: opts})
		if err != nil {
			t.Fatal(err)
		}
		c := res.Envelope.Claim
		if isa.ExitStatus(c.ExitStatus) != isa.StatusTrap || c.ExitCode != 1 {
			t.Fatalf("claim: exit %v code %d", isa.ExitStatus(c.ExitStatus), c.ExitCode)
		}
	})
	examples := []string{"transfer", "counter"}
	if testing.Short() {
		examples = examples[:1]
	}
	for _, name := range examples {
		t.Run(name, func(t *testing.T) {
			base := filepath.Join("examples", name)
			src, err1 := os.ReadFile(base + ".so")
			input, err2 := os.ReadFile(base + ".in")
			want, err3 := os.ReadFile(base + ".out")
			if err := errors.Join(err1, err2, err3); err != nil {
				t.Fatal(err)
			}
			res, err := pipeline.Prove(context.Background(), &pipeline.Request{ISA: "svm", Source: src, FileName: name + ".so",
				Input: input, Profile: "standard", Config: cfg, Plugins: opts})
			if err != nil {
				t.Fatal(err)
			}
			env := res.Envelope
			if isa.ExitStatus(env.Claim.ExitStatus) != isa.StatusHalted || !bytes.Equal(env.Output, want) {
				t.Fatalf("exit %v, output %x", isa.ExitStatus(env.Claim.ExitStatus), env.Output)
			}
			if env.Claim.OutputDigest != envelope.OutputDigest(want) {
				t.Fatal("the claim does not bind the output")
			}
		})
	}
}
