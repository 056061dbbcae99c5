package pipeline_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/sdk/envelope"
)

// TestPresetSecure128ThroughPlugins proves a run with --preset secure128 through the
// real plugin processes, verifies it (128 provable bits printed), inspects it (degree 6
// and the Wide hash in the JSON), and checks that the envelope relabelled with either
// default parameter is rejected, that a default proof fails secure128's floors, and
// that an unknown preset is bad input.
func TestPresetSecure128ThroughPlugins(t *testing.T) {
	dir := buildPlugins(t)
	work := t.TempDir()
	prog, in := tinyIORun(t, work)
	proof := filepath.Join(work, "p.proof")
	if code, out, errs := run("--preset", "secure128", "prove", "--isa", "asm", prog, "--input", in, "-o", proof, "--plugin-dir", dir, "-q"); code != 0 {
		t.Fatalf("prove: exit %d\n%s%s", code, out, errs)
	}
	b, err := os.ReadFile(proof)
	if err != nil {
		t.Fatal(err)
	}
	env, err := envelope.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if env.Params.ExtDegree != 6 || env.Params.Hash != hash.Wide || env.Params.NumQueries != 270 {
		t.Fatalf("secure128 made an envelope with %+v", env.Params)
	}
	code, out, errs := run("--preset", "secure128", "verify", proof)
	if code != 0 || !strings.Contains(out, "verified") || !strings.Contains(out, "provable") {
		t.Fatalf("verify: exit %d\n%s%s", code, out, errs)
	}
	m := regexp.MustCompile(`security\s+\d+ bits conjectured, (\d+) provable`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("verify prints no security line:\n%s", out)
	}
	if bits, _ := strconv.Atoi(m[1]); bits < 128 {
		t.Errorf("verify prints %d provable bits, want ≥ 128:\n%s", bits, out)
	}
	if code, out, _ := run("inspect", proof, "-o", "json"); code != 0 || !strings.Contains(out, `"ext_degree": 6`) || !strings.Contains(out, `"hash": "poseidon2-w24"`) {
		t.Fatalf("inspect -o json: exit %d\n%s", code, out)
	}
	for name, edit := range map[string]func(p *envelope.Params){
		"relabelled degree 4":   func(p *envelope.Params) { p.ExtDegree = 4 },
		"relabelled Narrow":     func(p *envelope.Params) { p.Hash = hash.Narrow },
		"relabelled both":       func(p *envelope.Params) { p.ExtDegree, p.Hash = 4, hash.Narrow },
		"fewer queries claimed": func(p *envelope.Params) { p.NumQueries = 200 },
	} {
		e, _ := envelope.Decode(b)
		edit(&e.Params)
		bad := filepath.Join(work, "bad.proof")
		os.WriteFile(bad, e.Encode(), 0o644)
		if code, _, errs := run("verify", bad); code != 1 {
			t.Errorf("%s: exit %d, want 1 (%s)", name, code, errs)
		}
	}
	// A default proof does not meet secure128's floors.
	plain := filepath.Join(work, "plain.proof")
	if code, out, errs := run("prove", "--isa", "asm", prog, "--input", in, "-o", plain, "--plugin-dir", dir, "-q"); code != 0 {
		t.Fatalf("prove (defaults): exit %d\n%s%s", code, out, errs)
	}
	if code, out, errs := run("--preset", "secure128", "verify", plain); code != 1 || !strings.Contains(out+errs, "128") {
		t.Errorf("a default proof under secure128's floors: exit %d, want 1 naming the floor\n%s%s", code, out, errs)
	}
	if code, _, errs := run("--preset", "nope", "verify", plain); code != 2 || !strings.Contains(errs, "secure128") {
		t.Errorf("unknown preset: exit %d, want 2 listing the presets (%s)", code, errs)
	}
}
