package isa_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/core/isa"
)

func TestAssembleInstructions(t *testing.T) {
	I := func(op isa.Opcode, fl isa.Flags, a, b, c uint32) isa.Instruction {
		return isa.Instruction{Op: op, Flags: fl, A: a, B: b, C: c}
	}
	cases := []struct {
		src  string
		want isa.Instruction
	}{
		{"add [8], [4], 5", I(isa.ADD, isa.ImmC, 8, 4, 5)},
		{"ADD [fp+8], [fp], [fp-4]", I(isa.ADD, 0, 8, 0, 0xfffffffc)},
		{"sub [-8], 100, [4]", I(isa.SUB, isa.ImmB, 0xfffffff8, 100, 4)},
		{"xor [0], [0], -1", I(isa.XOR, isa.ImmC, 0, 0, 0xffffffff)},
		{"and [0], 0xffff_0000, 'a'", I(isa.AND, isa.ImmB|isa.ImmC, 0, 0xffff0000, 'a')},
		{"or [0], 0b101, 0o17", I(isa.OR, isa.ImmB|isa.ImmC, 0, 5, 15)},
		{"mov [4], 7", I(isa.ADD, isa.ImmB|isa.ImmC, 4, 7, 0)},
		{"mov [4], [8]", I(isa.ADD, isa.ImmC, 4, 8, 0)},
		{"lw [4], [8]", I(isa.LW, isa.ImmC, 4, 8, 0)},
		{"lbu [4], 0x1000, -1", I(isa.LBU, isa.ImmB|isa.ImmC, 4, 0x1000, 0xffffffff)},
		{"sh [4], [8], 2*3", I(isa.SH, isa.ImmC, 4, 8, 6)},
		{"jmp 5", I(isa.JMP, isa.ImmC, 0, 0, 5)},
		{"jmp [12]", I(isa.JMP, 0, 0, 0, 12)},
		{"bne [4], 0, 9", I(isa.BNE, isa.ImmB|isa.ImmC, 4, 0, 9)},
		{"bgeu [4], [8], 0", I(isa.BGEU, isa.ImmC, 4, 8, 0)},
		{"call 3, 16", I(isa.CALL, isa.ImmC, 16, 0, 3)},
		{"call [8], -32", I(isa.CALL, 0, 0xffffffe0, 0, 8)},
		{"ret", I(isa.RET, 0, 0, 0, 0)},
		{"halt", I(isa.HALT, isa.ImmB, 0, 0, 0)},
		{"halt [4]", I(isa.HALT, 0, 0, 4, 0)},
		{"trap 3", I(isa.TRAP, isa.ImmB, 0, 3, 0)},
		{"ecall read, [4]", I(isa.ECALL, isa.ImmB|isa.ImmC, 4, 0, isa.SysRead)},
		{"ecall write, [4], 4", I(isa.ECALL, isa.ImmB|isa.ImmC, 4, 4, isa.SysWrite)},
		{"ecall sha256_compress, [0], [4]", I(isa.ECALL, isa.ImmC, 0, 4, isa.SysSHA256Compress)},
		{"ecall 0x100, [8], [12]", I(isa.ECALL, isa.ImmC, 8, 12, 0x100)},
		{"ecall input_len", I(isa.ECALL, isa.ImmB|isa.ImmC, 0, 0, isa.SysInputLen)},
	}
	for _, tc := range cases {
		p, err := isa.Assemble("t.s", []byte(tc.src+" ; comment\n"))
		if err != nil {
			t.Errorf("%q: %v", tc.src, err)
			continue
		}
		if p.Code[0] != tc.want {
			t.Errorf("%q = %+v, want %+v", tc.src, p.Code[0], tc.want)
		}
		// The disassembly of one instruction assembles back to it.
		q, err := isa.Assemble("t.s", []byte(p.Code[0].String()))
		if err != nil || q.Code[0] != tc.want {
			t.Errorf("%q printed as %q: %v %+v", tc.src, p.Code[0].String(), err, q)
		}
	}
}

func TestAssembleProgram(t *testing.T) {
	p, err := isa.Assemble("prog.s", []byte(`
		# hash comments, // slash comments and ; semicolon comments
		.name "demo"
		.equ SIZE, 3*4
		.fp 0x100 + SIZE + 4
		.entry start
		start: loop: bltu [0], SIZE, loop   // two labels on one line
		       add [0], table, msg+1
		       jmp end
		end:   halt
		.data 0x2000
		table: .word end, -1, 'z'
		       .half 0xbeef
		       .align 8
		msg:   .asciz "a\tb\x41"
		       .zero 2
		.text
		       ret
	`))
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "demo" || p.FP != 0x110 || p.Entry != 0 || len(p.Code) != 5 {
		t.Fatalf("program %+v", p)
	}
	if p.Code[0].C != 0 || p.Code[1].B != 0x2000 || p.Code[1].C != 0x2011 || p.Code[2].C != 3 {
		t.Fatalf("code %v", p.Code)
	}
	want := []byte{3, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 'z', 0, 0, 0, 0xef, 0xbe, 0, 0, 'a', '\t', 'b', 'A', 0, 0, 0}
	if len(p.Data) != 1 || p.Data[0].Addr != 0x2000 || !bytes.Equal(p.Data[0].Bytes, want) {
		t.Fatalf("data %+v, want % x", p.Data, want)
	}
}

func TestAssembleErrors(t *testing.T) {
	cases := []struct{ src, msg string }{
		{"foo [0], 1", "t.s:1:1: unknown instruction \"foo\""},
		{"add [0], 1", "t.s:1:11: expected ',' before operand 3 of add, found end of line"},
		{"add 4, 1, 2", "t.s:1:5: operand 1 of add must be a frame slot"},
		{"add [2], 1, 2", "t.s:1:5: slot offset 2 is not a multiple of 4"},
		{"lw [0], [4], [8]", "t.s:1:14: operand 3 of lw must be an immediate"},
		{"halt 1, 2", "t.s:1:7: halt takes 1 operands; expected end of line"},
		{"jmp nowhere", "t.s:1:5: undefined symbol \"nowhere\""},
		{"\n\n  beq [0], 1, 2 3", "t.s:3:17: beq takes 3 operands; expected end of line, found number 3"},
		{"add [0], 1, 0x1_0000_0000", "t.s:1:13: bad number"},
		{"add [0], 1, 4294967295+1", "immediate 4294967296 does not fit in 32 bits"},
		{"x: halt\nx: halt", "t.s:2:1: symbol \"x\" already defined at line 1"},
		{".word 1", "t.s:1:1: .word outside a .data section"},
		{".data 0x100\nhalt", "t.s:2:1: instruction \"halt\" inside a .data section"},
		{".data 0x100\n.byte 256\n.text\nhalt", "t.s:2:7: value 256 does not fit in 1 byte(s)"},
		{".data 0x100\n.word 1\n.data 0x102\n.word 2\n.text\nhalt", "overlaps"},
		{".data X\n.equ X, 4\nhalt", "t.s:1:7: .data: undefined symbol \"X\""},
		{".ascii \"abc", "unterminated literal"},
		{".bogus", "t.s:1:1: unknown directive \".bogus\""},
		{"halt\n.entry 5", "t.s:2:8: .entry 5 is outside the 1 instructions"},
		{".fp 2\nhalt", "t.s:1:5: .fp 2 must be a multiple of 4"},
		{"", "no instructions"},
		{"add [0], 1, 1/0", "division by zero"},
		{"add [0], fp, 1", "fp may only appear inside a slot"},
		{"add [fp*2], 1, 1", "expected '+', '-' or ']' after fp"},
		{"add [0], 1, @", "t.s:1:13: unexpected character '@'"},
		{".data 0\n.align 3", ".align 3: want a power of two"},
	}
	for _, tc := range cases {
		_, err := isa.Assemble("t.s", []byte(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%q: error %v, want %q", tc.src, err, tc.msg)
			continue
		}
		var se *isa.SyntaxError
		if !errors.As(err, &se) || se.File != "t.s" || se.Line < 1 {
			t.Errorf("%q: %v is not a *SyntaxError", tc.src, err)
		}
	}
	// Errors on several lines are all reported, up to ten.
	_, err := isa.Assemble("t.s", []byte(strings.Repeat("bad\n", 20)))
	if n := strings.Count(err.Error(), "unknown instruction"); n != 10 {
		t.Errorf("%d errors reported, want 10", n)
	}
}

// Every example disassembles to source that assembles to the same program.
func TestDisassembleRoundTrip(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "examples", "*.s"))
	if len(files) < 4 {
		t.Fatalf("examples: %v", files)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		p, err := isa.Assemble(filepath.Base(f), src)
		if err != nil {
			t.Fatal(err)
		}
		roundTrip(t, p)
	}
	p := sample(t)
	p.Source = nil
	p.Name = "with \"quotes\"\n"
	roundTrip(t, p)
}

// roundTrip checks that the disassembly, plain and with a note on every other
// instruction, assembles back to p.
func roundTrip(t testing.TB, p *isa.Program) {
	t.Helper()
	noted := func(pc uint32) string {
		if pc%2 == 0 {
			return fmt.Sprintf("note %d: ; \"quoted\" [8]", pc)
		}
		return ""
	}
	for _, text := range [][]byte{isa.Disassemble(p), isa.DisassembleNoted(p, noted)} {
		q, err := isa.Assemble("disasm.s", text)
		if err != nil {
			t.Fatalf("%s: disassembly does not assemble: %v\n%s", p.Name, err, text)
		}
		if !bytes.Equal(q.Encode(), p.Encode()) {
			t.Fatalf("%s: disassembly assembles to a different program:\n%s", p.Name, text)
		}
	}
	if n := bytes.Count(isa.DisassembleNoted(p, noted), []byte("  ; note ")); n != (len(p.Code)+1)/2 {
		t.Fatalf("%d notes for %d instructions", n, len(p.Code))
	}
}
