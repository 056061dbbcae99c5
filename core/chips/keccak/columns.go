package keccak

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/chips/memory"
	"github.com/oneiros-zk/oneiros/proving/air"
)

// Columns of the round table: one row per round.
type Columns struct {
	// Round is the one-hot round counter: Round[r] = 1 on the rows of round r.
	Round [Rounds]air.Column
	// Real says that the row's permutation is a KECCAKF call (not padding); Clk is the
	// call's cycle. Both are constant within a permutation's 24 rows.
	Real, Clk air.Column
	// A are the 16-bit limbs of the round's input state, lane by lane.
	A [Lanes][Limbs]air.Column
	// C and CP are the bits of θ's column parities C[x] = ⊕_y A[x, y] and of
	// C'[x] = C[x] ⊕ D[x], with D[x] = C[x−1] ⊕ rot(C[x+1], 1).
	C, CP [5][64]air.Column
	// AP are the bits of θ's output A'[x, y] = A[x, y] ⊕ D[x].
	AP [Lanes][64]air.Column
	// Out are the 16-bit limbs of the round's output state (after χ and ι).
	Out [Lanes][Limbs]air.Column
	// Chi00 are the bits of χ's output on lane (0, 0) at the positions rcPos, where ι
	// may flip them.
	Chi00 [len(rcPos)]air.Column
}

// Width is the number of main columns of the round table.
const Width = Rounds + 2 + 2*Lanes*Limbs + 2*5*64 + Lanes*64 + len(rcPos)

func newColumns(b *air.Builder) *Columns {
	c := new(Columns)
	for r := range c.Round {
		c.Round[r] = b.Main(fmt.Sprintf("round[%d]", r))
	}
	c.Real, c.Clk = b.Main("real"), b.Main("clk")
	limbs := func(dst *[Lanes][Limbs]air.Column, name string) {
		for i := range dst {
			for l := range dst[i] {
				dst[i][l] = b.Main(fmt.Sprintf("%s[%d][%d]", name, i, l))
			}
		}
	}
	limbs(&c.A, "a")
	for x := range 5 {
		for z := range 64 {
			c.C[x][z] = b.Main(fmt.Sprintf("c[%d][%d]", x, z))
			c.CP[x][z] = b.Main(fmt.Sprintf("c_prime[%d][%d]", x, z))
		}
	}
	for i := range c.AP {
		for z := range c.AP[i] {
			c.AP[i][z] = b.Main(fmt.Sprintf("a_prime[%d][%d]", i, z))
		}
	}
	limbs(&c.Out, "out")
	for j := range c.Chi00 {
		c.Chi00[j] = b.Main(fmt.Sprintf("chi00[%d]", rcPos[j]))
	}
	return c
}

// MemoryColumns are the columns of the memory table: one row per KECCAKF call.
type MemoryColumns struct {
	Real, Clk air.Column
	// A is the state's byte address ([a]), B the syscall's unused operand, as limbs.
	ALo, AHi, BLo, BHi air.Column
	// AQ = a_lo / 4, range-checked to 16 bits: it proves a word aligned.
	AQ air.Column
	// Wrap[i] says that word i lies past the top of the address space and wraps to the
	// bottom (only possible when a_hi = 0xffff).
	Wrap [Words]air.Column
	// Word[i] is the access to word i: prev_ts, the timestamp difference's limbs, and the
	// word's previous value (the permutation's input).
	Word [Words]*memory.Access
	// Out are the limbs of the word's new value (the permutation's output).
	Out [Words][2]air.Column
}

// MemoryWidth is the number of main columns of the memory table.
const MemoryWidth = 2 + 4 + 1 + Words + 5*Words + 2*Words

func newMemoryColumns(b *air.Builder) *MemoryColumns {
	c := &MemoryColumns{
		Real: b.Main("real"), Clk: b.Main("clk"),
		ALo: b.Main("a_lo"), AHi: b.Main("a_hi"), BLo: b.Main("b_lo"), BHi: b.Main("b_hi"),
		AQ: b.Main("a_quarter"),
	}
	for i := range Words {
		c.Wrap[i] = b.Main(fmt.Sprintf("wrap[%d]", i))
		c.Word[i] = memory.NewAccess(b, fmt.Sprintf("word[%d]", i), true)
		c.Out[i] = [2]air.Column{b.Main(fmt.Sprintf("out[%d].lo", i)), b.Main(fmt.Sprintf("out[%d].hi", i))}
	}
	return c
}
