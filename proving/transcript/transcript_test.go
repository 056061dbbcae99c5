package transcript

import (
	"fmt"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

func TestDeterministicAndSeparated(t *testing.T) {
	run := func(tag string, obs ...uint64) [3]field.Elem {
		c := New(tag)
		for _, o := range obs {
			c.Observe(field.New(o))
		}
		return [3]field.Elem{c.Sample(), c.Sample(), c.Sample()}
	}
	a := run("t", 1, 2, 3)
	if a != run("t", 1, 2, 3) {
		t.Fatal("not deterministic")
	}
	if a == run("u", 1, 2, 3) {
		t.Fatal("tag does not separate")
	}
	if a == run("t", 1, 2, 3, 0) {
		t.Fatal("trailing zero does not change the challenges")
	}
	if run("t", 1, 2, 3, 4, 5, 6, 7, 8) == run("t", 1, 2, 3, 4, 5, 6, 7) {
		t.Fatal("full and partial block collide")
	}
	if a[0] == a[1] || a[1] == a[2] {
		t.Fatal("consecutive samples repeat")
	}
}

func TestObserveAfterSampleChangesChallenges(t *testing.T) {
	c, d := New("t"), New("t")
	c.Sample()
	d.Sample()
	c.Observe(field.New(9))
	if c.Sample() == d.Sample() {
		t.Fatal("observation ignored")
	}
}

func TestGrinding(t *testing.T) {
	c := New("g")
	c.Observe(field.New(42))
	nonce := c.Grind(8)
	if !c.Clone().CheckWitness(8, nonce) {
		t.Fatal("grind result fails its check")
	}
	// Not every other nonce fails, but the search returns the smallest, so all
	// smaller ones must fail.
	for n := uint64(0); n < nonce.Uint64(); n++ {
		if c.Clone().CheckWitness(8, field.New(n)) {
			t.Fatalf("nonce %d passes but Grind returned %d", n, nonce.Uint64())
		}
	}
	for range 100 {
		if x := c.Clone().SampleBits(5); x < 0 || x >= 32 {
			t.Fatal("SampleBits out of range")
		}
	}
}

// TestGrindingRange: proof of work above MaxBits is never valid and never panics (a
// verifier may meet any bits value in a hostile envelope's parameters).
func TestGrindingRange(t *testing.T) {
	c := New("g")
	for bits := MaxBits + 1; bits <= 64; bits++ {
		for n := range uint64(4) {
			if c.Clone().CheckWitness(bits, field.New(n)) {
				t.Fatalf("%d bits: nonce %d accepted", bits, n)
			}
		}
	}
	if c.Clone().CheckWitness(-1, field.New(0)) {
		t.Fatal("negative bits accepted")
	}
	for _, bits := range []int{0, 5, 12, 14} {
		a, b := c.Grind(bits), c.GrindParallel(bits, 3)
		if a != b || !c.Clone().CheckWitness(bits, b) {
			t.Fatalf("%d bits: Grind %d, GrindParallel %d", bits, a.Uint64(), b.Uint64())
		}
	}
	defer func() {
		if recover() == nil {
			t.Fatal("Grind(25) did not refuse")
		}
	}()
	c.Grind(MaxBits + 1)
}

// The four configurations (degree 4 or 6, Narrow or Wide) give four different challenge
// streams on the same observations, each deterministic, and a Wide transcript absorbs
// 12 elements per permutation.
func TestConfigurationsSeparated(t *testing.T) {
	seen := map[field.Elem]string{}
	for _, d := range []int{field.ExtDegree4, field.ExtDegree6} {
		for _, s := range []hash.Scheme{hash.Narrow, hash.Wide} {
			run := func() field.Ext {
				c := NewFor("test", d, s)
				for i := range 30 {
					c.Observe(field.New(uint64(i)))
				}
				c.ObserveNode(hash.Node{field.New(1)})
				return c.SampleExt()
			}
			a, b := run(), run()
			if !a.Equal(&b) || a.Degree() != d {
				t.Fatalf("degree %d, %v: not deterministic or degree %d", d, s, a.Degree())
			}
			name := fmt.Sprintf("degree %d, %v", d, s)
			if other, ok := seen[a.Base()]; ok {
				t.Fatalf("%s and %s share a challenge", name, other)
			}
			seen[a.Base()] = name
		}
	}
	if New("x").Scheme() != hash.Narrow || New("x").ExtDegree() != 4 {
		t.Fatal("New is not degree 4, Narrow")
	}
}
