package memtree

import (
	"fmt"
	"math/bits"
	"slices"
	"sync"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// The tree's shape: 2^30 words in blocks of 8 (16 limbs), 2^27 blocks under a binary
// tree of depth 27. A node at height h (0: a block, 27: the root) with index
// i < 2^(27−h) has the heap index 2^(27−h) + i: the root is 1, the children of n are
// 2n and 2n + 1, and the blocks are 2^27 … 2^28 − 1.
const (
	AddrBits   = 30
	BlockWords = 8
	BlockLimbs = 2 * BlockWords
	Depth      = 27
	NumBlocks  = 1 << Depth
	// RootID is the root's heap index.
	RootID = 1
)

// HeapID is the heap index of the node at height h with index i.
func HeapID(h int, i uint32) uint32 { return 1<<(Depth-h) + i }

// Height is the height of the node with heap index id (1 ≤ id < 2^28).
func Height(id uint32) int { return Depth + 1 - bits.Len32(id) }

// Limbs is a word's 16-bit halves (lo, hi).
func Limbs(w uint32) (field.Elem, field.Elem) {
	return field.New(uint64(w & 0xffff)), field.New(uint64(w >> 16))
}

// LeafDigest is a block's digest: Compress(limbs[0:8], limbs[8:16]), limbs 2j and 2j+1
// being word j's lo and hi.
func LeafDigest(l *[BlockLimbs]field.Elem) hash.Digest {
	var a, b hash.Digest
	copy(a[:], l[:hash.DigestLen])
	copy(b[:], l[hash.DigestLen:])
	return hash.Compress(&a, &b)
}

// Defaults are the digests of all-zero subtrees: Defaults()[h] is the digest of a node at
// height h whose words are all zero.
var Defaults = sync.OnceValue(func() *[Depth + 1]hash.Digest {
	var d [Depth + 1]hash.Digest
	d[0] = LeafDigest(&[BlockLimbs]field.Elem{})
	for h := 1; h <= Depth; h++ {
		d[h] = hash.Compress(&d[h-1], &d[h-1])
	}
	return &d
})

// Tree is a sparse Poseidon2 Merkle tree over the 2^30 words of memory, zero where not
// set. It stores the nonzero words and the digests of the nodes above blocks that were
// ever set; every other node has its height's default digest.
type Tree struct {
	words map[uint32]uint32      // nonzero words by address (word index)
	nodes map[uint32]hash.Digest // digests by heap index
}

// New returns the all-zero tree.
func New() *Tree { return &Tree{words: map[uint32]uint32{}, nodes: map[uint32]hash.Digest{}} }

// FromWords returns the tree holding words (addresses are word indices below 2^30),
// zero elsewhere: e.g. a program's initial image.
func FromWords(words map[uint32]uint32) (*Tree, error) {
	t := New()
	blocks := make([]uint32, 0, len(words))
	for a, w := range words {
		if a>>AddrBits != 0 {
			return nil, fmt.Errorf("memtree: address %#x is not below 2^30", a)
		}
		if w != 0 {
			t.words[a] = w
		}
		blocks = append(blocks, a/BlockWords)
	}
	t.rehash(blocks)
	return t, nil
}

// Word returns the word at addr.
func (t *Tree) Word(addr uint32) uint32 { return t.words[addr] }

// Root is the root digest.
func (t *Tree) Root() hash.Digest { return t.Node(RootID) }

// Node is the digest of the node with heap index id.
func (t *Tree) Node(id uint32) hash.Digest {
	if d, ok := t.nodes[id]; ok {
		return d
	}
	return Defaults()[Height(id)]
}

// BlockLimbs is block b's limbs: word 8b + j's lo and hi at 2j and 2j+1.
func (t *Tree) BlockLimbs(b uint32) [BlockLimbs]field.Elem {
	var l [BlockLimbs]field.Elem
	for j := range uint32(BlockWords) {
		l[2*j], l[2*j+1] = Limbs(t.words[BlockWords*b+j])
	}
	return l
}

// rehash recomputes the digests of the given blocks and of every node above them.
func (t *Tree) rehash(blocks []uint32) {
	ids := make([]uint32, len(blocks))
	for i, b := range blocks {
		ids[i] = NumBlocks + b
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	for _, id := range ids {
		l := t.BlockLimbs(id - NumBlocks)
		t.nodes[id] = LeafDigest(&l)
	}
	for range Depth {
		for i := range ids {
			ids[i] >>= 1
		}
		ids = slices.Compact(ids) // sorted ids stay sorted under >> 1
		for _, id := range ids {
			l, r := t.Node(2*id), t.Node(2*id+1)
			t.nodes[id] = hash.Compress(&l, &r)
		}
	}
}

// Touch is a word a segment touched and its value when the segment ends.
type Touch struct {
	Addr, Value uint32
}

// Change is a touched word with its values before and after.
type Change struct {
	Addr, Init, Final uint32
}

// NodeRow is the witness of an expanded node above the blocks (height ≥ 1): its
// children's digests in the trees before ([Init]) and after ([Final]), and which
// children are expanded (have touched words below them).
type NodeRow struct {
	ID, H  uint32
	Child  [2][2]hash.Digest // [side: 0 left, 1 right][Init or Final]
	Expand [2]bool
}

// LeafRow is the witness of an expanded block: its limbs before and after, and which of
// its words are touched.
type LeafRow struct {
	ID      uint32 // 2^27 + block
	Limbs   [2][BlockLimbs]field.Elem
	Touched [BlockWords]bool
}

// The two trees of a row.
const (
	Init  = 0
	Final = 1
)

// Witness is the chip's witness for one segment: the roots before and after, and a row
// per expanded node (every node with a touched word below it), top-down in heap order.
type Witness struct {
	Roots   [2]hash.Digest // [Init, Final]
	Nodes   []NodeRow
	Leaves  []LeafRow
	Changes []Change // by address
}

// Apply sets the touched words to their final values and returns the witness of the
// change from the tree before to the tree after. A touched word may keep its value; an
// empty touched set gives a witness of the root alone (R_init = R_final).
func (t *Tree) Apply(touched []Touch) (*Witness, error) {
	ts := slices.Clone(touched)
	slices.SortFunc(ts, func(a, b Touch) int { return int(a.Addr) - int(b.Addr) })
	for i, x := range ts {
		if x.Addr>>AddrBits != 0 {
			return nil, fmt.Errorf("memtree: address %#x is not below 2^30", x.Addr)
		}
		if i > 0 && ts[i-1].Addr == x.Addr {
			return nil, fmt.Errorf("memtree: address %#x touched twice", x.Addr)
		}
	}
	w := &Witness{Changes: make([]Change, len(ts))}
	w.Roots[Init] = t.Root()
	// Expanded nodes: the ancestors of the touched blocks, in heap order.
	blocks := make([]uint32, len(ts))
	for i, x := range ts {
		blocks[i] = x.Addr / BlockWords
	}
	blocks = slices.Compact(blocks)
	var ids []uint32
	level := make([]uint32, len(blocks))
	for i, b := range blocks {
		level[i] = NumBlocks + b
	}
	for range Depth {
		for i := range level {
			level[i] >>= 1
		}
		level = slices.Compact(level)
		ids = append(ids, level...)
	}
	if len(ids) == 0 {
		ids = []uint32{RootID}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	expanded := make(map[uint32]bool, len(ids)+len(blocks))
	for _, id := range ids {
		expanded[id] = true
	}
	for _, b := range blocks {
		expanded[NumBlocks+b] = true
	}
	w.Nodes = make([]NodeRow, len(ids))
	for k, id := range ids {
		n := &w.Nodes[k]
		n.ID, n.H = id, uint32(Height(id))
		for s := range 2 {
			n.Child[s][Init] = t.Node(2*id + uint32(s))
			n.Expand[s] = expanded[2*id+uint32(s)]
		}
	}
	w.Leaves = make([]LeafRow, len(blocks))
	for k, b := range blocks {
		w.Leaves[k] = LeafRow{ID: NumBlocks + b, Limbs: [2][BlockLimbs]field.Elem{t.BlockLimbs(b)}}
	}
	for i, x := range ts {
		w.Changes[i] = Change{Addr: x.Addr, Init: t.words[x.Addr], Final: x.Value}
		if x.Value == 0 {
			delete(t.words, x.Addr)
		} else {
			t.words[x.Addr] = x.Value
		}
	}
	t.rehash(blocks)
	w.Roots[Final] = t.Root()
	for k := range w.Nodes {
		n := &w.Nodes[k]
		for s := range 2 {
			n.Child[s][Final] = t.Node(2*n.ID + uint32(s))
		}
	}
	k := 0
	for i := range w.Leaves {
		l := &w.Leaves[i]
		l.Limbs[Final] = t.BlockLimbs(l.ID - NumBlocks)
		for ; k < len(ts) && ts[k].Addr/BlockWords == l.ID-NumBlocks; k++ {
			l.Touched[ts[k].Addr%BlockWords] = true
		}
	}
	return w, nil
}
