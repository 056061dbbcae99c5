package u256

import "github.com/oneiros-zk/oneiros/core/isa"

// The syscalls of the memory table, in flag order.
const (
	opAdd = iota
	opSub
	opMul
	opDiv
	opMod
	opAddMod
	opMulMod
	opCmp
	opBit
	opShift
	opUnary
	opSet
	opCopy
	opSwap
	numOps
)

var opNumbers = [numOps]uint32{isa.SysU256Add, isa.SysU256Sub, isa.SysU256Mul, isa.SysU256Div, isa.SysU256Mod,
	isa.SysU256AddMod, isa.SysU256MulMod, isa.SysU256Cmp, isa.SysU256Bit, isa.SysU256Shift, isa.SysU256Unary,
	isa.SysU256Set, isa.SysU256Copy, isa.SysU256Swap}

var opNames = [numOps]string{"add", "sub", "mul", "div", "mod", "addmod", "mulmod", "cmp", "bit", "shift", "unary", "set", "copy", "swap"}

// Classes of the memory table's access patterns.
var (
	binaryOps  = []int{opAdd, opSub, opMul, opDiv, opMod, opCmp, opBit, opShift}
	ternaryOps = []int{opAddMod, opMulMod}
)

// Handles reports whether the chip serves syscall n.
func Handles(n uint32) bool { return opIndex(n) >= 0 }

func opIndex(n uint32) int {
	for k, m := range opNumbers {
		if m == n {
			return k
		}
	}
	return -1
}

// The add/sub/compare table's operations, as (syscall, selector).
const (
	arAdd = iota
	arSub
	arLt
	arGt
	arSLt
	arSGt
	arEq
	arIsZero
	arNot
	numArith
)

var arithNames = [numArith]string{"add", "sub", "lt", "gt", "slt", "sgt", "eq", "iszero", "not"}

// The bitwise table's operations.
const (
	btAnd = iota
	btOr
	btXor
	btBSwap
	numBits
)

var bitsNames = [numBits]string{"and", "or", "xor", "bswap"}

// The multiply/divide table's operations.
const (
	mdMul = iota
	mdDiv
	mdMod
	mdAddMod
	mdMulMod
	numMulDiv
)

var mulDivNames = [numMulDiv]string{"mul", "div", "mod", "addmod", "mulmod"}

var mulDivNumbers = [numMulDiv]uint32{isa.SysU256Mul, isa.SysU256Div, isa.SysU256Mod, isa.SysU256AddMod, isa.SysU256MulMod}

// arithOf and bitsOf classify a U256-bus tuple's (number, selector); -1 when another
// table serves it.
func arithOf(n, sel uint32) int {
	switch n {
	case isa.SysU256Add:
		return arAdd
	case isa.SysU256Sub:
		return arSub
	case isa.SysU256Cmp:
		return []int{arLt, arGt, arSLt, arSGt, arEq}[sel]
	case isa.SysU256Unary:
		switch sel {
		case isa.U256IsZero:
			return arIsZero
		case isa.U256Not:
			return arNot
		}
	}
	return -1
}

func bitsOf(n, sel uint32) int {
	switch {
	case n == isa.SysU256Bit:
		return int(sel)
	case n == isa.SysU256Unary && sel == isa.U256BSwap:
		return btBSwap
	}
	return -1
}

func mulDivOf(n uint32) int {
	for k, m := range mulDivNumbers {
		if m == n {
			return k
		}
	}
	return -1
}

// The shift table's operations (the selectors of SysU256Shift).
const (
	shShl = iota
	shShr
	shSar
	numShift
)

var shiftNames = [numShift]string{"shl", "shr", "sar"}
