package exec_test

import (
	"encoding/binary"
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
)

var (
	b256 = new(big.Int).Lsh(big.NewInt(1), 256)
	b255 = new(big.Int).Lsh(big.NewInt(1), 255)
)

// u256Words lays v (mod 2^256) out as 32 little-endian bytes.
func u256Bytes(v *big.Int) []byte {
	v = new(big.Int).Mod(v, b256)
	be := v.FillBytes(make([]byte, 32))
	le := make([]byte, 32)
	for i := range le {
		le[i] = be[31-i]
	}
	return le
}

func bigOf(le []byte) *big.Int {
	be := make([]byte, 32)
	for i := range be {
		be[i] = le[31-i]
	}
	return new(big.Int).SetBytes(be)
}

func signed(v *big.Int) *big.Int {
	if v.Cmp(b255) >= 0 {
		return new(big.Int).Sub(v, b256)
	}
	return v
}

func b2i(b bool) *big.Int {
	if b {
		return big.NewInt(1)
	}
	return big.NewInt(0)
}

// reference computes what syscall n with selector sel leaves in the last operand.
func reference(n, sel uint32, ops []*big.Int) *big.Int {
	x, y := ops[0], big.NewInt(0)
	if len(ops) > 1 {
		y = ops[1]
	}
	z := new(big.Int)
	switch n {
	case isa.SysU256Add:
		return z.Add(x, y)
	case isa.SysU256Sub:
		return z.Sub(x, y)
	case isa.SysU256Mul:
		return z.Mul(x, y)
	case isa.SysU256Div, isa.SysU256Mod:
		if y.Sign() == 0 {
			return z
		}
		if n == isa.SysU256Div {
			return z.Div(x, y)
		}
		return z.Mod(x, y)
	case isa.SysU256AddMod, isa.SysU256MulMod:
		if ops[2].Sign() == 0 {
			return z
		}
		if n == isa.SysU256AddMod {
			z.Add(x, y)
		} else {
			z.Mul(x, y)
		}
		return z.Mod(z, ops[2])
	case isa.SysU256Cmp:
		return b2i([]bool{x.Cmp(y) < 0, x.Cmp(y) > 0, signed(x).Cmp(signed(y)) < 0, signed(x).Cmp(signed(y)) > 0, x.Cmp(y) == 0}[sel])
	case isa.SysU256Bit:
		return [](func(a, b *big.Int) *big.Int){z.And, z.Or, z.Xor}[sel](x, y)
	case isa.SysU256Shift:
		if x.Cmp(big.NewInt(256)) >= 0 {
			if sel == isa.U256Sar && y.Cmp(b255) >= 0 {
				return big.NewInt(-1)
			}
			return z
		}
		s := uint(x.Uint64())
		switch sel {
		case isa.U256Shl:
			return z.Lsh(y, s)
		case isa.U256Shr:
			return z.Rsh(y, s)
		default:
			return z.Rsh(signed(y), s)
		}
	case isa.SysU256Unary:
		switch sel {
		case isa.U256IsZero:
			return b2i(x.Sign() == 0)
		case isa.U256Not:
			return z.Not(x)
		default:
			le := u256Bytes(x)
			for i := range 16 {
				le[i], le[31-i] = le[31-i], le[i]
			}
			return bigOf(le)
		}
	case isa.SysU256Set:
		return big.NewInt(int64(sel))
	}
	panic("no reference")
}

func interesting(r *rand.Rand) *big.Int {
	switch r.IntN(8) {
	case 0:
		return big.NewInt(int64(r.IntN(5)))
	case 1:
		return new(big.Int).Sub(b256, big.NewInt(int64(1+r.IntN(3))))
	case 2:
		return new(big.Int).Set(b255)
	case 3:
		return big.NewInt(int64(r.IntN(300)))
	case 4:
		return new(big.Int).Lsh(big.NewInt(1), uint(r.IntN(256)))
	}
	b := make([]byte, 1+r.IntN(32))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return new(big.Int).SetBytes(b)
}

// runU256 runs syscall n with selector sel on ops laid out at addr and returns the 32
// bytes of the last operand and the syscall's record.
func runU256(t *testing.T, n, sel uint32, addr uint32, ops []*big.Int) ([]byte, *trace.Record) {
	t.Helper()
	b := isa.NewBuilder()
	b.SetFP(0x100)
	var img []byte
	for _, o := range ops {
		img = append(img, u256Bytes(o)...)
	}
	b.Data(addr, img)
	b.Move(0, isa.Imm(addr))
	b.Ecall(n, 0, isa.Imm(sel))
	last := addr + uint32(32*(len(ops)-1))
	for i := range 8 {
		b.Load(isa.LW, 4, isa.Imm(last), int32(4*i))
		b.Ecall(isa.SysWrite, 4, isa.Imm(4))
	}
	b.Halt(isa.Imm(0))
	p, err := b.Program()
	if err != nil {
		t.Fatal(err)
	}
	res, recs := run(t, p, exec.Options{})
	wantHalt(t, res, 0)
	return res.Output, recs[1]
}

func TestU256Syscalls(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	type op struct {
		n    uint32
		sels uint32
	}
	ops := []op{
		{isa.SysU256Add, 1}, {isa.SysU256Sub, 1}, {isa.SysU256Mul, 1}, {isa.SysU256Div, 1}, {isa.SysU256Mod, 1},
		{isa.SysU256AddMod, 1}, {isa.SysU256MulMod, 1}, {isa.SysU256Cmp, 5}, {isa.SysU256Bit, 3}, {isa.SysU256Shift, 3}, {isa.SysU256Unary, 3},
	}
	for _, o := range ops {
		for sel := range o.sels {
			t.Run(fmt.Sprintf("%s/%d", isa.SyscallName(o.n), sel), func(t *testing.T) {
				k := isa.U256Operands(o.n)
				for range 40 {
					args := make([]*big.Int, k)
					for i := range args {
						args[i] = interesting(r)
					}
					got, rec := runU256(t, o.n, sel, 0x2000, args)
					want := u256Bytes(reference(o.n, sel, args))
					if string(got) != string(want) {
						t.Fatalf("%x: got %x, want %x", args, bigOf(got), bigOf(want))
					}
					if len(rec.Accesses) != 1+8*k {
						t.Fatalf("%d accesses", len(rec.Accesses))
					}
					for i, a := range rec.Accesses[1:] {
						wantKind := trace.Read
						if i >= 8*(k-1) {
							wantKind = trace.Write
						}
						if a.Slot() != trace.SlotData+i || a.Kind != wantKind || a.Addr != 0x2000+4*uint32(i) {
							t.Fatalf("access %d: %+v", i, a)
						}
					}
				}
			})
		}
	}
}

func TestU256Moves(t *testing.T) {
	x, y := big.NewInt(0x1122334455), new(big.Int).Sub(b256, big.NewInt(3))
	// SET writes B zero-extended over x.
	if got, _ := runU256(t, isa.SysU256Set, 0xdeadbeef, 0x2000, []*big.Int{x}); bigOf(got).Uint64() != 0xdeadbeef {
		t.Fatalf("set: %x", got)
	}
	// COPY x ← the value 64 bytes on; SWAP exchanges x and the value 32 bytes on.
	prog := func(n, off uint32) *isa.Program {
		b := isa.NewBuilder()
		b.SetFP(0x100)
		b.Data(0x2000, append(append(u256Bytes(x), u256Bytes(y)...), u256Bytes(big.NewInt(9))...))
		b.Move(0, isa.Imm(0x2000))
		b.Ecall(n, 0, isa.Imm(off))
		for i := range 24 {
			b.Load(isa.LW, 4, isa.Imm(0x2000), int32(4*i))
			b.Ecall(isa.SysWrite, 4, isa.Imm(4))
		}
		b.Halt(isa.Imm(0))
		p, err := b.Program()
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	res, _ := run(t, prog(isa.SysU256Copy, 64), exec.Options{})
	if bigOf(res.Output[:32]).Int64() != 9 || bigOf(res.Output[32:64]).Cmp(y) != 0 {
		t.Fatalf("copy: %x", res.Output)
	}
	res, recs := run(t, prog(isa.SysU256Swap, 32), exec.Options{})
	if bigOf(res.Output[:32]).Cmp(y) != 0 || bigOf(res.Output[32:64]).Cmp(x) != 0 || len(recs[1].Accesses) != 17 {
		t.Fatalf("swap: %x", res.Output)
	}
	// BSWAP turns EVM's big-endian bytes into limbs.
	be := make([]byte, 32)
	for i := range be {
		be[i] = byte(i + 1)
	}
	got, _ := runU256(t, isa.SysU256Unary, isa.U256BSwap, 0x2000, []*big.Int{bigOf(be)})
	if binary.LittleEndian.Uint32(got) != 0x1d1e1f20 {
		t.Fatalf("bswap: %x", got)
	}
	// Bad arguments trap before touching memory.
	for _, c := range []struct {
		n, sel, addr uint32
		want         isa.ExitStatus
	}{
		{isa.SysU256Cmp, 5, 0x2000, isa.StatusBadArgument},
		{isa.SysU256Unary, 3, 0x2000, isa.StatusBadArgument},
		{isa.SysU256Copy, 16, 0x2000, isa.StatusBadArgument},
		{isa.SysU256Copy, 1 << 16, 0x2000, isa.StatusBadArgument},
		{0x25, 0, 0x2000, isa.StatusUnknownSyscall},
		{isa.SysU256Shift, 3, 0x2000, isa.StatusBadArgument},
		{isa.SysU256Swap, 0, 0x2000, isa.StatusBadArgument},
		{isa.SysU256Add, 0, 0x2002, isa.StatusMisaligned},
		{isa.SysU256Add, 0, 0xffffffe0, isa.StatusBadArgument},
	} {
		b := isa.NewBuilder()
		b.SetFP(0x100)
		b.Move(0, isa.Imm(c.addr))
		b.Ecall(c.n, 0, isa.Imm(c.sel))
		b.Halt(isa.Imm(0))
		p, _ := b.Program()
		res, _ := run(t, p, exec.Options{})
		if res.ExitStatus != c.want {
			t.Errorf("syscall 0x%x sel %d at 0x%x: %v, want %v", c.n, c.sel, c.addr, res.ExitStatus, c.want)
		}
	}
}
