package merkle

import (
	"errors"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

func testMatrix(width, height int, seed uint64) Matrix {
	m := Matrix{Cols: make([][]field.Elem, width)}
	x := seed
	for c := range m.Cols {
		m.Cols[c] = make([]field.Elem, height)
		for r := range m.Cols[c] {
			x = x*6364136223846793005 + 1442695040888963407
			m.Cols[c][r] = field.New(x >> 33)
		}
	}
	return m
}

// naiveRoot recomputes the root with scalar hashing only.
func naiveRoot(s hash.Scheme, mats []Matrix) hash.Node {
	logMax := 0
	for _, m := range mats {
		for m.Height() > 1<<logMax {
			logMax++
		}
	}
	rows := func(h, r int) []field.Elem {
		var in []field.Elem
		for _, m := range mats {
			if m.Height() == h {
				for c := range m.Cols {
					in = append(in, m.Cols[c][r])
				}
			}
		}
		return in
	}
	layer := make([]hash.Node, 1<<logMax)
	for r := range layer {
		layer[r] = s.Elems(rows(1<<logMax, r))
	}
	for h := 1 << (logMax - 1); h >= 1; h /= 2 {
		next := make([]hash.Node, h)
		for i := range next {
			next[i] = s.Compress(&layer[2*i], &layer[2*i+1])
			if in := rows(h, i); in != nil {
				inj := s.Elems(in)
				next[i] = s.Compress(&next[i], &inj)
			}
		}
		layer = next
	}
	return layer[0]
}

func TestCommitMatchesNaive(t *testing.T) {
	for _, mats := range [][]Matrix{
		{testMatrix(3, 8, 1)},
		{testMatrix(13, 64, 2), testMatrix(5, 64, 3)},
		{testMatrix(9, 256, 4), testMatrix(2, 32, 5), testMatrix(16, 8, 6), testMatrix(1, 1, 7)},
	} {
		for _, w := range []int{1, 3} {
			for _, s := range []hash.Scheme{hash.Narrow, hash.Wide} {
				tr, err := CommitScheme(s, mats, w)
				if err != nil {
					t.Fatal(err)
				}
				if tr.Root() != naiveRoot(s, mats) {
					t.Fatalf("%v root differs from naive (workers=%d)", s, w)
				}
			}
		}
	}
}

func TestOpenVerify(t *testing.T) {
	for _, s := range []hash.Scheme{hash.Narrow, hash.Wide} {
		testOpenVerify(t, s)
	}
	// A Wide tree's opening does not verify under Narrow, nor the reverse, and a Narrow
	// path node with something in its unused elements is refused.
	mats := []Matrix{testMatrix(9, 128, 4), testMatrix(2, 32, 5)}
	nt, _ := Commit(mats, 1)
	wt, _ := CommitScheme(hash.Wide, mats, 1)
	if err := Verify(hash.Narrow, wt.Root(), wt.Dims(), 5, wt.Open(5)); err == nil {
		t.Fatal("a Wide opening verified as Narrow")
	}
	if err := Verify(hash.Wide, nt.Root(), nt.Dims(), 5, nt.Open(5)); err == nil {
		t.Fatal("a Narrow opening verified as Wide")
	}
	o := nt.Open(5)
	o.Path[2][10].SetUint64(1)
	if err := Verify(hash.Narrow, nt.Root(), nt.Dims(), 5, o); err == nil {
		t.Fatal("a non-canonical Narrow path node accepted")
	}
}

func testOpenVerify(t *testing.T, s hash.Scheme) {
	mats := []Matrix{testMatrix(9, 128, 4), testMatrix(2, 32, 5), testMatrix(16, 8, 6)}
	tr, err := CommitScheme(s, mats, 2)
	if err != nil {
		t.Fatal(err)
	}
	dims := tr.Dims()
	for _, idx := range []int{0, 1, 77, 127} {
		o := tr.Open(idx)
		if err := Verify(s, tr.Root(), dims, idx, o); err != nil {
			t.Fatalf("index %d: %v", idx, err)
		}
		// Each tampering is rejected.
		bad := tr.Open(idx)
		bad.Rows[1][0].SetUint64(12345)
		if err := Verify(s, tr.Root(), dims, idx, bad); !errors.Is(err, ErrMismatch) {
			t.Fatalf("tampered row accepted: %v", err)
		}
		bad = tr.Open(idx)
		bad.Path[3][2].SetUint64(7)
		if err := Verify(s, tr.Root(), dims, idx, bad); !errors.Is(err, ErrMismatch) {
			t.Fatalf("tampered path accepted: %v", err)
		}
		if err := Verify(s, tr.Root(), dims, idx^1, o); err == nil {
			t.Fatal("opening accepted at the wrong index")
		}
	}
	o := tr.Open(3)
	o.Rows = o.Rows[:2]
	if err := Verify(s, tr.Root(), dims, 3, o); err == nil {
		t.Fatal("missing rows accepted")
	}
	if err := Verify(s, tr.Root(), dims, 1<<7, tr.Open(0)); err == nil {
		t.Fatal("out-of-range index accepted")
	}
}

func TestCommitRejectsBadShapes(t *testing.T) {
	if _, err := Commit(nil, 1); err == nil {
		t.Fatal("empty batch accepted")
	}
	if _, err := Commit([]Matrix{testMatrix(2, 6, 1)}, 1); err == nil {
		t.Fatal("height 6 accepted")
	}
	m := testMatrix(2, 8, 1)
	m.Cols[1] = m.Cols[1][:4]
	if _, err := Commit([]Matrix{m}, 1); err == nil {
		t.Fatal("ragged columns accepted")
	}
}

func BenchmarkCommit(b *testing.B) {
	for _, tc := range []struct{ logH, width int }{{16, 64}, {20, 64}} {
		if testing.Short() && tc.logH > 16 {
			continue
		}
		m := testMatrix(tc.width, 1<<tc.logH, 1)
		b.Run("", func(b *testing.B) {
			b.SetBytes(int64(tc.width) << tc.logH * 4)
			for b.Loop() {
				if _, err := Commit([]Matrix{m}, 2); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)*float64(int(1)<<tc.logH)*float64(tc.width)/b.Elapsed().Seconds(), "cells/s")
		})
	}
}

// A salted commitment opens its salts with the rows; the root depends on the salt, and a
// changed salt, a missing salt or a salt of the wrong length is rejected.
func TestSaltedOpenVerify(t *testing.T) {
	a, b, c := testMatrix(9, 128, 4), testMatrix(2, 32, 5), testMatrix(3, 128, 8)
	a.Salt = testMatrix(4, 128, 9).Cols
	b.Salt = testMatrix(4, 32, 10).Cols
	mats := []Matrix{a, b, c}
	tr, err := Commit(mats, 2)
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := Commit([]Matrix{{Cols: a.Cols}, {Cols: b.Cols}, c}, 2)
	if tr.Root() == plain.Root() {
		t.Fatal("the salt does not change the root")
	}
	dims := tr.Dims()
	if dims[0].Salt != 4 || dims[2].Salt != 0 {
		t.Fatalf("dims %+v", dims)
	}
	for _, idx := range []int{0, 5, 127} {
		o := tr.Open(idx)
		if len(o.Salts) != 3 || len(o.Salts[0]) != 4 || len(o.Salts[2]) != 0 {
			t.Fatalf("salts %v", o.Salts)
		}
		if err := Verify(hash.Narrow, tr.Root(), dims, idx, o); err != nil {
			t.Fatal(err)
		}
		o.Salts[1][3].SetUint64(o.Salts[1][3].Uint64() + 1)
		if err := Verify(hash.Narrow, tr.Root(), dims, idx, o); !errors.Is(err, ErrMismatch) {
			t.Fatalf("changed salt: %v", err)
		}
		o.Salts[1] = o.Salts[1][:3]
		if err := Verify(hash.Narrow, tr.Root(), dims, idx, o); err == nil {
			t.Fatal("short salt accepted")
		}
		o.Salts = nil
		if err := Verify(hash.Narrow, tr.Root(), dims, idx, o); err == nil {
			t.Fatal("missing salts accepted")
		}
	}
}
