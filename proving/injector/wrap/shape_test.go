package wrap

import (
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/stark"
	"github.com/oneiros-zk/oneiros/proving/stark/starktest"
)

// The wrap circuit opens every committed matrix: it refuses the shape of a proof that
// leaves out an optional table with preprocessed columns (whose preprocessed matrix is
// opened nowhere), which the recursion verifier supports; present, the table is fine.
func TestShapeAbsentPreprocessed(t *testing.T) {
	e, err := hemera.New(outerParams)
	if err != nil {
		t.Fatal(err)
	}
	b := air.NewBuilder("squares")
	x, m := b.Preprocessed("x"), b.Main("mult")
	b.Receive("x", air.Bus{ID: 9, Name: "squares"}, []air.Expr{x.Cur}, m.Cur)
	prep := [][]field.Elem{make([]field.Elem, 4)}
	rng := starktest.Range8(make([]uint64, 256))
	_, vk, err := e.Setup([]*air.AIR{rng.AIR, b.MustBuild()}, [][][]field.Elem{rng.Prep, prep}, []bool{false, true})
	if err != nil {
		t.Fatal(err)
	}
	publics := [][]field.Elem{nil, nil}
	if _, err := NewShape(vk, outerParams, []int{8, 2}, publics, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := NewShape(vk, outerParams, []int{8, stark.Absent}, publics, nil); err == nil || !strings.Contains(err.Error(), "wrap: table squares has preprocessed columns and is absent") {
		t.Fatalf("an absent table with preprocessed columns: %v", err)
	}
}
