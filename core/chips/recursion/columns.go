package recursion

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/hash"
	ir "github.com/oneiros-zk/oneiros/proving/recursion"
)

// ArithColumns are the arithmetic table's: one row per add, sub, mul or assert_eq.
type ArithColumns struct {
	// Preprocessed: the operands' and the result's cells (CAddr = 0 for assert_eq), the
	// number of reads of the result, and the instruction's kind (at most one selector is
	// 1; all are 0 on padding rows).
	AAddr, BAddr, CAddr, CMult    air.Column
	IsAdd, IsSub, IsMul, IsAssert air.Column
	// Main: the operands' and the result's coordinates.
	A, B, C [4]air.Column
}

func newArithColumns(b *air.Builder) *ArithColumns {
	c := &ArithColumns{
		AAddr: b.Preprocessed("a_addr"), BAddr: b.Preprocessed("b_addr"), CAddr: b.Preprocessed("c_addr"), CMult: b.Preprocessed("c_mult"),
		IsAdd: b.Preprocessed("is_add"), IsSub: b.Preprocessed("is_sub"), IsMul: b.Preprocessed("is_mul"), IsAssert: b.Preprocessed("is_assert"),
	}
	copy(c.A[:], b.MainN("a", 4))
	copy(c.B[:], b.MainN("b", 4))
	copy(c.C[:], b.MainN("c", 4))
	return c
}

// LeafColumns are the leaf table's: one row per const, input, input_base, input_base4
// or inv (the instructions that write cells without reading one).
type LeafColumns struct {
	// Preprocessed: the cell written (an input_base4's ext cell, 0 without one), its
	// number of reads, whether the value is the constant K (const) and whether it must
	// be a base element (input_base); an input_base4's base cells, one per coordinate
	// (0 where it has fewer), and their numbers of reads.
	Addr, Mult, IsConst, IsBase air.Column
	K                           [4]air.Column
	CoordAddr, CoordMult        [4]air.Column
	// Main: the value's coordinates.
	V [4]air.Column
}

func newLeafColumns(b *air.Builder) *LeafColumns {
	c := &LeafColumns{Addr: b.Preprocessed("addr"), Mult: b.Preprocessed("mult"), IsConst: b.Preprocessed("is_const"), IsBase: b.Preprocessed("is_base")}
	copy(c.K[:], preprocessedN(b, "k", 4))
	copy(c.CoordAddr[:], preprocessedN(b, "coord_addr", 4))
	copy(c.CoordMult[:], preprocessedN(b, "coord_mult", 4))
	copy(c.V[:], b.MainN("v", 4))
	return c
}

// PermColumns are the perm table's: one row per Poseidon2 permutation (perm) or Merkle
// compression (compress).
type PermColumns struct {
	// Preprocessed: 1 on a permutation's or compression's row; the input and output
	// cells (a compression's digest cells in slots 8…15, slots 0…7 unused); the number
	// of reads of each output cell; the swap bit's cell, whether the row reads one, and
	// whether the row is a compression.
	Real                      air.Column
	InAddr, OutAddr           [hash.Width]air.Column
	OutMult                   [hash.Width]air.Column
	BitAddr, HasBit, Compress air.Column
	// Main: the input cells' values; the permutation's output (a compression's slots
	// 8…15: the digest, the output plus R); the swap bit; R, the right half of the
	// permutation's input (In[8…15], or In[0…7] when the bit is 1).
	In, Out [hash.Width]air.Column
	Bit     air.Column
	R       [hash.DigestLen]air.Column
}

func newPermColumns(b *air.Builder) *PermColumns {
	c := &PermColumns{Real: b.Preprocessed("real")}
	copy(c.InAddr[:], preprocessedN(b, "in_addr", hash.Width))
	copy(c.OutAddr[:], preprocessedN(b, "out_addr", hash.Width))
	copy(c.OutMult[:], preprocessedN(b, "out_mult", hash.Width))
	c.BitAddr, c.HasBit, c.Compress = b.Preprocessed("bit_addr"), b.Preprocessed("has_bit"), b.Preprocessed("is_compress")
	copy(c.In[:], b.MainN("in", hash.Width))
	copy(c.Out[:], b.MainN("out", hash.Width))
	c.Bit = b.Main("bit")
	copy(c.R[:], b.MainN("r", hash.DigestLen))
	return c
}

// BitsColumns are the bits table's: one row per bit decomposition.
type BitsColumns struct {
	// Preprocessed: 1 on a decomposition's row; the cell decomposed; the bit cells and
	// their numbers of reads.
	Real, AAddr      air.Column
	OutAddr, OutMult [ir.BitsLen]air.Column
	// Main: the bits, least significant first, and W, the inverse of 127 − top (top the
	// value of bits 24…30) when top ≠ 127.
	Bit [ir.BitsLen]air.Column
	W   air.Column
}

func newBitsColumns(b *air.Builder) *BitsColumns {
	c := &BitsColumns{Real: b.Preprocessed("real"), AAddr: b.Preprocessed("a_addr")}
	copy(c.OutAddr[:], preprocessedN(b, "out_addr", ir.BitsLen))
	copy(c.OutMult[:], preprocessedN(b, "out_mult", ir.BitsLen))
	copy(c.Bit[:], b.MainN("bit", ir.BitsLen))
	c.W = b.Main("w")
	return c
}

// DotColumns are the dot table's: one row per dot (acc + Σ c_k·x_k, x_k base).
type DotColumns struct {
	// Preprocessed: 1 on a dot's row; the accumulator, result and operand cells; the
	// result's number of reads; whether slot k holds a product.
	Real, AccAddr, OutAddr, OutMult air.Column
	CAddr, XAddr, Used              [ir.DotLen]air.Column
	// Main: the accumulator's, coefficients' and result's coordinates; the base values.
	Acc, Out [4]air.Column
	C        [ir.DotLen][4]air.Column
	X        [ir.DotLen]air.Column
}

func newDotColumns(b *air.Builder) *DotColumns {
	c := &DotColumns{Real: b.Preprocessed("real"), AccAddr: b.Preprocessed("acc_addr"), OutAddr: b.Preprocessed("out_addr"), OutMult: b.Preprocessed("out_mult")}
	copy(c.CAddr[:], preprocessedN(b, "c_addr", ir.DotLen))
	copy(c.XAddr[:], preprocessedN(b, "x_addr", ir.DotLen))
	copy(c.Used[:], preprocessedN(b, "used", ir.DotLen))
	copy(c.Acc[:], b.MainN("acc", 4))
	for k := range ir.DotLen {
		copy(c.C[k][:], b.MainN(fmt.Sprintf("c%d", k), 4))
	}
	copy(c.X[:], b.MainN("x", ir.DotLen))
	copy(c.Out[:], b.MainN("out", 4))
	return c
}

func preprocessedN(b *air.Builder, name string, n int) []air.Column {
	cs := make([]air.Column, n)
	for i := range cs {
		cs[i] = b.Preprocessed(fmt.Sprintf("%s[%d]", name, i))
	}
	return cs
}

// Column allocations (deterministic), for filling traces.
var (
	arithCol = newArithColumns(air.NewBuilder("recursion_arith"))
	leafCol  = newLeafColumns(air.NewBuilder("recursion_leaf"))
	permCol  = newPermColumns(air.NewBuilder("recursion_perm"))
	bitsCol  = newBitsColumns(air.NewBuilder("recursion_bits"))
	dotCol   = newDotColumns(air.NewBuilder("recursion_dot"))
)
