package poseidon2

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/proving/air"
)

// The permutation's two messages on bus.Poseidon2: (KindIn, dom, id, in[16]) is
// received by the table and sent by the caller; (KindOut, dom, id, out[16]) is sent by
// the table and received by the caller.
const (
	KindIn  = 0
	KindOut = 1
)

// Domains of the callers: an identifier is unique within its domain, and a domain has
// one caller. This is the one list of them (two callers sharing a domain could answer
// each other's calls under one identifier):
//
//	0  DomInput      package input's sponge
//	1  DomHook       package hook's sponge of host answers
//	2  —             core/chips/recursion's perm table (recursion.DomRecursion; the
//	                 recursion machine, which has no other caller)
//	3  DomMemInit    package memtree: the memory tree where a segment starts
//	4  DomMemFinal   package memtree: the memory tree where it ends
//	5  —             core/chips/output's sponge of a segment's output (output.Dom)
const (
	DomInput    = 0 // package input's sponge: id k is the permutation that makes state k
	DomHook     = 1 // package hook's sponge of host answers: id k makes the state after k answers
	DomMemInit  = 3 // package memtree, the tree before the segment: id is the node's heap index
	DomMemFinal = 4 // package memtree, the tree after the segment: id is the node's heap index
)

type state = [Width]air.Expr

// AIR builds the table's constraints: every row, padding included, holds a true
// permutation (in, Full, Partial); real rows answer a call on bus.Poseidon2.
func AIR() *air.AIR {
	b := air.NewBuilder("poseidon2")
	c := newColumns(b)
	b.AssertBool("real_bool", c.Real.Cur)

	var s state
	for i := range s {
		s[i] = c.In[i].Cur
	}
	s = externalExpr(b, s)
	full := func(f, round int) {
		var sb state
		for i := range s {
			sb[i] = cubeExpr(s[i].Add(b.ConstElem(roundKeys[round][i])))
		}
		out := externalExpr(b, sb)
		for i := range s {
			b.AssertEq(fmt.Sprintf("full%d[%d]", f, i), c.Full[f][i].Cur, out[i])
			s[i] = c.Full[f][i].Cur
		}
	}
	for f := range halfFull {
		full(f, f)
	}
	for p := range PartialRounds {
		x := s[0].Add(b.ConstElem(roundKeys[halfFull+p][0]))
		b.AssertEq(fmt.Sprintf("partial[%d]", p), c.Partial[p].Cur, cubeExpr(x))
		s[0] = c.Partial[p].Cur
		s = internalExpr(b, s)
	}
	for f := halfFull; f < FullRounds; f++ {
		full(f, f+PartialRounds)
	}

	in := []air.Expr{b.Const(KindIn), c.Dom.Cur, c.ID.Cur}
	out := []air.Expr{b.Const(KindOut), c.Dom.Cur, c.ID.Cur}
	for i := range Width {
		in = append(in, c.In[i].Cur)
		out = append(out, c.Full[FullRounds-1][i].Cur)
	}
	b.Receive("in", bus.Poseidon2, in, c.Real.Cur)
	b.Send("out", bus.Poseidon2, out, c.Real.Cur)
	return b.MustBuild()
}

func cubeExpr(x air.Expr) air.Expr { return x.Mul(x).Mul(x) }

// externalExpr is M_E·x with the block structure: M4 on each block of four, then each
// block plus the sum of all blocks.
func externalExpr(b *air.Builder, x state) state {
	var blk state
	for k := range 4 {
		for i := range 4 {
			e := b.Const(0)
			for j := range 4 {
				e = e.Add(x[4*k+j].MulC(int64(m4[i][j])))
			}
			blk[4*k+i] = e
		}
	}
	var out state
	for i := range 4 {
		sum := b.Sum(blk[i], blk[4+i], blk[8+i], blk[12+i])
		for k := range 4 {
			out[4*k+i] = blk[4*k+i].Add(sum)
		}
	}
	return out
}

// internalExpr is M_I·x = Σx + d∘x.
func internalExpr(b *air.Builder, x state) state {
	sum := b.Sum(x[:]...)
	var out state
	for i := range x {
		out[i] = sum.Add(x[i].Mul(b.ConstElem(diag[i])))
	}
	return out
}
