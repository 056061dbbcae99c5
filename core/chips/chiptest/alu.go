package chiptest

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/lookup"
)

// ALUReference computes each event's Z with the reference executor: an ALU op runs as an
// instruction with immediate operands, a branch condition (OpGE, OpGEU) as BGE or BGEU
// on a slot holding X, whose Z is whether the branch was taken.
func ALUReference(t testing.TB, ev []bus.ALUEvent) []bus.ALUEvent {
	t.Helper()
	b := isa.NewBuilder()
	for _, e := range ev {
		switch e.Op {
		case bus.OpGE, bus.OpGEU:
			br := isa.BGE
			if e.Op == bus.OpGEU {
				br = isa.BGEU
			}
			b.Move(8, isa.Imm(e.X)) // ALU results go to slot 0, the moves elsewhere
			taken := b.NewLabel("taken")
			b.Branch(br, 8, isa.Imm(e.Y), taken)
			b.Move(12, isa.Imm(0)) // skipped when taken
			b.Bind(taken)
		default:
			b.ALU(isa.Opcode(e.Op), 0, isa.Imm(e.X), isa.Imm(e.Y))
		}
	}
	b.Halt(isa.Imm(0))
	p, err := b.Program()
	if err != nil {
		t.Fatal(err)
	}
	var out []bus.ALUEvent
	sink := func(r *trace.Record) error {
		switch {
		case r.Inst.Op.Class() == isa.ClassALU && r.Inst.A == 0:
			out = append(out, bus.ALUEvent{Op: uint32(r.Inst.Op), X: r.B, Y: r.C, Z: r.A})
		case r.Inst.Op == isa.BGE || r.Inst.Op == isa.BGEU:
			op, z := uint32(bus.OpGE), uint32(0)
			if r.Inst.Op == isa.BGEU {
				op = bus.OpGEU
			}
			if r.NextPC != r.PC+1 {
				z = 1
			}
			out = append(out, bus.ALUEvent{Op: op, X: r.A, Y: r.B, Z: z})
		}
		return nil
	}
	res, err := exec.Run(context.Background(), p, exec.Options{Sink: sink})
	if err != nil || res.ExitStatus != isa.StatusHalted {
		t.Fatalf("reference run: %v %v", err, res.Trap)
	}
	if len(out) != len(ev) {
		t.Fatalf("reference run gave %d events, want %d", len(out), len(ev))
	}
	return out
}

// ALUEdges are the operand values every op is tried on; the proving tests use the first
// five (0, 1, −1, 2^31 − 1, −2^31), the reference tests all.
var ALUEdges = []uint32{0, 1, 0xffffffff, 0x7fffffff, 0x80000000, 2, 0x7fff, 0x8000, 0xffff, 0x10000, 0x80000001, 0xfffffffe}

// ALUInputs returns, for each op, every pair of edge values (all of them, or the first
// five), then n random pairs, some with equal or nearly equal operands; Z is left 0.
func ALUInputs(ops []uint32, all bool, n int, seed uint64) []bus.ALUEvent {
	r := rand.New(rand.NewPCG(seed, 7))
	var ev []bus.ALUEvent
	for _, op := range ops {
		for i, x := range ALUEdges {
			for j, y := range ALUEdges {
				if all || i < 5 && j < 5 {
					ev = append(ev, bus.ALUEvent{Op: op, X: x, Y: y})
				}
			}
		}
		for i := range n {
			x, y := r.Uint32(), r.Uint32()
			switch i % 4 {
			case 0:
				y = x
			case 1:
				y = x ^ 1<<uint(r.IntN(32))
			}
			ev = append(ev, bus.ALUEvent{Op: op, X: x, Y: y})
		}
	}
	return ev
}

// ALUSends returns the ALU messages the CPU would send for the events.
func ALUSends(ev []bus.ALUEvent) []lookup.Message {
	var m []lookup.Message
	for _, e := range ev {
		m = append(m, lookup.Message{Bus: bus.ALU.ID, Send: true, Mult: field.New(1), Tuple: []field.Elem{
			field.New(uint64(e.Op)), field.New(uint64(e.X & 0xffff)), field.New(uint64(e.X >> 16)),
			field.New(uint64(e.Y & 0xffff)), field.New(uint64(e.Y >> 16)), field.New(uint64(e.Z & 0xffff)), field.New(uint64(e.Z >> 16)),
		}})
	}
	return m
}

// MustRejectUnlessShort expects the chips to reject a tampered witness: with -short airtest only,
// otherwise the prover and the verifier too.
func MustRejectUnlessShort(t *testing.T, what string, tb []Table, pub []lookup.Message) {
	t.Helper()
	if testing.Short() {
		if Check(tb, pub) == nil {
			t.Errorf("%s: airtest accepts the tampered witness", what)
		}
		return
	}
	MustReject(t, what, tb, pub)
}
