package hash

import (
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
)

func attackState(seed uint64) [WideWidth]field.Elem {
	var s [WideWidth]field.Elem
	for i := range s {
		seed = seed*6364136223846793005 + 1442695040888963407
		s[i] = field.New(seed >> 33)
	}
	return s
}

// WideBatch at its edges: zero lanes (a no-op, no panic), one lane, lane counts around
// the vector width, all-zero and all-(p−1) states; lanes past m are never touched.
func TestWideBatchEdgesAttack(t *testing.T) {
	// m = 0 on a batch of 0 and of 3 lanes: nothing changes, nothing panics.
	NewWideBatch(0).Permute(0)
	b := NewWideBatch(3)
	for l := range 3 {
		s := attackState(uint64(l))
		for i := range WideWidth {
			b.S[i][l] = s[i]
		}
	}
	b.Permute(0)
	for l := range 3 {
		s := attackState(uint64(l))
		for i := range WideWidth {
			if b.S[i][l] != s[i] {
				t.Fatalf("Permute(0) changed lane %d", l)
			}
		}
	}
	var minus1 field.Elem
	minus1.SetUint64(field.Modulus - 1)
	for _, n := range []int{1, 2, 7, 8, 15, 16, 17, 31, 33, 64, 257} {
		for _, m := range []int{1, n / 2, n - 1, n} {
			if m < 1 || m > n {
				continue
			}
			b := NewWideBatch(n)
			want := make([][WideWidth]field.Elem, n)
			for l := range n {
				switch l % 3 {
				case 0:
					want[l] = attackState(uint64(n*1000 + l))
				case 1: // all zero
				case 2:
					for i := range want[l] {
						want[l][i] = minus1
					}
				}
				for i := range WideWidth {
					b.S[i][l] = want[l][i]
				}
			}
			b.Permute(m)
			for l := range m {
				PermuteWide(&want[l])
			}
			for l := range n {
				for i := range WideWidth {
					if b.S[i][l] != want[l][i] {
						t.Fatalf("n=%d m=%d: lane %d element %d differs from PermuteWide", n, m, l, i)
					}
				}
			}
		}
	}
}

// The Wide compression and leaf hash are exactly their definitions on PermuteWide, and
// differ from the Narrow ones; a Narrow compression ignores a node's elements 8..11
// (why every verifier must refuse non-canonical Narrow nodes), a Wide one does not.
func TestWideDefinitionsAttack(t *testing.T) {
	s1, s2 := attackState(1), attackState(2)
	var l, r Node
	copy(l[:], s1[:WideDigestLen])
	copy(r[:], s2[:WideDigestLen])
	var st [WideWidth]field.Elem
	copy(st[:12], l[:])
	copy(st[12:], r[:])
	PermuteWide(&st)
	var want Node
	for i := range want {
		want[i].Add(&st[12+i], &r[i])
	}
	if got := Wide.Compress(&l, &r); got != want {
		t.Fatal("Wide.Compress differs from P24(l‖r)[12:24] + r")
	}
	// Elems over 0, 1, 12, 13 and 25 elements against the chain written out.
	in := s1[:]
	in = append(in, s2[:]...)
	for _, n := range []int{0, 1, 11, 12, 13, 25, 48} {
		var acc Node
		for i := 0; i < n; i += WideRate {
			var blk Node
			copy(blk[:], in[i:min(i+WideRate, n)])
			acc = Wide.Compress(&acc, &blk)
		}
		if Wide.Elems(in[:n]) != acc {
			t.Fatalf("Wide.Elems(%d elements) differs from its chain", n)
		}
		if n > 0 && Wide.Elems(in[:n]) == Narrow.Elems(in[:n]) {
			t.Fatalf("Wide and Narrow leaf hashes agree on %d elements", n)
		}
	}
	// Padding malleability of the Narrow compression (guarded by Canonical).
	lp, rp := NodeOf(l.Narrow()), NodeOf(r.Narrow())
	lp2 := lp
	lp2[9].SetUint64(5)
	if Narrow.Compress(&lp, &rp) != Narrow.Compress(&lp2, &rp) {
		t.Fatal("Narrow compression reads element 9")
	}
	if Narrow.Canonical(&lp2) || !Narrow.Canonical(&lp) || !Wide.Canonical(&lp2) {
		t.Fatal("Canonical does not tell a padded Narrow node")
	}
	if Wide.Compress(&lp, &rp) == Wide.Compress(&lp2, &rp) {
		t.Fatal("Wide compression ignores element 9")
	}
	if Scheme(3).Valid() || Scheme(255).Valid() {
		t.Fatal("an unknown scheme is valid")
	}
}
