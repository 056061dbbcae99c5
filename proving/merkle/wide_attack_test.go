package merkle

import (
	"errors"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// naiveSaltedRoot recomputes a root with scalar hashing, each matrix's salt after its
// columns (as hashRows and wideLeaves hash them).
func naiveSaltedRoot(s hash.Scheme, mats []Matrix) hash.Node {
	logMax := 0
	for _, m := range mats {
		for m.Height() > 1<<logMax {
			logMax++
		}
	}
	rows := func(h, r int) ([]field.Elem, bool) {
		var in []field.Elem
		found := false
		for _, m := range mats {
			if m.Height() == h {
				found = true
				for c := range m.Cols {
					in = append(in, m.Cols[c][r])
				}
				for c := range m.Salt {
					in = append(in, m.Salt[c][r])
				}
			}
		}
		return in, found
	}
	layer := make([]hash.Node, 1<<logMax)
	for r := range layer {
		in, _ := rows(1<<logMax, r)
		layer[r] = s.Elems(in)
	}
	for lh := logMax - 1; lh >= 0; lh-- {
		h := 1 << lh
		next := make([]hash.Node, h)
		for i := range next {
			next[i] = s.Compress(&layer[2*i], &layer[2*i+1])
			if in, ok := rows(h, i); ok {
				inj := s.Elems(in)
				next[i] = s.Compress(&next[i], &inj)
			}
		}
		layer = next
	}
	return layer[0]
}

// The Wide tree (lane-wise batches of 256, chunks split among workers) against a naive
// recomputation: heights from 1 to 1024 (past one batch), widths around the rate 12,
// salted and unsalted matrices mixed; every opening verifies and the openings of the
// other scheme do not.
func TestWideTreeMatchesNaiveAttack(t *testing.T) {
	salted := func(m Matrix, salt int, seed uint64) Matrix {
		m.Salt = testMatrix(salt, m.Height(), seed).Cols
		return m
	}
	cases := [][]Matrix{
		{testMatrix(1, 1, 1)},
		{testMatrix(12, 2, 2)},
		{testMatrix(13, 512, 3)},
		{salted(testMatrix(11, 1024, 4), 1, 40), testMatrix(12, 1024, 5), salted(testMatrix(5, 256, 6), 4, 41),
			testMatrix(24, 16, 7), salted(testMatrix(1, 1, 8), 4, 42)},
		{testMatrix(3, 8, 9), salted(testMatrix(3, 8, 10), 4, 43), testMatrix(2, 2, 11)},
		{salted(testMatrix(1, 256, 12), 4, 44)}, // 256 rows: exactly one batch
	}
	for ci, mats := range cases {
		for _, w := range []int{1, 2, 5} {
			for _, s := range []hash.Scheme{hash.Narrow, hash.Wide} {
				tr, err := CommitScheme(s, mats, w)
				if err != nil {
					t.Fatal(err)
				}
				if tr.Root() != naiveSaltedRoot(s, mats) {
					t.Fatalf("case %d: %v root differs from naive (workers=%d)", ci, s, w)
				}
				if s == hash.Narrow && !hash.Narrow.Canonical(ptr(tr.Root())) {
					t.Fatalf("case %d: a Narrow root with padding", ci)
				}
			}
		}
		wt, _ := CommitScheme(hash.Wide, mats, 3)
		nt, _ := CommitScheme(hash.Narrow, mats, 3)
		dims := wt.Dims()
		n := 1 << wt.LogHeight()
		for _, idx := range []int{0, n / 3, n - 1} {
			o := wt.Open(idx)
			if err := Verify(hash.Wide, wt.Root(), dims, idx, o); err != nil {
				t.Fatalf("case %d index %d: %v", ci, idx, err)
			}
			// The Wide opening under the Narrow scheme, against either root.
			if err := Verify(hash.Narrow, wt.Root(), dims, idx, o); err == nil {
				t.Fatalf("case %d: a Wide opening verified as Narrow", ci)
			}
			if err := Verify(hash.Narrow, nt.Root(), dims, idx, o); err == nil && len(o.Path) > 0 {
				t.Fatalf("case %d: a Wide opening verified against the Narrow root", ci)
			}
			no := nt.Open(idx)
			if err := Verify(hash.Wide, wt.Root(), dims, idx, no); err == nil && len(no.Path) > 0 { // a 1-row tree's opening is its row alone
				t.Fatalf("case %d: a Narrow opening verified against the Wide root", ci)
			}
			// A salt element changed: rejected (the salt is part of the leaf).
			for m := range o.Salts {
				if len(o.Salts[m]) > 0 {
					bad := wt.Open(idx)
					bad.Salts[m][0].SetUint64(bad.Salts[m][0].Uint64() ^ 1)
					if err := Verify(hash.Wide, wt.Root(), dims, idx, bad); !errors.Is(err, ErrMismatch) {
						t.Fatalf("case %d: a changed salt: %v", ci, err)
					}
				}
			}
			// A salt moved from one matrix to a row of the other: the dimensions refuse it.
			if len(o.Salts) > 1 {
				bad := wt.Open(idx)
				bad.Salts[0], bad.Salts[1] = bad.Salts[1], bad.Salts[0]
				if err := Verify(hash.Wide, wt.Root(), dims, idx, bad); err == nil && len(o.Salts[0]) != len(o.Salts[1]) {
					t.Fatalf("case %d: swapped salts accepted", ci)
				}
			}
		}
	}
}

func ptr(n hash.Node) *hash.Node { return &n }

// Narrow roots and paths with something in elements 8..11 are refused; a root with
// padding never equals a recomputed Narrow root. An unknown scheme is refused.
func TestNarrowPaddingAttack(t *testing.T) {
	mats := []Matrix{testMatrix(9, 64, 4), testMatrix(2, 16, 5)}
	nt, _ := Commit(mats, 2)
	dims := nt.Dims()
	for _, k := range []int{8, 9, 10, 11} {
		root := nt.Root()
		root[k].SetUint64(1)
		if err := Verify(hash.Narrow, root, dims, 7, nt.Open(7)); err == nil {
			t.Fatalf("a Narrow root with element %d set accepted", k)
		}
		for lvl := range nt.LogHeight() {
			o := nt.Open(7)
			o.Path[lvl][k].SetUint64(1)
			if err := Verify(hash.Narrow, nt.Root(), dims, 7, o); err == nil {
				t.Fatalf("a Narrow path node %d with element %d set accepted", lvl, k)
			}
		}
	}
	for _, s := range []hash.Scheme{hash.Outer + 1, 255} {
		if err := Verify(s, nt.Root(), dims, 7, nt.Open(7)); err == nil {
			t.Fatalf("scheme %d accepted", s)
		}
		if _, err := CommitScheme(s, mats, 1); err == nil {
			t.Fatalf("commit under scheme %d", s)
		}
	}
	// Dimensions an attacker might feed (negative, too tall, a zero-width matrix whose
	// empty leaf hashes to zero) never panic.
	for _, d := range [][]Dim{{{Width: 9, LogHeight: -1}}, {{Width: 9, LogHeight: 31}}, {{Width: -1, LogHeight: 3}}, {{Width: 0, LogHeight: 0}}, {{Width: 9, LogHeight: 6, Salt: -1}}} {
		_ = Verify(hash.Wide, nt.Root(), d, 0, Opening{Rows: [][]field.Elem{{}}})
	}
}

// An Outer tree verifies under Outer only, and its openings are refused once a limb of a
// path node leaves its 30 bits.
func TestOuterTree(t *testing.T) {
	mats := []Matrix{{Cols: [][]field.Elem{make([]field.Elem, 16), make([]field.Elem, 16)}}, {Cols: [][]field.Elem{make([]field.Elem, 4)}}}
	for i := range 16 {
		mats[0].Cols[0][i] = field.New(uint64(i))
		mats[0].Cols[1][i] = field.New(uint64(3 * i))
	}
	for i := range 4 {
		mats[1].Cols[0][i] = field.New(uint64(100 + i))
	}
	tr, err := CommitScheme(hash.Outer, mats, 2)
	if err != nil {
		t.Fatal(err)
	}
	dims := tr.Dims()
	for idx := range 16 {
		if err := Verify(hash.Outer, tr.Root(), dims, idx, tr.Open(idx)); err != nil {
			t.Fatalf("index %d: %v", idx, err)
		}
	}
	for _, s := range []hash.Scheme{hash.Narrow, hash.Wide} {
		if err := Verify(s, tr.Root(), dims, 5, tr.Open(5)); err == nil {
			t.Fatalf("an Outer opening verifies under %v", s)
		}
	}
	o := tr.Open(5)
	o.Path[2][0] = field.New(1 << hash.OuterLimbBits)
	if err := Verify(hash.Outer, tr.Root(), dims, 5, o); err == nil {
		t.Fatal("a path node with a 31-bit limb accepted")
	}
	o = tr.Open(5)
	o.Rows[1][0] = field.New(7)
	if err := Verify(hash.Outer, tr.Root(), dims, 5, o); err == nil {
		t.Fatal("an injected row edited and accepted")
	}
}
