package exec_test

import (
	"fmt"
	"testing"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
)

func TestALU(t *testing.T) {
	const m1 = 0xffffffff // -1
	const min = 0x80000000
	cases := []struct {
		op      isa.Opcode
		b, c, w uint32
	}{
		{isa.ADD, 1, 2, 3}, {isa.ADD, m1, 1, 0}, {isa.ADD, min, min, 0},
		{isa.SUB, 0, 1, m1}, {isa.SUB, min, 1, 0x7fffffff},
		{isa.MUL, 0x10000, 0x10000, 0}, {isa.MUL, m1, m1, 1}, {isa.MUL, 0x12345, 0x1000, 0x12345000},
		{isa.MULH, min, min, 0x40000000}, {isa.MULH, m1, m1, 0}, {isa.MULH, m1, 1, m1}, {isa.MULH, 0x7fffffff, 0x7fffffff, 0x3fffffff},
		{isa.MULHU, m1, m1, 0xfffffffe}, {isa.MULHU, min, 2, 1}, {isa.MULHU, m1, 1, 0},
		{isa.MULHSU, m1, m1, m1}, {isa.MULHSU, min, m1, min}, {isa.MULHSU, 2, min, 1}, {isa.MULHSU, m1, 1, m1},
		{isa.DIV, 7, 2, 3}, {isa.DIV, -7 & m1, 2, -3 & m1}, {isa.DIV, -7 & m1, -2 & m1, 3}, {isa.DIV, 7, 0, m1}, {isa.DIV, min, m1, min},
		{isa.DIVU, 7, 2, 3}, {isa.DIVU, m1, 0, m1}, {isa.DIVU, min, m1, 0}, {isa.DIVU, m1, 2, 0x7fffffff},
		{isa.REM, -7 & m1, 2, m1}, {isa.REM, 7, -2 & m1, 1}, {isa.REM, 7, 0, 7}, {isa.REM, min, m1, 0},
		{isa.REMU, 7, 0, 7}, {isa.REMU, m1, 10, 5},
		{isa.SLT, m1, 0, 1}, {isa.SLT, 0, m1, 0}, {isa.SLT, 5, 5, 0}, {isa.SLT, min, 0x7fffffff, 1},
		{isa.SLTU, m1, 0, 0}, {isa.SLTU, 0, m1, 1}, {isa.SLTU, 5, 5, 0},
		{isa.EQ, 5, 5, 1}, {isa.EQ, 5, 6, 0}, {isa.NE, 5, 5, 0}, {isa.NE, 5, 6, 1},
		{isa.AND, 0xf0f0, 0xff00, 0xf000}, {isa.OR, 0xf0f0, 0xff00, 0xfff0}, {isa.XOR, 0xf0f0, 0xff00, 0x0ff0},
		{isa.SLL, 1, 31, min}, {isa.SLL, 1, 32, 1}, {isa.SLL, 1, 33, 2}, {isa.SLL, m1, 0xffffffe0, m1},
		{isa.SRL, min, 31, 1}, {isa.SRL, min, 32, min}, {isa.SRL, min, 36, 0x08000000},
		{isa.SRA, min, 31, m1}, {isa.SRA, min, 4, 0xf8000000}, {isa.SRA, 0x40000000, 35, 0x08000000}, {isa.SRA, min, 64, min},
	}
	for _, tc := range cases {
		// The same operation with slot and immediate operands in all four modes.
		for mode := range 4 {
			t.Run(fmt.Sprintf("%s/%#x,%#x/mode=%d", tc.op, tc.b, tc.c, mode), func(t *testing.T) {
				b := isa.NewBuilder()
				b.SetFP(0x100)
				b.Words(0x100+4, tc.b, tc.c)
				x, y := isa.Slot(4), isa.Slot(8)
				if mode&1 != 0 {
					x = isa.Imm(tc.b)
				}
				if mode&2 != 0 {
					y = isa.Imm(tc.c)
				}
				b.ALU(tc.op, 12, x, y)
				b.Halt(isa.Slot(12))
				p, err := b.Program()
				if err != nil {
					t.Fatal(err)
				}
				res, recs := run(t, p, exec.Options{})
				wantHalt(t, res, tc.w)
				r := recs[0]
				if r.A != tc.w || r.B != tc.b || r.C != tc.c {
					t.Errorf("record operands a=%#x b=%#x c=%#x, want %#x %#x %#x", r.A, r.B, r.C, tc.w, tc.b, tc.c)
				}
				if want := 3 - mode&1 - mode>>1; len(r.Accesses) != want {
					t.Errorf("%d accesses, want %d: %v", len(r.Accesses), want, r.Accesses)
				}
			})
		}
	}
}

func TestALUOverlappingSlots(t *testing.T) {
	// [8] = [8] + [8]: two reads and a write of the same word, in slot order.
	p := assemble(t, `.fp 0x40
		mov [8], 21
		add [8], [8], [8]
		halt [8]`)
	res, recs := run(t, p, exec.Options{})
	wantHalt(t, res, 42)
	acc := recs[1].Accesses
	if len(acc) != 3 || acc[0].PrevTS != recs[0].Accesses[0].TS || acc[1].PrevTS != acc[0].TS || acc[2].PrevTS != acc[1].TS {
		t.Fatalf("accesses %v", acc)
	}
}
