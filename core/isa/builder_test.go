package isa_test

import (
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

func TestBuilder(t *testing.T) {
	b := isa.NewBuilder()
	b.SetName("built")
	b.SetFP(0x100)
	b.SetSource(hash.Tagged("src", nil))
	main, loop, done, fn := b.NewLabel("main"), b.NewLabel("loop"), b.NewLabel("done"), b.NewLabel("fn")
	b.Bind(fn)
	b.Ret()
	b.Bind(main)
	b.Move(0, isa.Imm(3))
	b.Bind(loop)
	b.Branch(isa.BEQ, 0, isa.Imm(0), done) // forward reference
	b.ALU(isa.SUB, 0, isa.Slot(0), isa.Imm(1))
	b.Move(4, isa.LabelImm(fn))
	b.CallTo(isa.Slot(4), 16)
	b.Jump(loop)
	b.Bind(done)
	b.Halt(isa.Slot(0))
	b.SetEntry(main)
	b.LabelWord(0x1000, fn)
	b.Words(0x1004, 7)
	b.Data(0x0ffc, []byte{1, 2, 3, 4}) // adjacent: merged
	p, err := b.Program()
	if err != nil {
		t.Fatal(err)
	}
	if p.Entry != 1 || p.Code[2].C != 7 || p.Code[4].B != 0 || p.Code[6].C != 2 || p.Name != "built" || p.Source == nil {
		t.Fatalf("program %+v", p)
	}
	if len(p.Data) != 1 || p.Data[0].Addr != 0xffc || len(p.Data[0].Bytes) != 12 || p.Data[0].Bytes[8] != 7 {
		t.Fatalf("data %+v", p.Data)
	}
	roundTrip(t, p)
}

func TestBuilderErrors(t *testing.T) {
	cases := []struct {
		build func(b *isa.Builder)
		msg   string
	}{
		{func(b *isa.Builder) { b.Jump(b.NewLabel("nowhere")) }, `label "nowhere" used but never bound`},
		{func(b *isa.Builder) { l := b.NewLabel("x"); b.Bind(l); b.Bind(l); b.Ret() }, `label "x" bound twice`},
		{func(b *isa.Builder) { b.Jump(isa.Label{}) }, "zero Label"},
		{func(b *isa.Builder) { b.ALU(isa.LW, 0, isa.Imm(0), isa.Imm(0)) }, "lw is not an ALU opcode"},
		{func(b *isa.Builder) { b.ALU(isa.ADD, 2, isa.Imm(0), isa.Imm(0)) }, "field a (2)"},
		{func(b *isa.Builder) { b.Ret(); b.Words(0, 1); b.Words(2, 1) }, "overlaps"},
		{func(b *isa.Builder) {}, "no instructions"},
		{func(b *isa.Builder) { b.Ret(); b.SetFP(2) }, "fp 0x2"},
	}
	for _, tc := range cases {
		b := isa.NewBuilder()
		tc.build(b)
		if _, err := b.Program(); err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("error %v, want %q", err, tc.msg)
		}
	}
}
