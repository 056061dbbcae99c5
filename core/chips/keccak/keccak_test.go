package keccak

import (
	"bytes"
	"context"
	"encoding/binary"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/chips/memory"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/lookup"
	"golang.org/x/crypto/sha3"
)

// run executes prog on input and returns its KECCAKF calls.
func run(t *testing.T, prog *isa.Program, input []byte) ([]Perm, *exec.Result) {
	t.Helper()
	var ev []bus.SyscallEvent
	sink := func(r *trace.Record) error {
		if r.Inst.Op == isa.ECALL && r.Sys.Number == isa.SysKeccakF {
			ev = append(ev, bus.SyscallEvent{Clk: r.Clk, Number: r.Sys.Number, A: r.A, B: r.B, Rec: r.Clone()})
		}
		return nil
	}
	res, err := exec.Run(context.Background(), prog, exec.Options{Input: input, Sink: sink})
	if err != nil || res.Trap != nil {
		t.Fatal(err, res.Trap)
	}
	ps, err := Perms(ev)
	if err != nil {
		t.Fatal(err)
	}
	return ps, res
}

func assemble(t *testing.T, name, src string) *isa.Program {
	t.Helper()
	p, err := isa.Assemble(name, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// keccakProgram is examples/keccak.s: Keccak-256 of its input through KECCAKF.
func keccakProgram(t *testing.T) *isa.Program {
	src, err := os.ReadFile(filepath.Join("..", "..", "..", "examples", "keccak.s"))
	if err != nil {
		t.Fatal(err)
	}
	return assemble(t, "keccak.s", string(src))
}

func msg(b air.Bus, send bool, vals ...field.Elem) lookup.Message {
	return lookup.Message{Bus: b.ID, Send: send, Mult: field.New(1), Tuple: vals}
}

func fe(v uint64) field.Elem { return field.New(v) }

// cpuSends are the Syscall messages the CPU sends for the calls.
func cpuSends(ps []Perm) []lookup.Message {
	var m []lookup.Message
	for _, p := range ps {
		m = append(m, msg(bus.Syscall, true, fe(p.Clk), fe(uint64(Number)),
			fe(uint64(p.A&0xffff)), fe(uint64(p.A>>16)), fe(uint64(p.B&0xffff)), fe(uint64(p.B>>16))))
	}
	return m
}

// memorySide plays the rest of the memory argument for the calls' accesses: each access
// receives (addr, before, prev_ts) and sends (addr, after, ts).
func memorySide(ps []Perm) []lookup.Message {
	var m []lookup.Message
	for _, p := range ps {
		for _, a := range p.Words {
			addr := fe(uint64(a.Addr / 4))
			m = append(m,
				msg(bus.Memory, true, addr, fe(uint64(a.Before&0xffff)), fe(uint64(a.Before>>16)), fe(a.PrevTS)),
				msg(bus.Memory, false, addr, fe(uint64(a.After&0xffff)), fe(uint64(a.After>>16)), fe(a.TS)))
		}
	}
	return m
}

// tables builds the chip's two tables (and the range table) for ps; round, if not nil,
// replaces the round table.
func tables(ps []Perm, round [][]field.Elem) []chiptest.Table {
	if round == nil {
		round = RoundTrace(ps)
	}
	rc := new(rangetable.Counter)
	mem := MemoryTrace(ps, rc)
	return []chiptest.Table{{AIR: AIR(), Main: round}, {AIR: MemoryAIR(), Main: mem}, chiptest.RangeTable(rc)}
}

// output reads permutation k's output from the round table (its round-23 row).
func output(round [][]field.Elem, k int) [Lanes]uint64 {
	var st [Lanes]uint64
	r := Rounds*k + Rounds - 1
	for i := range st {
		for l := range Limbs {
			st[i] |= round[roundColumns().Out[i][l].Index][r].Uint64() << (16 * l)
		}
	}
	return st
}

func TestShape(t *testing.T) {
	a, m := AIR(), MemoryAIR()
	if len(a.Main) != Width || len(m.Main) != MemoryWidth {
		t.Errorf("widths %d, %d; Width = %d, MemoryWidth = %d", len(a.Main), len(m.Main), Width, MemoryWidth)
	}
	if d := a.MaxConstraintDegree(); d != 3 {
		t.Errorf("round table degree %d", d)
	}
	if d := m.MaxConstraintDegree(); d > 3 {
		t.Errorf("memory table degree %d", d)
	}
	for _, x := range []*air.AIR{a, m} {
		if _, err := lookup.NewLayout(x, 3); err != nil {
			t.Error(err)
		}
	}
}

// TestAlignment checks the claim behind a_aligned: for a 16-bit a_lo that is not a
// multiple of 4, a_lo/4 in the field is not a 16-bit value.
func TestAlignment(t *testing.T) {
	var inv4 field.Elem
	inv4 = fe(4)
	inv4.Inverse(&inv4)
	for lo := range uint64(1 << 16) {
		var q field.Elem
		x := fe(lo)
		q.Mul(&x, &inv4)
		if (q.Uint64() < 1<<16) != (lo%4 == 0) {
			t.Fatalf("a_lo = %d: a_lo/4 = %d", lo, q.Uint64())
		}
	}
}

// TestNoCalls proves the padding alone.
func TestNoCalls(t *testing.T) {
	chiptest.MustProve(t, tables(nil, nil), nil)
}

func TestPermutation(t *testing.T) {
	// FIPS 202's first and last round constants, and ρ's offsets of row y = 0.
	if roundConstants[0] != 1 || roundConstants[1] != 0x8082 || roundConstants[23] != 0x8000000080008008 {
		t.Errorf("round constants %#x", roundConstants)
	}
	if rotation[0] != 0 || rotation[1] != 1 || rotation[2] != 62 || rotation[3] != 28 || rotation[4] != 27 {
		t.Errorf("rotation offsets %v", rotation)
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 4 {
		var st [Lanes]uint64
		for i := range st {
			st[i] = r.Uint64()
		}
		rows := permutation(st, &roundConstants)
		exec.KeccakF1600(&st)
		if rows[Rounds-1].out != st {
			t.Fatal("permutation differs from exec.KeccakF1600")
		}
	}
}

func TestPerms(t *testing.T) {
	rec := &trace.Record{Clk: 7, Sys: trace.Syscall{Number: Number}}
	for i := range Words {
		rec.Accesses = append(rec.Accesses, trace.Access{Kind: trace.Write, Addr: 0x1000 + 4*uint32(i), TS: trace.TS(7, FirstSlot+i)})
	}
	ev := bus.SyscallEvent{Clk: 7, Number: Number, A: 0x1000, Rec: rec}
	if _, err := Perms([]bus.SyscallEvent{ev}); err != nil {
		t.Fatal(err)
	}
	bad := ev
	bad.A = 0x1002
	if _, err := Perms([]bus.SyscallEvent{bad}); err == nil {
		t.Error("misaligned state accepted")
	}
	bad = ev
	bad.Rec = rec.Clone()
	bad.Rec.Accesses = bad.Rec.Accesses[:Words-1]
	if _, err := Perms([]bus.SyscallEvent{bad}); err == nil {
		t.Error("missing access accepted")
	}
	bad = ev
	bad.Number = isa.SysSHA256Compress
	if _, err := Perms([]bus.SyscallEvent{bad}); err == nil {
		t.Error("other syscall accepted")
	}
}

// TestKeccak256 runs examples/keccak.s on a three-block message, recomputes Keccak-256
// through the round table's outputs, and proves the calls.
func TestKeccak256(t *testing.T) {
	input := make([]byte, 300)
	for i := range input {
		input[i] = byte(i*7 + 3)
	}
	ps, res := run(t, keccakProgram(t), input)
	h := sha3.NewLegacyKeccak256()
	h.Write(input)
	want := h.Sum(nil)
	if !bytes.Equal(res.Output, want) {
		t.Fatalf("executor digest %x, want %x", res.Output, want)
	}
	const rate = 136
	padded := append(bytes.Clone(input), 0x01)
	for len(padded)%rate != 0 {
		padded = append(padded, 0)
	}
	padded[len(padded)-1] |= 0x80
	if len(ps) != len(padded)/rate {
		t.Fatalf("%d calls for %d blocks", len(ps), len(padded)/rate)
	}
	// The sponge, with the permutation read from the trace.
	round := RoundTrace(ps)
	var st [Lanes]uint64
	for k := range ps {
		for i := range rate / 8 {
			st[i] ^= binary.LittleEndian.Uint64(padded[k*rate+8*i:])
		}
		if ps[k].Input() != st {
			t.Fatalf("call %d reads a state that is not the sponge's", k)
		}
		st = output(round, k)
	}
	var got []byte
	for i := range 4 {
		got = binary.LittleEndian.AppendUint64(got, st[i])
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("digest through the trace %x, want %x", got, want)
	}
	chiptest.MustProve(t, tables(ps, round), append(cpuSends(ps), memorySide(ps)...))
}

// TestWrap proves two calls on a state that wraps past the top of the address space,
// with the memory table closing the memory argument.
func TestWrap(t *testing.T) {
	ps, _ := run(t, assemble(t, "wrap.s", `
.fp 0x800
main:   mov   [0], 0xffffff40
        ecall keccakf, [0]
        ecall keccakf, [0]
        halt  0
`), nil)
	if len(ps) != 2 || ps[0].Words[Words-1].Addr != 4 {
		t.Fatalf("unexpected calls %+v", ps)
	}
	mt := memory.NewTable(nil)
	for _, p := range ps {
		for _, a := range p.Words {
			mt.Touch(a.Addr/4, a.Before, a.After, a.TS)
		}
	}
	rc := new(rangetable.Counter)
	mem := MemoryTrace(ps, rc)
	if mem[memoryColumns().Wrap[47].Index][0].IsZero() == false || mem[memoryColumns().Wrap[48].Index][0].IsZero() {
		t.Fatal("wrap columns not set as expected")
	}
	tbs := []chiptest.Table{
		{AIR: AIR(), Main: RoundTrace(ps)},
		{AIR: MemoryAIR(), Main: mem},
		{AIR: memory.AIR(), Main: memory.Trace(mt.Words(), rc)},
		chiptest.RangeTable(rc),
	}
	chiptest.MustProve(t, tbs, append(cpuSends(ps), memory.Messages(mt.Words())...))
}

// withOutput returns p with its words' new values set to out.
func withOutput(p Perm, out [Lanes]uint64) Perm {
	for i, v := range out {
		p.Words[2*i].After, p.Words[2*i+1].After = uint32(v), uint32(v>>32)
	}
	return p
}

func TestTampered(t *testing.T) {
	ps, _ := run(t, keccakProgram(t), []byte("abc"))
	if len(ps) != 1 {
		t.Fatalf("%d calls", len(ps))
	}
	p := ps[0]
	pub := func(cpu, mem []Perm) []lookup.Message { return append(cpuSends(cpu), memorySide(mem)...) }
	one := []Perm{p}

	{ // The record claims a wrong output word; the round table computes the right one.
		bad := p
		bad.Words[7].After ^= 1 << 20
		chiptest.MustReject(t, "wrong output word", tables([]Perm{bad}, nil), pub(one, []Perm{bad}))
	}
	{ // A bit of θ's output flipped in round 9, the rest of the permutation (and the
		// record) following from it: only round 9's θ constraints can see it.
		rows := permutation(p.Input(), &roundConstants)
		rows[9].ap[7] ^= 1 << 40
		rows[9].chiIota(roundConstants[9])
		for r := 10; r < Rounds; r++ {
			rows[r] = keccakRound(rows[r-1].out, roundConstants[r])
		}
		bad := []Perm{withOutput(p, rows[Rounds-1].out)}
		round := fillRounds([][Rounds]roundRow{rows}, []uint64{p.Clk})
		chiptest.MustReject(t, "flipped bit in a round", tables(bad, round), pub(one, bad))
	}
	{ // Round 5 uses a wrong round constant, consistently to the end.
		rcs := roundConstants
		rcs[5] ^= 1 << 31
		rows := permutation(p.Input(), &rcs)
		bad := []Perm{withOutput(p, rows[Rounds-1].out)}
		round := fillRounds([][Rounds]roundRow{rows}, []uint64{p.Clk})
		chiptest.MustReject(t, "wrong round constant", tables(bad, round), pub(one, bad))
	}
	{ // The chip permutes the words two lanes further than [a] says; memory agrees.
		bad := p
		bad.A += 16
		for i := range bad.Words {
			bad.Words[i].Addr += 16
		}
		chiptest.MustReject(t, "wrong memory address", tables([]Perm{bad}, nil), pub(one, []Perm{bad}))
	}
	{ // A wrap claimed for word 0 (not at the top of memory) moves it to
		// a/4 − 2^30 mod p, a valid word address; memory agrees.
		tb := tables(one, nil)
		tb[1].Main[memoryColumns().Wrap[0].Index][0] = fe(1)
		var addr field.Elem
		top := fe(1 << 30)
		a := fe(uint64(p.A / 4))
		addr.Sub(&a, &top)
		mem := memorySide(one)
		mem[0].Tuple[0], mem[1].Tuple[0] = addr, addr
		if addr.Uint64() >= 1<<30 {
			t.Fatalf("test address %d is not a word address", addr.Uint64())
		}
		chiptest.MustReject(t, "false wrap", tb, append(cpuSends(one), mem...))
	}
	{ // A misaligned [a] = state + 2, its quarter a field element; memory agrees.
		bad := p
		bad.A += 2
		tb := tables(one, nil)
		alo := fe(uint64(bad.A & 0xffff))
		var q, four field.Elem
		four = fe(4)
		four.Inverse(&four)
		q.Mul(&alo, &four)
		tb[1].Main[memoryColumns().ALo.Index][0] = alo
		tb[1].Main[memoryColumns().AQ.Index][0] = q
		mem := memorySide(one)
		hi := fe(uint64(bad.A>>16) << 14)
		for i := range Words {
			var addr field.Elem
			addr.Add(&q, &hi)
			idx := fe(uint64(i))
			addr.Add(&addr, &idx)
			mem[2*i].Tuple[0], mem[2*i+1].Tuple[0] = addr, addr
		}
		chiptest.MustReject(t, "misaligned state", tb, append(cpuSends([]Perm{bad}), mem...))
	}
	{ // The chip permutes an input word that is not memory's value.
		bad := p
		bad.Words[3].Before ^= 0x100
		out := permutation(bad.Input(), &roundConstants)[Rounds-1].out
		bad = withOutput(bad, out)
		mem := withOutput(p, out) // memory: the true input, the chip's output
		chiptest.MustReject(t, "input differs from memory", tables([]Perm{bad}, nil), pub(one, []Perm{mem}))
	}
}
