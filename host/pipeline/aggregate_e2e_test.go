package pipeline_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/sdk/envelope"
)

// TestAggregateThroughPlugins proves a run in three segments through the plugins,
// aggregates the envelope with `oneiros aggregate` at the production aggregation
// parameters, and checks the aggregated envelope: it verifies with the same claim_root,
// any edit of its proof is rejected (exit 1), and an aggregated envelope or a broken
// segment envelope is refused.
func TestAggregateThroughPlugins(t *testing.T) {
	dir := buildPlugins(t)
	work := t.TempDir()
	prog := filepath.Join(work, "p.s")
	src := `.fp 0x1000
main:   ecall read, [8]
        mov   [12], 0
loop:   add   [12], [12], 1
        ecall write, [12], 1
        bltu  [12], 800, loop
        ecall write, [8], 4
        halt  7
`
	if err := os.WriteFile(prog, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(work, "in.bin")
	os.WriteFile(in, []byte{1, 2, 3, 4, 5}, 0o644)
	cfg := filepath.Join(work, "seg.yaml")
	// Cheap segment proofs (the aggregation's parameters are its own, at 100 bits).
	os.WriteFile(cfg, []byte("engine:\n  num_queries: 24\n  min_security_bits: 30\n  min_provable_bits: 0\nsegments:\n  segment_cycles: 1024\n"), 0o644)
	proof := filepath.Join(work, "p.proof")
	if code, out, errs := run("--config", cfg, "prove", "--isa", "asm", prog, "--input", in, "--profile", "continuations", "-o", proof, "--plugin-dir", dir, "-q"); code != 0 {
		t.Fatalf("prove: exit %d\n%s%s", code, out, errs)
	}
	agg := filepath.Join(work, "p.agg")
	code, out, errs := run("--config", cfg, "aggregate", proof, "-o", agg, "--format", "json")
	if code != 0 {
		t.Fatalf("aggregate: exit %d\n%s%s", code, out, errs)
	}
	var view struct {
		ClaimRoot  string `json:"claim_root"`
		Segments   int    `json:"aggregated_segments"`
		Security   int    `json:"security_bits"`
		Aggregated any    `json:"aggregation"`
	}
	if err := json.Unmarshal([]byte(out), &view); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if view.Segments < 3 || view.Aggregated == nil || view.Security < 30 { // the weakest layer: the 24-query segment proofs
		t.Fatalf("aggregate: %+v", view)
	}
	pb, _ := os.ReadFile(proof)
	penv, err := envelope.Decode(pb)
	if err != nil {
		t.Fatal(err)
	}
	if view.ClaimRoot != penv.Claim.Root().String() {
		t.Fatalf("claim_root %s, the segments' %s", view.ClaimRoot, penv.Claim.Root())
	}
	code, out, errs = run("--config", cfg, "verify", agg)
	if code != 0 || !strings.Contains(out, "verified") || !strings.Contains(out, view.ClaimRoot) || !strings.Contains(out, "aggregated") {
		t.Fatalf("verify: exit %d\n%s%s", code, out, errs)
	}
	// Edits of the aggregated proof, the checksum recomputed: rejected.
	ab, _ := os.ReadFile(agg)
	aenv, err := envelope.Decode(ab)
	if err != nil {
		t.Fatal(err)
	}
	p := aenv.Proofs[0]
	edits := []int{1, 10, 200, len(p) / 3, len(p) / 2, len(p) - 5}
	if testing.Short() { // each edit is a verification of the aggregated proof
		edits = []int{10, len(p) / 2}
	}
	for _, i := range edits {
		e := *aenv
		q := append([]byte(nil), p...)
		q[i] ^= 0x04
		e.Proofs = [][]byte{q}
		f := filepath.Join(work, "edited.agg")
		os.WriteFile(f, e.Encode(), 0o644)
		if code, _, errs := run("--config", cfg, "verify", f); code != 1 {
			t.Errorf("aggregated proof byte %d of %d edited: exit %d, want 1 (%s)", i, len(p), code, errs)
		}
	}
	// Another claim on the same aggregated proof: rejected.
	e := *aenv
	e.Claim.ExitCode++
	f := filepath.Join(work, "claim.agg")
	os.WriteFile(f, e.Encode(), 0o644)
	if code, _, errs := run("--config", cfg, "verify", f); code != 1 || !strings.Contains(errs, "exit code") {
		t.Errorf("another exit code: exit %d, want 1 naming it (%s)", code, errs)
	}
	// Aggregating an aggregated envelope is bad input; a segment proof that does not
	// verify is a rejection naming the segment.
	if code, _, errs := run("--config", cfg, "aggregate", agg, "-o", filepath.Join(work, "again.agg")); code != 2 || !strings.Contains(errs, "aggregated already") {
		t.Errorf("aggregating an aggregated envelope: exit %d, want 2 (%s)", code, errs)
	}
	bad := *penv
	bad.Proofs = append([][]byte(nil), penv.Proofs...)
	q := append([]byte(nil), bad.Proofs[1]...)
	q[len(q)/2] ^= 1
	bad.Proofs[1] = q
	f = filepath.Join(work, "bad.proof")
	os.WriteFile(f, bad.Encode(), 0o644)
	if code, _, errs := run("--config", cfg, "aggregate", f, "-o", filepath.Join(work, "bad.agg")); code != 1 || !strings.Contains(errs, "segment 1") {
		t.Errorf("a broken segment proof: exit %d, want 1 naming segment 1 (%s)", code, errs)
	}
	// The wrap's refusals before any work (the wrap itself: make test-wrap): under the
	// defaults' 100 provable bits (naming the preset), without keys (naming the set-up
	// command), of segment proofs; export solidity without keys, export calldata of an
	// envelope that is not wrapped.
	none := filepath.Join(work, "no-keys")
	snark := filepath.Join(work, "p.snark")
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"the defaults' floor", []string{"wrap", agg, "-o", snark, "--keys", none}, "--preset wrap"},
		{"no keys", []string{"--config", cfg, "wrap", agg, "-o", snark, "--keys", none}, "oneiros wrap setup"},
		{"no keys, the preset", []string{"--preset", "wrap", "wrap", agg, "-o", snark, "--keys", none}, "oneiros wrap setup"},
		{"segment proofs", []string{"--config", cfg, "wrap", proof, "-o", snark, "--keys", none}, "aggregate it first"},
		{"export solidity without keys", []string{"--preset", "wrap", "export", "solidity", "-o", filepath.Join(work, "V.sol"), "--keys", none}, "oneiros wrap setup"},
		{"export calldata of an aggregated envelope", []string{"export", "calldata", agg}, "not a wrapped envelope"},
	} {
		if code, _, errs := run(c.args...); code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("%s: exit %d, want 2 naming %q (%s)", c.name, code, c.want, errs)
		}
	}
	if _, err := os.Stat(snark); err == nil {
		t.Error("a refused wrap wrote its output")
	}
}
