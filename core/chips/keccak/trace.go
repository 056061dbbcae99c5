package keccak

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

// Perm is one KECCAKF call as the chip sees it: the ECALL's cycle, its operands [a]
// (the state's byte address) and B, and its 50 state-word accesses (slots 3 … 52).
type Perm struct {
	Clk   uint64
	A, B  uint32
	Words [Words]trace.Access
}

// Perms extracts the KECCAKF calls from Syscall-bus events. It fails on an event of
// another syscall, without a record, with a misaligned state address, or whose record
// lacks one of the 50 state-word accesses.
func Perms(events []bus.SyscallEvent) ([]Perm, error) {
	ps := make([]Perm, len(events))
	for e, ev := range events {
		if ev.Number != Number || ev.Rec == nil {
			return nil, fmt.Errorf("keccak: event %d (clk %d) is syscall 0x%x or has no record", e, ev.Clk, ev.Number)
		}
		if ev.A%4 != 0 {
			return nil, fmt.Errorf("keccak: event %d (clk %d): state address 0x%x is not word aligned", e, ev.Clk, ev.A)
		}
		p := &ps[e]
		p.Clk, p.A, p.B = ev.Clk, ev.A, ev.B
		var seen [Words]bool
		for _, acc := range ev.Rec.Accesses {
			if i := acc.Slot() - FirstSlot; i >= 0 && i < Words {
				p.Words[i], seen[i] = acc, true
			}
		}
		for i, ok := range seen {
			if !ok {
				return nil, fmt.Errorf("keccak: event %d (clk %d): no access to state word %d (slot %d)", e, ev.Clk, i, FirstSlot+i)
			}
		}
	}
	return ps, nil
}

// Input returns the state the call reads: lane i = word 2i | word 2i+1 << 32.
func (p *Perm) Input() [Lanes]uint64 {
	var st [Lanes]uint64
	for i := range st {
		st[i] = uint64(p.Words[2*i].Before) | uint64(p.Words[2*i+1].Before)<<32
	}
	return st
}

// roundRow holds the values of one row of the round table.
type roundRow struct {
	a, ap, out [Lanes]uint64
	c, cp      [5]uint64
	chi00      uint64 // lane (0, 0) after χ, before ι
}

// keccakRound computes one round on a with round constant rc.
func keccakRound(a [Lanes]uint64, rc uint64) roundRow {
	w := roundRow{a: a}
	for x := range 5 {
		w.c[x] = a[x] ^ a[x+5] ^ a[x+10] ^ a[x+15] ^ a[x+20]
	}
	for x := range 5 {
		d := w.c[(x+4)%5] ^ bits.RotateLeft64(w.c[(x+1)%5], 1)
		w.cp[x] = w.c[x] ^ d
		for y := range 5 {
			w.ap[x+5*y] = a[x+5*y] ^ d
		}
	}
	w.chiIota(rc)
	return w
}

// chiIota sets w.out and w.chi00 from w.ap: ρ, π, χ and ι.
func (w *roundRow) chiIota(rc uint64) {
	var b [Lanes]uint64
	for i := range b {
		src := piSource[i]
		b[i] = bits.RotateLeft64(w.ap[src], rotation[src])
	}
	for y := range 5 {
		for x := range 5 {
			w.out[x+5*y] = b[x+5*y] ^ (^b[(x+1)%5+5*y] & b[(x+2)%5+5*y])
		}
	}
	w.chi00 = w.out[0]
	w.out[0] ^= rc
}

// permutation returns the 24 rows of Keccak-f[1600] on in, with round constants rcs.
func permutation(in [Lanes]uint64, rcs *[Rounds]uint64) [Rounds]roundRow {
	var rows [Rounds]roundRow
	for r := range rows {
		rows[r] = keccakRound(in, rcs[r])
		in = rows[r].out
	}
	return rows
}

// roundColumns and memoryColumns hold the column indices (the allocation is
// deterministic), made on first use: allocating the round table's columns at package
// initialisation cost every process ≈7 ms, keccak or not.
var (
	roundColumns  = sync.OnceValue(func() *Columns { return newColumns(air.NewBuilder("keccak")) })
	memoryColumns = sync.OnceValue(func() *MemoryColumns { return newMemoryColumns(air.NewBuilder("keccak_memory")) })
)

// RoundTrace fills the round table: 24 rows per call, in order, then permutations of
// the zero state with real = 0 up to a power-of-two height (the last may be cut short).
func RoundTrace(perms []Perm) [][]field.Elem { return RoundTraceRows(perms, 0) }

// RoundTraceRows is RoundTrace padded to at least rows rows (more padding blocks, as
// RoundTrace fills them).
func RoundTraceRows(perms []Perm, rows int) [][]field.Elem {
	blocks := make([][Rounds]roundRow, len(perms))
	clks := make([]uint64, len(perms))
	for i := range perms {
		blocks[i] = permutation(perms[i].Input(), &roundConstants)
		clks[i] = perms[i].Clk
	}
	return fillRoundsRows(blocks, clks, rows)
}

// fillRounds fills the round table with the given real permutations and padding.
func fillRounds(blocks [][Rounds]roundRow, clks []uint64) [][]field.Elem {
	return fillRoundsRows(blocks, clks, 0)
}

// fillRoundsRows is fillRounds padded to at least least rows (more padding blocks).
func fillRoundsRows(blocks [][Rounds]roundRow, clks []uint64, least int) [][]field.Elem {
	cols := air.NewTrace(Width, max(Rounds*len(blocks), least))
	n := len(cols[0])
	pad := permutation([Lanes]uint64{}, &roundConstants)
	for blk := 0; Rounds*blk < n; blk++ {
		rows, clk, real := &pad, uint64(0), false
		if blk < len(blocks) {
			rows, clk, real = &blocks[blk], clks[blk], true
		}
		fillBlock(cols, Rounds*blk, rows[:min(Rounds, n-Rounds*blk)], clk, real)
	}
	return cols
}

// fillBlock writes the rows of one permutation from row base on.
func fillBlock(cols [][]field.Elem, base int, rows []roundRow, clk uint64, real bool) {
	col := roundColumns()
	one := field.New(1)
	bitsOf := func(cs *[64]air.Column, r int, v uint64) {
		for ; v != 0; v &= v - 1 {
			cols[cs[bits.TrailingZeros64(v)].Index][r] = one
		}
	}
	limbs := func(cs *[Limbs]air.Column, r int, v uint64) {
		for l := range cs {
			cols[cs[l].Index][r] = field.New(v >> (16 * l) & 0xffff)
		}
	}
	for k := range rows {
		w, r := &rows[k], base+k
		cols[col.Round[k].Index][r] = one
		if real {
			cols[col.Real.Index][r] = one
		}
		cols[col.Clk.Index][r] = field.New(clk)
		for i := range Lanes {
			limbs(&col.A[i], r, w.a[i])
			limbs(&col.Out[i], r, w.out[i])
			bitsOf(&col.AP[i], r, w.ap[i])
		}
		for x := range 5 {
			bitsOf(&col.C[x], r, w.c[x])
			bitsOf(&col.CP[x], r, w.cp[x])
		}
		for j, pos := range rcPos {
			cols[col.Chi00[j].Index][r] = field.New(w.chi00 >> pos & 1)
		}
	}
}

// MemoryTrace fills the memory table, one row per call and zero rows up to a power of
// two, and counts its range lookups. The new values are the records' (After): a record
// whose output is not the permutation of its input leaves the StateBus unbalanced.
func MemoryTrace(perms []Perm, rc *rangetable.Counter) [][]field.Elem {
	return MemoryTraceRows(perms, rc, 0)
}

// MemoryTraceRows is MemoryTrace padded to at least rows rows (more padding rows, as MemoryTrace fills them).
func MemoryTraceRows(perms []Perm, rc *rangetable.Counter, rows int) [][]field.Elem {
	memCol := memoryColumns()
	cols := air.NewTrace(MemoryWidth, max(len(perms), rows))
	n := len(cols[0])
	set := func(c air.Column, r int, v uint64) { cols[c.Index][r] = field.New(v) }
	for r := range n {
		if r >= len(perms) {
			for i, w := range memCol.Word {
				w.Fill(cols, r, nil, trace.TS(0, FirstSlot+i), rc)
			}
			continue
		}
		p := &perms[r]
		set(memCol.Real, r, 1)
		set(memCol.Clk, r, p.Clk)
		set(memCol.ALo, r, uint64(p.A&0xffff))
		set(memCol.AHi, r, uint64(p.A>>16))
		set(memCol.BLo, r, uint64(p.B&0xffff))
		set(memCol.BHi, r, uint64(p.B>>16))
		set(memCol.AQ, r, uint64((p.A&0xffff)/4))
		rc.U16((p.A & 0xffff) / 4)
		for i := range Words {
			if uint64(p.A/4)+uint64(i) >= 1<<30 {
				set(memCol.Wrap[i], r, 1)
			}
			acc := &p.Words[i]
			memCol.Word[i].Fill(cols, r, acc, trace.TS(p.Clk, FirstSlot+i), rc)
			set(memCol.Out[i][0], r, uint64(acc.After&0xffff))
			set(memCol.Out[i][1], r, uint64(acc.After>>16))
		}
	}
	return cols
}
