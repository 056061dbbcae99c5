package isa_test

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

func TestOpcodes(t *testing.T) {
	names := map[string]bool{}
	for _, op := range isa.Opcodes() {
		if names[op.String()] {
			t.Errorf("duplicate name %s", op)
		}
		names[op.String()] = true
		if got, ok := isa.OpcodeByName(strings.ToUpper(op.String())); !ok || got != op {
			t.Errorf("OpcodeByName(%s) = %v, %v", op, got, ok)
		}
	}
	if len(names) != 20+5+3+11+1 {
		t.Errorf("%d opcodes", len(names))
	}
	if isa.Opcode(0).Valid() || isa.Opcode(0xff).Valid() {
		t.Error("opcode 0 or 0xff is valid")
	}
}

func TestInstructionEncoding(t *testing.T) {
	in := isa.Instruction{Op: isa.ADD, Flags: isa.ImmC, A: 8, B: 0xfffffffc, C: 0xdeadbeef}
	enc := in.Encode(nil)
	want := []byte{0x01, 0x02, 0, 0, 8, 0, 0, 0, 0xfc, 0xff, 0xff, 0xff, 0xef, 0xbe, 0xad, 0xde}
	if !bytes.Equal(enc, want) {
		t.Fatalf("encoding %x, want %x", enc, want)
	}
	got, err := isa.DecodeInstruction(enc)
	if err != nil || got != in {
		t.Fatalf("decode: %v %v", got, err)
	}
}

func TestInstructionValidation(t *testing.T) {
	I := func(op isa.Opcode, fl isa.Flags, a, b, c uint32) isa.Instruction {
		return isa.Instruction{Op: op, Flags: fl, A: a, B: b, C: c}
	}
	ok := []isa.Instruction{
		I(isa.ADD, 0, 0, 4, 8), I(isa.ADD, 3, 0, 5, 7), I(isa.SUB, 1, 0xfffffffc, 1, 4),
		I(isa.LW, 2, 4, 8, 3), I(isa.LW, 3, 4, 0x1001, 3), I(isa.SB, 2, 4, 8, 0xffffffff),
		I(isa.JMP, 2, 0, 0, 17), I(isa.JMP, 0, 0, 0, 8),
		I(isa.BEQ, 2, 4, 8, 3), I(isa.BLTU, 3, 4, 7, 3),
		I(isa.CALL, 2, 16, 0, 5), I(isa.CALL, 0, 0xfffffff0, 0, 8),
		I(isa.RET, 0, 0, 0, 0), I(isa.HALT, 1, 0, 7, 0), I(isa.HALT, 0, 0, 4, 0), I(isa.TRAP, 1, 0, 3, 0),
		I(isa.ECALL, 2, 4, 0, isa.SysRead), I(isa.ECALL, 3, 4, 5, 0x100),
	}
	for _, in := range ok {
		if err := in.Validate(); err != nil {
			t.Errorf("%v: %v", in, err)
		}
	}
	bad := []struct {
		in  isa.Instruction
		msg string
	}{
		{I(0, 0, 0, 0, 0), "unknown opcode 0x00"},
		{I(0x15, 0, 0, 0, 0), "unknown opcode"},
		{I(isa.ADD, 4, 0, 0, 0), "reserved flag bits"},
		{I(isa.ADD, 0, 2, 4, 4), "field a (2) is not a multiple of 4"},
		{I(isa.ADD, 0, 0, 5, 4), "slot offset b (5)"},
		{I(isa.ADD, 1, 0, 5, 6), "slot offset c (6)"},
		{I(isa.LW, 0, 0, 0, 0), "c must be an immediate"},
		{I(isa.SW, 1, 0, 0, 0), "c must be an immediate"},
		{I(isa.JMP, 3, 0, 0, 0), "b is unused"},
		{I(isa.JMP, 2, 4, 0, 0), "unused field a"},
		{I(isa.JMP, 2, 0, 4, 0), "unused field b"},
		{I(isa.BEQ, 1, 0, 0, 0), "c must be an immediate"},
		{I(isa.CALL, 2, 6, 0, 0), "field a (6)"},
		{I(isa.CALL, 2, 8, 4, 0), "unused field b"},
		{I(isa.RET, 2, 0, 0, 0), "no immediate operands"},
		{I(isa.RET, 0, 0, 0, 4), "unused field c"},
		{I(isa.HALT, 2, 0, 0, 0), "c is unused"},
		{I(isa.TRAP, 1, 4, 0, 0), "unused field a"},
		{I(isa.ECALL, 0, 0, 0, 0), "c must be an immediate"},
		{I(isa.ECALL, 2, 0, 3, 1), "slot offset b (3)"},
	}
	for _, tc := range bad {
		err := tc.in.Validate()
		if err == nil || !errors.Is(err, isa.ErrInstruction) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%+v: error %v, want %q", tc.in, err, tc.msg)
		}
		if _, err := isa.DecodeInstruction(tc.in.Encode(nil)); err == nil {
			t.Errorf("%+v decodes", tc.in)
		}
	}
	enc := I(isa.RET, 0, 0, 0, 0).Encode(nil)
	enc[3] = 1
	if _, err := isa.DecodeInstruction(enc); err == nil || !strings.Contains(err.Error(), "reserved bytes") {
		t.Errorf("reserved bytes: %v", err)
	}
	if _, err := isa.DecodeInstruction(enc[:15]); err == nil {
		t.Error("15 bytes decode")
	}
}

func sample(t testing.TB) *isa.Program {
	t.Helper()
	p, err := isa.Assemble("sample.s", []byte(`
		.name "sample"
		.fp 0x1000
		.entry main
		f:    add [8], [8], 1
		      ret
		main: mov [16], 41
		      call f, 8
		      halt [16]
		.data 0x200
		      .word 1, 2, 3
		.data 0x20c
		      .byte 4
		.data 0x4000
		      .ascii "hi"`))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestProgramCodec(t *testing.T) {
	p := sample(t)
	if len(p.Data) != 2 || len(p.Data[0].Bytes) != 13 || p.Entry != 2 || p.FP != 0x1000 || p.Name != "sample" {
		t.Fatalf("program %+v", p)
	}
	d := hash.Tagged("source", []byte("x"))
	p.Source = &d
	enc := p.Encode()
	q, err := isa.Decode(enc)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(q.Encode(), enc) || *q.Source != d || q.Name != p.Name {
		t.Fatal("round trip changed the program")
	}
	// The ID ignores metadata and covers everything else.
	id := p.ID()
	q.Name, q.Source = "renamed", nil
	if q.ID() != id {
		t.Error("metadata changes the ID")
	}
	q.Name = ""
	if id != hash.Tagged(isa.ProgramIDTag, q.Encode()) {
		t.Error("ID is not the tagged hash of the encoding without metadata")
	}
	for _, mut := range []func(*isa.Program){
		func(p *isa.Program) { p.Entry = 0 },
		func(p *isa.Program) { p.FP += 4 },
		func(p *isa.Program) { p.Code[0].C = 2 },
		func(p *isa.Program) { p.Data[1].Bytes[0] ^= 1 },
		func(p *isa.Program) { p.Data[1].Addr += 4 },
	} {
		r := p.Clone()
		mut(r)
		if r.ID() == id {
			t.Error("a change of content keeps the ID")
		}
	}
}

func TestProgramDecodeErrors(t *testing.T) {
	good := sample(t).Encode()
	patch := func(off int, b ...byte) []byte {
		c := bytes.Clone(good)
		copy(c[off:], b)
		return c
	}
	codeLen := 16 * 5
	dataOff := 16 + 5 + codeLen // data section header
	cases := []struct {
		name string
		b    []byte
		msg  string
	}{
		{"empty", nil, "offset 0: 0 bytes"},
		{"magic", patch(0, 'X'), "magic"},
		{"version", patch(4, 2), "format version 2"},
		{"reserved header", patch(6, 1), "offset 6: reserved"},
		{"entry", patch(8, 9), "offset 8: entry 9 outside"},
		{"fp", patch(12, 2), "offset 12: initial fp"},
		{"truncated", good[:len(good)-1], "claims"},
		{"trailing section header", append(bytes.Clone(good), 9), "offset " + strconv.Itoa(len(good)) + ": truncated section header"},
		{"bad instruction", patch(16+5+16, 0), "offset 37: instruction 1"},
		{"section order", patch(dataOff, 1), "sections must appear once"},
		{"unknown section", append(bytes.Clone(good), 9, 0, 0, 0, 0), "unknown section id 9"},
		{"overlapping data", patch(dataOff+5+4+8+13, 0x0c, 0x02), "must start after segment 0 ends"},
		{"empty segment", patch(dataOff+5+4+4, 0, 0, 0, 0), "segment 0 at 0x200 is empty"},
		{"no code", good[:16], "no code section"},
		{"code length", patch(17, 15), "not a positive multiple of 16"},
	}
	for _, tc := range cases {
		_, err := isa.Decode(tc.b)
		if err == nil || !errors.Is(err, isa.ErrProgram) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.msg)
		}
	}
}
