package recursion

import (
	"fmt"
	"sync"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/poseidon2"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/hash"
	ir "github.com/oneiros-zk/oneiros/proving/recursion"
)

// AIRs are the recursion AIR set's tables, in proof order: arithmetic, leaf, perm, bits,
// dot and the Poseidon2 chip (package poseidon2). They do not depend on the program: the
// program is in the preprocessed columns. Built once; read-only.
var AIRs = sync.OnceValue(func() []*air.AIR {
	return []*air.AIR{ArithAIR(), LeafAIR(), PermAIR(), BitsAIR(), DotAIR(), poseidon2.AIR()}
})

// Table indices in AIRs.
const (
	tArith = iota
	tLeaf
	tPerm
	tBits
	tDot
	tPoseidon2
	numTables
)

func cur4(cs [4]air.Column) [4]air.Expr {
	return [4]air.Expr{cs[0].Cur, cs[1].Cur, cs[2].Cur, cs[3].Cur}
}

// powerIndex maps a power-basis coefficient of F[X]/(X^4 − 3) to its coordinate in
// field.ExtCoords order (gnark-crypto's tower F[u]/(u² − 3)[v]/(v² − u), X = v).
var powerIndex = [4]int{0, 2, 1, 3}

// mulExt is the product of two degree-4 extension elements given by their coordinates:
// the polynomial product of the power-basis forms, reduced with X^4 = 3.
func mulExt(b *air.Builder, x, y [4]air.Expr) [4]air.Expr {
	var d [7]air.Expr
	for k := range d {
		d[k] = b.Const(0)
	}
	for i := range 4 {
		for j := range 4 {
			d[i+j] = d[i+j].Add(x[powerIndex[i]].Mul(y[powerIndex[j]]))
		}
	}
	var out [4]air.Expr
	for k := range 4 {
		r := d[k]
		if k+4 < len(d) {
			r = r.Add(d[k+4].MulC(3))
		}
		out[powerIndex[k]] = r
	}
	return out
}

// ArithAIR is the arithmetic table: c = a + b, a − b or a·b, or a = b, as its
// preprocessed selectors say; it reads a and b and writes c on the memory bus.
func ArithAIR() *air.AIR {
	b := air.NewBuilder("recursion_arith")
	c := newArithColumns(b)
	x, y, z := cur4(c.A), cur4(c.B), cur4(c.C)
	prod := mulExt(b, x, y)
	for k := range 4 {
		b.Assert(fmt.Sprintf("add[%d]", k), c.IsAdd.Cur.Mul(z[k].Sub(x[k]).Sub(y[k])))
		b.Assert(fmt.Sprintf("sub[%d]", k), c.IsSub.Cur.Mul(z[k].Sub(x[k]).Add(y[k])))
		b.Assert(fmt.Sprintf("mul[%d]", k), c.IsMul.Cur.Mul(z[k].Sub(prod[k])))
		b.Assert(fmt.Sprintf("assert_eq[%d]", k), c.IsAssert.Cur.Mul(x[k].Sub(y[k])))
	}
	real := b.Sum(c.IsAdd.Cur, c.IsSub.Cur, c.IsMul.Cur, c.IsAssert.Cur)
	b.Receive("read_a", Memory, memTuple(c.AAddr.Cur, x), real)
	b.Receive("read_b", Memory, memTuple(c.BAddr.Cur, y), real)
	b.Send("write_c", Memory, memTuple(c.CAddr.Cur, z), c.CMult.Cur)
	return b.MustBuild()
}

// LeafAIR is the leaf table: each row writes one cell, a constant (the value equals the
// preprocessed K), an input or an inverse hint (free), or a base input (coordinates 1…3
// zero); or, for input_base4, up to four base cells (coord_addr_k, v_k, 0, 0, 0) and
// optionally the ext cell (addr, v) they are the coordinates of.
func LeafAIR() *air.AIR {
	b := air.NewBuilder("recursion_leaf")
	c := newLeafColumns(b)
	v := cur4(c.V)
	for k := range 4 {
		b.Assert(fmt.Sprintf("const[%d]", k), c.IsConst.Cur.Mul(v[k].Sub(c.K[k].Cur)))
		if k > 0 {
			b.Assert(fmt.Sprintf("base[%d]", k), c.IsBase.Cur.Mul(v[k]))
		}
	}
	b.Send("write", Memory, memTuple(c.Addr.Cur, v), c.Mult.Cur)
	for k := range 4 {
		b.Send(fmt.Sprintf("write_coord[%d]", k), Memory, baseTuple(b, c.CoordAddr[k].Cur, v[k]), c.CoordMult[k].Cur)
	}
	return b.MustBuild()
}

// PermAIR is the perm table: each real row reads 16 base cells, asks the Poseidon2 chip
// for a permutation under (DomRecursion, id) and writes base cells of its answer. A perm
// row permutes its inputs and writes the 16 outputs. A compress row (is_compress) reads
// a swap bit when has_bit (0 otherwise), permutes (l ‖ r) — the inputs' halves, swapped
// when the bit is 1 — and writes the digest Out[8+j] = P(l ‖ r)[8+j] + r_j in slots
// 8…15. The id is out_addr[8]: a cell that this row alone writes.
func PermAIR() *air.AIR {
	b := air.NewBuilder("recursion_perm")
	c := newPermColumns(b)
	real := c.Real.Cur
	bit := c.Bit.Cur
	// bit·(has_bit − bit) = 0: boolean where the row reads a bit, zero elsewhere.
	b.Assert("bit", bit.Mul(c.HasBit.Cur.Sub(bit)))
	id := c.OutAddr[hash.DigestLen].Cur
	call := []air.Expr{b.Const(poseidon2.KindIn), b.Const(DomRecursion), id}
	answer := []air.Expr{b.Const(poseidon2.KindOut), b.Const(DomRecursion), id}
	const h = hash.DigestLen
	for j := range h {
		// r_j = in_(8+j) + bit·(in_j − in_(8+j)); the left half is in_j + in_(8+j) − r_j.
		x, y, r := c.In[j].Cur, c.In[h+j].Cur, c.R[j].Cur
		b.Assert(fmt.Sprintf("right[%d]", j), r.Sub(y).Sub(bit.Mul(x.Sub(y))))
	}
	for j := range h {
		call = append(call, c.In[j].Cur.Add(c.In[h+j].Cur).Sub(c.R[j].Cur))
	}
	for j := range h {
		call = append(call, c.R[j].Cur)
	}
	for i := range hash.Width {
		out := c.Out[i].Cur
		if i >= h { // a compression's slot holds the digest: the output plus r
			out = out.Sub(c.Compress.Cur.Mul(c.R[i-h].Cur))
		}
		answer = append(answer, out)
	}
	for i := range hash.Width {
		b.Receive(fmt.Sprintf("read_in[%d]", i), Memory, baseTuple(b, c.InAddr[i].Cur, c.In[i].Cur), real)
	}
	b.Receive("read_bit", Memory, baseTuple(b, c.BitAddr.Cur, bit), c.HasBit.Cur)
	b.Send("permute", bus.Poseidon2, call, real)
	b.Receive("permuted", bus.Poseidon2, answer, real)
	for i := range hash.Width {
		b.Send(fmt.Sprintf("write_out[%d]", i), Memory, baseTuple(b, c.OutAddr[i].Cur, c.Out[i].Cur), c.OutMult[i].Cur)
	}
	return b.MustBuild()
}

// Bits of the canonical check: x = low + 2^24·top with low < 2^24 and top < 2^7; x < p
// = 2^31 − 2^24 + 1 unless top = 127 and low ≠ 0.
const (
	lowBits = 24
	topAll  = 1<<(ir.BitsLen-lowBits) - 1 // 127
)

// BitsAIR is the bits table: each real row reads a base cell x and writes its 31 bits,
// boolean, recomposing to x, and canonical (not the bits of x + p).
func BitsAIR() *air.AIR {
	b := air.NewBuilder("recursion_bits")
	c := newBitsColumns(b)
	low, top, x := b.Const(0), b.Const(0), b.Const(0)
	for i := range ir.BitsLen {
		bit := c.Bit[i].Cur
		b.AssertBool(fmt.Sprintf("bit[%d]", i), bit)
		x = x.Add(bit.MulC(1 << i))
		if i < lowBits {
			low = low.Add(bit.MulC(1 << i))
		} else {
			top = top.Add(bit.MulC(1 << (i - lowBits)))
		}
	}
	// top = 127 forces low = 0; otherwise W = (127 − top)⁻¹ satisfies the constraint.
	gap := b.ConstInt(topAll).Sub(top)
	b.Assert("canonical", low.Mul(gap.Mul(c.W.Cur).OneMinus()))
	b.Receive("read_a", Memory, baseTuple(b, c.AAddr.Cur, x), c.Real.Cur)
	for i := range ir.BitsLen {
		b.Send(fmt.Sprintf("write_bit[%d]", i), Memory, baseTuple(b, c.OutAddr[i].Cur, c.Bit[i].Cur), c.OutMult[i].Cur)
	}
	return b.MustBuild()
}

// DotAIR is the dot table: each real row reads an accumulator, up to DotLen ext
// coefficients and as many base values, and writes out = acc + Σ used_k·x_k·c_k (an ext
// element times a base one is coordinate-wise).
func DotAIR() *air.AIR {
	b := air.NewBuilder("recursion_dot")
	c := newDotColumns(b)
	acc, out := cur4(c.Acc), cur4(c.Out)
	for i := range 4 {
		sum := out[i].Sub(acc[i])
		for k := range ir.DotLen {
			sum = sum.Sub(c.Used[k].Cur.Mul(c.X[k].Cur).Mul(c.C[k][i].Cur))
		}
		b.Assert(fmt.Sprintf("dot[%d]", i), sum)
	}
	b.Receive("read_acc", Memory, memTuple(c.AccAddr.Cur, acc), c.Real.Cur)
	for k := range ir.DotLen {
		b.Receive(fmt.Sprintf("read_c[%d]", k), Memory, memTuple(c.CAddr[k].Cur, cur4(c.C[k])), c.Used[k].Cur)
		b.Receive(fmt.Sprintf("read_x[%d]", k), Memory, baseTuple(b, c.XAddr[k].Cur, c.X[k].Cur), c.Used[k].Cur)
	}
	b.Send("write_out", Memory, memTuple(c.OutAddr.Cur, out), c.OutMult.Cur)
	return b.MustBuild()
}
