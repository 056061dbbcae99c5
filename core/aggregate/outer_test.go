package aggregate

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oneiros-zk/oneiros/core/chips/recursion"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	ir "github.com/oneiros-zk/oneiros/proving/recursion"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// testOuterParams are fast outer-hash parameters for the tests (1 query: the tests
// check completeness and the rejection of cheating provers, not the security level).
var testOuterParams = hemera.Params{FRI: fri.Params{LogBlowup: 1, NumQueries: 1, GrindingBits: 2, LogArity: 2, LogFinalPolyLen: 1,
	Hash: hash.Outer}, Workers: 2}

var (
	outerOnce sync.Once
	theOuter  *Outer
	outerErr  error
)

// testOuter is the outer layer of the test tree at testOuterParams, made once.
func testOuter(t testing.TB) (*fixture, *Outer) {
	t.Helper()
	f := testTree(t)
	outerOnce.Do(func() {
		t0 := time.Now()
		theOuter, outerErr = f.tree.Outer(testOuterParams, nil)
		if outerErr == nil {
			t.Logf("outer layer: %d instructions, heights %v, set up in %.2fs", len(theOuter.Program().Insts), theOuter.Heights(), time.Since(t0).Seconds())
		}
	})
	if outerErr != nil {
		t.Fatal(outerErr)
	}
	return f, theOuter
}

// fourRoot is the root of TestAggregateFour's four leaves: (1,2) → (6,8), constant 7.
func (f *fixture) fourRoot(t testing.TB) *Node {
	t.Helper()
	root, err := f.tree.Aggregate([]*Node{f.leaf(t, 0, 1, 2), f.leaf(t, 1, 2, 3), f.leaf(t, 0, 4, 6), f.leaf(t, 0, 5, 7)})
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func exts(xs ...uint64) []field.Ext {
	out := make([]field.Ext, len(xs))
	for i, x := range xs {
		out[i] = field.NewExt(field.New(x))
	}
	return out
}

func sameExts(a, b []field.Ext) bool {
	return slices.EqualFunc(a, b, func(x, y field.Ext) bool { return x.Equal(&y) })
}

// TestOuter proves the outer layer on a root of joins and on a leaf as the root, and
// verifies both natively: the outputs are the root's [start | end | constants] and
// vk_root the tree's.
func TestOuter(t *testing.T) {
	f, o := testOuter(t)
	if n, j := len(o.Program().Insts), len(f.tree.JoinProgram().Insts); n >= j {
		t.Errorf("the outer program has %d instructions, the join %d", n, j)
	}
	for _, c := range []struct {
		name string
		root *Node
		want []field.Ext
	}{
		{"joins", f.fourRoot(t), exts(1, 2, 6, 8, 7)},
		{"a leaf", f.leaf(t, 1, 2, 3), exts(2, 3, 4, 6, 7)},
	} {
		t0 := time.Now()
		p, err := o.Prove(c.root)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		t.Logf("%s: outer proof in %.2fs", c.name, time.Since(t0).Seconds())
		out, err := o.Verify(p)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !sameExts(out, c.want) {
			t.Fatalf("%s: outputs %v, want %v", c.name, out, c.want)
		}
		// Another vk_root in the publics: the proof is of another statement.
		pub := slices.Clone(p.Publics)
		pub[0] = field.NewExt(field.New(1))
		if _, err := o.Verify(&OuterProof{Proof: p.Proof, Publics: pub}); !errors.Is(err, stark.ErrInvalidProof) {
			t.Fatalf("%s: another vk_root: %v", c.name, err)
		}
		pub = slices.Clone(p.Publics)
		pub[hash.DigestLen+2] = field.NewExt(field.New(9))
		if _, err := o.Verify(&OuterProof{Proof: p.Proof, Publics: pub}); !errors.Is(err, stark.ErrInvalidProof) {
			t.Fatalf("%s: another end: %v", c.name, err)
		}
	}
}

// outerFailure executes the outer program on a cheating prover's stream and requires
// the execution to fail at a check whose label starts with want ("" for any).
func outerFailure(t *testing.T, o *Outer, name string, root hash.Digest, ch child, want string) {
	t.Helper()
	in, err := o.stream(root, ch)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	_, err = o.Program().Execute(in)
	var ee *ir.ExecError
	if !errors.As(err, &ee) {
		t.Fatalf("%s: the outer program executed (%v)", name, err)
	}
	if !strings.HasPrefix(ee.Label, want) {
		t.Fatalf("%s: failed at %q (%v), want a failure at %q", name, ee.Label, ee, want)
	}
}

// TestOuterCheatingProvers: a root under a key outside the allowlist, a forged public
// value of the root, a root proof that does not verify, and a vk_root other than the
// root's make the outer program fail to execute (the recursion AIR set proves exactly
// the executions); Prove refuses what it sees before proving.
func TestOuterCheatingProvers(t *testing.T) {
	f, o := testOuter(t)
	root := f.tree.Root()
	a := f.leaf(t, 0, 1, 2)
	b := f.leaf(t, 1, 2, 3)
	honest := f.honestChild(a)
	in, err := o.stream(root, honest)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.Program().Execute(in); err != nil {
		t.Fatalf("the honest stream: %v", err)
	}

	// A program set up at the tree's heights but not allowed: its proof verifies under
	// its own key, whose entry is on no path to vk_root.
	evil, pub, err := proveEvil(f, root)
	if err != nil {
		t.Fatal(err)
	}
	for k := range f.tree.keys {
		bits, sibs := f.tree.allow.path(k)
		c := child{vk: f.evilVK, bits: bits, sibs: sibs, publics: pub, proof: evil}
		outerFailure(t, o, "a key outside the allowlist", root, c, "outer: root: allowlist")
	}

	// A forged public value: a's proof with another end.
	forged := f.honestChild(a)
	forged.publics = slices.Clone(a.Publics)
	forged.publics[hash.DigestLen+lay.K] = field.NewExt(field.New(99))
	outerFailure(t, o, "a forged end", root, forged, "")
	if _, err := o.Prove(&Node{Key: a.Key, Proof: a.Proof, Publics: forged.publics}); err == nil {
		t.Fatal("Prove accepted a root with a forged end")
	}

	// A proof that does not verify: b's proof under a's key and publics.
	wrong := f.honestChild(a)
	wrong.proof = b.Proof
	outerFailure(t, o, "another proof", root, wrong, "")
	if _, err := o.Prove(&Node{Key: a.Key, Proof: b.Proof, Publics: a.Publics}); err == nil {
		t.Fatal("Prove accepted a root whose proof does not verify")
	}

	// Another vk_root than the root's: the link fails (and Prove refuses it).
	other := root
	other[0] = field.New(5)
	outerFailure(t, o, "another vk_root", other, honest, "outer: root: allowlist")
	pub2 := slices.Clone(a.Publics)
	pub2[0] = field.NewExt(field.New(5))
	if _, err := o.Prove(&Node{Key: a.Key, Proof: a.Proof, Publics: pub2}); err == nil || !strings.Contains(err.Error(), "vk_root") {
		t.Fatalf("Prove of a root of another vk_root: %v", err)
	}
	// A leaf key's path for the join's root (another key's entry).
	j, err := f.tree.Join(a, b)
	if err != nil {
		t.Fatal(err)
	}
	mixed := f.honestChild(j)
	mixed.bits, mixed.sibs = f.tree.allow.path(0)
	outerFailure(t, o, "another key's path", root, mixed, "outer: root: allowlist")
}

// proveEvil proves the not-allowed program (toyLeaf(3)) from (1, 2) with constant 7
// under vk_root root.
func proveEvil(f *fixture, root hash.Digest) (*stark.Proof, []field.Ext, error) {
	return recursion.Prove(f.e, f.evilPK, leafInputs(root, []uint64{1, 2}, []uint64{7}))
}

// TestOuterFinish: a finishing callback maps the root's cells to other outputs (here
// start₀ + end₀ and the constants), after vk_root.
func TestOuterFinish(t *testing.T) {
	f := testTree(t)
	o, err := f.tree.Outer(testOuterParams, func(b *ir.Builder, c *Cells) []ir.Var {
		return append([]ir.Var{b.Add(c.Start[0], c.End[0])}, c.Consts...)
	})
	if err != nil {
		t.Fatal(err)
	}
	p, err := o.Prove(f.leaf(t, 0, 1, 2)) // (1,2) → (2,3)
	if err != nil {
		t.Fatal(err)
	}
	out, err := o.Verify(p)
	if err != nil {
		t.Fatal(err)
	}
	if !sameExts(out, exts(3, 7)) {
		t.Fatalf("outputs %v, want [3 7]", out)
	}
}

// TestOuterRefusals: parameters the wrap circuit does not verify are refused.
func TestOuterRefusals(t *testing.T) {
	f := testTree(t)
	for name, p := range map[string]hemera.Params{
		"narrow hash": testParams,
		"zk":          func() hemera.Params { p := testOuterParams; p.FRI.ZK = true; return p }(),
		"degree 6":    func() hemera.Params { p := testOuterParams; p.FRI.ExtDegree = 6; return p }(),
		"floors":      func() hemera.Params { p := testOuterParams; p.MinSecurityBits = 100; return p }(),
	} {
		if _, err := f.tree.Outer(p, nil); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
