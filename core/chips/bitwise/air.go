package bitwise

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/air"
)

// AIR builds the chip's constraints.
func AIR() *air.AIR {
	b := air.NewBuilder("bitwise")
	c := newColumns(b)
	and, or, xor := c.IsAND.Cur, c.IsOR.Cur, c.IsXOR.Cur
	b.AssertBool("is_and_bool", and)
	b.AssertBool("is_or_bool", or)
	b.AssertBool("is_xor_bool", xor)
	real := b.Sum(and, or, xor)
	b.AssertBool("one_op", real)

	op := b.Sum(and.MulC(int64(isa.AND)), or.MulC(int64(isa.OR)), xor.MulC(int64(isa.XOR)))
	xLo, xHi := limbs(c.X)
	yLo, yHi := limbs(c.Y)
	zLo, zHi := limbs(c.Z)
	b.Receive("alu", bus.ALU, []air.Expr{op, xLo, xHi, yLo, yHi, zLo, zHi}, real)
	for i := range 4 {
		b.Send(fmt.Sprintf("byte%d", i), bus.Bitwise, []air.Expr{op, c.X[i].Cur, c.Y[i].Cur, c.Z[i].Cur}, real)
	}
	return b.MustBuild()
}
