package sha256chip

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/memory"
	"github.com/oneiros-zk/oneiros/proving/air"
)

// StateBus carries a call's input and output between the chip's two tables. The memory
// table sends (clk, 0, H_0 … H_7, M_0 … M_15) — the chaining state and the block as
// SHA-256 words — and receives (clk, 1, a … h), the working variables after round 63;
// the round table receives the first on a call's round-0 row and sends the second on
// its round-63 row. Every word travels as its 16-bit limbs (lo, hi).
var StateBus = bus.SHA256State

// Tags of the StateBus tuples.
const (
	tagInput  = 0
	tagOutput = 1
)

// xor3 is x ⊕ y ⊕ z for booleans: x + y + z − 2(xy + yz + zx) + 4xyz, of degree 3.
func xor3(x, y, z air.Expr) air.Expr {
	pairs := x.Mul(y).Add(y.Mul(z)).Add(z.Mul(x))
	return x.Add(y).Add(z).Sub(pairs.MulC(2)).Add(x.Mul(y).Mul(z).MulC(4))
}

// xor2 is x ⊕ y for booleans: x + y − 2xy.
func xor2(x, y air.Expr) air.Expr { return x.Add(y).Sub(x.Mul(y).MulC(2)) }

// word is a 32-bit value as the expressions of its 32 bits (bit k of weight 2^k).
type word [32]air.Expr

func bitsOf(cs *[32]air.Column) word {
	var w word
	for k := range w {
		w[k] = cs[k].Cur
	}
	return w
}

// limbs returns the value's 16-bit limbs Σ_{k<16} 2^k·w[16l + k].
func (w *word) limbs(b *air.Builder) [2]air.Expr {
	var l [2]air.Expr
	for h := range l {
		s := b.Const(0)
		for k := range 16 {
			s = s.Add(w[16*h+k].MulC(1 << k))
		}
		l[h] = s
	}
	return l
}

// sigma is ROTR r0 ⊕ ROTR r1 ⊕ ROTR r2 of x (big, for Σ0 and Σ1), or
// ROTR r0 ⊕ ROTR r1 ⊕ SHR r2 (small, for σ0 and σ1).
func sigma(x *word, r [3]int, small bool) word {
	var w word
	for k := range w {
		p, q := x[(k+r[0])%32], x[(k+r[1])%32]
		switch {
		case !small:
			w[k] = xor3(p, q, x[(k+r[2])%32])
		case k+r[2] < 32:
			w[k] = xor3(p, q, x[k+r[2]])
		default:
			w[k] = xor2(p, q)
		}
	}
	return w
}

// colLimbs returns a limb pair's expressions on the current row.
func colLimbs(cs *[2]air.Column) [2]air.Expr { return [2]air.Expr{cs[0].Cur, cs[1].Cur} }

// carry is Σ 2^k·bits[k].
func carry(b *air.Builder, bits []air.Column) air.Expr {
	s := b.Const(0)
	for k, c := range bits {
		b.AssertBool(c.Name+"_bool", c.Cur)
		s = s.Add(c.Cur.MulC(1 << k))
	}
	return s
}

// assertSum asserts Σ terms = out mod 2^32, limb by limb: Σ lo = out_lo + 2^16·c_lo and
// Σ hi + c_lo = out_hi + 2^16·c_hi, with the carries given by their bits.
func assertSum(b *air.Builder, name string, terms [][2]air.Expr, out [2]air.Expr, carries [2][]air.Column) {
	cLo, cHi := carry(b, carries[0]), carry(b, carries[1])
	lo, hi := b.Const(0), cLo
	for _, t := range terms {
		lo, hi = lo.Add(t[0]), hi.Add(t[1])
	}
	b.AssertEq(name+"_lo", lo, out[0].Add(cLo.MulC(1<<16)))
	b.AssertEq(name+"_hi", hi, out[1].Add(cHi.MulC(1<<16)))
}

// AIR builds the round table's constraints: 64 rows per call, row t computing round t
// of the compression and one step of the message schedule.
func AIR() *air.AIR {
	b := air.NewBuilder("sha256")
	c := newColumns(b)

	// The round counter t = 8i + j: one-hot digits, t = 0 on row 0, then t → t+1 mod 64
	// (j steps on every row, i when j wraps). last marks t = 63.
	sumI, sumJ := b.Const(0), b.Const(0)
	j7 := c.J[7].Cur
	for k := range 8 {
		b.AssertBool(fmt.Sprintf("i[%d]_bool", k), c.I[k].Cur)
		b.AssertBool(fmt.Sprintf("j[%d]_bool", k), c.J[k].Cur)
		sumI, sumJ = sumI.Add(c.I[k].Cur), sumJ.Add(c.J[k].Cur)
		n := (k + 1) % 8
		b.AssertTransition(fmt.Sprintf("j[%d]_step", n), c.J[n].Next.Sub(c.J[k].Cur))
		b.AssertTransition(fmt.Sprintf("i[%d]_step", n), c.I[n].Next.Sub(c.I[k].Cur.Mul(j7).Add(c.I[n].Cur.Mul(j7.OneMinus()))))
	}
	b.Assert("i_one_hot", sumI.AddC(-1))
	b.Assert("j_one_hot", sumJ.AddC(-1))
	b.AssertFirst("i_starts_at_0", c.I[0].Cur.OneMinus())
	b.AssertFirst("j_starts_at_0", c.J[0].Cur.OneMinus())
	b.AssertEq("last", c.Last.Cur, c.I[7].Cur.Mul(j7))
	notLast := c.Last.Cur.OneMinus()
	first := c.I[0].Cur.Mul(c.J[0].Cur)

	// real and clk hold within a call.
	b.AssertBool("real_bool", c.Real.Cur)
	b.AssertTransition("real_kept", notLast.Mul(c.Real.Next.Sub(c.Real.Cur)))
	b.AssertTransition("clk_kept", notLast.Mul(c.Clk.Next.Sub(c.Clk.Cur)))

	// Bits are boolean; the limbs of W[1] and W[14] are their bits'.
	bitGroups := []struct {
		name string
		cs   *[32]air.Column
	}{
		{"a", &c.A[0]}, {"b", &c.A[1]}, {"c", &c.A[2]},
		{"e", &c.E[0]}, {"f", &c.E[1]}, {"g", &c.E[2]},
		{"w1_bit", &c.W1}, {"w14_bit", &c.W14},
	}
	for _, g := range bitGroups {
		for k := range g.cs {
			b.AssertBool(fmt.Sprintf("%s[%d]_bool", g.name, k), g.cs[k].Cur)
		}
	}
	var a, bb, cc, e, f, g, w1, w14 word
	for v, dst := range []*word{&a, &bb, &cc} {
		*dst = bitsOf(&c.A[v])
	}
	for v, dst := range []*word{&e, &f, &g} {
		*dst = bitsOf(&c.E[v])
	}
	w1, w14 = bitsOf(&c.W1), bitsOf(&c.W14)
	for _, x := range []struct {
		k    int
		bits *word
	}{{1, &w1}, {14, &w14}} {
		l := x.bits.limbs(b)
		b.AssertEq(fmt.Sprintf("w[%d].lo_bits", x.k), c.W[x.k][0].Cur, l[0])
		b.AssertEq(fmt.Sprintf("w[%d].hi_bits", x.k), c.W[x.k][1].Cur, l[1])
	}

	// The message schedule: w_{t+16} = σ1(w_{t+14}) + w_{t+9} + σ0(w_{t+1}) + w_t, and
	// the window moves down by one word from row to row.
	s0, s1 := sigma(&w1, smallSigma0, true), sigma(&w14, smallSigma1, true)
	assertSum(b, "w_new", [][2]air.Expr{s1.limbs(b), colLimbs(&c.W[9]), s0.limbs(b), colLimbs(&c.W[0])},
		colLimbs(&c.WN), [2][]air.Column{c.WCarry[0][:], c.WCarry[1][:]})
	for k := range BlockWords {
		src := &c.WN
		if k+1 < BlockWords {
			src = &c.W[k+1]
		}
		for l, half := range []string{"lo", "hi"} {
			b.AssertTransition(fmt.Sprintf("w[%d].%s_next", k, half), notLast.Mul(c.W[k][l].Next.Sub(src[l].Cur)))
		}
	}

	// The round: T1 = h + Σ1(e) + Ch(e, f, g) + K_t + w_t, T2 = Σ0(a) + Maj(a, b, c),
	// new e = d + T1, new a = T1 + T2. Ch = e·f + (1 − e)·g = g + e·(f − g);
	// Maj = ab + ac + bc − 2abc; K_t = Σ_i i[i]·Σ_j j[j]·K_{8i+j}.
	var ch, maj word
	for k := range ch {
		ch[k] = g[k].Add(e[k].Mul(f[k].Sub(g[k])))
		maj[k] = a[k].Mul(bb[k]).Add(a[k].Mul(cc[k])).Add(bb[k].Mul(cc[k])).Sub(a[k].Mul(bb[k]).Mul(cc[k]).MulC(2))
	}
	var kt [2]air.Expr
	for l := range kt {
		kt[l] = b.Const(0)
		for i := range 8 {
			inner := b.Const(0)
			for j := range 8 {
				inner = inner.Add(c.J[j].Cur.MulC(int64(roundConstants[8*i+j] >> (16 * l) & 0xffff)))
			}
			kt[l] = kt[l].Add(c.I[i].Cur.Mul(inner))
		}
	}
	S0, S1 := sigma(&a, bigSigma0, false), sigma(&e, bigSigma1, false)
	t1 := [][2]air.Expr{colLimbs(&c.H), S1.limbs(b), ch.limbs(b), kt, colLimbs(&c.W[0])}
	assertSum(b, "e_new", append([][2]air.Expr{colLimbs(&c.D)}, t1...), colLimbs(&c.EN),
		[2][]air.Column{c.ECarry[0][:], c.ECarry[1][:]})
	assertSum(b, "a_new", append(t1, S0.limbs(b), maj.limbs(b)), colLimbs(&c.AN),
		[2][]air.Column{c.ACarry[0][:], c.ACarry[1][:]})

	// The working variables move on: a ← new a, b ← a, c ← b, d ← c, and the same for
	// e … h. The new a and e are the next row's bits; d and h become limbs.
	for half, words := range [2]*[3][32]air.Column{&c.A, &c.E} {
		name := [2]string{"abcd", "efgh"}[half]
		newLimbs, dLimbs := &c.AN, &c.D
		if half == 1 {
			newLimbs, dLimbs = &c.EN, &c.H
		}
		nextTop := word{}
		for k := range nextTop {
			nextTop[k] = words[0][k].Next
		}
		nl := nextTop.limbs(b)
		for v := 1; v < 3; v++ {
			for k := range 32 {
				b.AssertTransition(fmt.Sprintf("%s[%d][%d]_next", name, v, k), notLast.Mul(words[v][k].Next.Sub(words[v-1][k].Cur)))
			}
		}
		top := bitsOf(&words[2])
		tl := top.limbs(b)
		for l, lh := range []string{"lo", "hi"} {
			b.AssertTransition(fmt.Sprintf("%s[0].%s_next", name, lh), notLast.Mul(nl[l].Sub(newLimbs[l].Cur)))
			b.AssertTransition(fmt.Sprintf("%s[3].%s_next", name, lh), notLast.Mul(dLimbs[l].Next.Sub(tl[l])))
		}
	}

	// The call's input arrives on round 0, its working variables leave after round 63.
	in := []air.Expr{c.Clk.Cur, b.Const(tagInput)}
	for _, w := range []*word{&a, &bb, &cc} {
		l := w.limbs(b)
		in = append(in, l[0], l[1])
	}
	in = append(in, c.D[0].Cur, c.D[1].Cur)
	for _, w := range []*word{&e, &f, &g} {
		l := w.limbs(b)
		in = append(in, l[0], l[1])
	}
	in = append(in, c.H[0].Cur, c.H[1].Cur)
	for k := range c.W {
		in = append(in, c.W[k][0].Cur, c.W[k][1].Cur)
	}
	out := []air.Expr{c.Clk.Cur, b.Const(tagOutput), c.AN[0].Cur, c.AN[1].Cur}
	for _, w := range []*word{&a, &bb, &cc} {
		l := w.limbs(b)
		out = append(out, l[0], l[1])
	}
	out = append(out, c.EN[0].Cur, c.EN[1].Cur)
	for _, w := range []*word{&e, &f, &g} {
		l := w.limbs(b)
		out = append(out, l[0], l[1])
	}
	b.Receive("state_in", StateBus, in, c.Real.Cur.Mul(first))
	b.Send("state_out", StateBus, out, c.Real.Cur.Mul(c.Last.Cur))
	return b.MustBuild()
}

// MemoryAIR builds the memory table's constraints: one row per SHA256_COMPRESS call,
// which receives the call from the Syscall bus, reads the 16 block words, accesses the 8
// state words, sends the state and block to the round table, receives the working
// variables after round 63 from it and adds them to the state.
func MemoryAIR() *air.AIR {
	b := air.NewBuilder("sha256_memory")
	c := newMemoryColumns(b)
	real := c.Real.Cur
	b.AssertBool("real_bool", real)
	b.Receive("syscall", bus.Syscall, []air.Expr{c.Clk.Cur, b.Const(uint64(Number)), c.ALo.Cur, c.AHi.Cur, c.BLo.Cur, c.BHi.Cur}, real)

	// a and b are word aligned: x_lo = 4·q with q < 2^16, which a 16-bit x_lo (a
	// well-formed word) only allows for a multiple of 4 (otherwise q = x_lo/4 in the
	// field is above 2^28).
	b.AssertEq("a_aligned", c.ALo.Cur, c.AQ.Cur.MulC(4))
	b.AssertEq("b_aligned", c.BLo.Cur, c.BQ.Cur.MulC(4))
	b.Send("a_quarter_range", bus.U16, []air.Expr{c.AQ.Cur}, real)
	b.Send("b_quarter_range", bus.U16, []air.Expr{c.BQ.Cur}, real)

	// Word i of a buffer at x is at x/4 + i mod 2^30, which can only wrap when
	// x_hi = 0xffff (then x/4 ≥ 2^30 − 2^14). A wrap claimed for a word below 2^30
	// gives the address x/4 + i − 2^30 ∈ [−2^14, 0), i.e. above p − 2^14; a wrap denied
	// gives one ≥ 2^30: the memory table holds neither (its addresses are < 2^30).
	addr := func(name string, q, hi air.Expr, i int, wrap air.Column) air.Expr {
		w := wrap.Cur
		b.AssertBool(name+"_bool", w)
		b.Assert(name+"_at_top", w.Mul(hi.AddC(-0xffff)))
		return q.Add(hi.MulC(1 << 14)).AddC(int64(i)).Sub(w.MulC(1 << 30))
	}
	// Bytes are range-checked; a memory word's limbs are (byte 0 + 2^8·byte 1,
	// byte 2 + 2^8·byte 3) and the SHA-256 word's (byte 2·2^8 + byte 3,
	// byte 0·2^8 + byte 1): SHA-256 reads the word's bytes in memory order as a
	// big-endian number.
	bytes := func(name string, bs *[4]air.Column) (mem, sha [2]air.Expr) {
		for k := range bs {
			b.Send(fmt.Sprintf("%s.byte[%d]_range", name, k), bus.U8, []air.Expr{bs[k].Cur}, real)
		}
		mem = [2]air.Expr{bs[0].Cur.Add(bs[1].Cur.MulC(1 << 8)), bs[2].Cur.Add(bs[3].Cur.MulC(1 << 8))}
		sha = [2]air.Expr{bs[3].Cur.Add(bs[2].Cur.MulC(1 << 8)), bs[1].Cur.Add(bs[0].Cur.MulC(1 << 8))}
		return mem, sha
	}

	in := []air.Expr{c.Clk.Cur, b.Const(tagInput)}
	var block []air.Expr
	for i := range BlockWords {
		name := fmt.Sprintf("block[%d]", i)
		at := addr(fmt.Sprintf("block_wrap[%d]", i), c.BQ.Cur, c.BHi.Cur, i, c.BlockWrap[i])
		mem, sha := bytes(name, &c.BlockBytes[i])
		c.Block[i].Constrain(b, at, mem, memory.TS(c.Clk.Cur, int64(BlockSlot+i)), real, nil)
		block = append(block, sha[0], sha[1])
	}
	out := []air.Expr{c.Clk.Cur, b.Const(tagOutput)}
	for i := range StateWords {
		name := fmt.Sprintf("state[%d]", i)
		at := addr(fmt.Sprintf("state_wrap[%d]", i), c.AQ.Cur, c.AHi.Cur, i, c.StateWrap[i])
		prevMem, prev := bytes(name+".in", &c.InBytes[i])
		nextMem, next := bytes(name+".out", &c.OutBytes[i])
		acc := c.State[i]
		b.AssertEq(name+".prev_lo_bytes", acc.PrevLo.Cur, prevMem[0])
		b.AssertEq(name+".prev_hi_bytes", acc.PrevHi.Cur, prevMem[1])
		acc.Constrain(b, at, nextMem, memory.TS(c.Clk.Cur, int64(StateSlot+i)), real, nil)
		in = append(in, prev[0], prev[1])
		// H'_i = H_i + work_i mod 2^32, with boolean carries.
		work := colLimbs(&c.Work[i])
		out = append(out, work[0], work[1])
		cLo, cHi := c.Carry[i][0].Cur, c.Carry[i][1].Cur
		b.AssertBool(name+".carry_lo_bool", cLo)
		b.AssertBool(name+".carry_hi_bool", cHi)
		b.AssertEq(name+".add_lo", prev[0].Add(work[0]), next[0].Add(cLo.MulC(1<<16)))
		b.AssertEq(name+".add_hi", prev[1].Add(work[1]).Add(cLo), next[1].Add(cHi.MulC(1<<16)))
		if i == 0 || i == 4 {
			// a and e after round 63 are the round table's sums, not bits: range them.
			b.Send(name+".work_lo_range", bus.U16, []air.Expr{work[0]}, real)
			b.Send(name+".work_hi_range", bus.U16, []air.Expr{work[1]}, real)
		}
	}
	b.Send("state_in", StateBus, append(in, block...), real)
	b.Receive("state_out", StateBus, out, real)
	return b.MustBuild()
}
