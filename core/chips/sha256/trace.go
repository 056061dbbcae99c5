package sha256chip

import (
	"fmt"
	"math/bits"
	"sync"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
)

// Call is one SHA256_COMPRESS call as the chip sees it: the ECALL's cycle, its operands
// [a] (the state's byte address) and B (the block's), the reads of the 16 block words
// (slots 3 … 18) and the writes of the 8 state words (slots 19 … 26).
type Call struct {
	Clk   uint64
	A, B  uint32
	Block [BlockWords]trace.Access
	State [StateWords]trace.Access
}

// Calls extracts the SHA256_COMPRESS calls from Syscall-bus events. It fails on an event
// of another syscall, without a record, with a misaligned pointer, or whose record lacks
// one of the 24 accesses.
func Calls(events []bus.SyscallEvent) ([]Call, error) {
	cs := make([]Call, len(events))
	for e, ev := range events {
		if ev.Number != Number || ev.Rec == nil {
			return nil, fmt.Errorf("sha256: event %d (clk %d) is syscall 0x%x or has no record", e, ev.Clk, ev.Number)
		}
		if ev.A%4 != 0 || ev.B%4 != 0 {
			return nil, fmt.Errorf("sha256: event %d (clk %d): pointers 0x%x (state), 0x%x (block) are not word aligned", e, ev.Clk, ev.A, ev.B)
		}
		c := &cs[e]
		c.Clk, c.A, c.B = ev.Clk, ev.A, ev.B
		var seen [BlockWords + StateWords]bool
		for _, acc := range ev.Rec.Accesses {
			switch s := acc.Slot(); {
			case s >= BlockSlot && s < StateSlot:
				c.Block[s-BlockSlot], seen[s-BlockSlot] = acc, true
			case s >= StateSlot && s < StateSlot+StateWords:
				c.State[s-StateSlot], seen[s-BlockSlot] = acc, true
			}
		}
		for i, ok := range seen {
			if !ok {
				return nil, fmt.Errorf("sha256: event %d (clk %d): no access in slot %d", e, ev.Clk, BlockSlot+i)
			}
		}
	}
	return cs, nil
}

// Input returns the chaining state and the block the call reads, as SHA-256 words (each
// memory word's bytes read as a big-endian number).
func (c *Call) Input() (h [StateWords]uint32, m [BlockWords]uint32) {
	for i := range h {
		h[i] = bits.ReverseBytes32(c.State[i].Before)
	}
	for i := range m {
		m[i] = bits.ReverseBytes32(c.Block[i].Before)
	}
	return h, m
}

// roundRow holds the values of one row of the round table.
type roundRow struct {
	st         [StateWords]uint32 // a … h before the round
	w          [BlockWords]uint32 // w_t … w_{t+15}
	an, en, wn uint32             // new a, new e, w_{t+16}
	aC, eC, wC [2]uint32          // carries of the lo and hi limb sums
}

func rotr(x uint32, n int) uint32 { return bits.RotateLeft32(x, -n) }

// sigmaVal computes what sigma constrains.
func sigmaVal(x uint32, r [3]int, small bool) uint32 {
	v := rotr(x, r[0]) ^ rotr(x, r[1])
	if small {
		return v ^ x>>r[2]
	}
	return v ^ rotr(x, r[2])
}

// sum returns Σ terms mod 2^32 and the carries out of the lo and hi limb sums.
func sum(terms ...uint32) (uint32, [2]uint32) {
	var lo, hi uint32
	for _, t := range terms {
		lo += t & 0xffff
		hi += t >> 16
	}
	hi += lo >> 16
	return hi<<16 | lo&0xffff, [2]uint32{lo >> 16, hi >> 16}
}

// step computes row values from the working variables st, the schedule window w and the
// round constant k.
func step(st [StateWords]uint32, w [BlockWords]uint32, k uint32) roundRow {
	r := roundRow{st: st, w: w}
	a, b, c, d, e, f, g, h := st[0], st[1], st[2], st[3], st[4], st[5], st[6], st[7]
	ch := e&f ^ ^e&g
	maj := a&b ^ a&c ^ b&c
	S0, S1 := sigmaVal(a, bigSigma0, false), sigmaVal(e, bigSigma1, false)
	r.en, r.eC = sum(d, h, S1, ch, k, w[0])
	r.an, r.aC = sum(h, S1, ch, k, w[0], S0, maj)
	r.wn, r.wC = sum(sigmaVal(w[14], smallSigma1, true), w[9], sigmaVal(w[1], smallSigma0, true), w[0])
	return r
}

// next returns the working variables and the window after row r.
func (r *roundRow) next() ([StateWords]uint32, [BlockWords]uint32) {
	st := [StateWords]uint32{r.an, r.st[0], r.st[1], r.st[2], r.en, r.st[4], r.st[5], r.st[6]}
	var w [BlockWords]uint32
	copy(w[:], r.w[1:])
	w[BlockWords-1] = r.wn
	return st, w
}

// rounds fills rows[from:] from rows[from−1] (or from the input for from = 0) with the
// round constants ks.
func rounds(rows *[Rounds]roundRow, from int, h [StateWords]uint32, m [BlockWords]uint32, ks *[Rounds]uint32) {
	st, w := h, m
	if from > 0 {
		st, w = rows[from-1].next()
	}
	for t := from; t < Rounds; t++ {
		rows[t] = step(st, w, ks[t])
		st, w = rows[t].next()
	}
}

// compress returns the 64 rows of the compression of h with the block m.
func compress(h [StateWords]uint32, m [BlockWords]uint32) [Rounds]roundRow {
	var rows [Rounds]roundRow
	rounds(&rows, 0, h, m, &roundConstants)
	return rows
}

// working returns the working variables after round 63 of rows.
func working(rows *[Rounds]roundRow) [StateWords]uint32 {
	st, _ := rows[Rounds-1].next()
	return st
}

// roundColumns and memoryColumns hold the column indices (the allocation is
// deterministic), made on first use: allocating them at package initialisation cost
// every process ≈5 ms, SHA-256 or not.
var (
	roundColumns  = sync.OnceValue(func() *Columns { return newColumns(air.NewBuilder("sha256")) })
	memoryColumns = sync.OnceValue(func() *MemoryColumns { return newMemoryColumns(air.NewBuilder("sha256_memory")) })
)

// RoundTrace fills the round table: 64 rows per call, in order, then compressions of
// the zero state and block with real = 0 up to a power-of-two height.
func RoundTrace(calls []Call) [][]field.Elem { return RoundTraceRows(calls, 0) }

// RoundTraceRows is RoundTrace padded to at least rows rows (more padding blocks, as
// RoundTrace fills them).
func RoundTraceRows(calls []Call, rows int) [][]field.Elem {
	blocks := make([][Rounds]roundRow, len(calls))
	clks := make([]uint64, len(calls))
	for i := range calls {
		blocks[i] = compress(calls[i].Input())
		clks[i] = calls[i].Clk
	}
	return fillRoundsRows(blocks, clks, rows)
}

// fillRounds fills the round table with the given real calls and padding.
func fillRounds(blocks [][Rounds]roundRow, clks []uint64) [][]field.Elem {
	return fillRoundsRows(blocks, clks, 0)
}

// fillRoundsRows is fillRounds padded to at least least rows (more padding blocks).
func fillRoundsRows(blocks [][Rounds]roundRow, clks []uint64, least int) [][]field.Elem {
	cols := air.NewTrace(Width, max(Rounds*max(len(blocks), 1), least))
	n := len(cols[0])
	pad := compress([StateWords]uint32{}, [BlockWords]uint32{})
	for blk := 0; Rounds*blk < n; blk++ {
		rows, clk, real := &pad, uint64(0), false
		if blk < len(blocks) {
			rows, clk, real = &blocks[blk], clks[blk], true
		}
		fillBlock(cols, Rounds*blk, rows, clk, real)
	}
	return cols
}

// fillBlock writes the rows of one call from row base on.
func fillBlock(cols [][]field.Elem, base int, rows *[Rounds]roundRow, clk uint64, real bool) {
	col := roundColumns()
	one := field.New(1)
	set := func(c air.Column, r int, v uint32) { cols[c.Index][r] = field.New(uint64(v)) }
	bitsOf := func(cs *[32]air.Column, r int, v uint32) {
		for ; v != 0; v &= v - 1 {
			cols[cs[bits.TrailingZeros32(v)].Index][r] = one
		}
	}
	limbs := func(cs *[2]air.Column, r int, v uint32) {
		set(cs[0], r, v&0xffff)
		set(cs[1], r, v>>16)
	}
	carryBits := func(cs []air.Column, r int, v uint32) {
		for k := range cs {
			set(cs[k], r, v>>k&1)
		}
	}
	for t := range rows {
		w, r := &rows[t], base+t
		cols[col.I[t/8].Index][r] = one
		cols[col.J[t%8].Index][r] = one
		if t == Rounds-1 {
			cols[col.Last.Index][r] = one
		}
		if real {
			cols[col.Real.Index][r] = one
		}
		cols[col.Clk.Index][r] = field.New(clk)
		for v := range 3 {
			bitsOf(&col.A[v], r, w.st[v])
			bitsOf(&col.E[v], r, w.st[4+v])
		}
		limbs(&col.D, r, w.st[3])
		limbs(&col.H, r, w.st[7])
		for k := range w.w {
			limbs(&col.W[k], r, w.w[k])
		}
		bitsOf(&col.W1, r, w.w[1])
		bitsOf(&col.W14, r, w.w[14])
		limbs(&col.AN, r, w.an)
		limbs(&col.EN, r, w.en)
		limbs(&col.WN, r, w.wn)
		for l := range 2 {
			carryBits(col.ACarry[l][:], r, w.aC[l])
			carryBits(col.ECarry[l][:], r, w.eC[l])
			carryBits(col.WCarry[l][:], r, w.wC[l])
		}
	}
}

// MemoryTrace fills the memory table, one row per call and zero rows up to a power of
// two, and counts its range lookups. It takes the state's new values from the records
// (After) and the working variables after round 63 as new − old mod 2^32, without
// compressing: a record whose output is not the compression of its input leaves the
// StateBus unbalanced.
func MemoryTrace(calls []Call, rc *rangetable.Counter) [][]field.Elem {
	return MemoryTraceRows(calls, rc, 0)
}

// MemoryTraceRows is MemoryTrace padded to at least rows rows (more padding rows, as MemoryTrace fills them).
func MemoryTraceRows(calls []Call, rc *rangetable.Counter, rows int) [][]field.Elem {
	memCol := memoryColumns()
	cols := air.NewTrace(MemoryWidth, max(len(calls), rows))
	n := len(cols[0])
	set := func(c air.Column, r int, v uint32) { cols[c.Index][r] = field.New(uint64(v)) }
	bytesOf := func(cs *[4]air.Column, r int, v uint32) {
		for k := range cs {
			b := v >> (8 * k) & 0xff
			set(cs[k], r, b)
			rc.U8(b)
		}
	}
	for r := range n {
		if r >= len(calls) {
			for i, w := range memCol.Block {
				w.Fill(cols, r, nil, trace.TS(0, BlockSlot+i), rc)
			}
			for i, w := range memCol.State {
				w.Fill(cols, r, nil, trace.TS(0, StateSlot+i), rc)
			}
			continue
		}
		c := &calls[r]
		set(memCol.Real, r, 1)
		cols[memCol.Clk.Index][r] = field.New(c.Clk)
		set(memCol.ALo, r, c.A&0xffff)
		set(memCol.AHi, r, c.A>>16)
		set(memCol.BLo, r, c.B&0xffff)
		set(memCol.BHi, r, c.B>>16)
		set(memCol.AQ, r, (c.A&0xffff)/4)
		set(memCol.BQ, r, (c.B&0xffff)/4)
		rc.U16((c.A & 0xffff) / 4)
		rc.U16((c.B & 0xffff) / 4)
		for i := range BlockWords {
			if uint64(c.B/4)+uint64(i) >= 1<<30 {
				set(memCol.BlockWrap[i], r, 1)
			}
			acc := &c.Block[i]
			memCol.Block[i].Fill(cols, r, acc, trace.TS(c.Clk, BlockSlot+i), rc)
			bytesOf(&memCol.BlockBytes[i], r, acc.Before)
		}
		for i := range StateWords {
			if uint64(c.A/4)+uint64(i) >= 1<<30 {
				set(memCol.StateWrap[i], r, 1)
			}
			acc := &c.State[i]
			memCol.State[i].Fill(cols, r, acc, trace.TS(c.Clk, StateSlot+i), rc)
			bytesOf(&memCol.InBytes[i], r, acc.Before)
			bytesOf(&memCol.OutBytes[i], r, acc.After)
			old, nw := bits.ReverseBytes32(acc.Before), bits.ReverseBytes32(acc.After)
			work := nw - old
			set(memCol.Work[i][0], r, work&0xffff)
			set(memCol.Work[i][1], r, work>>16)
			if i == 0 || i == 4 {
				rc.U16(work & 0xffff)
				rc.U16(work >> 16)
			}
			_, cs := sum(old, work)
			set(memCol.Carry[i][0], r, cs[0])
			set(memCol.Carry[i][1], r, cs[1])
		}
	}
	return cols
}
