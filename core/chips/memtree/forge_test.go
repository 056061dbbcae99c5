package memtree

// Cheating provers against the memory tree chip. Each builds a false witness whose
// tables are committed consistently (the poseidon2 and range tables answer exactly what
// the forged rows ask, the digests up to the claimed roots are recomputed), keeps every
// bus but the one it attacks balanced, and asserts that the verifier rejects it. Where
// a polynomial constraint is what refuses the forgery, the test also deletes it and
// checks that the same witness then satisfies every table and bus (so the constraint is
// needed, and the forgery is not refused by accident elsewhere).

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

// mustPassWithout checks that the forgery satisfies every table and bus once the named
// constraints are deleted from the AIRs.
func mustPassWithout(t *testing.T, what string, w *Witness, m []lookup.Message, skip ...string) {
	t.Helper()
	sk := map[string]bool{}
	for _, s := range skip {
		sk[s] = true
	}
	if err := chiptest.Check(tables(w, sk), m); err != nil {
		t.Errorf("%s: without %v the forgery is still refused: %v", what, skip, err)
	}
}

// mustFailOn checks that airtest refuses the forgery naming want (a constraint, or an
// interaction of a bus left unbalanced), before MustReject has the verifier refuse it.
func mustFailOn(t *testing.T, what string, tb []chiptest.Table, m []lookup.Message, want string) {
	t.Helper()
	err := chiptest.Check(tb, m)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("%s: airtest's refusal does not name %s: %v", what, want, err)
	}
	chiptest.MustReject(t, what, tb, m)
}

func leafOf(w *Witness, addr uint32) *LeafRow {
	for i := range w.Leaves {
		if w.Leaves[i].ID == NumBlocks+addr/BlockWords {
			return &w.Leaves[i]
		}
	}
	panic("no leaf row")
}

// An untouched word of an expanded block changed: the final tree differs from the
// initial one at word 1001, which no message reports (only word 1000 is touched). The
// leaf row's keep1_lo ((1 − touched_1)·(lo_init − lo_final) = 0) refuses it.
func TestForgeUntouchedWordInBlock(t *testing.T) {
	w := witness(t, image, []Touch{{1000, 6}})
	l := leafOf(w, 1001)
	one := field.New(1)
	l.Limbs[Final][2].Add(&l.Limbs[Final][2], &one)
	rehash(w)
	const what = "an untouched word of a touched block changed"
	mustFailOn(t, what, tables(w, nil), messages(w), `"keep1_lo"`)
	mustPassWithout(t, what, w, messages(w), "keep1_lo")
}

// An untouched subtree changed: the claimed final root is that of the honest final tree
// with also word 2^29 changed (unreported). Word 2^29 lies under the root's right child,
// which no touched word expands; the root row's keep1[k] ((1 − expand_1)·(right_init −
// right_final) = 0) refuses the different digests.
func TestForgeUntouchedChildChanged(t *testing.T) {
	touched := []Touch{{1000, 6}}
	w := witness(t, image, touched)
	other, _ := FromWords(image)
	_, _ = other.Apply(append(touched, Touch{1 << 29, 9}))
	if w.Nodes[0].ID != RootID || w.Nodes[0].Expand[1] {
		t.Fatal("the root's right child is expanded")
	}
	w.Nodes[0].Child[1][Final] = other.Node(3)
	rehash(w)
	if w.Roots[Final] != other.Root() {
		t.Fatal("the forged root is not the other tree's")
	}
	const what = "an unexpanded child with init ≠ final"
	mustFailOn(t, what, tables(w, nil), messages(w), `"keep1[0]"`)
	var keep []string
	for k := range hash.DigestLen {
		keep = append(keep, fmt.Sprintf("keep1[%d]", k))
	}
	mustPassWithout(t, what, w, messages(w), keep...)
}

// A block expanded twice: its leaf row duplicated (with the memory table's messages for
// its touched word duplicated, and the poseidon2 table answering both rows). Its tuple
// on bus.MemTree is received twice but sent once, by its parent's single row.
func TestForgeNodeExpandedTwice(t *testing.T) {
	w := witness(t, image, []Touch{{1000, 6}})
	w.Leaves = append(w.Leaves, w.Leaves[0])
	m := append(messages(w), memoryMessages(w.Changes)...)
	mustFailOn(t, "a block expanded twice", tables(w, nil), m, `memtree_leaf row 1 "node"`)
}

// A row no parent sends: a leaf row for block 2^20, off every touched path, reporting a
// write of 77 to its word 8·2^20 (the memory table's messages say so) while the roots
// stay those of the honest trees, where the word is still 0. Its receive on bus.MemTree
// has no sender: the parent of the block has no row, or does not expand it.
func TestForgeOrphanRow(t *testing.T) {
	w := witness(t, image, []Touch{{1000, 6}})
	const addr = 8 << 20
	orphan := LeafRow{ID: NumBlocks + addr/BlockWords}
	orphan.Limbs[Final][0] = field.New(77)
	orphan.Touched[0] = true
	w.Leaves = append(w.Leaves, orphan)
	w.Changes = append(w.Changes, Change{Addr: addr, Init: 0, Final: 77})
	mustFailOn(t, "a write reported by a row no parent sends", tables(w, nil), messages(w), `memtree_leaf row 1 "node"`)
}

// A path placed at another address: the touched block's row claims heap index
// 2^27 + 126 (words 1008 …) instead of 2^27 + 125, and the memory table's messages name
// word 1008 for the value written to word 1000. The block's parent sends the true index
// 2·id + bit, so the row's receive on bus.MemTree has no sender.
func TestForgeWrongIndex(t *testing.T) {
	w := witness(t, image, []Touch{{1000, 6}})
	w.Leaves[0].ID++
	w.Changes[0].Addr += BlockWords
	mustFailOn(t, "a block at another index", tables(w, nil), messages(w), `memtree_leaf row 0 "node"`)
}

// A wrong height: a node row at height 0 standing in for a block (children = the limb
// halves, not expanded). Nothing is gained here, but a node row below the blocks would
// let a chain of such rows reach heap indices beyond 2^28 that wrap modulo p onto a
// genuine node's Poseidon2 identifier (the bus tuple's id, not h), and two calls under
// one (dom, id) can swap outputs. h_nonzero (h · h_inv = real) refuses every such row.
func TestForgeNodeRowAtHeightZero(t *testing.T) {
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
	const what = "a node row at height 0"
	mustFailOn(t, what, tables(w, nil), messages(w), `"h_nonzero"`)
	mustPassWithout(t, what, w, messages(w), "h_nonzero")
}

// A non-canonical limb: word 1000 written with 0x20005 is stored in the final tree (and
// sent to the memory table) as (5 + 2^16, 1), the same integer lo + 2^16·hi. The leaf
// row's U16 lookup of the limb has no receiver in the range table.
func TestForgeNonCanonicalLimb(t *testing.T) {
	w := witness(t, image, []Touch{{1000, 0x20005}})
	l := leafOf(w, 1000)
	l.Limbs[Final][0] = field.New(5 + 1<<16)
	l.Limbs[Final][1] = field.New(1)
	rehash(w)
	m := messages(w)
	m[2].Tuple[1], m[2].Tuple[2] = field.New(5+1<<16), field.New(1) // the MemoryFinal send
	const what = "a limb above 2^16"
	mustFailOn(t, what, tables(w, nil), m, `memtree_leaf row 0 "range0_final_lo"`)
	mustPassWithout(t, what, w, m, "range0_final_lo")
}

// A forged hash output: the root row's final permutation output is changed (so the
// claimed final root is another), the poseidon2 table answering honestly: the row's
// receive (KindOut, DomFinal, 1, out) has no sender. Forging the poseidon2 row's output
// to match instead breaks its round constraints.
func TestForgeHashOutput(t *testing.T) {
	w := witness(t, image, []Touch{{1000, 6}})
	forge := func(tb []chiptest.Table) []lookup.Message {
		c := tb[0].Main[nodeCol.Out[Final][hash.DigestLen].Index]
		one := field.New(1)
		c[0].Add(&c[0], &one) // row 0 is the root's
		root := w.Roots[Final]
		root[0].Add(&root[0], &one)
		return append([]lookup.Message{Message(w.Roots[Init], root)}, memoryMessages(w.Changes)...)
	}
	{
		tb := tables(w, nil)
		m := forge(tb)
		mustFailOn(t, "a node's permutation output forged", tb, m, `memtree_node row 0 "perm_final_out"`)
	}
	{
		tb := tables(w, nil)
		m := forge(tb)
		// Call 1 is the root's final-tree permutation: its poseidon2 row claims the
		// forged output.
		full5 := poseidon2.NumColumns - poseidon2.PartialRounds - poseidon2.Width
		p := tb[2].Main[full5+hash.DigestLen]
		one := field.New(1)
		p[1].Add(&p[1], &one)
		mustFailOn(t, "a poseidon2 row whose output is forged to match", tb, m, `"full5[8]"`)
	}
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

func skipSet(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

// A padding row of the leaf table (real = 0: it receives no node and hashes nothing)
// reports a write of 77 to word 8·2^20, which the memory table's messages confirm; the
// trees do not change there. touched0_real (touched_0·(1 − real) = 0) refuses it.
func TestForgePaddingLeafReports(t *testing.T) {
	w := witness(t, image, []Touch{{0, 1}, {8, 2}, {1000, 3}}) // three blocks, four rows
	const addr = 8 << 20
	set := func(main [][]field.Elem, r int) []uint32 {
		main[leafCol.ID.Index][r] = field.New(NumBlocks + addr/BlockWords)
		main[leafCol.Touched[0].Index][r] = field.New(1)
		main[leafCol.Limb[Final][0].Index][r] = field.New(77)
		return []uint32{0, 0, 77, 0}
	}
	m := append(messages(w), memoryMessages([]Change{{Addr: addr, Init: 0, Final: 77}})...)
	const what = "a padding leaf row reporting a write"
	mustFailOn(t, what, paddedTables(t, w, nil, 1, set), m, `"touched0_real"`)
	if err := chiptest.Check(paddedTables(t, w, skipSet("touched0_real"), 1, set), m); err != nil {
		t.Errorf("%s: without touched0_real the forgery is still refused: %v", what, err)
	}
}

// A padding row of the node table sends a node's tuple out of nothing: it "expands" a
// left child with the digests of an orphan block's row (block 2^20, word 8·2^20 written
// with 77, reported to the memory table) while the roots stay the honest ones.
// expand0_real (expand_0·(1 − real) = 0) refuses it.
func TestForgePaddingNodeSends(t *testing.T) {
	w := witness(t, image, []Touch{{1000, 6}})
	const addr = 8 << 20
	orphan := LeafRow{ID: NumBlocks + addr/BlockWords}
	orphan.Limbs[Final][0] = field.New(77)
	orphan.Touched[0] = true
	w.Leaves = append(w.Leaves, orphan)
	w.Changes = append(w.Changes, Change{Addr: addr, Init: 0, Final: 77})
	d := [2]hash.Digest{LeafDigest(&orphan.Limbs[Init]), LeafDigest(&orphan.Limbs[Final])}
	set := func(main [][]field.Elem, r int) []uint32 {
		main[nodeCol.ID.Index][r] = field.New(uint64(orphan.ID / 2))
		main[nodeCol.H.Index][r] = field.New(1)
		main[nodeCol.Expand[0].Index][r] = field.New(1)
		for tr := range 2 {
			for k := range hash.DigestLen {
				main[nodeCol.Child[0][tr][k].Index][r] = d[tr][k]
			}
		}
		return nil
	}
	const what = "a padding node row sending a child"
	mustFailOn(t, what, paddedTables(t, w, nil, 0, set), messages(w), `"expand0_real"`)
	if err := chiptest.Check(paddedTables(t, w, skipSet("expand0_real"), 0, set), messages(w)); err != nil {
		t.Errorf("%s: without expand0_real the forgery is still refused: %v", what, err)
	}
}

// A node expanded twice by one row: the parent of block 0 sends its tuple with
// multiplicity expand = 2, to two identical leaf rows (word 2 is touched and keeps its
// value, so the block's digests agree and keep0 holds even for expand = 2; the memory
// table's messages are duplicated). expand0_bool refuses the multiplicity.
func TestForgeExpandTwice(t *testing.T) {
	w := witness(t, image, []Touch{{2, 7}})
	w.Leaves = append(w.Leaves, w.Leaves[0])
	m := append(messages(w), memoryMessages(w.Changes)...)
	parent := len(w.Nodes) - 1 // the deepest node row: height 1
	if w.Nodes[parent].ID != w.Leaves[0].ID/2 || w.Leaves[0].ID%2 != 0 {
		t.Fatal("the last node row is not block 0's parent")
	}
	build := func(skip map[string]bool) []chiptest.Table {
		tb := tables(w, skip)
		tb[0].Main[nodeCol.Expand[0].Index][parent] = field.New(2)
		return tb
	}
	const what = "a child sent twice by one row"
	mustFailOn(t, what, build(nil), m, `"expand0_bool"`)
	if err := chiptest.Check(build(skipSet("expand0_bool")), m); err != nil {
		t.Errorf("%s: without expand0_bool the forgery is still refused: %v", what, err)
	}
}

// A row of multiplicity −1: it sends its own node tuple and answers its own permutation
// calls, so a copy of any row with real = 1 beside it cancels on every bus. This pair
// gains nothing by itself, but a row of multiplicity −1 is a free sender of node tuples
// and of Poseidon2 outputs under the chip's domains; real_bool refuses it.
func TestForgeNegativeReal(t *testing.T) {
	w := witness(t, image, []Touch{{1000, 6}})
	var c hash.Digest
	for k := range c {
		c[k] = field.New(uint64(100 + k))
	}
	w.Nodes = append(w.Nodes, NodeRow{ID: 5, H: 25, Child: [2][2]hash.Digest{{c, c}, {c, c}}})
	build := func(skip map[string]bool) []chiptest.Table {
		rc := new(rangetable.Counter)
		node, leaf, calls := trace(w, rc, skip)
		p, n := len(w.Nodes)-1, len(node[0])-1 // the pair: the added row and the last padding row
		for _, col := range node {
			col[n] = col[p]
		}
		minus := field.NewInt(-1)
		node[nodeCol.Real.Index][n] = minus
		h := node[nodeCol.H.Index][n]
		var inv field.Elem
		inv.Inverse(&h)
		inv.Neg(&inv)
		node[nodeCol.HInv.Index][n] = inv
		calls = append(calls[:2*p:2*p], calls[2*p+2:]...) // the pair answers its own calls
		return []chiptest.Table{
			{AIR: nodeAIR(skip), Main: node},
			{AIR: leafAIR(skip), Main: leaf},
			{AIR: poseidon2.AIR(), Main: poseidon2.Trace(calls)},
			chiptest.RangeTable(rc),
		}
	}
	const what = "a node row of multiplicity −1"
	mustFailOn(t, what, build(nil), messages(w), `"real_bool"`)
	if err := chiptest.Check(build(skipSet("real_bool")), messages(w)); err != nil {
		t.Errorf("%s: without real_bool the forgery is still refused: %v", what, err)
	}
}
