package air

import "github.com/oneiros-zk/oneiros/proving/field"

// Height is the trace height for rows rows: the least power of two ≥ max(rows, 1).
func Height(rows int) int {
	h := 1
	for h < rows {
		h *= 2
	}
	return h
}

// NewTrace allocates a zero trace of width columns and Height(rows) rows, column-major,
// the columns sharing one backing array.
func NewTrace(width, rows int) [][]field.Elem {
	n := Height(rows)
	back := make([]field.Elem, width*n)
	cols := make([][]field.Elem, width)
	for i := range cols {
		cols[i] = back[i*n : (i+1)*n : (i+1)*n]
	}
	return cols
}
