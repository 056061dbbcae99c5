package transcript

import (
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// The transcript under the new options: a Narrow transcript observes only a node's 8
// elements (so its callers must refuse padded Narrow nodes, which stark.Verify and
// merkle.Verify do), a Wide one all 12; the rate boundaries of the Wide sponge (11, 12,
// 13 observations) give different challenges; a wrong-degree ObserveExt is refused by
// a panic (an invariant the verifiers guard with their degree checks first).
func TestTranscriptNewOptionsAttack(t *testing.T) {
	var a, b hash.Node
	for i := range a {
		a[i] = field.New(uint64(i + 1))
	}
	b = a
	b[10].SetUint64(99)
	sample := func(s hash.Scheme, n hash.Node) field.Elem {
		c := NewFor("t", 6, s)
		c.ObserveNode(n)
		return c.Sample()
	}
	if sample(hash.Narrow, a) != sample(hash.Narrow, b) {
		t.Fatal("a Narrow transcript observed element 10")
	}
	if sample(hash.Wide, a) == sample(hash.Wide, b) {
		t.Fatal("a Wide transcript ignored element 10")
	}
	seen := map[field.Elem]int{}
	for _, k := range []int{0, 11, 12, 13, 24} {
		c := NewFor("t", 6, hash.Wide)
		for i := range k {
			c.Observe(field.New(uint64(i)))
		}
		x := c.Sample()
		if j, ok := seen[x]; ok {
			t.Fatalf("%d and %d observations give one challenge", j, k)
		}
		seen[x] = k
	}
	// A Clone of a Wide transcript continues identically, and it does not share buffers.
	c := NewFor("t", 6, hash.Wide)
	c.Observe(field.New(5))
	d := c.Clone()
	x, y := c.SampleExt(), d.SampleExt()
	if !x.Equal(&y) || x.Degree() != 6 {
		t.Fatal("a clone diverged")
	}
	c.Observe(field.New(1))
	d.Observe(field.New(2))
	if x, y := c.Sample(), d.Sample(); x == y {
		t.Fatal("clones share state")
	}
	for _, tc := range []struct {
		d int
		e field.Ext
	}{
		{4, field.ExtFromCoords(make([]field.Elem, 6))},
		{6, field.ExtFromCoords(make([]field.Elem, 4))},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("a degree-%d transcript observed a degree-%d element", tc.d, tc.e.Degree())
				}
			}()
			NewFor("t", tc.d, hash.Narrow).ObserveExt(tc.e)
		}()
	}
	// A base element is observed as its degree-d image by either transcript.
	for _, dg := range []int{4, 6} {
		c1, c2 := NewFor("t", dg, hash.Wide), NewFor("t", dg, hash.Wide)
		co := make([]field.Elem, dg)
		co[0] = field.New(7)
		c1.ObserveExt(field.NewExt(field.New(7)))
		c2.ObserveExt(field.ExtFromCoords(co))
		if c1.Sample() != c2.Sample() {
			t.Fatalf("degree %d: a base element observed differently from its image", dg)
		}
	}
}

// The configuration names the tag digest's domain, not the tag's text: a tag that ends
// in "/ext6" (or "/poseidon2-w24") under the default configuration does not start in the
// state of the bare tag under the other configuration.
func TestTagSuffixAmbiguityAttack(t *testing.T) {
	for _, c := range []struct {
		tag string
		d   int
		s   hash.Scheme
	}{{"x/ext6", 6, hash.Narrow}, {"x/poseidon2-w24", 4, hash.Wide}, {"x/ext6/poseidon2-w24", 6, hash.Wide}} {
		a, b := NewFor(c.tag, 4, hash.Narrow), NewFor("x", c.d, c.s)
		if a.Sample() == b.Sample() {
			t.Errorf("NewFor(%q, 4, Narrow) and NewFor(\"x\", %d, %v) share their first challenge", c.tag, c.d, c.s)
		}
	}
}
