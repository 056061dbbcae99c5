package io

import (
	"context"
	"slices"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/lookup"
)

var input = []byte{0x81, 2, 3, 4, 5, 6, 0xf7, 8, 9, 10}

// program reads the 10-byte input in three READs (the last one partial), asks for the
// remaining length before and after, and writes 1 to 4 bytes at a time. Other
// instructions sit between the calls, so their clks are not consecutive.
func program(t *testing.T) *isa.Program {
	b := isa.NewBuilder()
	b.SetFP(0x1000)
	b.Ecall(isa.SysInputLen, 4, isa.Imm(0))
	b.Ecall(isa.SysRead, 8, isa.Imm(0))
	b.Move(20, isa.Imm(7))
	b.Ecall(isa.SysRead, 12, isa.Imm(0))
	b.Ecall(isa.SysInputLen, 4, isa.Imm(0))
	b.Ecall(isa.SysRead, 16, isa.Slot(20))
	b.Ecall(isa.SysInputLen, 4, isa.Imm(0))
	b.Ecall(isa.SysWrite, 8, isa.Imm(2))
	b.Ecall(isa.SysWrite, 12, isa.Imm(4))
	b.Move(20, isa.Imm(3))
	b.Ecall(isa.SysWrite, 16, isa.Imm(1))
	b.Ecall(isa.SysWrite, 12, isa.Slot(20))
	b.Halt(isa.Imm(0))
	p, err := b.Program()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func run(t *testing.T) ([]bus.SyscallEvent, []byte) {
	var ev []bus.SyscallEvent
	res, err := exec.Run(context.Background(), program(t), exec.Options{Input: input, Sink: func(r *trace.Record) error {
		if r.Inst.Op == isa.ECALL {
			r = r.Clone()
			ev = append(ev, bus.SyscallEvent{Clk: r.Clk, Number: r.Sys.Number, A: r.A, B: r.B, Rec: r})
		}
		return nil
	}})
	if err != nil || res.ExitStatus != isa.StatusHalted {
		t.Fatalf("run: %v %v", err, res.Trap)
	}
	return ev, res.Output
}

// messages are the CPU's Syscall sends, the input table's receives of the words of
// the input tape that READs read (the words of input at the READs' offsets), and the
// verifier's Output receives.
func messages(ev []bus.SyscallEvent, output []byte) []lookup.Message {
	var m []lookup.Message
	one := field.New(1)
	for _, e := range ev {
		m = append(m, lookup.Message{Bus: bus.Syscall.ID, Send: true, Mult: one, Tuple: []field.Elem{
			field.New(e.Clk), field.New(uint64(e.Number)),
			field.New(uint64(e.A & 0xffff)), field.New(uint64(e.A >> 16)),
			field.New(uint64(e.B & 0xffff)), field.New(uint64(e.B >> 16))}})
		if e.Number == isa.SysRead {
			off := e.Rec.Sys.InputOffset
			var w uint32
			for j := range 4 {
				if int(off)+j < len(input) {
					w |= uint32(input[int(off)+j]) << (8 * j)
				}
			}
			m = append(m, lookup.Message{Bus: bus.Input.ID, Mult: one, Tuple: []field.Elem{
				field.New(uint64(off)), field.New(uint64(w & 0xffff)), field.New(uint64(w >> 16))}})
		}
	}
	for i, v := range output {
		m = append(m, lookup.Message{Bus: bus.Output.ID, Mult: one, Tuple: []field.Elem{field.New(uint64(i)), field.New(uint64(v))}})
	}
	return m
}

func tables(ev []bus.SyscallEvent) []chiptest.Table {
	rc := new(rangetable.Counter)
	main, pub := Trace(ev, uint32(len(input)), 0, 0, rc)
	return []chiptest.Table{{AIR: AIR(), Main: main, Publics: pub}, chiptest.RangeTable(rc)}
}

func TestWidth(t *testing.T) {
	if got := len(AIR().Main); got != Width {
		t.Fatalf("AIR has %d main columns, Width is %d", got, Width)
	}
	if d := AIR().MaxConstraintDegree(); d > 3 {
		t.Fatalf("constraint degree %d", d)
	}
}

func TestValid(t *testing.T) {
	ev, out := run(t)
	if len(out) != 10 {
		t.Fatalf("output %x", out)
	}
	chiptest.MustProve(t, tables(ev), messages(ev, out))
}

func TestNoCalls(t *testing.T) {
	chiptest.MustProve(t, tables(nil), nil)
}

func TestTampered(t *testing.T) {
	ev, out := run(t)
	// Events: 0 INPUT_LEN 10, 1 READ 4, 2 READ 4, 3 INPUT_LEN 2, 4 READ 2, 5 INPUT_LEN 0,
	// 6 WRITE 2, 7 WRITE 4, 8 WRITE 1, 9 WRITE 3.
	clone := func() []bus.SyscallEvent {
		c := slices.Clone(ev)
		for i := range c {
			c[i].Rec = c[i].Rec.Clone()
		}
		return c
	}
	{ // The verifier expects another output byte.
		bad := slices.Clone(out)
		bad[5]++
		chiptest.MustReject(t, "wrong output byte", tables(ev), messages(ev, bad))
	}
	{ // The output bytes at other indices.
		bad := slices.Clone(out)
		bad[0], bad[1] = bad[1], bad[0]
		chiptest.MustReject(t, "wrong output index", tables(ev), messages(ev, bad))
	}
	{ // A shorter output than written.
		tb := tables(ev)
		tb[0].Publics[PublicOutputLen] = field.New(9)
		chiptest.MustReject(t, "wrong output length", tb, messages(ev, out[:9]))
	}
	{ // A WRITE whose B is not its count.
		tb := tables(ev)
		tb[0].Main[col.BLo.Index][6] = field.New(3)
		chiptest.MustReject(t, "write count", tb, messages(ev, out))
	}
	{ // The first READ skips 4 bytes of input.
		bad := clone()
		bad[1].Rec.Sys.InputOffset += 4
		chiptest.MustReject(t, "skipped input offset", tables(bad), messages(bad, out))
	}
	{ // INPUT_LEN answers a wrong length.
		bad := clone()
		bad[3].A++
		chiptest.MustReject(t, "wrong input length", tables(bad), messages(bad, out))
	}
	{ // The partial READ claims a full word (past the input's end).
		bad := clone()
		bad[4].Rec.Sys.Input = append(bad[4].Rec.Sys.Input, 0, 0)
		chiptest.MustReject(t, "read past the end", tables(bad), messages(bad, out))
	}
	{ // A READ answers a word that is not the input's (with the CPU's Syscall message
		// agreeing: only the Input bus can tell).
		bad := clone()
		bad[2].A ^= 0x00100000
		chiptest.MustReject(t, "read word not the input's", tables(bad), messages(bad, out))
	}
	{ // The partial READ's padding is not zero.
		bad := clone()
		bad[4].A |= 0x01000000
		chiptest.MustReject(t, "nonzero padding", tables(bad), messages(bad, out))
	}
	{ // Two calls out of clk order.
		bad := clone()
		bad[7], bad[8] = bad[8], bad[7]
		bad[7].Rec.Sys.OutputOffset, bad[8].Rec.Sys.OutputOffset = 2, 3
		var o []byte
		for _, e := range bad {
			o = append(o, e.Rec.Sys.Output...)
		}
		chiptest.MustReject(t, "clk order", tables(bad), messages(bad, o))
	}
}
