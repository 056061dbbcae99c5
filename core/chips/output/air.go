package output

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/poseidon2"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// Columns of the output table: row k < blocks absorbs block k of the share (positions
// Base + 16k … Base + 16k + 15); row blocks is the final row; rows after it are padding.
type Columns struct {
	// Absorb is set on rows 0 … blocks−1, Final on row blocks, First on row 0, Last on
	// row blocks−1.
	Absorb, Final, First, Last air.Column
	// Fresh is set on the rows whose state is a permutation's output (every row after an
	// absorbing row that completes its block).
	Fresh air.Column
	// K is the row index.
	K air.Column
	// Byte[j] is the byte at position Base + 16k + j (0 where the share has none).
	Byte [BlockBytes]air.Column
	// State is the sponge state before the row's bytes: start on row 0, end on the final
	// row.
	State [hash.Width]air.Column
}

// Width is the number of main columns.
const Width = 6 + BlockBytes + hash.Width

// The table's public values, by index.
const (
	PublicStart  = 0                        // 16 values: the sponge state where the share starts
	PublicEnd    = PublicStart + hash.Width // 16 values: the state where it ends
	PublicBase   = PublicEnd + hash.Width   // the position of the first block's byte 0
	PublicBlocks = PublicBase + 1           // the number of absorbing rows
	PublicPre    = PublicBlocks + 1         // 16 values: byte j of the first block is before outStart
	PublicPost   = PublicPre + BlockBytes   // 16 values: byte j of the last block is at or past outEnd
	NumPublics   = PublicPost + BlockBytes
)

func newColumns(b *air.Builder) *Columns {
	c := &Columns{Absorb: b.Main("absorb"), Final: b.Main("final"), First: b.Main("first"), Last: b.Main("last"),
		Fresh: b.Main("fresh"), K: b.Main("k")}
	copy(c.Byte[:], b.MainN("byte", BlockBytes))
	copy(c.State[:], b.MainN("state", hash.Width))
	return c
}

// col holds the column indices (the allocation is deterministic).
var col = newColumns(air.NewBuilder("output"))

// limb is limb i of the row's block: byte 2i + 256·byte 2i+1.
func (c *Columns) limb(i int) air.Expr {
	return c.Byte[2*i].Cur.Add(c.Byte[2*i+1].Cur.MulC(256))
}

// builder wraps air.Builder, leaving out the constraints and interactions named in skip
// (tests delete each in turn to show what it refuses).
type builder struct {
	*air.Builder
	skip map[string]bool
}

func (b builder) assert(sel air.Selector, name string, e air.Expr) {
	if b.skip[name] {
		return
	}
	switch sel {
	case air.FirstRow:
		b.AssertFirst(name, e)
	case air.LastRow:
		b.AssertLast(name, e)
	case air.Transition:
		b.AssertTransition(name, e)
	default:
		b.Assert(name, e)
	}
}

func (b builder) interact(send bool, name string, bs air.Bus, tuple []air.Expr, mult air.Expr) {
	switch {
	case b.skip[name]:
	case send:
		b.Send(name, bs, tuple, mult)
	default:
		b.Receive(name, bs, tuple, mult)
	}
}

// AIR builds the table's constraints.
func AIR() *air.AIR { return buildAIR(nil) }

func buildAIR(skip map[string]bool) *air.AIR {
	b := builder{air.NewBuilder("output"), skip}
	c := newColumns(b.Builder)
	var start, end [hash.Width]air.Expr
	for i := range start {
		start[i] = b.Public(fmt.Sprintf("start[%d]", i))
	}
	for i := range end {
		end[i] = b.Public(fmt.Sprintf("end[%d]", i))
	}
	base, blocks := b.Public("base"), b.Public("blocks")
	var pre, post [BlockBytes]air.Expr
	for j := range pre {
		pre[j] = b.Public(fmt.Sprintf("pre[%d]", j))
	}
	for j := range post {
		post[j] = b.Public(fmt.Sprintf("post[%d]", j))
	}
	ab, fin, first, last, fresh, k := c.Absorb.Cur, c.Final.Cur, c.First.Cur, c.Last.Cur, c.Fresh.Cur, c.K.Cur
	E, F, T, L := air.EveryRow, air.FirstRow, air.Transition, air.LastRow

	// Shape: k is the row index; absorbing rows from row 0, then one final row (row 0
	// when nothing is absorbed; else the row after the last absorbing row, which exists
	// since the table's last row does not absorb), at k = blocks: exactly blocks rows
	// absorb. first marks row 0, last row blocks − 1.
	b.assert(L, "absorb_last", ab)
	b.assert(F, "final_first", fin.Add(ab).AddC(-1))
	b.assert(T, "final_next", c.Final.Next.Sub(ab).Add(c.Absorb.Next))
	b.assert(E, "final_at_blocks", fin.Mul(k.Sub(blocks)))
	b.assert(F, "k_first", k)
	b.assert(T, "k_next", c.K.Next.Sub(k).AddC(-1))
	b.assert(F, "first_first", first.AddC(-1))
	b.assert(T, "first_next", c.First.Next)
	b.assert(T, "last_next", last.Sub(ab).Add(c.Absorb.Next))

	// The bytes: every byte column is a U8 lookup. Row k receives (Base + 16k + j, byte
	// j) on the Output bus unless the position is outside the share: before outStart in
	// the first block (pre), at or past outEnd in the last (post). Those bytes are 0.
	one := b.Const(1)
	for j := range BlockBytes {
		x := c.Byte[j].Cur
		masked := first.Mul(pre[j]).Add(last.Mul(post[j]))
		b.interact(true, fmt.Sprintf("byte%d_range", j), bus.U8, []air.Expr{x}, one)
		pos := base.Add(k.MulC(BlockBytes)).AddC(int64(j))
		b.interact(false, fmt.Sprintf("byte%d", j), bus.Output, []air.Expr{pos, x}, ab.Sub(masked))
		b.assert(E, fmt.Sprintf("masked%d", j), masked.Mul(x))
	}

	// The sponge: an absorbing row adds its limbs to the rate. If its block ends in the
	// share (every absorbing row but the last, and the last when outEnd ends its block:
	// post[15] = 0), it sends the sum as the input of permutation k + 1 (perm), and the
	// next row receives its state as that permutation's output (fresh); otherwise the
	// next row, the final one, holds the sum itself (carry). Row 0 holds start, the
	// final row end.
	perm := ab.Sub(last.Mul(post[BlockBytes-1]))
	carry := last.Mul(post[BlockBytes-1])
	in := []air.Expr{b.Const(poseidon2.KindIn), b.Const(Dom), k.AddC(1)}
	out := []air.Expr{b.Const(poseidon2.KindOut), b.Const(Dom), k}
	for i := range hash.Width {
		s := c.State[i].Cur
		out = append(out, s)
		if i < Rate {
			s = s.Add(c.limb(i))
		}
		in = append(in, s)
		b.assert(T, fmt.Sprintf("carry[%d]", i), carry.Mul(c.State[i].Next.Sub(s)))
		b.assert(F, fmt.Sprintf("start[%d]", i), c.State[i].Cur.Sub(start[i]))
		b.assert(E, fmt.Sprintf("end[%d]", i), fin.Mul(c.State[i].Cur.Sub(end[i])))
	}
	b.interact(true, "absorb", bus.Poseidon2, in, perm)
	b.interact(false, "state", bus.Poseidon2, out, fresh)
	return b.MustBuild()
}
