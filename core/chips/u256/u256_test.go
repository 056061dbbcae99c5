package u256

import (
	"context"
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/bytetable"
	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/lookup"
)

var two256 = new(big.Int).Lsh(big.NewInt(1), 256)

// le lays v (mod 2^256) out as 32 little-endian bytes.
func le(v *big.Int) []byte {
	v = new(big.Int).Mod(v, two256)
	be := v.FillBytes(make([]byte, 32))
	out := make([]byte, 32)
	for i := range out {
		out[i] = be[31-i]
	}
	return out
}

func edge(r *rand.Rand) *big.Int {
	switch r.IntN(7) {
	case 0:
		return big.NewInt(int64(r.IntN(4)))
	case 1:
		return new(big.Int).Sub(two256, big.NewInt(int64(1+r.IntN(2))))
	case 2:
		return new(big.Int).Lsh(big.NewInt(1), 255)
	case 3:
		return new(big.Int).Lsh(big.NewInt(1), uint(r.IntN(256)))
	}
	b := make([]byte, 1+r.IntN(32))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return new(big.Int).SetBytes(b)
}

type call struct {
	n, sel uint32
	ops    []*big.Int
}

// calls is every syscall of the chip with every selector on a few operands.
func calls(perOp int) []call {
	r := rand.New(rand.NewPCG(3, 4))
	var out []call
	for _, op := range []struct{ n, sels uint32 }{
		{isa.SysU256Add, 1}, {isa.SysU256Sub, 1}, {isa.SysU256Mul, 1}, {isa.SysU256Div, 1}, {isa.SysU256Mod, 1},
		{isa.SysU256AddMod, 1}, {isa.SysU256MulMod, 1}, {isa.SysU256Cmp, 5}, {isa.SysU256Bit, 3}, {isa.SysU256Shift, 3}, {isa.SysU256Unary, 3},
		{isa.SysU256Set, 1}, {isa.SysU256Copy, 1}, {isa.SysU256Swap, 1},
	} {
		for sel := range op.sels {
			for k := range perOp {
				c := call{n: op.n, sel: sel}
				switch op.n {
				case isa.SysU256Set:
					c.sel = r.Uint32()
				case isa.SysU256Copy, isa.SysU256Swap:
					c.sel = 32 * uint32(1+k%2)
				}
				nops := isa.U256Operands(op.n)
				if op.n == isa.SysU256Copy || op.n == isa.SysU256Swap {
					nops = 3
				}
				for range nops {
					c.ops = append(c.ops, edge(r))
				}
				if k == 0 && nops > 1 { // a zero divisor or modulus
					c.ops[nops-1] = new(big.Int)
				}
				if op.n == isa.SysU256Shift && k%3 != 2 { // mostly amounts below 256
					c.ops[0] = big.NewInt(int64(r.IntN(256)))
				}
				out = append(out, c)
			}
		}
	}
	return out
}

// run executes the calls (each on fresh operands at 0x1000 + 0x100·k) and returns the
// chip's calls.
func run(t *testing.T, cs []call) []Call {
	t.Helper()
	b := isa.NewBuilder()
	b.SetFP(0x100)
	for k, c := range cs {
		addr := uint32(0x1000 + 0x100*k)
		var img []byte
		for _, o := range c.ops {
			img = append(img, le(o)...)
		}
		b.Data(addr, img)
		b.Move(0, isa.Imm(addr))
		b.Ecall(c.n, 0, isa.Imm(c.sel))
	}
	b.Halt(isa.Imm(0))
	p, err := b.Program()
	if err != nil {
		t.Fatal(err)
	}
	var ev []bus.SyscallEvent
	sink := func(r *trace.Record) error {
		if r.Inst.Op == isa.ECALL {
			ev = append(ev, bus.SyscallEvent{Clk: r.Clk, Number: r.Sys.Number, A: r.A, B: r.B, Rec: r.Clone()})
		}
		return nil
	}
	res, err := exec.Run(context.Background(), p, exec.Options{Sink: sink})
	if err != nil || res.Trap != nil {
		t.Fatal(err, res.Trap)
	}
	out, err := Calls(ev)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func msg(b air.Bus, send bool, vals ...field.Elem) lookup.Message {
	return lookup.Message{Bus: b.ID, Send: send, Mult: field.New(1), Tuple: vals}
}

func fe(v uint64) field.Elem { return field.New(v) }

// public plays the CPU (the Syscall sends) and the rest of the memory argument.
func public(cs []Call) []lookup.Message {
	var m []lookup.Message
	for _, c := range cs {
		m = append(m, msg(bus.Syscall, true, fe(c.Clk), fe(uint64(c.N)),
			fe(uint64(c.A&0xffff)), fe(uint64(c.A>>16)), fe(uint64(c.B&0xffff)), fe(uint64(c.B>>16))))
		for g := range Groups {
			for _, a := range c.Acc[g] {
				if a == nil {
					continue
				}
				addr := fe(uint64(a.Addr / 4))
				m = append(m,
					msg(bus.Memory, true, addr, fe(uint64(a.Before&0xffff)), fe(uint64(a.Before>>16)), fe(a.PrevTS)),
					msg(bus.Memory, false, addr, fe(uint64(a.After&0xffff)), fe(uint64(a.After>>16)), fe(a.TS)))
			}
		}
	}
	return m
}

func tables(cs []Call) []chiptest.Table {
	rc, bc := new(rangetable.Counter), new(bytetable.Counter)
	tb := []chiptest.Table{{AIR: MemoryAIR(), Main: MemoryTrace(cs, rc)}}
	if m := ArithTrace(cs, rc); m != nil {
		tb = append(tb, chiptest.Table{AIR: ArithAIR(), Main: m})
	}
	if m := BitsTrace(cs, bc); m != nil {
		tb = append(tb, chiptest.Table{AIR: BitsAIR(), Main: m})
	}
	if m := MulDivTrace(cs, rc, bc); m != nil {
		tb = append(tb, chiptest.Table{AIR: MulDivAIR(), Main: m})
	}
	if m := ShiftTrace(cs, rc, bc); m != nil {
		tb = append(tb, chiptest.Table{AIR: ShiftAIR(), Main: m})
	}
	return append(tb, chiptest.LookupTables(rc, bc)...)
}

func TestValid(t *testing.T) {
	per := 6
	if testing.Short() {
		per = 3
	}
	cs := run(t, calls(per))
	if err := chiptest.Check(tables(cs), public(cs)); err != nil {
		t.Fatal(err)
	}
	if testing.Short() {
		return
	}
	chiptest.MustProve(t, tables(cs), public(cs))
}

// tamper changes the result of call k (its last operand's new word w) in the record, as
// a prover claiming a wrong result would; the tables follow the claim.
func tamper(cs []Call, k, g, w int, delta uint32) []Call {
	out := append([]Call(nil), cs...)
	a := *out[k].Acc[g][w]
	a.After += delta
	out[k].Acc[g][w] = &a
	return out
}

func find(cs []Call, n, sel uint32) int {
	for k, c := range cs {
		selected := n == isa.SysU256Cmp || n == isa.SysU256Bit || n == isa.SysU256Shift || n == isa.SysU256Unary || n == isa.SysU256Copy
		if c.N == n && (c.B == sel || !selected) {
			return k
		}
	}
	panic("no such call")
}

func TestTampered(t *testing.T) {
	cs := run(t, calls(2))
	reject := func(what string, bad []Call) {
		t.Helper()
		if err := chiptest.Check(tables(bad), public(bad)); err == nil {
			t.Errorf("%s: accepted", what)
		}
	}
	reject("wrong sum", tamper(cs, find(cs, isa.SysU256Add, 0), 1, 0, 1))
	reject("wrong comparison", tamper(cs, find(cs, isa.SysU256Cmp, isa.U256Lt), 1, 0, 1))
	reject("wrong signed comparison", tamper(cs, find(cs, isa.SysU256Cmp, isa.U256SGt), 1, 0, 1))
	reject("wrong xor", tamper(cs, find(cs, isa.SysU256Bit, isa.U256Xor), 1, 3, 1<<8))
	reject("wrong bswap", tamper(cs, find(cs, isa.SysU256Unary, isa.U256BSwap), 0, 7, 1))
	reject("wrong product", tamper(cs, find(cs, isa.SysU256Mul, 0), 1, 7, 1<<31))
	reject("wrong quotient", tamper(cs, find(cs, isa.SysU256Div, 0)+1, 1, 0, 1))
	reject("wrong addmod", tamper(cs, find(cs, isa.SysU256AddMod, 0)+1, 2, 0, 1))
	reject("wrong set", tamper(cs, find(cs, isa.SysU256Set, 0), 0, 1, 1))
	reject("wrong shl", tamper(cs, find(cs, isa.SysU256Shift, isa.U256Shl), 1, 7, 1<<30))
	reject("wrong shr", tamper(cs, find(cs, isa.SysU256Shift, isa.U256Shr), 1, 0, 1))
	reject("wrong sar", tamper(cs, find(cs, isa.SysU256Shift, isa.U256Sar), 1, 7, 1))
	reject("wrong copy", tamper(cs, find(cs, isa.SysU256Copy, 32), 1, 2, 1))
	// A remainder not below the modulus: q−1 and r+y, a true relation.
	{
		k := find(cs, isa.SysU256Mod, 0) + 1
		c := cs[k]
		x, y, _, _ := c.operands()
		if bigOf(y).Sign() != 0 && bigOf(x).Cmp(bigOf(y)) >= 0 {
			tb := tables(cs)
			_ = tb // covered by the R < M constraint; the honest trace cannot express it
		}
	}
	// A write to a word the call did not own (the address of the second operand).
	{
		bad := append([]Call(nil), cs...)
		k := find(cs, isa.SysU256Sub, 0)
		a := *bad[k].Acc[1][0]
		a.Addr += 4
		bad[k].Acc[1][0] = &a
		reject("wrong address", bad)
	}
	_ = field.Elem{}
}

// The AIRs are part of every verifying key: prover and verifier processes must build
// the same ones.
func TestDeterministic(t *testing.T) {
	for _, build := range []func() *air.AIR{MemoryAIR, ArithAIR, BitsAIR, MulDivAIR, ShiftAIR} {
		a := fmt.Sprintf("%+v", *build())
		for range 3 {
			if b := fmt.Sprintf("%+v", *build()); a != b {
				t.Fatalf("%s: two builds differ", build().Name)
			}
		}
	}
}

func TestShape(t *testing.T) {
	for _, c := range []struct {
		a   *air.AIR
		max int
	}{{MemoryAIR(), 3}, {ArithAIR(), 3}, {BitsAIR(), 3}, {MulDivAIR(), 3}, {ShiftAIR(), 3}} {
		if d := c.a.MaxConstraintDegree(); d > c.max {
			t.Errorf("%s: degree %d", c.a.Name, d)
		}
		t.Logf("%s: %d main columns, %d constraints, %d interactions", c.a.Name, len(c.a.Main), len(c.a.Constraints), len(c.a.Interactions))
	}
}

// TestWidths: the widths taken from the column allocation are the built AIRs' (no
// constraint allocates a main column of its own).
func TestWidths(t *testing.T) {
	for _, c := range []struct {
		name  string
		width int
		air   func() *air.AIR
	}{{"memory", memWidth, MemoryAIR}, {"arith", arithWidth, ArithAIR}, {"bits", bitsWidth, BitsAIR}, {"muldiv", mulDivWidth, MulDivAIR}, {"shift", shiftWidth, ShiftAIR}} {
		if got := len(c.air().Main); got != c.width || got == 0 {
			t.Errorf("%s: width %d, the AIR has %d main columns", c.name, c.width, got)
		}
	}
}
