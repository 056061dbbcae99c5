package air

import "testing"

func TestNewTrace(t *testing.T) {
	for rows, want := range map[int]int{0: 1, 1: 1, 2: 2, 3: 4, 1024: 1024, 1025: 2048} {
		if got := Height(rows); got != want {
			t.Errorf("Height(%d) = %d, want %d", rows, got, want)
		}
	}
	tr := NewTrace(3, 5)
	if len(tr) != 3 || len(tr[2]) != 8 || cap(tr[0]) != 8 {
		t.Fatalf("shape %d × %d (cap %d)", len(tr), len(tr[2]), cap(tr[0]))
	}
	tr[0] = append(tr[0], tr[0][0]) // appending to a column must not overwrite the next
	if !tr[1][0].IsZero() {
		t.Fatal("columns overlap")
	}
}
