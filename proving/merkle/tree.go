package merkle

import (
	"fmt"
	"slices"
	"sync"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/ntt"
)

// Matrix is a column-major matrix of base-field elements: Cols[c][r] is row r of column c.
// Every column has the same power-of-two length, the matrix's height.
//
// Salt, when present, holds random columns of the same height that a hiding commitment
// hashes after the row in every leaf; they are opened with the row (Opening.Salts) but
// are not part of the committed data.
type Matrix struct {
	Cols [][]field.Elem
	Salt [][]field.Elem
}

// Height returns the number of rows (0 for a matrix without columns).
func (m Matrix) Height() int {
	if len(m.Cols) == 0 {
		return 0
	}
	return len(m.Cols[0])
}

// Width returns the number of columns.
func (m Matrix) Width() int { return len(m.Cols) }

// Dim is what a verifier knows of a committed matrix: its width, log height and the
// number of salt elements per row (0 for a commitment that does not hide).
type Dim struct {
	Width     int
	LogHeight int
	Salt      int
}

// Tree commits to a batch of matrices of power-of-two heights in one Merkle tree (a
// mixed-matrix commitment). Leaves are the rows of the tallest matrices; the rows of a
// shorter matrix are hashed and injected at the level of the tree whose width equals its
// height.
type Tree struct {
	scheme hash.Scheme
	mats   []Matrix
	logMax int
	// layers[0] holds one digest per row of the tallest matrices; layers[logMax] the
	// root. A Narrow tree keeps 8-element digests (layers), a Wide or Outer one Nodes
	// (wide).
	layers [][]hash.Digest
	wide   [][]hash.Node
	// dropped is the number of bottom layers of a Narrow tree not kept (layers[k] is
	// nil for k < dropped): Open recomputes the 2^dropped-leaf block it needs.
	dropped int
}

// DroppedLayers is how many bottom layers a Narrow tree does not keep after Commit: the
// leaf digests are half of a tree's memory, the next layer a quarter, the next an
// eighth, so dropping three keeps an eighth of it (a 2^21-leaf tree: 8 MB instead of
// 64 MB per commitment), for 8 leaf hashes, the rows injected at the two levels above
// (4 and 2) and 7 compressions more per opening. Openings are the same either way.
var DroppedLayers = 3

// Commit builds the tree with the Narrow hash. workers bounds the goroutines used (≥ 1).
func Commit(mats []Matrix, workers int) (*Tree, error) {
	return CommitScheme(hash.Narrow, mats, workers)
}

// CommitScheme builds the tree with the given hash scheme.
func CommitScheme(s hash.Scheme, mats []Matrix, workers int) (*Tree, error) {
	if !s.Valid() {
		return nil, fmt.Errorf("merkle: %v", s)
	}
	if len(mats) == 0 {
		return nil, fmt.Errorf("merkle: no matrices to commit")
	}
	logMax := -1
	for i, m := range mats {
		lh := ntt.Log2(m.Height())
		if lh < 0 {
			return nil, fmt.Errorf("merkle: matrix %d has height %d, not a power of two", i, m.Height())
		}
		for c, col := range m.Cols {
			if len(col) != m.Height() {
				return nil, fmt.Errorf("merkle: matrix %d column %d has %d rows, want %d", i, c, len(col), m.Height())
			}
		}
		for c, col := range m.Salt {
			if len(col) != m.Height() {
				return nil, fmt.Errorf("merkle: matrix %d salt column %d has %d rows, want %d", i, c, len(col), m.Height())
			}
		}
		logMax = max(logMax, lh)
	}
	workers = max(workers, 1)
	switch s {
	case hash.Wide:
		return commitWide(mats, logMax, workers), nil
	case hash.Outer:
		return commitOuter(mats, logMax, workers), nil
	}
	t := &Tree{mats: mats, logMax: logMax, layers: make([][]hash.Digest, logMax+1)}
	t.dropped = min(DroppedLayers, logMax)
	t.bottom(workers)
	for k := t.dropped + 1; k <= logMax; k++ {
		prev := t.layers[k-1]
		cur := make([]hash.Digest, len(prev)/2)
		compressPairs(cur, prev, workers)
		if g := t.group(logMax - k); len(g) > 0 {
			inj := make([]hash.Digest, len(cur))
			hashRows(inj, g, workers)
			compressEach(cur, inj, workers)
		}
		t.layers[k] = cur
	}
	return t, nil
}

// bottomChunk is the most leaves whose dropped layers bottom builds at a time (a chunk
// is at least 2^dropped leaves).
var bottomChunk = 1 << 15

// bottom builds layers[dropped], the lowest layer kept, from the leaves chunk by chunk:
// the dropped layers below it are never held whole (for a 2^21-leaf tree that dropping
// three layers keeps 8 MB of, they were 112 MB during the commit, and as much again of
// injected rows' digests). The workers take the chunks in turn, each with its own
// buffers and no synchronisation between the levels of a chunk. The digests are those
// of building every layer: each is a function of its own rows and children.
func (t *Tree) bottom(workers int) {
	d := t.dropped
	groups := make([][]Matrix, d+1)
	for k := range groups {
		groups[k] = t.group(t.logMax - k)
	}
	n := 1 << t.logMax
	chunk := 1 // the power of two at most n/(4·workers), within [2^d, bottomChunk]
	for chunk*2 <= n/(4*workers) {
		chunk *= 2
	}
	chunk = max(1<<d, min(bottomChunk, chunk))
	t.layers[d] = make([]hash.Digest, n>>d)
	chunks := n / chunk
	workers = max(1, min(workers, chunks))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lvl := make([][]hash.Digest, d)
			for k := range lvl {
				lvl[k] = make([]hash.Digest, chunk>>k)
			}
			var inj []hash.Digest
			if d > 0 {
				inj = make([]hash.Digest, chunk>>1)
			}
			for ci := w; ci < chunks; ci += workers {
				lo := ci * chunk
				out := t.layers[d][lo>>d : (lo+chunk)>>d]
				if d == 0 {
					hashRows(out, rowsOf(groups[0], lo, lo+chunk), 1)
					continue
				}
				hashRows(lvl[0], rowsOf(groups[0], lo, lo+chunk), 1)
				for k := 1; k <= d; k++ {
					cur := out
					if k < d {
						cur = lvl[k]
					}
					compressPairs(cur, lvl[k-1], 1)
					if g := groups[k]; len(g) > 0 {
						hashRows(inj[:len(cur)], rowsOf(g, lo>>k, (lo+chunk)>>k), 1)
						compressEach(cur, inj[:len(cur)], 1)
					}
				}
			}
		}()
	}
	wg.Wait()
}

// rowsOf returns rows [lo, hi) of the matrices g as matrices of hi − lo rows (views).
func rowsOf(g []Matrix, lo, hi int) []Matrix {
	out := make([]Matrix, len(g))
	for i, m := range g {
		out[i].Cols = make([][]field.Elem, len(m.Cols))
		for c, col := range m.Cols {
			out[i].Cols[c] = col[lo:hi]
		}
		if m.Salt != nil {
			out[i].Salt = make([][]field.Elem, len(m.Salt))
			for c, col := range m.Salt {
				out[i].Salt[c] = col[lo:hi]
			}
		}
	}
	return out
}

// rowDigest hashes row r of the matrices g (one height's group, t.group), as hashRows
// does for every row: their columns then their salts, matrix by matrix in commit order.
func rowDigest(g []Matrix, r int) hash.Digest {
	var row []field.Elem
	for _, m := range g {
		for _, c := range m.Cols {
			row = append(row, c[r])
		}
		for _, c := range m.Salt {
			row = append(row, c[r])
		}
	}
	return hash.Elems(row)
}

// block recomputes the dropped layers' digests of the 2^dropped-leaf block holding leaf
// index: blk[k] holds the block's 2^(dropped−k) nodes of layer k.
func (t *Tree) block(index int) [][]hash.Digest {
	d := t.dropped
	base := index &^ (1<<d - 1)
	blk := make([][]hash.Digest, d)
	blk[0] = make([]hash.Digest, 1<<d)
	leaves := t.group(t.logMax)
	for i := range blk[0] {
		blk[0][i] = rowDigest(leaves, base+i)
	}
	for k := 1; k < d; k++ {
		prev := blk[k-1]
		cur := make([]hash.Digest, len(prev)/2)
		g := t.group(t.logMax - k)
		for i := range cur {
			cur[i] = hash.Compress(&prev[2*i], &prev[2*i+1])
			if len(g) > 0 {
				inj := rowDigest(g, (base>>k)+i)
				cur[i] = hash.Compress(&cur[i], &inj)
			}
		}
		blk[k] = cur
	}
	return blk
}

// group returns the matrices of height 2^logH, in commit order.
func (t *Tree) group(logH int) []Matrix {
	var g []Matrix
	for _, m := range t.mats {
		if m.Height() == 1<<logH {
			g = append(g, m)
		}
	}
	return g
}

// Root is the commitment.
func (t *Tree) Root() hash.Node {
	if t.scheme != hash.Narrow {
		return t.wide[t.logMax][0]
	}
	return hash.NodeOf(t.layers[t.logMax][0])
}

// Scheme is the tree's hash.
func (t *Tree) Scheme() hash.Scheme { return t.scheme }

// LogHeight is log2 of the tallest matrix's height: query indices range over [0, 2^LogHeight).
func (t *Tree) LogHeight() int { return t.logMax }

// Matrices returns the committed matrices.
func (t *Tree) Matrices() []Matrix { return t.mats }

// Dims returns the dimensions a verifier needs.
func (t *Tree) Dims() []Dim {
	d := make([]Dim, len(t.mats))
	for i, m := range t.mats {
		d[i] = Dim{Width: m.Width(), LogHeight: ntt.Log2(m.Height()), Salt: len(m.Salt)}
	}
	return d
}

// Opening is the answer to a query: the row of every matrix at the query index (reduced
// to the matrix's height), the row's salt where the matrix has one (Salts is nil when no
// matrix of the tree is salted), and the sibling path from the leaf to the root.
type Opening struct {
	Rows  [][]field.Elem
	Salts [][]field.Elem
	Path  []hash.Node
}

// Open answers the query at index (0 ≤ index < 2^LogHeight).
func (t *Tree) Open(index int) Opening {
	o := Opening{Rows: make([][]field.Elem, len(t.mats)), Path: make([]hash.Node, t.logMax)}
	for i, m := range t.mats {
		r := index >> (t.logMax - ntt.Log2(m.Height()))
		row := make([]field.Elem, m.Width())
		for c := range row {
			row[c] = m.Cols[c][r]
		}
		o.Rows[i] = row
		if len(m.Salt) > 0 {
			if o.Salts == nil {
				o.Salts = make([][]field.Elem, len(t.mats))
			}
			salt := make([]field.Elem, len(m.Salt))
			for c := range salt {
				salt[c] = m.Salt[c][r]
			}
			o.Salts[i] = salt
		}
	}
	if o.Salts != nil {
		for i := range o.Salts {
			if o.Salts[i] == nil {
				o.Salts[i] = []field.Elem{}
			}
		}
	}
	var blk [][]hash.Digest
	if t.dropped > 0 {
		blk = t.block(index)
	}
	for k := range t.logMax {
		switch {
		case t.scheme != hash.Narrow:
			o.Path[k] = t.wide[k][(index>>k)^1]
		case k < t.dropped:
			o.Path[k] = hash.NodeOf(blk[k][((index>>k)^1)&(1<<(t.dropped-k)-1)])
		default:
			o.Path[k] = hash.NodeOf(t.layers[k][(index>>k)^1])
		}
	}
	return o
}

// Verify checks an opening against a root for matrices of the given dimensions, under
// the hash scheme s.
func Verify(s hash.Scheme, root hash.Node, dims []Dim, index int, o Opening) error {
	if !s.Valid() {
		return fmt.Errorf("merkle: %v", s)
	}
	if len(dims) == 0 {
		return fmt.Errorf("merkle: no matrices")
	}
	logMax := 0
	for _, d := range dims {
		if d.LogHeight < 0 || d.LogHeight > 30 || d.Width < 0 || d.Salt < 0 {
			return fmt.Errorf("merkle: bad dimensions %+v", d)
		}
		logMax = max(logMax, d.LogHeight)
	}
	if index < 0 || index >= 1<<logMax {
		return fmt.Errorf("merkle: query index %d out of range [0, 2^%d)", index, logMax)
	}
	if len(o.Rows) != len(dims) {
		return fmt.Errorf("merkle: %d opened rows for %d matrices", len(o.Rows), len(dims))
	}
	for i, d := range dims {
		if len(o.Rows[i]) != d.Width {
			return fmt.Errorf("merkle: matrix %d: opened row has %d elements, want %d", i, len(o.Rows[i]), d.Width)
		}
	}
	salted := slices.ContainsFunc(dims, func(d Dim) bool { return d.Salt > 0 })
	if !salted && o.Salts != nil || salted && len(o.Salts) != len(dims) {
		return fmt.Errorf("merkle: %d opened salts for %d matrices", len(o.Salts), len(dims))
	}
	for i, d := range dims {
		if salted && len(o.Salts[i]) != d.Salt {
			return fmt.Errorf("merkle: matrix %d: opened salt has %d elements, want %d", i, len(o.Salts[i]), d.Salt)
		}
	}
	if len(o.Path) != logMax {
		return fmt.Errorf("merkle: path has %d nodes, want %d", len(o.Path), logMax)
	}
	for k := range o.Path {
		if !s.Canonical(&o.Path[k]) {
			return fmt.Errorf("merkle: path node %d is not a %v digest", k, s)
		}
	}
	rowsAt := func(logH int) []field.Elem {
		var in []field.Elem
		for i, d := range dims {
			if d.LogHeight == logH {
				in = append(in, o.Rows[i]...)
				if salted {
					in = append(in, o.Salts[i]...)
				}
			}
		}
		return in
	}
	cur := s.Elems(rowsAt(logMax))
	for k := range logMax {
		sib := o.Path[k]
		if (index>>k)&1 == 0 {
			cur = s.Compress(&cur, &sib)
		} else {
			cur = s.Compress(&sib, &cur)
		}
		if has(dims, logMax-k-1) {
			inj := s.Elems(rowsAt(logMax - k - 1))
			cur = s.Compress(&cur, &inj)
		}
	}
	if cur != root {
		return ErrMismatch
	}
	return nil
}

func has(dims []Dim, logH int) bool {
	return slices.ContainsFunc(dims, func(d Dim) bool { return d.LogHeight == logH })
}

// parallelChunks runs f over [0, n) split into aligned chunks, at most workers at once.
func parallelChunks(n, align, workers int, f func(lo, hi int)) {
	chunks := max(1, min(workers, n/align))
	if chunks == 1 {
		f(0, n)
		return
	}
	per := (n/align + chunks - 1) / chunks * align
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += per {
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			f(lo, hi)
		}(lo, min(lo+per, n))
	}
	wg.Wait()
}
