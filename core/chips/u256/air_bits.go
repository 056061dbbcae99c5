package u256

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/bytetable"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/air"
)

// BitsAIR builds the bitwise table: AND, OR, XOR and BSWAP, one row per call, over bytes
// (byte k of a value is bits 8k … 8k+7). AND, OR and XOR look each byte triple up in
// the byte table, which also range-checks the bytes; BSWAP range-checks x's bytes in
// pairs and z's bytes are x's reversed.
func BitsAIR() *air.AIR {
	b := air.NewBuilder("u256_bits")
	c := newBitsColumns(b)
	f := func(k int) air.Expr { return c.Flag[k].Cur }
	real := b.Const(0)
	for k := range numBits {
		b.AssertBool("is_"+bitsNames[k]+"_bool", f(k))
		real = real.Add(f(k))
	}
	b.AssertBool("one_op", real)
	logic := f(btAnd).Add(f(btOr)).Add(f(btXor))
	tableOp := f(btAnd).MulC(int64(isa.AND)).Add(f(btOr).MulC(int64(isa.OR))).Add(f(btXor).MulC(int64(isa.XOR)))
	for k := range Bytes {
		b.Send(fmt.Sprintf("byte%d", k), bus.Bitwise, []air.Expr{tableOp, c.XB[k].Cur, c.YB[k].Cur, c.ZB[k].Cur}, logic)
		b.Assert(fmt.Sprintf("bswap%d", k), f(btBSwap).Mul(c.ZB[k].Cur.Sub(c.XB[Bytes-1-k].Cur)))
	}
	for k := 0; k < Bytes; k += 2 {
		b.Send(fmt.Sprintf("x%d_range", k/2), bus.Bitwise,
			[]air.Expr{b.Const(bytetable.OpRange), c.XB[k].Cur, c.XB[k+1].Cur, b.Const(0)}, f(btBSwap))
	}
	number := logic.MulC(int64(isa.SysU256Bit)).Add(f(btBSwap).MulC(int64(isa.SysU256Unary)))
	sel := f(btOr).Add(f(btXor).MulC(2)).Add(f(btBSwap).MulC(int64(isa.U256BSwap)))
	limbs := func(v [Bytes]air.Column) []air.Expr {
		out := make([]air.Expr, Limbs)
		for i := range out {
			out[i] = v[2*i].Cur.Add(v[2*i+1].Cur.MulC(256))
		}
		return out
	}
	tuple := append([]air.Expr{number, sel}, limbs(c.XB)...)
	tuple = append(tuple, limbs(c.YB)...)
	for range Limbs {
		tuple = append(tuple, b.Const(0))
	}
	tuple = append(tuple, limbs(c.ZB)...)
	b.Receive("u256", bus.U256, tuple, real)
	return b.MustBuild()
}
