package merkle

import (
	"reflect"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/hash"
)

// TestDroppedLayersOpenTheSame: a tree that drops its bottom layers answers every query
// exactly as the tree that keeps them (the path recomputed from the rows), for trees of
// mixed heights with matrices injected at the dropped levels, salted and not, and trees
// shorter than the layers dropped.
func TestDroppedLayersOpenTheSame(t *testing.T) {
	defer func(d int) { DroppedLayers = d }(DroppedLayers)
	salted := testMatrix(3, 64, 11)
	salted.Salt = testMatrix(2, 64, 12).Cols
	for _, mats := range [][]Matrix{
		{testMatrix(5, 64, 1)},
		{testMatrix(5, 64, 1), testMatrix(3, 32, 2), testMatrix(2, 16, 3), testMatrix(4, 8, 4), testMatrix(1, 1, 5)},
		{salted, testMatrix(2, 32, 13)},
		{testMatrix(3, 2, 6), testMatrix(2, 1, 7)},
		{testMatrix(3, 1, 8)},
		{testMatrix(1, 16, 9), testMatrix(2, 8, 10), testMatrix(9, 4, 14)},
	} {
		DroppedLayers = 0
		full, err := Commit(mats, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range []int{1, 2, 3, 9} {
			DroppedLayers = d
			tr, err := Commit(mats, 2)
			if err != nil {
				t.Fatal(err)
			}
			if tr.Root() != full.Root() {
				t.Fatalf("dropping %d layers changes the root", d)
			}
			if want := min(d, tr.LogHeight()); tr.dropped != want {
				t.Fatalf("%d layers dropped, want %d", tr.dropped, want)
			}
			for k := range tr.dropped {
				if tr.layers[k] != nil {
					t.Fatalf("layer %d kept", k)
				}
			}
			for idx := range 1 << tr.LogHeight() {
				got, want := tr.Open(idx), full.Open(idx)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("%d layers dropped, index %d: the opening differs", d, idx)
				}
				if err := Verify(hash.Narrow, tr.Root(), tr.Dims(), idx, got); err != nil {
					t.Fatalf("%d layers dropped, index %d: %v", d, idx, err)
				}
			}
		}
	}
}
