package u256

import (
	"fmt"
	"math/big"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/bytetable"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
)

// Call is one 256-bit syscall as the chip sees it: the ECALL's cycle, number, [a] and
// B, and its word accesses by group (nil where the syscall makes none).
type Call struct {
	Clk     uint64
	N, A, B uint32
	Acc     [Groups][Words]*trace.Access
}

// value is a 256-bit value as 8 words.
type value [Words]uint32

func (c *Call) before(g int) (v value) {
	for w := range Words {
		if a := c.Acc[g][w]; a != nil {
			v[w] = a.Before
		}
	}
	return v
}

func (c *Call) after(g int) (v value) {
	for w := range Words {
		if a := c.Acc[g][w]; a != nil {
			v[w] = a.After
		}
	}
	return v
}

// operands returns the call's x, y, n and result z.
func (c *Call) operands() (x, y, n, z value) {
	switch isa.U256Operands(c.N) {
	case 3:
		return c.before(0), c.before(1), c.before(2), c.after(2)
	case 1:
		return c.before(0), y, n, c.after(0)
	}
	return c.before(0), c.before(1), n, c.after(1)
}

// Calls extracts the 256-bit syscalls from Syscall-bus events. It fails on an event of
// another syscall or without a record, or a record without the accesses its syscall
// makes.
func Calls(events []bus.SyscallEvent) ([]Call, error) {
	out := make([]Call, 0, len(events))
	for e, ev := range events {
		op := opIndex(ev.Number)
		if op < 0 || ev.Rec == nil {
			return nil, fmt.Errorf("u256: event %d (clk %d) is syscall 0x%x or has no record", e, ev.Clk, ev.Number)
		}
		c := Call{Clk: ev.Clk, N: ev.Number, A: ev.A, B: ev.B}
		for k := range ev.Rec.Accesses {
			a := &ev.Rec.Accesses[k]
			if s := a.Slot() - FirstSlot; s >= 0 && s < Groups*Words {
				c.Acc[s/Words][s%Words] = a
			}
		}
		groups := 2
		switch op {
		case opAddMod, opMulMod:
			groups = 3
		case opUnary, opSet:
			groups = 1
		}
		for g := range groups {
			for w := range Words {
				if c.Acc[g][w] == nil {
					return nil, fmt.Errorf("u256: event %d (clk %d): no access to word %d of operand %d", e, ev.Clk, w, g)
				}
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// Column indices (the allocation is deterministic) and the tables' widths: the main
// columns the allocation made, not len(XAIR().Main), which built every AIR at package
// initialisation (≈20 ms of each process's start; TestWidths checks they agree).
var (
	memB, arithB, bitsB, mulDivB = air.NewBuilder("u256_memory"), air.NewBuilder("u256_arith"), air.NewBuilder("u256_bits"), air.NewBuilder("u256_muldiv")

	memCol    = newMemoryColumns(memB)
	arithCol  = newArithColumns(arithB)
	bitsCol   = newBitsColumns(bitsB)
	mulDivCol = newMulDivColumns(mulDivB)

	memWidth    = memB.NumMain()
	arithWidth  = arithB.NumMain()
	bitsWidth   = bitsB.NumMain()
	mulDivWidth = mulDivB.NumMain()
)

// MemoryTrace fills the memory table: a row per call, zero rows up to a power of two,
// and counts its range lookups.
func MemoryTrace(calls []Call, rc *rangetable.Counter) [][]field.Elem {
	return MemoryTraceRows(calls, rc, 0)
}

// MemoryTraceRows is MemoryTrace padded to at least rows rows (more padding rows, as MemoryTrace fills them).
func MemoryTraceRows(calls []Call, rc *rangetable.Counter, rows int) [][]field.Elem {
	cols := air.NewTrace(memWidth, max(len(calls), rows))
	n := len(cols[0])
	set := func(c air.Column, r int, v uint64) { cols[c.Index][r] = field.New(v) }
	for r := range n {
		if r >= len(calls) {
			for g := range Groups {
				for w := range Words {
					memCol.Acc[g][w].Fill(cols, r, nil, trace.TS(0, FirstSlot+Words*g+w), rc)
				}
			}
			continue
		}
		c := &calls[r]
		op := opIndex(c.N)
		set(memCol.Flag[op], r, 1)
		set(memCol.Clk, r, c.Clk)
		set(memCol.ALo, r, uint64(c.A&0xffff))
		set(memCol.AHi, r, uint64(c.A>>16))
		set(memCol.BLo, r, uint64(c.B&0xffff))
		set(memCol.BHi, r, uint64(c.B>>16))
		set(memCol.AQ, r, uint64(c.A&0xffff)/4)
		rc.U16((c.A & 0xffff) / 4)
		if op == opCopy || op == opSwap {
			set(memCol.KK, r, uint64(c.B/32))
			rc.U12(c.B/32 - 1)
		}
		for g := range Groups {
			for w := range Words {
				a := c.Acc[g][w]
				memCol.Acc[g][w].Fill(cols, r, a, trace.TS(c.Clk, FirstSlot+Words*g+w), rc)
				if a != nil {
					set(memCol.New[g][w][0], r, uint64(a.After&0xffff))
					set(memCol.New[g][w][1], r, uint64(a.After>>16))
				}
			}
		}
	}
	return cols
}

func limbsOf(v value) (l [Limbs]uint32) {
	for w := range Words {
		l[2*w], l[2*w+1] = v[w]&0xffff, v[w]>>16
	}
	return l
}

func bytesOf(v value) (b [Bytes]uint32) {
	for w := range Words {
		for k := range 4 {
			b[4*w+k] = v[w] >> (8 * k) & 0xff
		}
	}
	return b
}

func bigOf(v value) *big.Int {
	x := new(big.Int)
	for w := Words - 1; w >= 0; w-- {
		x.Lsh(x, 32)
		x.Or(x, big.NewInt(int64(v[w])))
	}
	return x
}

func bytesOfBig(x *big.Int, n int) []uint32 {
	out := make([]uint32, n)
	for k, b := range x.Bytes() { // big-endian
		out[len(x.Bytes())-1-k] = uint32(b)
	}
	return out
}

// addCarries returns the carries of a + b limb by limb (16-bit limbs) and a + b.
func addCarries(a, b [Limbs]uint32) (sum, carries [Limbs]uint32) {
	var c uint32
	for i := range Limbs {
		s := a[i] + b[i] + c
		sum[i], c = s&0xffff, s>>16
		carries[i] = c
	}
	return sum, carries
}

func subLimbs(a, b [Limbs]uint32) (d [Limbs]uint32) {
	var borrow uint32
	for i := range Limbs {
		s := int64(a[i]) - int64(b[i]) - int64(borrow)
		borrow = 0
		if s < 0 {
			s += 1 << 16
			borrow = 1
		}
		d[i] = uint32(s)
	}
	return d
}

// ArithTrace fills the add/sub/compare table with the calls it serves (the others are
// skipped) and counts its range lookups; nil when there are none.
func ArithTrace(calls []Call, rc *rangetable.Counter) [][]field.Elem {
	return ArithTraceRows(calls, rc, 0)
}

// ArithTraceRows is ArithTrace padded to at least rows rows (more padding rows, as ArithTrace fills them).
func ArithTraceRows(calls []Call, rc *rangetable.Counter, rows int) [][]field.Elem {
	var mine []*Call
	for k := range calls {
		if c := &calls[k]; (c.N != isa.SysU256Unary || c.B != isa.U256BSwap) && arithOf(c.N, clampSel(c)) >= 0 {
			mine = append(mine, c)
		}
	}
	if len(mine) == 0 && rows == 0 {
		return nil
	}
	cols := air.NewTrace(arithWidth, max(len(mine), rows))
	n := len(cols[0])
	set := func(c air.Column, r int, v uint32) { cols[c.Index][r] = field.New(uint64(v)) }
	for r := range n {
		set(arithCol.EqBit, r, 1)
		if r >= len(mine) {
			continue
		}
		c := mine[r]
		xv, yv, _, zv := c.operands()
		x, y, z := limbsOf(xv), limbsOf(yv), limbsOf(zv)
		op := arithOf(c.N, c.B)
		set(arithCol.Flag[op], r, 1)
		set(arithCol.Sel, r, c.B&0xffff)
		xs, ys := x, y
		xs[Limbs-1] ^= 0x8000
		ys[Limbs-1] ^= 0x8000
		var d, carries [Limbs]uint32
		switch op {
		case arAdd:
			_, carries = addCarries(x, y)
		case arSub:
			_, carries = addCarries(z, y)
		case arLt, arEq, arIsZero:
			d = subLimbs(x, y)
			_, carries = addCarries(y, d)
		case arGt:
			d = subLimbs(y, x)
			_, carries = addCarries(x, d)
		case arSLt:
			d = subLimbs(xs, ys)
			_, carries = addCarries(ys, d)
		case arSGt:
			d = subLimbs(ys, xs)
			_, carries = addCarries(xs, d)
		}
		var dsum uint64
		for i := range Limbs {
			set(arithCol.X[i], r, x[i])
			set(arithCol.Y[i], r, y[i])
			set(arithCol.Z[i], r, z[i])
			set(arithCol.D[i], r, d[i])
			set(arithCol.C[i], r, carries[i])
			dsum += uint64(d[i])
			switch op {
			case arAdd, arSub:
				rc.U16(z[i])
			case arLt, arGt, arSLt, arSGt, arEq, arIsZero:
				rc.U16(d[i])
			}
		}
		sx, sy := x[Limbs-1]>>15, y[Limbs-1]>>15
		set(arithCol.SX, r, sx)
		set(arithCol.SY, r, sy)
		if op == arSLt || op == arSGt {
			rc.U16(2 * (x[Limbs-1] - sx<<15))
			rc.U16(2 * (y[Limbs-1] - sy<<15))
		}
		if dsum != 0 {
			set(arithCol.EqBit, r, 0)
			inv := field.New(dsum)
			inv.Inverse(&inv)
			cols[arithCol.Inv.Index][r] = inv
		}
	}
	return cols
}

// clampSel keeps arithOf's table lookups in range for the calls of other tables.
func clampSel(c *Call) uint32 {
	if c.N == isa.SysU256Cmp && c.B > isa.U256Eq {
		return 0
	}
	return c.B
}

// BitsTrace fills the bitwise table and counts its byte lookups; nil when it has no
// calls.
func BitsTrace(calls []Call, bc *bytetable.Counter) [][]field.Elem {
	return BitsTraceRows(calls, bc, 0)
}

// BitsTraceRows is BitsTrace padded to at least rows rows (more padding rows, as BitsTrace fills them).
func BitsTraceRows(calls []Call, bc *bytetable.Counter, rows int) [][]field.Elem {
	var mine []*Call
	for k := range calls {
		if c := &calls[k]; bitsOf(c.N, c.B) >= 0 {
			mine = append(mine, c)
		}
	}
	if len(mine) == 0 && rows == 0 {
		return nil
	}
	cols := air.NewTrace(bitsWidth, max(len(mine), rows))
	set := func(c air.Column, r int, v uint32) { cols[c.Index][r] = field.New(uint64(v)) }
	tableOps := [numBits]uint32{uint32(isa.AND), uint32(isa.OR), uint32(isa.XOR)}
	for r, c := range mine {
		op := bitsOf(c.N, c.B)
		set(bitsCol.Flag[op], r, 1)
		xv, yv, _, zv := c.operands()
		xb, yb, zb := bytesOf(xv), bytesOf(yv), bytesOf(zv)
		for k := range Bytes {
			set(bitsCol.XB[k], r, xb[k])
			set(bitsCol.YB[k], r, yb[k])
			set(bitsCol.ZB[k], r, zb[k])
			if op != btBSwap {
				bc.Lookup(tableOps[op], xb[k], yb[k])
			}
		}
		if op == btBSwap {
			for k := 0; k < Bytes; k += 2 {
				bc.Range(xb[k], xb[k+1])
			}
		}
	}
	return cols
}

// MulDivTrace fills the multiply/divide table and counts its lookups; nil when it has
// no calls.
func MulDivTrace(calls []Call, rc *rangetable.Counter, bc *bytetable.Counter) [][]field.Elem {
	return MulDivTraceRows(calls, rc, bc, 0)
}

// MulDivTraceRows is MulDivTrace padded to at least rows rows (more padding rows, as MulDivTrace fills them).
func MulDivTraceRows(calls []Call, rc *rangetable.Counter, bc *bytetable.Counter, rows int) [][]field.Elem {
	var mine []*Call
	for k := range calls {
		if c := &calls[k]; mulDivOf(c.N) >= 0 {
			mine = append(mine, c)
		}
	}
	if len(mine) == 0 && rows == 0 {
		return nil
	}
	cols := air.NewTrace(mulDivWidth, max(len(mine), rows))
	n := len(cols[0])
	set := func(c air.Column, r int, v uint32) { cols[c.Index][r] = field.New(uint64(v)) }
	two256 := new(big.Int).Lsh(big.NewInt(1), 256)
	for r := range n {
		set(mulDivCol.MZ, r, 1)
		for k := range convLen - 1 {
			set(mulDivCol.Carry[k], r, carryOffset)
		}
		if r >= len(mine) {
			continue
		}
		c := mine[r]
		op := mulDivOf(c.N)
		set(mulDivCol.Flag[op], r, 1)
		set(mulDivCol.Sel, r, c.B&0xffff)
		xv, yv, nv, _ := c.operands()
		x, y, nn := bigOf(xv), bigOf(yv), bigOf(nv)
		m := new(big.Int)
		switch op {
		case mdDiv, mdMod:
			m = y
		case mdAddMod, mdMulMod:
			m = nn
		}
		live := m.Sign() != 0
		bb, cc := new(big.Int), new(big.Int)
		switch {
		case op == mdMul:
			bb = y
		case !live:
		case op == mdMulMod:
			bb = y
		case op == mdAddMod:
			bb, cc = big.NewInt(1), y
		default:
			bb = big.NewInt(1)
		}
		lhs := new(big.Int).Add(new(big.Int).Mul(x, bb), cc)
		q, rem := new(big.Int), new(big.Int)
		switch {
		case op == mdMul:
			q.Rsh(lhs, 256)
			rem.Mod(lhs, two256)
		case live:
			q.QuoRem(lhs, m, rem)
		}
		z := rem
		if op == mdDiv {
			z = q
			if !live {
				z = new(big.Int)
			}
		}
		cmpOn := live && op != mdMul
		d := new(big.Int)
		if cmpOn {
			d.Sub(m, rem).Sub(d, big.NewInt(1))
		}
		X, Y, N := bytesOf(xv), bytesOf(yv), bytesOf(nv)
		B, C, M := bytesOfBig(bb, Bytes), bytesOfBig(cc, Bytes), bytesOfBig(m, Bytes)
		Q, R, D, Z := bytesOfBig(q, 2*Bytes), bytesOfBig(rem, Bytes), bytesOfBig(d, Bytes), bytesOfBig(new(big.Int).Mod(z, two256), Bytes)
		var msum uint64
		for k := range Bytes {
			set(mulDivCol.X[k], r, X[k])
			set(mulDivCol.Y[k], r, Y[k])
			set(mulDivCol.N[k], r, N[k])
			set(mulDivCol.B[k], r, B[k])
			set(mulDivCol.C[k], r, C[k])
			set(mulDivCol.M[k], r, M[k])
			set(mulDivCol.R[k], r, R[k])
			set(mulDivCol.D[k], r, D[k])
			set(mulDivCol.Z[k], r, Z[k])
			msum += uint64(M[k])
		}
		for k := range 2 * Bytes {
			set(mulDivCol.Q[k], r, Q[k])
		}
		for _, v := range [][]uint32{X[:], Y[:], N[:], Q, R, D} {
			for k := 0; k < len(v); k += 2 {
				bc.Range(v[k], v[k+1])
			}
		}
		if live {
			set(mulDivCol.MZ, r, 0)
			inv := field.New(msum)
			inv.Inverse(&inv)
			cols[mulDivCol.Inv.Index][r] = inv
		}
		if cmpOn {
			set(mulDivCol.CmpE, r, 1)
			in := uint32(1)
			for k := range Bytes {
				s := R[k] + D[k] + in
				in = s >> 8
				set(mulDivCol.Borrow[k], r, in)
			}
		}
		// Carries of the relation, position by position.
		mul := int64(0)
		if op == mdMul {
			mul = 1
		}
		var carry int64
		for k := range convLen {
			var v int64
			for j := max(0, k-(Bytes-1)); j <= min(Bytes-1, k); j++ {
				v += int64(X[j]) * int64(B[k-j])
			}
			for j := max(0, k-(Bytes-1)); j <= min(2*Bytes-1, k); j++ {
				v -= int64(Q[j]) * int64(M[k-j])
			}
			if k < Bytes {
				v += int64(C[k]) - int64(R[k])
			} else {
				v -= mul * int64(Q[k-Bytes])
			}
			v += carry
			carry = v >> 8 // exact: v is a multiple of 256 for a true relation
			if k < convLen-1 {
				set(mulDivCol.Carry[k], r, uint32(carry+carryOffset))
				rc.U16(uint32(carry + carryOffset))
			}
		}
	}
	return cols
}
