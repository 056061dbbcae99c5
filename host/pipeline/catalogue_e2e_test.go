package pipeline_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/core/machine"
	"github.com/oneiros-zk/oneiros/sdk/envelope"
)

// catalogueShapes is the catalogue index of each segment proof of an envelope (−1: not
// a catalogue shape).
func catalogueShapes(t *testing.T, env *envelope.Envelope) []int {
	t.Helper()
	cat, err := machine.New(nil).CatalogueV1()
	if err != nil {
		t.Fatal(err)
	}
	var out []int
	for i, b := range env.Proofs {
		sp, err := machine.DecodeSegmentProof(b)
		if err != nil {
			t.Fatalf("segment %d: %v", i, err)
		}
		out = append(out, cat.Index(machine.ShapeOfSegment(sp)))
	}
	return out
}

// TestCatalogueThroughPlugins proves runs with segments.shapes: catalogue through the
// plugins: under continuations at 2^12, under the standard profile and under
// distributed (an embedded NATS server and local workers) every segment proof has a
// shape of the catalogue and the envelope verifies; a segment size that is no class of
// the catalogue is refused before proving.
func TestCatalogueThroughPlugins(t *testing.T) {
	dir := buildPlugins(t)
	work := t.TempDir()
	prog, in, cfg := mixSetup(t, work, 1000, "segments:\n  shapes: catalogue\n  segment_cycles: 4096\n") // about 11,000 cycles
	for _, profile := range []string{"continuations", "standard", "distributed"} {
		proof := filepath.Join(work, profile+".proof")
		if code, out, errs := run("--config", cfg, "prove", "--isa", "asm", prog, "--input", in, "-o", proof, "--profile", profile, "--plugin-dir", dir, "-q"); code != 0 {
			t.Fatalf("%s: prove exit %d\n%s%s", profile, code, out, errs)
		}
		if code, out, errs := run("--config", cfg, "verify", proof); code != 0 {
			t.Fatalf("%s: verify exit %d\n%s%s", profile, code, out, errs)
		}
		env := readEnvelope(t, proof)
		shapes := catalogueShapes(t, env)
		for i, s := range shapes {
			if s < 0 {
				t.Fatalf("%s: segment %d is not a catalogue shape", profile, i)
			}
		}
		t.Logf("%s: %d cycles in %d segments, catalogue shapes %v", profile, env.Claim.Cycles, len(shapes), shapes)
	}
	for name, c := range map[string]struct {
		extra, profile, want string
	}{
		"segments of 2^11":  {"segments:\n  shapes: catalogue\n  segment_cycles: 2048\n", "continuations", "segments.segment_cycles is 2048"},
		"an unknown choice": {"segments:\n  shapes: tidy\n", "continuations", "segments.shapes"},
	} {
		f := filepath.Join(work, "bad.yaml")
		b, _ := os.ReadFile(filepath.Join(work, "fast.yaml"))
		os.WriteFile(f, append(b[:strings.Index(string(b), "segments:")], []byte(c.extra)...), 0o644)
		code, out, errs := run("--config", f, "prove", "--isa", "asm", prog, "--input", in, "-o", filepath.Join(work, "bad.proof"), "--profile", c.profile, "--plugin-dir", dir, "-q")
		if code == 0 || !strings.Contains(errs, c.want) {
			t.Fatalf("%s: exit %d, want an error naming %q\n%s%s", name, code, c.want, out, errs)
		}
		t.Logf("%s: %s", name, strings.TrimSpace(errs))
	}
}

// TestCatalogueAggregateThroughPlugins (ONEIROS_CATALOGUE_E2E=1: it sets up the
// catalogue's leaves at the production aggregation parameters the first time, minutes,
// and keeps them under $XDG_CACHE_HOME/oneiros/catalogue) aggregates a run proven with
// segments.shapes: catalogue: the aggregated proof is over the catalogue's allowlist,
// its vk_root is the one `oneiros aggregate --catalogue-root` prints, it verifies with
// the run's claim_root; a run of natural shapes aggregates over its own allowlist,
// whose root is another.
func TestCatalogueAggregateThroughPlugins(t *testing.T) {
	if os.Getenv("ONEIROS_CATALOGUE_E2E") != "1" {
		t.Skip("ONEIROS_CATALOGUE_E2E=1 runs it (the catalogue's leaves at the production aggregation parameters: minutes the first time)")
	}
	dir := buildPlugins(t)
	work := t.TempDir()
	// The default engine parameters: the catalogue's leaf keys are those of --catalogue-root
	// under the defaults (another segment parameter set is another allowlist to set up).
	prog, in, _ := mixSetup(t, work, 1000, "")
	cfg := filepath.Join(work, "catalogue.yaml")
	os.WriteFile(cfg, []byte("segments:\n  shapes: catalogue\n  segment_cycles: 4096\n"), 0o644)
	natCfg := filepath.Join(work, "natural.yaml")
	os.WriteFile(natCfg, []byte("segments:\n  segment_cycles: 4096\n"), 0o644)
	code, out, errs := run("--config", cfg, "aggregate", "--catalogue-root", "--format", "json")
	if code != 0 {
		t.Fatalf("aggregate --catalogue-root: exit %d\n%s%s", code, out, errs)
	}
	var root struct {
		Root    string  `json:"vk_root"`
		Seconds float64 `json:"seconds"`
	}
	if err := json.Unmarshal([]byte(out), &root); err != nil {
		t.Fatal(err)
	}
	t.Logf("catalogue root %s (%.1fs)", root.Root, root.Seconds)
	roots := map[string]string{}
	for name, c := range map[string]string{"catalogue": cfg, "natural": natCfg} {
		proof, agg := filepath.Join(work, name+".proof"), filepath.Join(work, name+".agg")
		if code, out, errs := run("--config", c, "prove", "--isa", "asm", prog, "--input", in, "-o", proof, "--profile", "continuations", "--plugin-dir", dir, "-q"); code != 0 {
			t.Fatalf("%s: prove exit %d\n%s%s", name, code, out, errs)
		}
		code, out, errs := run("--config", c, "aggregate", proof, "-o", agg, "--format", "json", "-q")
		if code != 0 {
			t.Fatalf("%s: aggregate exit %d\n%s%s", name, code, out, errs)
		}
		var view struct {
			Catalogue string  `json:"catalogue"`
			Seconds   float64 `json:"aggregate_seconds"`
		}
		if err := json.Unmarshal([]byte(out), &view); err != nil {
			t.Fatal(err)
		}
		if (view.Catalogue == "v1") != (name == "catalogue") {
			t.Fatalf("%s: aggregated over catalogue %q", name, view.Catalogue)
		}
		if code, out, errs := run("--config", c, "verify", agg); code != 0 || !strings.Contains(out, "verified") {
			t.Fatalf("%s: verify exit %d\n%s%s", name, code, out, errs)
		}
		env := readEnvelope(t, agg)
		a, err := machine.DecodeAggregated(env.Proofs[0])
		if err != nil {
			t.Fatal(err)
		}
		pub, err := machine.LeafLayout.Decode(a.Root.Publics)
		if err != nil {
			t.Fatal(err)
		}
		roots[name] = pub.Root.String()
		t.Logf("%s: aggregated in %.1fs, vk_root %s", name, view.Seconds, pub.Root)
	}
	if roots["catalogue"] != root.Root {
		t.Fatalf("the catalogue run's vk_root %s is not the catalogue's %s", roots["catalogue"], root.Root)
	}
	if roots["natural"] == root.Root {
		t.Fatal("the natural run's vk_root is the catalogue's")
	}
}
