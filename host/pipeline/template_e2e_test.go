package pipeline_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestTemplateOutsideTheRepository does what a third party does with the frontend
// template: copy templates/frontend-plugin out of the repository, point its go.mod's
// replace at this checkout, build it with GOWORK=off (no workspace), drop the binary in
// a plugin directory, and run `oneiros plugins check`, prove a program of its ISA and
// verify the proof, prove a program that asks the host (a storage hook), and run the
// plugin's own conformance suite through the host.
func TestTemplateOutsideTheRepository(t *testing.T) {
	dir := buildPlugins(t)
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	copyDir := filepath.Join(t.TempDir(), "my-frontend")
	if out, err := exec.Command("cp", "-r", filepath.Join(root, "templates", "frontend-plugin"), copyDir).CombinedOutput(); err != nil {
		t.Fatalf("copy: %v\n%s", err, out)
	}
	gomod := filepath.Join(copyDir, "go.mod")
	b, err := os.ReadFile(gomod)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(?m)^replace github.com/oneiros-zk/oneiros => .*$`)
	if !re.Match(b) {
		t.Fatalf("the template's go.mod has no replace of the root module:\n%s", b)
	}
	os.WriteFile(gomod, re.ReplaceAll(b, []byte("replace github.com/oneiros-zk/oneiros => "+root)), 0o644)
	pluginDir := t.TempDir()
	// Bounded: a build that waits on the network (a module missing from the cache, a
	// proxy that does not answer) fails the test naming itself, not the package's timeout.
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	build := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(pluginDir, "oneiros-frontend-stack"), ".")
	build.Dir = copyDir
	build.Env = append(os.Environ(), "GOWORK=off", "CGO_ENABLED=0", "GOFLAGS=-mod=readonly")
	build.WaitDelay = 10 * time.Second
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("GOWORK=off go build of the copied template (%v): %v\n%s", ctx.Err(), err, out)
	}
	// The deep check: the conformance kit, then its example proven with the CPU backend.
	if code, out, errs := run("plugins", "--plugin-dir", dir, "check", filepath.Join(pluginDir, "oneiros-frontend-stack")); code != 0 ||
		!strings.Contains(out, "conforms") || !strings.Contains(out, "example double: 8 cycles proven on backend cpu") || !strings.Contains(out, "verified") {
		t.Fatalf("plugins check: exit %d\n%s%s", code, out, errs)
	}
	work := t.TempDir()
	prog, in, proof := filepath.Join(work, "double.stack"), filepath.Join(work, "in.bin"), filepath.Join(work, "double.proof")
	os.WriteFile(prog, []byte("read\ndup\nadd\nprint\npush 0\nhalt\n"), 0o644)
	os.WriteFile(in, []byte{0x15, 0, 0, 0}, 0o644)
	cfg := filepath.Join(work, "fast.yaml")
	os.WriteFile(cfg, []byte("engine:\n  num_queries: 24\n  min_security_bits: 30\n  min_provable_bits: 0\n"), 0o644)
	if code, out, errs := run("--config", cfg, "prove", "--isa", "stack", prog, "--input", in, "-o", proof, "--plugin-dir", pluginDir, "--plugin-dir", dir, "-q"); code != 0 {
		t.Fatalf("prove: exit %d\n%s%s", code, out, errs)
	}
	if code, out, errs := run("--config", cfg, "verify", proof); code != 0 || !strings.Contains(out, "verified") {
		t.Fatalf("verify: exit %d\n%s%s", code, out, errs)
	}

	// Host state: sload asks the template's storage hook in a loop (300 calls, about
	// 2100 cycles), proven as one segment and as three (continuations, 1024-cycle
	// segments, each making hook calls). Both verify, under one claim_root, and the claim
	// names the run's log of host answers.
	hooked := filepath.Join(work, "storage.stack")
	os.WriteFile(hooked, []byte("read\nloop:\ndup\nsload\nprint\npush 1\nsub\ndup\njnz loop\npush 0\nhalt\n"), 0o644)
	os.WriteFile(in, []byte{44, 1, 0, 0}, 0o644) // 300
	segCfg := filepath.Join(work, "segments.yaml")
	os.WriteFile(segCfg, []byte("engine:\n  num_queries: 24\n  min_security_bits: 30\n  min_provable_bits: 0\nsegments:\n  segment_cycles: 1024\n"), 0o644)
	roots := map[string]string{}
	for _, c := range []struct{ profile, cfg string }{{"standard", cfg}, {"continuations", segCfg}} {
		proof := filepath.Join(work, c.profile+".proof")
		if code, out, errs := run("--config", c.cfg, "prove", "--isa", "stack", hooked, "--input", in, "-o", proof, "--profile", c.profile,
			"--plugin-dir", pluginDir, "--plugin-dir", dir, "-q"); code != 0 {
			t.Fatalf("prove %s: exit %d\n%s%s", c.profile, code, out, errs)
		}
		code, out, errs := run("--config", c.cfg, "verify", proof)
		if code != 0 || !strings.Contains(out, "verified") || !strings.Contains(out, "hook_count    300 host answers") {
			t.Fatalf("verify %s: exit %d\n%s%s", c.profile, code, out, errs)
		}
		code, out, errs = run("inspect", proof, "-o", "json")
		var view struct {
			ClaimRoot string `json:"claim_root"`
			Segments  int    `json:"segments"`
			Claim     struct {
				HookCount  int    `json:"hook_count"`
				HookDigest string `json:"hook_digest"`
			} `json:"claim"`
		}
		if err := json.Unmarshal([]byte(out), &view); code != 0 || err != nil {
			t.Fatalf("inspect %s: exit %d, %v\n%s%s", c.profile, code, err, out, errs)
		}
		if want := map[string]int{"standard": 1, "continuations": 3}[c.profile]; view.Segments != want || view.Claim.HookCount != 300 {
			t.Fatalf("%s: %d segments (want %d), hook_count %d", c.profile, view.Segments, want, view.Claim.HookCount)
		}
		roots[c.profile] = view.ClaimRoot + " " + view.Claim.HookDigest
	}
	if roots["standard"] != roots["continuations"] {
		t.Fatalf("claim_root and hook_digest differ between profiles: %v", roots)
	}

	// Its own conformance suite, served by the plugin (protocol 1.4): the host knows
	// nothing of the format; one case proven and judged again on its proven output.
	code, out, errs := run("--config", cfg, "conformance", "stack", "--suite", filepath.Join(copyDir, "testdata", "suite"), "--prove", "1",
		"-o", "json", "--plugin-dir", pluginDir, "--plugin-dir", dir, "-q")
	var rep struct {
		ISA                  string
		Passed, Failed, Runs int
		Groups               []struct{ Name string }
		Proofs               []struct{ Verified bool }
	}
	if err := json.Unmarshal([]byte(out), &rep); code != 0 || err != nil {
		t.Fatalf("conformance: exit %d, %v\n%s%s", code, err, out, errs)
	}
	if rep.ISA != "stack" || rep.Passed != 4 || rep.Failed != 0 || rep.Runs != 4 || len(rep.Groups) != 2 || len(rep.Proofs) != 1 || !rep.Proofs[0].Verified {
		t.Fatalf("conformance report: %s", out)
	}
}
