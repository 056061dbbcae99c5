package aggregate

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/recursion"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/verifyshape"
)

// TestReviewOuterExposedPositions: the positions Tree.Outer's groups expose in the
// wrap circuit (exposed: 6i + 2) are exactly the base coordinates of the outer
// program's public values in the statement's flattening, in the groups' order — with
// distinct values at every public, the flattening differs from the circuit's fixed
// statement exactly at the exposed positions, each holding its public's value — and
// the circuit's inputs for a statement of those values are the groups packed, as
// Outer.Statement computes them natively. A statement with a value outside the base
// field's coordinate 0 (an extension public) is refused natively.
func TestReviewOuterExposedPositions(t *testing.T) {
	f := testTree(t)
	st, err := ShapeTree(f.e, lay, TreeOptions{Depth: 3, JoinHeights: true})
	if err != nil {
		t.Fatal(err)
	}
	n := hash.DigestLen + 2*lay.K + lay.C // [vk_root | start | end | consts]
	// Groups of uneven sizes and order: the last public first, then the rest by threes.
	groups := [][]int{{n - 1}}
	for i := 0; i < n-1; i += 3 {
		var g []int
		for j := i; j < min(i+3, n-1); j++ {
			g = append(g, j)
		}
		groups = append(groups, g)
	}
	o, err := st.Outer(testOuterParams, nil, groups...)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.vk.Publics) != n {
		t.Fatalf("%d public values, want %d", len(o.vk.Publics), n)
	}
	sh, err := o.WrapShape()
	if err != nil {
		t.Fatal(err)
	}
	if sh.Inputs == nil || len(sh.Inputs.Groups) != len(groups) {
		t.Fatal("the wrap shape exposes no inputs, or not one per group")
	}
	rng := rand.New(rand.NewPCG(41, 43))
	pub := make([]field.Ext, n)
	vals := make([]field.Elem, n)
	for i := range pub {
		vals[i] = field.New(1 + rng.Uint64N(field.Modulus-1))
		pub[i] = field.NewExt(vals[i])
	}
	msgs := recursion.Messages(o.vk.Publics, pub)
	flat := verifyshape.Statement(make([][]field.Elem, recursion.NumTables), msgs)
	exposedAt := map[int]bool{}
	for g, grp := range groups {
		for j, i := range grp {
			pos := sh.Inputs.Groups[g][j]
			if flat[pos] != vals[i] {
				t.Fatalf("group %d element %d: position %d holds %v, not public value %d", g, j, pos, flat[pos], i)
			}
			exposedAt[pos] = true
		}
	}
	for pos := range flat {
		if !exposedAt[pos] && flat[pos] != sh.Inputs.Fixed[pos] {
			t.Fatalf("position %d (not exposed) differs from the circuit's constant: a value outside the exposed positions", pos)
		}
	}
	ins, err := sh.StatementInputs(make([][]field.Elem, recursion.NumTables), msgs)
	if err != nil {
		t.Fatal(err)
	}
	native, err := statementInputs(o.vk.Publics, pub, groups)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ins, native) {
		t.Fatal("the circuit's inputs for the statement are not statementInputs' packing")
	}
	// An extension public value: statementInputs refuses it, and the circuit's
	// StatementInputs refuses its non-zero coordinate (a fixed element).
	ext := slices.Clone(pub)
	co := make([]field.Elem, 4)
	co[0], co[1] = vals[0], field.New(1)
	ext[0] = field.ExtFromCoords(co)
	if _, err := statementInputs(o.vk.Publics, ext, groups); err == nil {
		t.Fatal("statementInputs took an extension public value")
	}
	if _, err := sh.StatementInputs(make([][]field.Elem, recursion.NumTables), recursion.Messages(o.vk.Publics, ext)); err == nil {
		t.Fatal("the circuit's StatementInputs took an extension public value")
	}
}
