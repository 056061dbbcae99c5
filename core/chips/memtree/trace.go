package memtree

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/poseidon2"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/lookup"
)

var doms = [2]uint32{DomInit, DomFinal}

// Trace fills the node and leaf tables of w and records the leaf table's range lookups
// (the four limbs of each touched word). It returns the main columns of NodeAIR and
// LeafAIR and the permutations the tables ask of the poseidon2 chip (two per row).
func Trace(w *Witness, rc *rangetable.Counter) (node, leaf [][]field.Elem, calls []poseidon2.Call) {
	return traceRows(w, rc, nil, 0, 0)
}

// TraceRows is Trace with the node table padded to at least nodeRows rows and the leaf
// table to at least leafRows (more zero rows: real = 0, no interaction).
func TraceRows(w *Witness, rc *rangetable.Counter, nodeRows, leafRows int) (node, leaf [][]field.Elem, calls []poseidon2.Call) {
	return traceRows(w, rc, nil, nodeRows, leafRows)
}

// trace is Trace without the range lookups of the interactions named in skip (tests
// that delete one from the AIR).
func trace(w *Witness, rc *rangetable.Counter, skip map[string]bool) (node, leaf [][]field.Elem, calls []poseidon2.Call) {
	return traceRows(w, rc, skip, 0, 0)
}

func traceRows(w *Witness, rc *rangetable.Counter, skip map[string]bool, nodeRows, leafRows int) (node, leaf [][]field.Elem, calls []poseidon2.Call) {
	calls = make([]poseidon2.Call, 0, 2*(len(w.Nodes)+len(w.Leaves)))
	node = air.NewTrace(NodeWidth, max(len(w.Nodes), nodeRows))
	for r := range w.Nodes {
		n := &w.Nodes[r]
		set := func(c air.Column, v field.Elem) { node[c.Index][r] = v }
		set(nodeCol.Real, field.New(1))
		set(nodeCol.ID, field.New(uint64(n.ID)))
		h := field.New(uint64(n.H))
		set(nodeCol.H, h)
		var inv field.Elem
		inv.Inverse(&h)
		set(nodeCol.HInv, inv)
		for s := range 2 {
			if n.Expand[s] {
				set(nodeCol.Expand[s], field.New(1))
			}
		}
		for t := range 2 {
			var in [hash.Width]field.Elem
			for k := range hash.DigestLen {
				set(nodeCol.Child[0][t][k], n.Child[0][t][k])
				set(nodeCol.Child[1][t][k], n.Child[1][t][k])
				in[k], in[hash.DigestLen+k] = n.Child[0][t][k], n.Child[1][t][k]
			}
			calls = append(calls, poseidon2.Call{Dom: doms[t], ID: n.ID, In: in})
			hash.Permute(&in)
			for i := range in {
				set(nodeCol.Out[t][i], in[i])
			}
		}
	}
	leaf = air.NewTrace(LeafWidth, max(len(w.Leaves), leafRows))
	for r := range w.Leaves {
		l := &w.Leaves[r]
		set := func(c air.Column, v field.Elem) { leaf[c.Index][r] = v }
		set(leafCol.Real, field.New(1))
		set(leafCol.ID, field.New(uint64(l.ID)))
		for j, tj := range l.Touched {
			if !tj {
				continue
			}
			set(leafCol.Touched[j], field.New(1))
			for t := range 2 {
				for h, half := range []string{"lo", "hi"} {
					if !skip[fmt.Sprintf("range%d_%s_%s", j, treeNames[t], half)] {
						rc.U16(uint32(l.Limbs[t][2*j+h].Uint64()))
					}
				}
			}
		}
		for t := range 2 {
			in := [hash.Width]field.Elem(l.Limbs[t])
			for i := range in {
				set(leafCol.Limb[t][i], in[i])
			}
			calls = append(calls, poseidon2.Call{Dom: doms[t], ID: l.ID, In: in})
			hash.Permute(&in)
			for i := range in {
				set(leafCol.Out[t][i], in[i])
			}
		}
	}
	return node, leaf, calls
}

// Message is the verifier's message for a segment whose memory goes from the tree with
// root init to the tree with root final: it sends the root's tuple
// (1, 27, init, final) on bus.MemTree, which the root's row receives.
func Message(init, final hash.Digest) lookup.Message {
	t := []field.Elem{field.New(RootID), field.New(Depth)}
	t = append(append(t, init[:]...), final[:]...)
	return lookup.Message{Bus: bus.MemTree.ID, Send: true, Mult: field.New(1), Tuple: t}
}
