package memtree

// Cheating provers against the memory tree chip. Each builds a false witness whose
// tables are committed consistently (the poseidon2 and range tables answer exactly what
// the forged rows ask, the digests up to the claimed roots are recomputed), keeps every
// bus but the one it attacks balanced, and asserts that airtest names what refuses it
// and (for one instance of each kind; the others are airtest only, to keep the tests
// fast) that the verifier rejects its proof. Where a polynomial constraint is what
// refuses the forgery, the test also deletes that constraint and checks that the same
// witness then satisfies every table and bus: the constraint is needed, and the
// forgery is not refused by accident elsewhere. Forgeries refused by a bus left
// unbalanced (a node tuple or a permutation output nobody sends, a limb the range table
// does not hold) name the interaction.

import (
	"fmt"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/chips/poseidon2"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/lookup"
)

// rehash recomputes the digests of w's rows bottom-up from the leaf rows' limbs and the
// unexpanded children's digests, and the roots: after a forger changes a row, the chip's
// hashes are consistent again up to the root it claims.
func rehash(w *Witness) {
	dig := map[uint32][2]hash.Digest{}
	for _, l := range w.Leaves {
		dig[l.ID] = [2]hash.Digest{LeafDigest(&l.Limbs[Init]), LeafDigest(&l.Limbs[Final])}
	}
	for k := len(w.Nodes) - 1; k >= 0; k-- { // children have larger heap indices
		n := &w.Nodes[k]
		var d [2]hash.Digest
		for s := range 2 {
			if n.Expand[s] {
				c, ok := dig[2*n.ID+uint32(s)]
				if !ok {
					panic("rehash: an expanded child without a row")
				}
				n.Child[s] = c
			}
		}
		for t := range 2 {
			d[t] = hash.Compress(&n.Child[0][t], &n.Child[1][t])
		}
		dig[n.ID] = d
	}
	w.Roots = dig[RootID]
}

func skipSet(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

// refuse checks that airtest refuses the forgery naming want (a constraint, or an
// interaction of a bus left unbalanced) and, if prove, that the verifier rejects its
// proof.
func refuse(t *testing.T, what string, tb []chiptest.Table, m []lookup.Message, want string, prove bool) {
	t.Helper()
	err := chiptest.Check(tb, m)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("%s: airtest's refusal does not name %s: %v", what, want, err)
	}
	if prove {
		chiptest.MustReject(t, what, tb, m)
	}
}

// accept checks that the forgery satisfies every table and bus once the constraint
// named was deleted from the AIRs (tb were built without it).
func accept(t *testing.T, what, deleted string, tb []chiptest.Table, m []lookup.Message) {
	t.Helper()
	if err := chiptest.Check(tb, m); err != nil {
		t.Errorf("%s: without %s the forgery is still refused: %v", what, deleted, err)
	}
}

// refuseWitness is refuse for a forged witness whose tables Trace fills, with the
// constraint named deleted the forgery is accepted.
func refuseWitness(t *testing.T, what string, w *Witness, m []lookup.Message, constraint string, prove bool) {
	t.Helper()
	refuse(t, what, tables(w, nil), m, fmt.Sprintf("%q", constraint), prove)
	accept(t, what, constraint, tables(w, skipSet(constraint)), m)
}

func leafOf(w *Witness, addr uint32) *LeafRow {
	for i := range w.Leaves {
		if w.Leaves[i].ID == NumBlocks+addr/BlockWords {
			return &w.Leaves[i]
		}
	}
	panic("no leaf row")
}

var halves = [2]string{"lo", "hi"}

// sweep is 0 … n−1, or with -short its ends only: the loops that show each of a family
// of constraints needed (one per limb, word, digest element) take about 0.25 s a case.
func sweep(n int) []int {
	if testing.Short() {
		return []int{0, n - 1}
	}
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// An untouched word of an expanded block changed: the final tree differs from the
// initial one at a word of block 125 that no message reports (word 1000 is touched, or
// 1001 when the forged word is 1000). The leaf row's keep_j ((1 − touched_j)·(limb_init −
// limb_final) = 0) refuses it, for every limb.
func TestForgeUntouchedWordInBlock(t *testing.T) {
	for _, i := range sweep(BlockLimbs) {
		j := i / 2
		touched := uint32(1000)
		if j == 0 {
			touched = 1001
		}
		w := witness(t, image, []Touch{{touched, 6}})
		l := leafOf(w, 1000)
		one := field.New(1)
		l.Limbs[Final][i].Add(&l.Limbs[Final][i], &one)
		rehash(w)
		what := fmt.Sprintf("untouched word %d of a touched block changed (limb %d)", 1000+j, i)
		refuseWitness(t, what, w, messages(w), fmt.Sprintf("keep%d_%s", j, halves[i%2]), i == 2)
	}
}

// An untouched subtree changed: the claimed final root is that of the honest final tree
// with also an unreported word changed, under the root child that no touched word
// expands (word 2^29 on the right of word 1000; word 1000 on the left of word 2^29 + 5).
// The root row's keep_s ((1 − expand_s)·(child_init − child_final) = 0) refuses it.
// Each of the 8 elements of keep_s is then needed against a child digest that differs
// in that element alone (no tree is known to have it; the constraint is what refuses
// it).
func TestForgeUntouchedChildChanged(t *testing.T) {
	for s, c := range []struct{ touched, other uint32 }{{1<<29 + 5, 1000}, {1000, 1 << 29}} {
		touched := []Touch{{c.touched, 6}}
		w := witness(t, image, touched)
		other, _ := FromWords(image)
		_, _ = other.Apply(append(touched, Touch{c.other, 9}))
		if w.Nodes[0].ID != RootID || w.Nodes[0].Expand[s] {
			t.Fatalf("the root's child %d is expanded", s)
		}
		w.Nodes[0].Child[s][Final] = other.Node(2 + uint32(s))
		rehash(w)
		if w.Roots[Final] != other.Root() {
			t.Fatal("the forged root is not the other tree's")
		}
		what := fmt.Sprintf("an unexpanded child %d with init ≠ final", s)
		refuse(t, what, tables(w, nil), messages(w), fmt.Sprintf("%q", fmt.Sprintf("keep%d[0]", s)), true)
		var keep []string
		for k := range hash.DigestLen {
			keep = append(keep, fmt.Sprintf("keep%d[%d]", s, k))
		}
		accept(t, what, "keep", tables(w, skipSet(keep...)), messages(w))
		for _, k := range sweep(hash.DigestLen) {
			w := witness(t, image, touched)
			one := field.New(1)
			d := &w.Nodes[0].Child[s][Final][k]
			d.Add(d, &one)
			rehash(w)
			refuseWitness(t, fmt.Sprintf("child %d's digest changed in element %d", s, k), w, messages(w), keep[k], false)
		}
	}
}

// A block expanded twice: its leaf row duplicated (with the memory table's messages for
// its touched word duplicated, and the poseidon2 table answering both rows). Its tuple
// on bus.MemTree is received twice but sent once, by its parent's single row.
func TestForgeNodeExpandedTwice(t *testing.T) {
	w := witness(t, image, []Touch{{1000, 6}})
	w.Leaves = append(w.Leaves, w.Leaves[0])
	m := append(messages(w), memoryMessages(w.Changes)...)
	refuse(t, "a block expanded twice", tables(w, nil), m, `memtree_leaf row 1 "node"`, true)
}

// A row no parent sends: a leaf row for block 2^20, off every touched path, reporting a
// write of 77 to its word 8·2^20 (the memory table's messages say so) while the roots
// stay those of the honest trees, where the word is still 0. Its receive on bus.MemTree
// has no sender: the parent of the block has no row, or does not expand it.
func TestForgeOrphanRow(t *testing.T) {
	w := witness(t, image, []Touch{{1000, 6}})
	w.Leaves = append(w.Leaves, orphan(w, 8<<20))
	refuse(t, "a write reported by a row no parent sends", tables(w, nil), messages(w), `memtree_leaf row 1 "node"`, true)
}

// orphan is a leaf row for the block of addr reporting a write of 77 to addr (the first
// word of its block), added to w's changes.
func orphan(w *Witness, addr uint32) LeafRow {
	o := LeafRow{ID: NumBlocks + addr/BlockWords}
	o.Limbs[Final][0] = field.New(77)
	o.Touched[0] = true
	w.Changes = append(w.Changes, Change{Addr: addr, Init: 0, Final: 77})
	return o
}

// A path placed at another address: the touched block's row claims heap index
// 2^27 + 126 (words 1008 …) instead of 2^27 + 125, and the memory table's messages name
// word 1008 for the value written to word 1000. The block's parent sends the true index
// 2·id + bit, so the row's receive on bus.MemTree has no sender. The same with a node
// row (height 1, index shifted) and its block re-indexed below it: the node's own
// receive has no sender.
func TestForgeWrongIndex(t *testing.T) {
	w := witness(t, image, []Touch{{1000, 6}})
	w.Leaves[0].ID++
	w.Changes[0].Addr += BlockWords
	refuse(t, "a block at another index", tables(w, nil), messages(w), `memtree_leaf row 0 "node"`, true)

	w = witness(t, image, []Touch{{1000, 6}})
	last := len(w.Nodes) - 1 // height 1, block 125's parent (62)
	w.Nodes[last].ID += 2
	w.Leaves[0].ID += 4
	w.Changes[0].Addr += 4 * BlockWords
	refuse(t, "a height-1 node at another index", tables(w, nil), messages(w), fmt.Sprintf("memtree_node row %d \"node\"", last), false)
}

// A wrong height: a node row at height 0 standing in for a block (children = the limb
// halves, not expanded). Nothing is gained here, but a node row below the blocks would
// let a chain of such rows reach heap indices beyond 2^28 that wrap modulo p onto a
// genuine node's Poseidon2 identifier (the bus tuple's id, not h), and two calls under
// one (dom, id) can swap outputs. h_nonzero (h · h_inv = real) refuses every such row.
// A leaf row one level up (receiving its parent's tuple) is refused by the bus: a leaf
// row receives height 0 only.
func TestForgeWrongHeight(t *testing.T) {
	w := witness(t, image, []Touch{{2, 7}}) // word 2 keeps its value
	l := w.Leaves[0]
	n := NodeRow{ID: l.ID, H: 0}
	for tr := range 2 {
		copy(n.Child[0][tr][:], l.Limbs[tr][:hash.DigestLen])
		copy(n.Child[1][tr][:], l.Limbs[tr][hash.DigestLen:])
	}
	w.Nodes = append(w.Nodes, n)
	w.Leaves = nil
	w.Changes = nil
	refuseWitness(t, "a node row at height 0", w, messages(w), "h_nonzero", true)

	// The height-1 node of block 0 replaced by a leaf row at its index, its limbs the
	// two digests of its children (block 0 and the all-zero block 1).
	w = witness(t, image, []Touch{{2, 7}})
	p := w.Nodes[len(w.Nodes)-1]
	var lr LeafRow
	lr.ID = p.ID
	for tr := range 2 {
		copy(lr.Limbs[tr][:hash.DigestLen], p.Child[0][tr][:])
		copy(lr.Limbs[tr][hash.DigestLen:], p.Child[1][tr][:])
	}
	w.Nodes = w.Nodes[:len(w.Nodes)-1]
	w.Nodes[len(w.Nodes)-1].Expand = [2]bool{true, false}
	w.Leaves = []LeafRow{lr}
	w.Changes = nil
	refuse(t, "a leaf row at height 1", tables(w, nil), messages(w), `memtree_leaf row 0 "node"`, false)
}

// A non-canonical limb: a touched word of block 125 (each holding 0x30005 before and
// written with 0x20005) as (5 + 2^16, hi − 1), the same integer lo + 2^16·hi, or as
// (5, hi + 2^16), in the final or the initial tree (and so sent to the memory table). The leaf row's U16 lookup of the
// limb has no receiver in the range table. Every one of the 32 lookups is needed: a
// forgery of its limb passes once it is deleted.
func TestForgeNonCanonicalLimb(t *testing.T) {
	img := map[uint32]uint32{}
	for j := range uint32(BlockWords) {
		img[1000+j] = 0x30005
	}
	var touched []Touch
	for j := range uint32(BlockWords) {
		touched = append(touched, Touch{1000 + j, 0x20005})
	}
	for _, j := range sweep(BlockWords) {
		for tr := range 2 {
			for h := range 2 {
				w := witness(t, img, touched)
				l := leafOf(w, 1000)
				hi := uint64(2 - tr)
				// (5 + 2^16, hi − 1): the same integer lo + 2^16·hi; or (5, hi + 2^16).
				lo, big := field.New(5+1<<16), field.New(hi-1)
				if h == 1 {
					lo, big = field.New(5), field.New(hi+1<<16)
				}
				l.Limbs[tr][2*j], l.Limbs[tr][2*j+1] = lo, big
				rehash(w)
				m := messages(w)
				k := 1 + 2*j + tr // the memory table's Image (tr = 0) or MemoryFinal message
				m[k].Tuple[1], m[k].Tuple[2] = lo, big
				name := fmt.Sprintf("range%d_%s_%s", j, treeNames[tr], halves[h])
				refuse(t, name, tables(w, nil), m, fmt.Sprintf("memtree_leaf row 0 %q", name), j == 0 && tr == Final)
				accept(t, name, name, tables(w, skipSet(name)), m)
			}
		}
	}
}

// A forged hash output: the root row's final permutation output is changed (so the
// claimed final root is another), the poseidon2 table answering honestly: the row's
// receive (KindOut, DomFinal, 1, out) has no sender. Forging the poseidon2 row's output
// to match instead breaks its round constraints. The same for a leaf row's initial
// permutation (the block's initial digest, and R_init, forged).
func TestForgeHashOutput(t *testing.T) {
	w := witness(t, image, []Touch{{1000, 6}})
	one := field.New(1)
	forgeRoot := func(tb []chiptest.Table) []lookup.Message {
		c := tb[0].Main[nodeCol.Out[Final][hash.DigestLen].Index]
		c[0].Add(&c[0], &one) // row 0 is the root's
		root := w.Roots[Final]
		root[0].Add(&root[0], &one)
		return append([]lookup.Message{Message(w.Roots[Init], root)}, memoryMessages(w.Changes)...)
	}
	full5 := poseidon2.NumColumns - poseidon2.PartialRounds - poseidon2.Width
	{
		tb := tables(w, nil)
		m := forgeRoot(tb)
		refuse(t, "a node's permutation output forged", tb, m, `memtree_node row 0 "perm_final_out"`, true)
	}
	{
		tb := tables(w, nil)
		m := forgeRoot(tb)
		// Call 1 is the root's final-tree permutation: its poseidon2 row claims the
		// forged output.
		p := tb[2].Main[full5+hash.DigestLen]
		p[1].Add(&p[1], &one)
		refuse(t, "a poseidon2 row whose output is forged to match", tb, m, `"full5[8]"`, true)
	}
	{
		// The leaf's initial digest forged: its out[init][8] + 1, the parents' digests
		// and R_init recomputed over it.
		tb := tables(w, nil)
		c := tb[1].Main[leafCol.Out[Init][hash.DigestLen].Index]
		c[0].Add(&c[0], &one)
		l := &w.Leaves[0]
		d := LeafDigest(&l.Limbs[Init])
		d[0].Add(&d[0], &one)
		// Re-hash the node rows with the forged block digest in place of its own.
		w2 := *w
		w2.Nodes = append([]NodeRow(nil), w.Nodes...)
		last := &w2.Nodes[len(w2.Nodes)-1]
		last.Expand[l.ID%2] = false
		last.Child[l.ID%2][Init] = d
		last.Child[l.ID%2][Final] = LeafDigest(&l.Limbs[Final])
		rehash(&w2)
		last.Expand[l.ID%2] = true
		node, _, calls := Trace(&w2, new(rangetable.Counter))
		tb[0].Main = node
		tb[2].Main = poseidon2.Trace(append(calls, forgedLeafCalls(w)...))
		refuse(t, "a leaf's permutation output forged", tb, messages(&w2), `memtree_leaf row 0 "perm_init_out"`, false)
	}
}

// forgedLeafCalls are the leaf rows' honest permutation calls (the poseidon2 table
// answers them truly).
func forgedLeafCalls(w *Witness) []poseidon2.Call {
	var calls []poseidon2.Call
	for _, l := range w.Leaves {
		for t := range 2 {
			calls = append(calls, poseidon2.Call{Dom: doms[t], ID: l.ID, In: [hash.Width]field.Elem(l.Limbs[t])})
		}
	}
	return calls
}

// paddedTables are tables(w, skip) with the last (padding) row of the node table (kind
// 0) or the leaf table (kind 1) handed to set, and the range table recounted with the
// extra limbs set asks for.
func paddedTables(t *testing.T, w *Witness, skip map[string]bool, kind int, set func(main [][]field.Elem, r int) []uint32) []chiptest.Table {
	t.Helper()
	rc := new(rangetable.Counter)
	node, leaf, calls := trace(w, rc, skip)
	main := [2][][]field.Elem{node, leaf}[kind]
	r := len(main[0]) - 1
	real := [2]int{nodeCol.Real.Index, leafCol.Real.Index}[kind]
	if !main[real][r].IsZero() {
		t.Fatal("the table's last row is not padding")
	}
	for _, v := range set(main, r) {
		rc.U16(v)
	}
	return []chiptest.Table{
		{AIR: nodeAIR(skip), Main: node},
		{AIR: leafAIR(skip), Main: leaf},
		{AIR: poseidon2.AIR(), Main: poseidon2.Trace(calls)},
		chiptest.RangeTable(rc),
	}
}

// A padding row of the leaf table (real = 0: it receives no node and hashes nothing)
// reports a write of 77 to word 8·2^20 + j, which the memory table's messages confirm;
// the trees do not change there. touched_j_real (touched_j·(1 − real) = 0) refuses it.
func TestForgePaddingLeafReports(t *testing.T) {
	w := witness(t, image, []Touch{{0, 1}, {8, 2}, {1000, 3}}) // three blocks, four rows
	const block = 1 << 20
	for _, j := range sweep(BlockWords) {
		set := func(main [][]field.Elem, r int) []uint32 {
			main[leafCol.ID.Index][r] = field.New(NumBlocks + block)
			main[leafCol.Touched[j].Index][r] = field.New(1)
			main[leafCol.Limb[Final][2*j].Index][r] = field.New(77)
			return []uint32{0, 0, 77, 0}
		}
		m := append(messages(w), memoryMessages([]Change{{Addr: BlockWords*block + uint32(j), Init: 0, Final: 77}})...)
		name := fmt.Sprintf("touched%d_real", j)
		what := "a padding leaf row reporting a write, " + name
		refuse(t, what, paddedTables(t, w, nil, 1, set), m, fmt.Sprintf("%q", name), j == 0)
		accept(t, what, name, paddedTables(t, w, skipSet(name), 1, set), m)
	}
}

// A padding row of the node table sends a node's tuple out of nothing: it "expands"
// child s with the digests of an orphan block's row (block 2^20 + s, its first word
// written with 77, reported to the memory table) while the roots stay the honest ones.
// expand_s_real (expand_s·(1 − real) = 0) refuses it.
func TestForgePaddingNodeSends(t *testing.T) {
	for s := range 2 {
		w := witness(t, image, []Touch{{1000, 6}})
		o := orphan(w, BlockWords*(1<<20+uint32(s)))
		w.Leaves = append(w.Leaves, o)
		d := [2]hash.Digest{LeafDigest(&o.Limbs[Init]), LeafDigest(&o.Limbs[Final])}
		set := func(main [][]field.Elem, r int) []uint32 {
			main[nodeCol.ID.Index][r] = field.New(uint64(o.ID / 2))
			main[nodeCol.H.Index][r] = field.New(1)
			main[nodeCol.Expand[s].Index][r] = field.New(1)
			for tr := range 2 {
				for k := range hash.DigestLen {
					main[nodeCol.Child[s][tr][k].Index][r] = d[tr][k]
				}
			}
			return nil
		}
		name := fmt.Sprintf("expand%d_real", s)
		what := "a padding node row sending a child, " + name
		refuse(t, what, paddedTables(t, w, nil, 0, set), messages(w), fmt.Sprintf("%q", name), s == 0)
		accept(t, what, name, paddedTables(t, w, skipSet(name), 0, set), messages(w))
	}
}

// A node expanded twice by one row: the parent of block s sends its tuple with
// multiplicity expand_s = 2, to two identical leaf rows (a touched word that keeps its
// value — word 2 of block 0, word 9 of block 1 — so the block's digests agree and keep_s
// holds even for expand = 2; the memory table's messages are duplicated).
// expand_s_bool refuses the multiplicity.
func TestForgeExpandTwice(t *testing.T) {
	for s, addr := range []uint32{2, 9} {
		w := witness(t, image, []Touch{{addr, image[addr]}})
		w.Leaves = append(w.Leaves, w.Leaves[0])
		m := append(messages(w), memoryMessages(w.Changes)...)
		parent := len(w.Nodes) - 1 // the deepest node row: height 1
		if w.Nodes[parent].ID != w.Leaves[0].ID/2 || w.Leaves[0].ID%2 != uint32(s) {
			t.Fatal("the last node row is not the block's parent")
		}
		build := func(skip map[string]bool) []chiptest.Table {
			tb := tables(w, skip)
			tb[0].Main[nodeCol.Expand[s].Index][parent] = field.New(2)
			return tb
		}
		name := fmt.Sprintf("expand%d_bool", s)
		what := "a child sent twice by one row, " + name
		refuse(t, what, build(nil), m, fmt.Sprintf("%q", name), s == 0)
		accept(t, what, name, build(skipSet(name)), m)
	}
}

// A touched word reported twice by its block's row: touched_j = 2 sends it twice on
// Image and receives it twice on MemoryFinal (with the value kept, so keep_j holds;
// the memory table's messages duplicated, and the range table counting the limbs
// twice). touched_j_bool refuses it. (With the memory table, whose addresses are
// distinct, the buses would refuse it too.)
func TestForgeTouchedTwice(t *testing.T) {
	for _, j := range sweep(BlockWords) {
		addr := uint32(1000 + j)
		w := witness(t, map[uint32]uint32{addr: 0x10002}, []Touch{{addr, 0x10002}})
		m := append(messages(w), memoryMessages(w.Changes)...)
		build := func(skip map[string]bool) []chiptest.Table {
			rc := new(rangetable.Counter)
			node, leaf, calls := trace(w, rc, skip)
			leaf[leafCol.Touched[j].Index][0] = field.New(2)
			for range 2 {
				rc.Word(0x10002)
			}
			return []chiptest.Table{
				{AIR: nodeAIR(skip), Main: node},
				{AIR: leafAIR(skip), Main: leaf},
				{AIR: poseidon2.AIR(), Main: poseidon2.Trace(calls)},
				chiptest.RangeTable(rc),
			}
		}
		name := fmt.Sprintf("touched%d_bool", j)
		what := "a word reported twice, " + name
		refuse(t, what, build(nil), m, fmt.Sprintf("%q", name), j == 0)
		accept(t, what, name, build(skipSet(name)), m)
	}
}

// A row of multiplicity −1: it sends its own node tuple and answers its own permutation
// calls, so a copy of any row with real = 1 beside it cancels on every bus. This pair
// gains nothing by itself, but a row of multiplicity −1 is a free sender of node tuples
// and of Poseidon2 outputs under the chip's domains; real_bool refuses it, in both
// tables.
func TestForgeNegativeReal(t *testing.T) {
	for kind := range 2 {
		w := witness(t, image, []Touch{{1000, 6}, {0, 1}}) // with the added row, 3 leaf rows
		var c hash.Digest
		for k := range c {
			c[k] = field.New(uint64(100 + k))
		}
		if kind == 0 {
			w.Nodes = append(w.Nodes, NodeRow{ID: 5, H: 25, Child: [2][2]hash.Digest{{c, c}, {c, c}}})
		} else {
			l := LeafRow{ID: NumBlocks + 77}
			for i := range BlockLimbs {
				l.Limbs[Init][i], l.Limbs[Final][i] = field.New(uint64(i)), field.New(uint64(i))
			}
			w.Leaves = append(w.Leaves, l)
		}
		build := func(skip map[string]bool) []chiptest.Table {
			rc := new(rangetable.Counter)
			node, leaf, calls := trace(w, rc, skip)
			main, p, call := node, len(w.Nodes)-1, 2*(len(w.Nodes)-1)
			if kind == 1 {
				main, p, call = leaf, len(w.Leaves)-1, 2*(len(w.Nodes)+len(w.Leaves)-1)
			}
			n := len(main[0]) - 1 // the pair: the added row and the last padding row
			for _, col := range main {
				col[n] = col[p]
			}
			minus := field.NewInt(-1)
			if kind == 0 {
				main[nodeCol.Real.Index][n] = minus
				h := main[nodeCol.H.Index][n]
				var inv field.Elem
				inv.Inverse(&h)
				inv.Neg(&inv)
				main[nodeCol.HInv.Index][n] = inv
			} else {
				main[leafCol.Real.Index][n] = minus
			}
			calls = append(calls[:call:call], calls[call+2:]...) // the pair answers its own calls
			return []chiptest.Table{
				{AIR: nodeAIR(skip), Main: node},
				{AIR: leafAIR(skip), Main: leaf},
				{AIR: poseidon2.AIR(), Main: poseidon2.Trace(calls)},
				chiptest.RangeTable(rc),
			}
		}
		table := [2]string{"memtree_node", "memtree_leaf"}[kind]
		what := "a row of multiplicity −1 in " + table
		refuse(t, what, build(nil), messages(w), fmt.Sprintf("table %s: constraint \"real_bool\"", table), kind == 0)
		accept(t, what, "real_bool", build(skipSet("real_bool")), messages(w))
	}
}
