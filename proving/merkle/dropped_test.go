package merkle

import (
	"reflect"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/hash"
)

// TestDroppedLayersOpenTheSame: a tree that drops its bottom layers answers every query
// exactly as the tree that keeps them (the path recomputed from the rows), for trees of
// mixed heights with matrices injected at the dropped levels, salted and not, and trees
// shorter than the layers dropped; whatever the number of leaves whose dropped layers
// are built at a time (bottomChunk: one chunk, chunks below the 8- and 16-row batches of
// the vector kernels, chunks of several batches).
func TestDroppedLayersOpenTheSame(t *testing.T) {
	defer func(d, c int) { DroppedLayers, bottomChunk = d, c }(DroppedLayers, bottomChunk)
	salted := testMatrix(3, 64, 11)
	salted.Salt = testMatrix(2, 64, 12).Cols
	for _, mats := range [][]Matrix{
		{testMatrix(5, 64, 1)},
		{testMatrix(5, 64, 1), testMatrix(3, 32, 2), testMatrix(2, 16, 3), testMatrix(4, 8, 4), testMatrix(1, 1, 5)},
		{salted, testMatrix(2, 32, 13)},
		{testMatrix(3, 2, 6), testMatrix(2, 1, 7)},
		{testMatrix(3, 1, 8)},
		{testMatrix(1, 16, 9), testMatrix(2, 8, 10), testMatrix(9, 4, 14)},
		{testMatrix(5, 512, 15), testMatrix(3, 256, 16), testMatrix(2, 128, 17), testMatrix(7, 32, 18)},
	} {
		DroppedLayers, bottomChunk = 0, 1<<20
		full, err := Commit(mats, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, dc := range [][2]int{{0, 2}, {0, 16}, {1, 1 << 20}, {2, 1 << 20}, {3, 1 << 20}, {9, 1 << 20},
			{1, 2}, {2, 4}, {3, 8}, {3, 16}, {3, 64}, {2, 128}, {9, 8}} {
			d := dc[0]
			DroppedLayers, bottomChunk = d, dc[1]
			tr, err := Commit(mats, 2)
			if err != nil {
				t.Fatal(err)
			}
			if tr.Root() != full.Root() {
				t.Fatalf("dropping %d layers (chunks of %d leaves) changes the root", d, dc[1])
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
					t.Fatalf("%d layers dropped (chunks of %d leaves), index %d: the opening differs", d, dc[1], idx)
				}
				if err := Verify(hash.Narrow, tr.Root(), tr.Dims(), idx, got); err != nil {
					t.Fatalf("%d layers dropped, index %d: %v", d, idx, err)
				}
			}
		}
	}
}
