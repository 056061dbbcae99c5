package conformance_test

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/oneiros-zk/oneiros/host/cli"
	hostconf "github.com/oneiros-zk/oneiros/host/conformance"
	"github.com/oneiros-zk/oneiros/host/plugin"
	"github.com/oneiros-zk/oneiros/host/plugin/plugintest"
	"github.com/oneiros-zk/oneiros/plugins/evm/internal/suitetest"
)

// suiteDir is the shared state-test suite (suitetest.Dir).
func suiteDir(t testing.TB) string { return suitetest.Dir(t) }

// buildPlugins builds the EVM frontend, and the CPU backend to prove, into a temporary
// directory.
func buildPlugins(t *testing.T, prove bool) string {
	bins := []plugintest.Binary{plugintest.Frontend("evm", "github.com/oneiros-zk/oneiros/plugins/evm")}
	if prove {
		bins = append(bins, plugintest.CPUBackend)
	}
	return plugintest.Binaries(t, bins...)
}

// TestThroughPlugin runs a group of the suite (all of it without -short) through the
// real plugin process and the host's generic runner, proves one passing case and has
// its proven outcome judged.
func TestThroughPlugin(t *testing.T) {
	s := suiteDir(t)
	dir := buildPlugins(t, true)
	cfg := plugintest.FastConfig(t)
	o := hostconf.Options{ISA: "evm", Suite: s, Plugins: plugin.Options{Dirs: []string{dir}}, Prove: 1, Config: cfg, AllCases: true}
	if testing.Short() {
		o.Filter = "sha3"
	}
	rep, err := hostconf.Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failed != 0 || rep.Passed == 0 || rep.Skipped != 0 || rep.Runs != rep.Passed {
		t.Fatalf("passed %d, failed %d, skipped %d, runs %d: %v", rep.Passed, rep.Failed, rep.Skipped, rep.Runs, rep.Failures)
	}
	if !testing.Short() && rep.Passed != 425 {
		t.Fatalf("%d of 425 cases passed", rep.Passed)
	}
	for _, c := range rep.Cases {
		if c.Details["gas_used"] == "" || c.Details["tx_status"] == "" || c.Details["cycles"] == "" {
			t.Fatalf("case %s has details %v", c.ID, c.Details)
		}
	}
	if len(rep.Proofs) != 1 || !rep.Proofs[0].Verified || rep.Proofs[0].ClaimRoot == "" {
		t.Fatalf("proofs: %+v", rep.Proofs)
	}
}

// TestCLI runs `oneiros conformance evm -o json --all` on a group, and on a missing
// suite and an empty directory (bad input, exit 2).
func TestCLI(t *testing.T) {
	s := suiteDir(t)
	dir := buildPlugins(t, false)
	var out, errb bytes.Buffer
	code := cli.Main([]string{"conformance", "evm", "--suite", s, "--run", "storage", "--all", "-o", "json", "--plugin-dir", dir, "-q"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errb.String())
	}
	var rep struct {
		ISA                     string `json:"isa"`
		Passed, Failed, Skipped *int
		Groups                  []struct {
			Name   string `json:"name"`
			Passed int    `json:"passed"`
		} `json:"groups"`
		Cases []struct {
			ID      string            `json:"id"`
			Status  string            `json:"status"`
			Details map[string]string `json:"details"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if rep.ISA != "evm" || rep.Passed == nil || rep.Failed == nil || *rep.Failed != 0 || *rep.Passed == 0 ||
		len(rep.Groups) != 1 || rep.Groups[0].Name != "storage" || len(rep.Cases) != *rep.Passed {
		t.Fatalf("report: %s", out.String())
	}
	for _, c := range rep.Cases {
		if c.Status != "passed" || c.Details["gas_used"] == "" || c.Details["tx_status"] == "" || c.Details["cycles"] == "" {
			t.Fatalf("case %+v", c)
		}
	}
	for _, suite := range []string{filepath.Join(t.TempDir(), "none"), t.TempDir()} {
		if code := cli.Main([]string{"conformance", "evm", "--suite", suite, "--plugin-dir", dir, "-q"}, &out, &errb); code != 2 {
			t.Fatalf("suite %s: exit %d, want 2", suite, code)
		}
	}
}

// TestProveToken proves and verifies a Solidity ERC-20 transfer through the plugin
// processes with `oneiros prove` and `oneiros verify`.
func TestProveToken(t *testing.T) {
	dir := buildPlugins(t, true)
	proof := filepath.Join(t.TempDir(), "transfer.proof")
	src := filepath.Join("..", "..", "..", "examples", "evm", "token_transfer.json")
	var out, errb bytes.Buffer
	if code := cli.Main([]string{"prove", "--isa", "evm", src, "--plugin-dir", dir, "-q", "-o", proof}, &out, &errb); code != 0 {
		t.Fatalf("prove: exit %d\n%s%s", code, out.String(), errb.String())
	}
	if code := cli.Main([]string{"verify", proof}, &out, &errb); code != 0 {
		t.Fatalf("verify: exit %d\n%s%s", code, out.String(), errb.String())
	}
}
