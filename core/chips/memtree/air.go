package memtree

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/poseidon2"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// The chip's domains on bus.Poseidon2 (declared with the others in package poseidon2,
// which lists every domain): the permutations of the tree before the segment and of the
// tree after it. The identifier of a node's permutation is its heap index.
const (
	DomInit  = poseidon2.DomMemInit
	DomFinal = poseidon2.DomMemFinal
)

// NodeColumns are the columns of the node table: one row per expanded node above the
// blocks.
type NodeColumns struct {
	// Real is 1 on a node's row, 0 on padding.
	Real air.Column
	// ID is the node's heap index, H its height (1 … 27), HInv the inverse of H (0 on
	// padding).
	ID, H, HInv air.Column
	// Expand[s] is 1 when child s (0 left, 1 right) has a row of its own.
	Expand [2]air.Column
	// Child[s][t] is child s's digest in tree t (Init, Final).
	Child [2][2][hash.DigestLen]air.Column
	// Out[t] is the permutation of Child[0][t] ‖ Child[1][t]; the node's digest in tree
	// t is Out[t][8:16] + Child[1][t] (hash.Compress).
	Out [2][hash.Width]air.Column
}

// LeafColumns are the columns of the leaf table: one row per expanded block.
type LeafColumns struct {
	// Real is 1 on a block's row, 0 on padding.
	Real air.Column
	// ID is the block's heap index 2^27 + block.
	ID air.Column
	// Touched[j] is 1 when word j of the block is touched.
	Touched [BlockWords]air.Column
	// Limb[t] are the block's 16 limbs in tree t: word j's lo and hi at 2j and 2j+1.
	Limb [2][BlockLimbs]air.Column
	// Out[t] is the permutation of Limb[t]; the block's digest is Out[t][8:16] +
	// Limb[t][8:16].
	Out [2][hash.Width]air.Column
}

// NodeWidth and LeafWidth are the tables' numbers of main columns.
const (
	NodeWidth = 6 + 4*hash.DigestLen + 2*hash.Width
	LeafWidth = 2 + BlockWords + 2*BlockLimbs + 2*hash.Width
)

var treeNames = [2]string{"init", "final"}

func newNodeColumns(b *air.Builder) *NodeColumns {
	c := &NodeColumns{Real: b.Main("real"), ID: b.Main("id"), H: b.Main("h"), HInv: b.Main("h_inv")}
	c.Expand[0], c.Expand[1] = b.Main("expand_left"), b.Main("expand_right")
	for s, side := range []string{"left", "right"} {
		for t := range 2 {
			copy(c.Child[s][t][:], b.MainN(side+"_"+treeNames[t], hash.DigestLen))
		}
	}
	for t := range 2 {
		copy(c.Out[t][:], b.MainN("out_"+treeNames[t], hash.Width))
	}
	return c
}

func newLeafColumns(b *air.Builder) *LeafColumns {
	c := &LeafColumns{Real: b.Main("real"), ID: b.Main("id")}
	copy(c.Touched[:], b.MainN("touched", BlockWords))
	for t := range 2 {
		copy(c.Limb[t][:], b.MainN("limb_"+treeNames[t], BlockLimbs))
	}
	for t := range 2 {
		copy(c.Out[t][:], b.MainN("out_"+treeNames[t], hash.Width))
	}
	return c
}

var (
	nodeCol = newNodeColumns(air.NewBuilder("memtree_node"))
	leafCol = newLeafColumns(air.NewBuilder("memtree_leaf"))
)

// builder wraps air.Builder, leaving out the constraints and interactions named in skip
// (tests delete one to show that a forgery needs it refused).
type builder struct {
	*air.Builder
	skip map[string]bool
}

func (b builder) assert(name string, e air.Expr) {
	if !b.skip[name] {
		b.Assert(name, e)
	}
}

func (b builder) send(name string, bs air.Bus, tuple []air.Expr, mult air.Expr) {
	if !b.skip[name] {
		b.Send(name, bs, tuple, mult)
	}
}

func (b builder) receive(name string, bs air.Bus, tuple []air.Expr, mult air.Expr) {
	if !b.skip[name] {
		b.Receive(name, bs, tuple, mult)
	}
}

// hash puts the permutation of in under (dom, id) on bus.Poseidon2 (send the input,
// receive out) with multiplicity real, and returns the compression out[8:16] + in[8:16].
func (b builder) hash(name string, dom uint64, id air.Expr, in []air.Expr, out []air.Column, real air.Expr) []air.Expr {
	tin := []air.Expr{b.Const(poseidon2.KindIn), b.Const(dom), id}
	tout := []air.Expr{b.Const(poseidon2.KindOut), b.Const(dom), id}
	d := make([]air.Expr, hash.DigestLen)
	for i := range hash.Width {
		tin = append(tin, in[i])
		tout = append(tout, out[i].Cur)
		if i >= hash.DigestLen {
			d[i-hash.DigestLen] = out[i].Cur.Add(in[i])
		}
	}
	b.send(name+"_in", bus.Poseidon2, tin, real)
	b.receive(name+"_out", bus.Poseidon2, tout, real)
	return d
}

func cur(cs []air.Column) []air.Expr {
	e := make([]air.Expr, len(cs))
	for i, c := range cs {
		e[i] = c.Cur
	}
	return e
}

// NodeAIR builds the node table's constraints.
func NodeAIR() *air.AIR { return nodeAIR(nil) }

func nodeAIR(skip map[string]bool) *air.AIR {
	b := builder{air.NewBuilder("memtree_node"), skip}
	c := newNodeColumns(b.Builder)
	real, id, h := c.Real.Cur, c.ID.Cur, c.H.Cur
	b.assert("real_bool", real.Mul(real.OneMinus()))
	// A node's row is never a block's: h ≠ 0 (h · h_inv = 1) on real rows.
	b.assert("h_nonzero", h.Mul(c.HInv.Cur).Sub(real))
	var dig [2][]air.Expr
	for t := range 2 {
		in := append(cur(c.Child[0][t][:]), cur(c.Child[1][t][:])...)
		dom := uint64(DomInit)
		if t == Final {
			dom = DomFinal
		}
		dig[t] = b.hash("perm_"+treeNames[t], dom, id, in, c.Out[t][:], real)
	}
	b.receive("node", bus.MemTree, append(append([]air.Expr{id, h}, dig[Init]...), dig[Final]...), real)
	for s := range 2 {
		e := c.Expand[s].Cur
		b.assert(fmt.Sprintf("expand%d_bool", s), e.Mul(e.OneMinus()))
		b.assert(fmt.Sprintf("expand%d_real", s), e.Mul(real.OneMinus()))
		// A child without a row is the same subtree in both trees.
		for k := range hash.DigestLen {
			b.assert(fmt.Sprintf("keep%d[%d]", s, k), e.OneMinus().Mul(c.Child[s][Init][k].Cur.Sub(c.Child[s][Final][k].Cur)))
		}
		t := []air.Expr{id.MulC(2).AddC(int64(s)), h.AddC(-1)}
		t = append(append(t, cur(c.Child[s][Init][:])...), cur(c.Child[s][Final][:])...)
		b.send(fmt.Sprintf("child%d", s), bus.MemTree, t, e)
	}
	return b.MustBuild()
}

// LeafAIR builds the leaf table's constraints.
func LeafAIR() *air.AIR { return leafAIR(nil) }

func leafAIR(skip map[string]bool) *air.AIR {
	b := builder{air.NewBuilder("memtree_leaf"), skip}
	c := newLeafColumns(b.Builder)
	real, id := c.Real.Cur, c.ID.Cur
	b.assert("real_bool", real.Mul(real.OneMinus()))
	var dig [2][]air.Expr
	for t := range 2 {
		dom := uint64(DomInit)
		if t == Final {
			dom = DomFinal
		}
		dig[t] = b.hash("perm_"+treeNames[t], dom, id, cur(c.Limb[t][:]), c.Out[t][:], real)
	}
	b.receive("node", bus.MemTree, append(append([]air.Expr{id, b.Const(0)}, dig[Init]...), dig[Final]...), real)
	// Word j's address: 8·(id − 2^27) + j.
	base := id.AddC(-NumBlocks).MulC(BlockWords)
	for j := range BlockWords {
		tj := c.Touched[j].Cur
		b.assert(fmt.Sprintf("touched%d_bool", j), tj.Mul(tj.OneMinus()))
		b.assert(fmt.Sprintf("touched%d_real", j), tj.Mul(real.OneMinus()))
		addr := base.AddC(int64(j))
		var v [2][2]air.Expr // [tree][lo, hi]
		for t := range 2 {
			v[t] = [2]air.Expr{c.Limb[t][2*j].Cur, c.Limb[t][2*j+1].Cur}
			for l, half := range []string{"lo", "hi"} {
				b.send(fmt.Sprintf("range%d_%s_%s", j, treeNames[t], half), bus.U16, []air.Expr{v[t][l]}, tj)
			}
		}
		for l, half := range []string{"lo", "hi"} {
			b.assert(fmt.Sprintf("keep%d_%s", j, half), tj.OneMinus().Mul(v[Init][l].Sub(v[Final][l])))
		}
		b.send(fmt.Sprintf("image%d", j), bus.Image, []air.Expr{addr, v[Init][0], v[Init][1]}, tj)
		b.receive(fmt.Sprintf("final%d", j), bus.MemoryFinal, []air.Expr{addr, v[Final][0], v[Final][1]}, tj)
	}
	return b.MustBuild()
}
