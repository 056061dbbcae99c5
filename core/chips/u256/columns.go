package u256

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/chips/memory"
	"github.com/oneiros-zk/oneiros/proving/air"
)

// Groups and words: a call accesses up to three operands of 8 words each (group g in
// slots FirstSlot + 8g … FirstSlot + 8g + 7).
const (
	Groups    = 3
	Words     = 8
	Limbs     = 16 // 16-bit limbs of a 256-bit value
	Bytes     = 32
	FirstSlot = 3
)

// MemoryColumns are the memory table's columns: one row per 256-bit syscall.
type MemoryColumns struct {
	Clk, ALo, AHi, BLo, BHi air.Column
	// AQ = a_lo / 4 (range-checked: the pointer is word aligned); KK = B / 32 for COPY
	// and SWAP (KK − 1 range-checked to 12 bits).
	AQ, KK air.Column
	// One flag per syscall (Op lists them); a real row has exactly one.
	Flag [numOps]air.Column
	// Acc[g][w] is the access to word w of group g; New[g][w] its new value's limbs.
	Acc [Groups][Words]*memory.Access
	New [Groups][Words][2]air.Column
}

// ArithColumns are the columns of the add/sub/compare table (16-bit limbs).
type ArithColumns struct {
	Flag       [numArith]air.Column
	Sel        air.Column
	X, Y, Z, D [Limbs]air.Column
	C          [Limbs]air.Column // carries of A + B = C
	SX, SY     air.Column        // sign bits (signed comparisons)
	EqBit, Inv air.Column        // D = 0, and the inverse of ΣD otherwise
}

// BitsColumns are the columns of the bitwise table (bytes).
type BitsColumns struct {
	Flag       [numBits]air.Column
	XB, YB, ZB [Bytes]air.Column
}

// MulDivColumns are the columns of the multiply/divide table (bytes): A·B + C =
// Q·M + R (+ Q·2^256 for MUL), R < M.
type MulDivColumns struct {
	Flag          [numMulDiv]air.Column
	Sel           air.Column
	X, Y, N       [Bytes]air.Column // the operands
	B, C, M       [Bytes]air.Column // the relation's operands (A is X)
	Q             [2 * Bytes]air.Column
	R, D, Z       [Bytes]air.Column
	Carry         [convLen - 1]air.Column // carries of the relation's byte columns, offset by carryOffset
	Borrow        [Bytes]air.Column       // carries of R + D + 1 = M
	MZ, Inv, CmpE air.Column              // M = 0, the inverse of ΣM, the R < M check is on
}

// convLen is the number of byte positions of the relation (Q·M spans 64 + 32 bytes).
const convLen = 96

// carryOffset makes the relation's signed carries non-negative for their range check.
const carryOffset = 1 << 14

func limbCols(b *air.Builder, name string, n int) []air.Column {
	out := make([]air.Column, n)
	for i := range out {
		out[i] = b.Main(fmt.Sprintf("%s[%d]", name, i))
	}
	return out
}

func newMemoryColumns(b *air.Builder) *MemoryColumns {
	c := &MemoryColumns{Clk: b.Main("clk"), ALo: b.Main("a_lo"), AHi: b.Main("a_hi"), BLo: b.Main("b_lo"),
		BHi: b.Main("b_hi"), AQ: b.Main("a_quarter"), KK: b.Main("kk")}
	for k := range c.Flag {
		c.Flag[k] = b.Main("is_" + opNames[k])
	}
	for g := range Groups {
		for w := range Words {
			name := fmt.Sprintf("g%d.w%d", g, w)
			c.Acc[g][w] = memory.NewAccess(b, name, true)
			c.New[g][w] = [2]air.Column{b.Main(name + ".lo"), b.Main(name + ".hi")}
		}
	}
	return c
}

func newArithColumns(b *air.Builder) *ArithColumns {
	c := &ArithColumns{Sel: b.Main("sel"), SX: b.Main("sx"), SY: b.Main("sy"), EqBit: b.Main("eq"), Inv: b.Main("inv")}
	for k := range c.Flag {
		c.Flag[k] = b.Main("is_" + arithNames[k])
	}
	copy(c.X[:], limbCols(b, "x", Limbs))
	copy(c.Y[:], limbCols(b, "y", Limbs))
	copy(c.Z[:], limbCols(b, "z", Limbs))
	copy(c.D[:], limbCols(b, "d", Limbs))
	copy(c.C[:], limbCols(b, "carry", Limbs))
	return c
}

func newBitsColumns(b *air.Builder) *BitsColumns {
	c := &BitsColumns{}
	for k := range c.Flag {
		c.Flag[k] = b.Main("is_" + bitsNames[k])
	}
	copy(c.XB[:], limbCols(b, "xb", Bytes))
	copy(c.YB[:], limbCols(b, "yb", Bytes))
	copy(c.ZB[:], limbCols(b, "zb", Bytes))
	return c
}

func newMulDivColumns(b *air.Builder) *MulDivColumns {
	c := &MulDivColumns{Sel: b.Main("sel"), MZ: b.Main("m_zero"), Inv: b.Main("inv"), CmpE: b.Main("cmp_on")}
	for k := range c.Flag {
		c.Flag[k] = b.Main("is_" + mulDivNames[k])
	}
	for _, p := range []struct {
		dst  *[Bytes]air.Column
		name string
	}{{&c.X, "x"}, {&c.Y, "y"}, {&c.N, "n"}, {&c.B, "b"}, {&c.C, "c"}, {&c.M, "m"}, {&c.R, "r"}, {&c.D, "d"}, {&c.Z, "z"}} {
		copy(p.dst[:], limbCols(b, p.name, Bytes))
	}
	copy(c.Q[:], limbCols(b, "q", 2*Bytes))
	copy(c.Carry[:], limbCols(b, "carry", convLen-1))
	copy(c.Borrow[:], limbCols(b, "borrow", Bytes))
	return c
}
