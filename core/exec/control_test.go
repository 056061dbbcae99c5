package exec_test

import (
	"fmt"
	"testing"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
)

func TestBranches(t *testing.T) {
	const m1 = 0xffffffff
	cases := []struct {
		op    isa.Opcode
		a, b  uint32
		taken bool
	}{
		{isa.BEQ, 5, 5, true}, {isa.BEQ, 5, 6, false},
		{isa.BNE, 5, 5, false}, {isa.BNE, 5, 6, true},
		{isa.BLT, m1, 0, true}, {isa.BLT, 0, m1, false}, {isa.BLT, 3, 3, false},
		{isa.BGE, m1, 0, false}, {isa.BGE, 0, m1, true}, {isa.BGE, 3, 3, true},
		{isa.BLTU, m1, 0, false}, {isa.BLTU, 0, m1, true}, {isa.BLTU, 3, 3, false},
		{isa.BGEU, m1, 0, true}, {isa.BGEU, 0, m1, false}, {isa.BGEU, 3, 3, true},
	}
	for _, tc := range cases {
		for _, imm := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/%#x,%#x/imm=%v", tc.op, tc.a, tc.b, imm), func(t *testing.T) {
				b := isa.NewBuilder()
				b.SetFP(0x100)
				b.Words(0x100, tc.a, tc.b)
				yes := b.NewLabel("yes")
				y := isa.Slot(4)
				if imm {
					y = isa.Imm(tc.b)
				}
				b.Branch(tc.op, 0, y, yes)
				b.Halt(isa.Imm(0))
				b.Bind(yes)
				b.Halt(isa.Imm(1))
				p, err := b.Program()
				if err != nil {
					t.Fatal(err)
				}
				res, recs := run(t, p, exec.Options{})
				want, next := uint32(0), uint32(1)
				if tc.taken {
					want, next = 1, 2
				}
				wantHalt(t, res, want)
				if r := recs[0]; r.NextPC != next || r.A != tc.a || r.B != tc.b || r.C != 2 {
					t.Errorf("record %v", r)
				}
			})
		}
	}
}

func TestJumpsAndCalls(t *testing.T) {
	p := assemble(t, `
		.fp 0x1000
		.equ F, 32
		main:   mov   [8], target
		        jmp   [8]              ; indirect jump
		        trap  1
		target: jmp   over             ; direct jump
		        trap  2
		over:   mov   [F+8], 6
		        call  square, F        ; direct call
		        mov   [12], [F+12]
		        mov   [16], square
		        mov   [F+8], 7
		        call  [16], F          ; indirect call through the caller's slot
		        add   [12], [12], [F+12]
		        halt  [12]             ; 36 + 49
		square: mul   [12], [8], [8]
		        ret`)
	res, recs := run(t, p, exec.Options{})
	wantHalt(t, res, 85)
	if res.FP != 0x1000 || res.PC != 12 {
		t.Errorf("final state pc %d fp %#x", res.PC, res.FP)
	}
	// The first call: frame words written in slots 3 and 4 of the callee frame.
	var call, ret *trace.Record
	for _, r := range recs {
		if r.Inst.Op == isa.CALL && call == nil {
			call = r
		}
		if r.Inst.Op == isa.RET && ret == nil {
			ret = r
		}
	}
	if call.NextFP != 0x1020 || call.NextPC != 13 || len(call.Accesses) != 2 ||
		call.Accesses[0].Addr != 0x1020 || call.Accesses[0].After != call.PC+1 || call.Accesses[0].Slot() != 3 ||
		call.Accesses[1].Addr != 0x1024 || call.Accesses[1].After != 0x1000 || call.Accesses[1].Slot() != 4 {
		t.Errorf("call record %v", call)
	}
	if ret.NextPC != call.PC+1 || ret.NextFP != 0x1000 || ret.FP != 0x1020 || len(ret.Accesses) != 2 ||
		ret.Accesses[0].Kind != trace.Read || ret.Accesses[1].Kind != trace.Read {
		t.Errorf("ret record %v", ret)
	}
}

func TestHaltAndTrapRecords(t *testing.T) {
	p := assemble(t, `.fp 0x100
		mov [0], 9
		trap [0]`)
	res, recs := run(t, p, exec.Options{})
	te, ok := res.Trap.(*exec.TrapError)
	if res.ExitStatus != isa.StatusTrap || res.ExitCode != 9 || !ok || te.Code != 9 || te.PC != 1 || te.Clk != 1 {
		t.Fatalf("result %+v trap %v", res, res.Trap)
	}
	if res.Cycles != 2 || len(recs) != 2 || recs[1].NextPC != 1 || recs[1].B != 9 {
		t.Fatalf("TRAP is an executed instruction with a record that stays at its pc: %v", recs)
	}
}
