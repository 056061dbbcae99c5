package machine

import (
	"bytes"
	"context"
	"crypto/sha256"
	"os"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/proving/hemera"
)

// TestISATourProves runs examples/isa_tour.s, which reaches every instruction class and
// the KECCAKF and SHA256_COMPRESS precompiles, checks its witness chip by chip (the
// SHA-256 tables among them), and proves and verifies it (fast parameters).
func TestISATourProves(t *testing.T) {
	src, err := os.ReadFile("../../examples/isa_tour.s")
	if err != nil {
		t.Fatal(err)
	}
	p := assemble(t, string(src))
	input := []byte{7, 0, 0, 0, 0xfd, 0xff, 0xff, 0xff, 0xaa}
	tables, st, msgs := witness(t, p, input)
	digest := sha256.Sum256([]byte("abc"))
	if out := st.Output; len(out) < 32 || !bytes.Equal(out[len(out)-32:], digest[:]) {
		t.Fatalf("isa_tour's output does not end with SHA-256(\"abc\") = %x", digest)
	}
	names := map[string]bool{}
	for _, tb := range tables {
		names[tb.AIR.Name] = true
	}
	if !names["sha256"] || !names["sha256_memory"] || !names["keccak"] {
		t.Fatalf("tables %v lack the precompiles'", names)
	}
	if err := chiptest.Check(tables, msgs); err != nil {
		t.Fatal(err)
	}
	e, err := hemera.New(chiptest.Params)
	if err != nil {
		t.Fatal(err)
	}
	m := New(e)
	_, recs, err := Execute(context.Background(), p, exec.Options{Input: input})
	if err != nil {
		t.Fatal(err)
	}
	keys, err := m.Setup(p)
	if err != nil {
		t.Fatal(err)
	}
	proof, err := m.Prove(keys, st, recs)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Verify(keys.VK, st, proof); err != nil {
		t.Fatal(err)
	}
	t.Logf("isa_tour: %d cycles, proof %d bytes", st.Cycles, len(proof.Encode()))
}
