package keccak

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/memory"
	"github.com/oneiros-zk/oneiros/proving/air"
)

// StateBus carries states between the chip's two tables: the memory table sends
// (clk, 0, input limbs[100]) and receives (clk, 1, output limbs[100]); the round table
// receives the first on a permutation's round-0 row and sends the second on its
// round-23 row. Limbs are 16-bit, in word order (word 2i's lo, hi, word 2i+1's lo, hi
// for lane i). The ID is provisional until core/chips/bus assigns one.
var StateBus = bus.KeccakState

// Tags of the StateBus tuples.
const (
	tagInput  = 0
	tagOutput = 1
)

// xor is x ⊕ y for booleans x, y: x + y − 2xy.
func xor(x, y air.Expr) air.Expr { return x.Add(y).Sub(x.Mul(y).MulC(2)) }

// AIR builds the round table's constraints: 24 rows per permutation, row r computing
// round r (θ, ρ, π, χ, ι) from the limbs A to the limbs Out.
func AIR() *air.AIR {
	b := air.NewBuilder("keccak")
	c := newColumns(b)

	// The round counter: one-hot, round 0 on row 0, then r → r+1 mod 24.
	hot := b.Const(0)
	for r := range Rounds {
		b.AssertBool(fmt.Sprintf("round[%d]_bool", r), c.Round[r].Cur)
		hot = hot.Add(c.Round[r].Cur)
		b.AssertTransition(fmt.Sprintf("round[%d]_step", (r+1)%Rounds), c.Round[(r+1)%Rounds].Next.Sub(c.Round[r].Cur))
	}
	b.Assert("round_one_hot", hot.AddC(-1))
	b.AssertFirst("round_starts_at_0", c.Round[0].Cur.OneMinus())

	// real and clk hold within a permutation; the state flows from round to round.
	notLast := c.Round[Rounds-1].Cur.OneMinus()
	b.AssertBool("real_bool", c.Real.Cur)
	b.AssertTransition("real_kept", notLast.Mul(c.Real.Next.Sub(c.Real.Cur)))
	b.AssertTransition("clk_kept", notLast.Mul(c.Clk.Next.Sub(c.Clk.Cur)))
	for i := range Lanes {
		for l := range Limbs {
			b.AssertTransition(fmt.Sprintf("a[%d][%d]_from_prev_round", i, l), notLast.Mul(c.A[i][l].Next.Sub(c.Out[i][l].Cur)))
		}
	}

	// θ. With C' = C ⊕ D stored, D = C ⊕ C' and A = A' ⊕ C ⊕ C'. The parity of A'[x, ·, z]
	// is C'[x, z] (5 rows: ⊕_y A' = C ⊕ D), checked as Σ_y A' − C' ∈ {0, 2, 4}; then the
	// parity of A[x, ·, z] = A' ⊕ C ⊕ C' is C[x, z], so C, C' and A' are those of A.
	for x := range 5 {
		for z := range 64 {
			b.AssertBool(fmt.Sprintf("c[%d][%d]_bool", x, z), c.C[x][z].Cur)
			b.AssertBool(fmt.Sprintf("c_prime[%d][%d]_bool", x, z), c.CP[x][z].Cur)
			d := xor(c.C[(x+4)%5][z].Cur, c.C[(x+1)%5][(z+63)%64].Cur)
			b.AssertEq(fmt.Sprintf("c_prime[%d][%d]", x, z), c.CP[x][z].Cur, xor(c.C[x][z].Cur, d))
			s := b.Const(0)
			for y := range 5 {
				s = s.Add(c.AP[x+5*y][z].Cur)
			}
			s = s.Sub(c.CP[x][z].Cur)
			b.Assert(fmt.Sprintf("a_prime_parity[%d][%d]", x, z), s.Mul(s.AddC(-2)).Mul(s.AddC(-4)))
		}
	}
	for i := range Lanes {
		x := i % 5
		for z := range 64 {
			b.AssertBool(fmt.Sprintf("a_prime[%d][%d]_bool", i, z), c.AP[i][z].Cur)
		}
		for l := range Limbs {
			sum := b.Const(0)
			for k := range 16 {
				z := 16*l + k
				bit := xor(c.AP[i][z].Cur, xor(c.C[x][z].Cur, c.CP[x][z].Cur))
				sum = sum.Add(bit.MulC(1 << k))
			}
			b.AssertEq(fmt.Sprintf("a[%d][%d]", i, l), c.A[i][l].Cur, sum)
		}
	}

	// ρ and π are wiring: bit z of B[X, Y] is bit z − rot of A'[piSource[X+5Y]].
	bBit := func(x, y, z int) air.Expr {
		src := piSource[x%5+5*y]
		return c.AP[src][(z-rotation[src]+64)%64].Cur
	}
	// χ: A''[x, y, z] = B[x, y, z] ⊕ (¬B[x+1, y, z] ∧ B[x+2, y, z]), degree 3.
	chi := func(x, y, z int) air.Expr {
		return xor(bBit(x, y, z), bBit(x+1, y, z).OneMinus().Mul(bBit(x+2, y, z)))
	}
	// ι flips bits rcPos of lane (0, 0) by the round's constant, a linear combination of
	// the round flags; those χ bits get columns to keep the degree at 3.
	iota := map[int]air.Expr{}
	for j, pos := range rcPos {
		b.AssertBool(fmt.Sprintf("chi00[%d]_bool", pos), c.Chi00[j].Cur)
		b.AssertEq(fmt.Sprintf("chi00[%d]", pos), c.Chi00[j].Cur, chi(0, 0, pos))
		rc := b.Const(0)
		for r := range Rounds {
			if roundConstants[r]>>pos&1 != 0 {
				rc = rc.Add(c.Round[r].Cur)
			}
		}
		iota[pos] = xor(c.Chi00[j].Cur, rc)
	}
	for i := range Lanes {
		x, y := i%5, i/5
		for l := range Limbs {
			sum := b.Const(0)
			for k := range 16 {
				z := 16*l + k
				bit, ok := iota[z]
				if i != 0 || !ok {
					bit = chi(x, y, z)
				}
				sum = sum.Add(bit.MulC(1 << k))
			}
			b.AssertEq(fmt.Sprintf("out[%d][%d]", i, l), c.Out[i][l].Cur, sum)
		}
	}

	// The permutation's input arrives on round 0, its output leaves on round 23.
	in := []air.Expr{c.Clk.Cur, b.Const(tagInput)}
	out := []air.Expr{c.Clk.Cur, b.Const(tagOutput)}
	for i := range Lanes {
		for l := range Limbs {
			in = append(in, c.A[i][l].Cur)
			out = append(out, c.Out[i][l].Cur)
		}
	}
	b.Receive("state_in", StateBus, in, c.Real.Cur.Mul(c.Round[0].Cur))
	b.Send("state_out", StateBus, out, c.Real.Cur.Mul(c.Round[Rounds-1].Cur))
	return b.MustBuild()
}

// MemoryAIR builds the memory table's constraints: one row per KECCAKF call, which
// receives the call from the Syscall bus, accesses the 50 state words, sends their old
// values to the round table and receives their new values from it.
func MemoryAIR() *air.AIR {
	b := air.NewBuilder("keccak_memory")
	c := newMemoryColumns(b)
	real := c.Real.Cur
	b.AssertBool("real_bool", real)
	b.Receive("syscall", bus.Syscall, []air.Expr{c.Clk.Cur, b.Const(uint64(Number)), c.ALo.Cur, c.AHi.Cur, c.BLo.Cur, c.BHi.Cur}, real)

	// a is word aligned: a_lo = 4·q with q < 2^16, which a_lo < 2^16 (a well-formed
	// word) only allows for a multiple of 4 (otherwise q = a_lo/4 in the field is huge).
	b.AssertEq("a_aligned", c.ALo.Cur, c.AQ.Cur.MulC(4))
	b.Send("a_quarter_range", bus.U16, []air.Expr{c.AQ.Cur}, real)
	base := c.AQ.Cur.Add(c.AHi.Cur.MulC(1 << 14)) // a / 4 < 2^30

	in := []air.Expr{c.Clk.Cur, b.Const(tagInput)}
	out := []air.Expr{c.Clk.Cur, b.Const(tagOutput)}
	for i := range Words {
		// Word i is at a/4 + i mod 2^30, which can only wrap when a_hi = 0xffff (then
		// a/4 ≥ 2^30 − 2^14). A wrap claimed for a word below 2^30 gives the address
		// a/4 + i − 2^30 ∈ [−2^14, 0), i.e. above p − 2^14; a wrap denied gives one
		// ≥ 2^30: the memory table holds neither (its addresses are < 2^30).
		w := c.Wrap[i].Cur
		b.AssertBool(fmt.Sprintf("wrap[%d]_bool", i), w)
		b.Assert(fmt.Sprintf("wrap[%d]_at_top", i), w.Mul(c.AHi.Cur.AddC(-0xffff)))
		addr := base.AddC(int64(i)).Sub(w.MulC(1 << 30))
		val := [2]air.Expr{c.Out[i][0].Cur, c.Out[i][1].Cur}
		c.Word[i].Constrain(b, addr, val, memory.TS(c.Clk.Cur, int64(FirstSlot+i)), real, nil)
		in = append(in, c.Word[i].PrevLo.Cur, c.Word[i].PrevHi.Cur)
		out = append(out, val[0], val[1])
	}
	b.Send("state_in", StateBus, in, real)
	b.Receive("state_out", StateBus, out, real)
	return b.MustBuild()
}
