package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/host/pipeline"
	"github.com/oneiros-zk/oneiros/host/plugin"
	"github.com/oneiros-zk/oneiros/host/plugin/plugintest"
	"github.com/oneiros-zk/oneiros/sdk/config"
	"github.com/oneiros-zk/oneiros/sdk/envelope"
)

// The tests of this file prove programs end to end through the real plugin processes
// (host pipeline → this frontend → CPU backend → host verifier).

// buildBinaries builds this plugin and the CPU backend into a temporary directory.
func buildBinaries(t *testing.T) string {
	return plugintest.Binaries(t, plugintest.Frontend("svm", "github.com/oneiros-zk/oneiros/plugins/svm"), plugintest.CPUBackend)
}

// fastConfig is plugintest.FastConfig: quick proofs, and the verifier is told the same
// minimum.
func fastConfig(t *testing.T) *config.Config { return plugintest.FastConfig(t) }

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
