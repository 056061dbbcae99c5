package memtree

import (
	"math/rand/v2"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// naiveRoot recomputes a root from its definition: every node is Compress of its
// children, a block Compress of its limb halves; subtrees without a nonzero word are
// hashed from zeros (their digest computed again from the leaves up, height by height).
func naiveRoot(words map[uint32]uint32) hash.Digest {
	var zero [Depth + 1]hash.Digest
	var z [BlockLimbs]field.Elem
	var a, b hash.Digest
	copy(a[:], z[:8])
	copy(b[:], z[8:])
	zero[0] = hash.Compress(&a, &b)
	for h := 1; h <= Depth; h++ {
		zero[h] = hash.Compress(&zero[h-1], &zero[h-1])
	}
	var node func(h int, i uint64) hash.Digest
	node = func(h int, i uint64) hash.Digest {
		lo, hi := i<<(h+3), (i+1)<<(h+3) // the node's word addresses
		empty := true
		for a, w := range words {
			if uint64(a) >= lo && uint64(a) < hi && w != 0 {
				empty = false
			}
		}
		if empty {
			return zero[h]
		}
		if h == 0 {
			var l, r hash.Digest
			for j := range uint64(8) {
				w := words[uint32(lo+j)]
				lw, hw := field.New(uint64(w&0xffff)), field.New(uint64(w>>16))
				if j < 4 {
					l[2*j], l[2*j+1] = lw, hw
				} else {
					r[2*j-8], r[2*j-7] = lw, hw
				}
			}
			return hash.Compress(&l, &r)
		}
		l, r := node(h-1, 2*i), node(h-1, 2*i+1)
		return hash.Compress(&l, &r)
	}
	return node(Depth, 0)
}

func randWords(r *rand.Rand, n int) map[uint32]uint32 {
	m := map[uint32]uint32{}
	for range n {
		a := r.Uint32() >> 2
		if r.IntN(3) == 0 { // clustered: a few words near the bottom
			a = r.Uint32N(64)
		}
		m[a] = r.Uint32()
	}
	return m
}

func TestDefaults(t *testing.T) {
	if got, want := New().Root(), naiveRoot(nil); got != want {
		t.Fatalf("empty root %v, want %v", got, want)
	}
	d := Defaults()
	if d[Depth] != New().Root() {
		t.Fatal("Defaults()[27] is not the empty root")
	}
	if HeapID(Depth, 0) != RootID || HeapID(0, NumBlocks-1) != 1<<28-1 || Height(1) != Depth || Height(1<<27) != 0 || Height(1<<28-1) != 0 || Height(5) != 25 {
		t.Fatal("heap indices")
	}
}

func TestFromWordsNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 2, 5, 20} {
		words := randWords(r, n)
		words[0] = 0x12345678
		words[1<<30-1] = 0xffffffff
		tr, err := FromWords(words)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := tr.Root(), naiveRoot(words); got != want {
			t.Fatalf("%d words: root %v, want %v", n, got, want)
		}
	}
	// A zero word is no word.
	tr, _ := FromWords(map[uint32]uint32{7: 0})
	if tr.Root() != New().Root() {
		t.Fatal("a zero word changes the root")
	}
	if _, err := FromWords(map[uint32]uint32{1 << 30: 1}); err == nil {
		t.Fatal("address 2^30 accepted")
	}
}

// Apply moves the tree to the final values, and its witness holds, for every expanded
// node, the digests of its children in both trees (those of the trees recomputed
// naively around it).
func TestApply(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	init := randWords(r, 10)
	tr, _ := FromWords(init)
	before, _ := FromWords(init)
	var touched []Touch
	final := map[uint32]uint32{}
	for a, w := range init {
		final[a] = w
	}
	for a := range init { // some image words, one kept, one zeroed
		touched = append(touched, Touch{a, init[a] ^ 1})
		if len(touched) == 3 {
			break
		}
	}
	touched[1].Value = init[touched[1].Addr]
	touched[2].Value = 0
	for _, a := range []uint32{0, 1, 9, 1<<30 - 1, 1<<30 - 2, 12345 * 8} {
		if _, ok := init[a]; !ok {
			touched = append(touched, Touch{a, r.Uint32()})
		}
	}
	for _, x := range touched {
		final[x.Addr] = x.Value
	}
	w, err := tr.Apply(touched)
	if err != nil {
		t.Fatal(err)
	}
	if w.Roots[Init] != naiveRoot(init) || w.Roots[Final] != naiveRoot(final) || tr.Root() != w.Roots[Final] {
		t.Fatal("roots")
	}
	after, _ := FromWords(final)
	trees := [2]*Tree{before, after}
	for _, n := range w.Nodes {
		for s := range 2 {
			for k := range 2 {
				if n.Child[s][k] != trees[k].Node(2*n.ID+uint32(s)) {
					t.Fatalf("node %d child %d tree %d", n.ID, s, k)
				}
			}
			if !n.Expand[s] && n.Child[s][Init] != n.Child[s][Final] {
				t.Fatalf("node %d: an unexpanded child changed", n.ID)
			}
		}
	}
	if len(w.Nodes) == 0 || w.Nodes[0].ID != RootID {
		t.Fatal("the first row is not the root")
	}
	nt := 0
	for _, l := range w.Leaves {
		for j, tj := range l.Touched {
			a := BlockWords*(l.ID-NumBlocks) + uint32(j)
			lo, hi := Limbs(final[a])
			if l.Limbs[Final][2*j] != lo || l.Limbs[Final][2*j+1] != hi {
				t.Fatalf("word %#x final limbs", a)
			}
			if tj {
				nt++
			}
		}
	}
	if nt != len(touched) || len(w.Changes) != len(touched) {
		t.Fatalf("%d touched flags, %d changes, %d touched", nt, len(w.Changes), len(touched))
	}
	for _, c := range w.Changes {
		if c.Init != init[c.Addr] || c.Final != final[c.Addr] {
			t.Fatalf("change %+v", c)
		}
	}
	// Errors.
	if _, err := tr.Apply([]Touch{{1, 1}, {1, 2}}); err == nil {
		t.Fatal("a word touched twice accepted")
	}
	if _, err := tr.Apply([]Touch{{1 << 30, 1}}); err == nil {
		t.Fatal("address 2^30 accepted")
	}
	// Nothing touched: the root alone.
	w, _ = tr.Apply(nil)
	if len(w.Nodes) != 1 || len(w.Leaves) != 0 || w.Roots[Init] != w.Roots[Final] || w.Nodes[0].Expand != [2]bool{} {
		t.Fatalf("empty apply: %d nodes, %d leaves", len(w.Nodes), len(w.Leaves))
	}
}
