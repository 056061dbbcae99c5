package exec

import (
	"math/big"
	"math/bits"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
)

// U256 is a 256-bit integer as four 64-bit limbs, least significant first.
type U256 [4]uint64

// u256Words is the number of 32-bit words of a 256-bit operand in memory.
const u256Words = 8

// words splits v into 8 little-endian 32-bit words, least significant first.
func (v U256) words() (w [u256Words]uint32) {
	for i := range v {
		w[2*i], w[2*i+1] = uint32(v[i]), uint32(v[i]>>32)
	}
	return w
}

func fromWords(w *[u256Words]uint32) (v U256) {
	for i := range v {
		v[i] = uint64(w[2*i]) | uint64(w[2*i+1])<<32
	}
	return v
}

func (v *U256) big() *big.Int {
	var b [32]byte
	for i := range v {
		for j := range 8 {
			b[31-8*i-j] = byte(v[i] >> (8 * j))
		}
	}
	return new(big.Int).SetBytes(b[:])
}

var two256 = new(big.Int).Lsh(big.NewInt(1), 256)

func fromBig(b *big.Int) (v U256) {
	if b.Sign() < 0 {
		b = new(big.Int).Add(b, two256)
	}
	var buf [32]byte
	b.FillBytes(buf[:])
	for i := range v {
		for j := range 8 {
			v[i] |= uint64(buf[31-8*i-j]) << (8 * j)
		}
	}
	return v
}

func (v *U256) isZero() bool { return v[0]|v[1]|v[2]|v[3] == 0 }
func (v *U256) neg() bool    { return v[3]>>63 != 0 }

func u256Add(x, y U256) (z U256) {
	var c uint64
	for i := range z {
		z[i], c = bits.Add64(x[i], y[i], c)
	}
	return z
}

func u256Sub(x, y U256) (z U256, borrow uint64) {
	for i := range z {
		z[i], borrow = bits.Sub64(x[i], y[i], borrow)
	}
	return z, borrow
}

func u256Lt(x, y U256) bool {
	_, b := u256Sub(x, y)
	return b != 0
}

func u256Neg(x U256) U256 {
	z, _ := u256Sub(U256{}, x)
	return z
}

func boolU256(b bool) U256 {
	if b {
		return U256{1}
	}
	return U256{}
}

// U256Binary computes the result of a two-operand 256-bit syscall (number n, selector
// sel) on x and y, and whether sel is valid for n.
func U256Binary(n, sel uint32, x, y U256) (U256, bool) {
	switch n {
	case isa.SysU256Add:
		return u256Add(x, y), true
	case isa.SysU256Sub:
		z, _ := u256Sub(x, y)
		return z, true
	case isa.SysU256Mul:
		var z U256
		for i := range 4 {
			var carry uint64
			for j := 0; i+j < 4; j++ {
				hi, lo := bits.Mul64(x[i], y[j])
				var c uint64
				z[i+j], c = bits.Add64(z[i+j], lo, 0)
				hi += c
				z[i+j], c = bits.Add64(z[i+j], carry, 0)
				carry = hi + c
			}
		}
		return z, true
	case isa.SysU256Div, isa.SysU256Mod:
		if y.isZero() {
			return U256{}, true
		}
		q, r := new(big.Int).QuoRem(x.big(), y.big(), new(big.Int))
		if n == isa.SysU256Div {
			return fromBig(q), true
		}
		return fromBig(r), true
	case isa.SysU256Cmp:
		switch sel {
		case isa.U256Lt:
			return boolU256(u256Lt(x, y)), true
		case isa.U256Gt:
			return boolU256(u256Lt(y, x)), true
		case isa.U256SLt, isa.U256SGt:
			x[3] ^= 1 << 63
			y[3] ^= 1 << 63
			if sel == isa.U256SGt {
				x, y = y, x
			}
			return boolU256(u256Lt(x, y)), true
		case isa.U256Eq:
			return boolU256(x == y), true
		}
	case isa.SysU256Shift:
		fill := U256{}
		if sel == isa.U256Sar && y.neg() {
			fill = U256{^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)}
		}
		if x[1]|x[2]|x[3] != 0 || x[0] >= 256 {
			return fill, true
		}
		s := uint(x[0])
		b := y.big()
		switch sel {
		case isa.U256Shl:
			b.Lsh(b, s)
		case isa.U256Shr:
			b.Rsh(b, s)
		case isa.U256Sar:
			if y.neg() {
				b.Sub(b, two256)
			}
			b.Rsh(b, s) // floor division: an arithmetic shift
		default:
			return U256{}, false
		}
		return fromBig(b.Mod(b, two256)), true
	case isa.SysU256Bit:
		var z U256
		for i := range z {
			switch sel {
			case isa.U256And:
				z[i] = x[i] & y[i]
			case isa.U256Or:
				z[i] = x[i] | y[i]
			case isa.U256Xor:
				z[i] = x[i] ^ y[i]
			default:
				return z, false
			}
		}
		return z, true
	}
	return U256{}, false
}

// U256Ternary computes ADDMOD and MULMOD.
func U256Ternary(n uint32, x, y, m U256) U256 {
	if m.isZero() {
		return U256{}
	}
	b := x.big()
	if n == isa.SysU256AddMod {
		b.Add(b, y.big())
	} else {
		b.Mul(b, y.big())
	}
	return fromBig(b.Mod(b, m.big()))
}

// U256Unary computes ISZERO, NOT and BSWAP, and whether sel is valid.
func U256Unary(sel uint32, x U256) (U256, bool) {
	switch sel {
	case isa.U256IsZero:
		return boolU256(x.isZero()), true
	case isa.U256Not:
		return U256{^x[0], ^x[1], ^x[2], ^x[3]}, true
	case isa.U256BSwap:
		return U256{bits.ReverseBytes64(x[3]), bits.ReverseBytes64(x[2]), bits.ReverseBytes64(x[1]), bits.ReverseBytes64(x[0])}, true
	}
	return U256{}, false
}

// u256Selectors is the largest selector B of the syscalls that take one.
var u256Selectors = map[uint32]uint32{
	isa.SysU256Cmp: isa.U256Eq, isa.SysU256Bit: isa.U256Xor, isa.SysU256Shift: isa.U256Sar, isa.SysU256Unary: isa.U256BSwap,
}

// u256 runs a 256-bit syscall with operand pointer p and argument b (docs/isa.md §6).
// Operands are read in order (x, then y, then n) and the result is written over the
// last one, each word an access of its own from slot 3 on.
func (m *machine) u256(n, p, b uint32) {
	k := isa.U256Operands(n)
	if p%4 != 0 {
		m.fault(isa.StatusMisaligned, "syscall 0x%x: operand pointer 0x%x is not word aligned", n, p)
		return
	}
	span := uint64(32 * k)
	q := p // the second region of copy and swap
	if n == isa.SysU256Copy || n == isa.SysU256Swap {
		if b%32 != 0 || b == 0 || b >= 1<<16 {
			m.fault(isa.StatusBadArgument, "syscall 0x%x: offset %d must be a multiple of 32 in 32 … 2^16 − 32", n, b)
			return
		}
		q = p + b
		span = uint64(b) + 32
	}
	if uint64(p)+span > 1<<32 {
		m.fault(isa.StatusBadArgument, "syscall 0x%x: operands at 0x%x run past the end of memory", n, p)
		return
	}
	slot := trace.SlotData
	load := func(addr uint32) (w [u256Words]uint32) {
		for i := range w {
			w[i] = m.read(addr+4*uint32(i), slot)
			slot++
		}
		return w
	}
	store := func(addr uint32, w [u256Words]uint32) {
		for i := range w {
			m.write(addr+4*uint32(i), w[i], slot)
			slot++
		}
	}
	// peek reads an operand that the syscall then overwrites: its words are accessed
	// once, as writes that carry the old value.
	peek := func(addr uint32) (w [u256Words]uint32) {
		for i := range w {
			if pg := m.page(addr + 4*uint32(i)); pg != nil {
				w[i] = pg.w[((addr+4*uint32(i))>>2)&(pageWords-1)]
			}
		}
		return w
	}
	if max, ok := u256Selectors[n]; ok && b > max {
		m.fault(isa.StatusBadArgument, "syscall 0x%x: selector %d is not one of 0 … %d", n, b, max)
		return
	}
	switch n {
	case isa.SysU256Set:
		store(p, U256{uint64(b)}.words())
	case isa.SysU256Unary:
		xw := peek(p)
		if m.faulted {
			return
		}
		z, _ := U256Unary(b, fromWords(&xw))
		store(p, z.words())
	case isa.SysU256Copy:
		w := load(q)
		if !m.faulted {
			store(p, w)
		}
	case isa.SysU256Swap:
		xw, yw := peek(p), peek(q)
		if !m.faulted {
			store(p, yw)
			store(q, xw)
		}
	case isa.SysU256AddMod, isa.SysU256MulMod:
		xw := load(p)
		yw := load(p + 32)
		mw := peek(p + 64)
		if !m.faulted {
			z := U256Ternary(n, fromWords(&xw), fromWords(&yw), fromWords(&mw))
			store(p+64, z.words())
		}
	default:
		xw := load(p)
		yw := peek(p + 32)
		if m.faulted {
			return
		}
		z, _ := U256Binary(n, b, fromWords(&xw), fromWords(&yw))
		store(p+32, z.words())
	}
}
