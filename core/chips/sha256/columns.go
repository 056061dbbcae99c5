package sha256chip

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/chips/memory"
	"github.com/oneiros-zk/oneiros/proving/air"
)

// Columns of the round table: row t of a call holds the working variables before round
// t, the message schedule window w_t … w_{t+15}, and the results of round t and of one
// schedule step.
type Columns struct {
	// I and J are the round counter t = 8i + j, as two one-hot digits.
	I, J [8]air.Column
	// Last = i[7]·j[7]: the row of round 63, the last of its call.
	Last air.Column
	// Real says that the row's call is a SHA256_COMPRESS call (not padding); Clk is the
	// call's cycle. Both are constant within a call's 64 rows.
	Real, Clk air.Column
	// A are the bits of a, b, c (A[0] = a), E those of e, f, g (E[0] = e), bit k of a
	// word being its 2^k bit; D and H are the 16-bit limbs (lo, hi) of d and h.
	A, E [3][32]air.Column
	D, H [2]air.Column
	// W[k] are the limbs of the schedule word w_{t+k}; W1 and W14 are the bits of W[1]
	// and W[14], the inputs of σ0 and σ1.
	W       [BlockWords][2]air.Column
	W1, W14 [32]air.Column
	// AN and EN are the limbs of round t's new a and e; ACarry and ECarry the bits of the
	// carries out of their lo and hi limb sums (three bits each: at most 6).
	AN, EN         [2]air.Column
	ACarry, ECarry [2][3]air.Column
	// WN are the limbs of the schedule word w_{t+16} = σ1(w_{t+14}) + w_{t+9} +
	// σ0(w_{t+1}) + w_t, WCarry the bits of its carries (two bits each: at most 3).
	WN     [2]air.Column
	WCarry [2][2]air.Column
}

// Width is the number of main columns of the round table.
const Width = 8 + 8 + 1 + 2 + 2*3*32 + 2*2 + 2*BlockWords + 2*32 + 2*2 + 2*2*3 + 2 + 2*2

func newColumns(b *air.Builder) *Columns {
	c := new(Columns)
	for k := range 8 {
		c.I[k] = b.Main(fmt.Sprintf("i[%d]", k))
		c.J[k] = b.Main(fmt.Sprintf("j[%d]", k))
	}
	c.Last, c.Real, c.Clk = b.Main("last"), b.Main("real"), b.Main("clk")
	bitCols := func(dst *[32]air.Column, name string) {
		for k := range dst {
			dst[k] = b.Main(fmt.Sprintf("%s[%d]", name, k))
		}
	}
	limbs := func(dst *[2]air.Column, name string) {
		dst[0], dst[1] = b.Main(name+".lo"), b.Main(name+".hi")
	}
	for v, name := range []string{"a", "b", "c"} {
		bitCols(&c.A[v], name)
	}
	for v, name := range []string{"e", "f", "g"} {
		bitCols(&c.E[v], name)
	}
	limbs(&c.D, "d")
	limbs(&c.H, "h")
	for k := range c.W {
		limbs(&c.W[k], fmt.Sprintf("w[%d]", k))
	}
	bitCols(&c.W1, "w1_bit")
	bitCols(&c.W14, "w14_bit")
	limbs(&c.AN, "a_new")
	limbs(&c.EN, "e_new")
	limbs(&c.WN, "w_new")
	for l, half := range []string{"lo", "hi"} {
		for k := range 3 {
			c.ACarry[l][k] = b.Main(fmt.Sprintf("a_carry.%s[%d]", half, k))
			c.ECarry[l][k] = b.Main(fmt.Sprintf("e_carry.%s[%d]", half, k))
		}
		for k := range 2 {
			c.WCarry[l][k] = b.Main(fmt.Sprintf("w_carry.%s[%d]", half, k))
		}
	}
	return c
}

// MemoryColumns are the columns of the memory table: one row per SHA256_COMPRESS call.
type MemoryColumns struct {
	Real, Clk air.Column
	// A is the state's byte address ([a]), B the block's (operand B), as 16-bit limbs.
	ALo, AHi, BLo, BHi air.Column
	// AQ = a_lo/4 and BQ = b_lo/4, range-checked to 16 bits: they prove a and b word
	// aligned.
	AQ, BQ air.Column
	// BlockWrap[i] and StateWrap[i] say that block (state) word i lies past the top of
	// the address space and wraps to its bottom.
	BlockWrap [BlockWords]air.Column
	StateWrap [StateWords]air.Column
	// Block[i] is the read of block word i, BlockBytes[i] the bytes of its value (byte 0
	// the least significant in memory, the most significant in SHA-256's word).
	Block      [BlockWords]*memory.Access
	BlockBytes [BlockWords][4]air.Column
	// State[i] is the access to state word i; InBytes[i] and OutBytes[i] are the bytes
	// of its previous and new values.
	State             [StateWords]*memory.Access
	InBytes, OutBytes [StateWords][4]air.Column
	// Work are the limbs of the working variables a … h after round 63, received from
	// the round table; Carry the carries of H_i + Work[i] (lo, hi).
	Work  [StateWords][2]air.Column
	Carry [StateWords][2]air.Column
}

// MemoryWidth is the number of main columns of the memory table.
const MemoryWidth = 2 + 4 + 2 + BlockWords + StateWords + BlockWords*(3+4) + StateWords*(5+4+4) + StateWords*2*2

func newMemoryColumns(b *air.Builder) *MemoryColumns {
	c := &MemoryColumns{
		Real: b.Main("real"), Clk: b.Main("clk"),
		ALo: b.Main("a_lo"), AHi: b.Main("a_hi"), BLo: b.Main("b_lo"), BHi: b.Main("b_hi"),
		AQ: b.Main("a_quarter"), BQ: b.Main("b_quarter"),
	}
	bytes := func(dst *[4]air.Column, name string) {
		for k := range dst {
			dst[k] = b.Main(fmt.Sprintf("%s.byte[%d]", name, k))
		}
	}
	for i := range BlockWords {
		c.BlockWrap[i] = b.Main(fmt.Sprintf("block_wrap[%d]", i))
		c.Block[i] = memory.NewAccess(b, fmt.Sprintf("block[%d]", i), false)
		bytes(&c.BlockBytes[i], fmt.Sprintf("block[%d]", i))
	}
	for i := range StateWords {
		c.StateWrap[i] = b.Main(fmt.Sprintf("state_wrap[%d]", i))
		c.State[i] = memory.NewAccess(b, fmt.Sprintf("state[%d]", i), true)
		bytes(&c.InBytes[i], fmt.Sprintf("state_in[%d]", i))
		bytes(&c.OutBytes[i], fmt.Sprintf("state_out[%d]", i))
		c.Work[i] = [2]air.Column{b.Main(fmt.Sprintf("work[%d].lo", i)), b.Main(fmt.Sprintf("work[%d].hi", i))}
		c.Carry[i] = [2]air.Column{b.Main(fmt.Sprintf("carry[%d].lo", i)), b.Main(fmt.Sprintf("carry[%d].hi", i))}
	}
	return c
}
