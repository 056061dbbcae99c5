package sha256chip

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math/bits"
	"math/rand/v2"
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
)

// hashProgram reads an already padded message from the input tape into BUF and
// compresses it block by block into the state at STATE (SHA-256's IV), then writes the
// 32 state bytes: the digest.
const hashProgram = `
.fp 0x800
.equ STATE, 0x1000
.equ BUF, 0x10000
.equ LEN, 0
.equ END, 4
.equ P, 8
.equ X, 12
.equ SP, 16

main:   ecall input_len, [LEN]
        add   [END], [LEN], BUF
        mov   [P], BUF
read:   bgeu  [P], [END], hash
        ecall read, [X]
        sw    [X], [P]
        add   [P], [P], 4
        jmp   read
hash:   mov   [SP], STATE
        mov   [P], BUF
block:  bgeu  [P], [END], out
        ecall sha256_compress, [SP], [P]
        add   [P], [P], 64
        jmp   block
out:    mov   [P], STATE
word:   lw    [X], [P]
        ecall write, [X], 4
        add   [P], [P], 4
        bltu  [P], STATE+32, word
        halt  0

.data STATE
        .byte 0x6a, 0x09, 0xe6, 0x67, 0xbb, 0x67, 0xae, 0x85
        .byte 0x3c, 0x6e, 0xf3, 0x72, 0xa5, 0x4f, 0xf5, 0x3a
        .byte 0x51, 0x0e, 0x52, 0x7f, 0x9b, 0x05, 0x68, 0x8c
        .byte 0x1f, 0x83, 0xd9, 0xab, 0x5b, 0xe0, 0xcd, 0x19
`

// pad returns msg with SHA-256's padding: 0x80, zeros, and the bit length (big-endian
// u64), to a multiple of 64 bytes.
func pad(msg []byte) []byte {
	p := append(bytes.Clone(msg), 0x80)
	for len(p)%64 != 56 {
		p = append(p, 0)
	}
	return binary.BigEndian.AppendUint64(p, uint64(len(msg))*8)
}

func assemble(t *testing.T, src string) *isa.Program {
	t.Helper()
	p, err := isa.Assemble("test.s", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// run executes prog on input and returns its SHA256_COMPRESS calls.
func run(t *testing.T, prog *isa.Program, input []byte) ([]Call, *exec.Result) {
	t.Helper()
	var ev []bus.SyscallEvent
	sink := func(r *trace.Record) error {
		if r.Inst.Op == isa.ECALL && r.Sys.Number == Number {
			ev = append(ev, bus.SyscallEvent{Clk: r.Clk, Number: r.Sys.Number, A: r.A, B: r.B, Rec: r.Clone()})
		}
		return nil
	}
	res, err := exec.Run(context.Background(), prog, exec.Options{Input: input, Sink: sink})
	if err != nil || res.Trap != nil {
		t.Fatal(err, res.Trap)
	}
	cs, err := Calls(ev)
	if err != nil {
		t.Fatal(err)
	}
	return cs, res
}

func fe(v uint64) field.Elem { return field.New(v) }

func msg(b air.Bus, send bool, vals ...field.Elem) lookup.Message {
	return lookup.Message{Bus: b.ID, Send: send, Mult: field.New(1), Tuple: vals}
}

// cpuSends are the Syscall messages the CPU sends for the calls.
func cpuSends(cs []Call) []lookup.Message {
	var m []lookup.Message
	for _, c := range cs {
		m = append(m, msg(bus.Syscall, true, fe(c.Clk), fe(uint64(Number)),
			fe(uint64(c.A&0xffff)), fe(uint64(c.A>>16)), fe(uint64(c.B&0xffff)), fe(uint64(c.B>>16))))
	}
	return m
}

// memorySide plays the rest of the memory argument for the calls' accesses: each access
// receives (addr, before, prev_ts) and sends (addr, after, ts).
func memorySide(cs []Call) []lookup.Message {
	var m []lookup.Message
	for _, c := range cs {
		for _, a := range append(c.Block[:], c.State[:]...) {
			addr := fe(uint64(a.Addr / 4))
			m = append(m,
				msg(bus.Memory, true, addr, fe(uint64(a.Before&0xffff)), fe(uint64(a.Before>>16)), fe(a.PrevTS)),
				msg(bus.Memory, false, addr, fe(uint64(a.After&0xffff)), fe(uint64(a.After>>16)), fe(a.TS)))
		}
	}
	return m
}

// tables builds the chip's two tables and the range table for cs; round, if not nil,
// replaces the round table.
func tables(cs []Call, round [][]field.Elem) []chiptest.Table {
	if round == nil {
		round = RoundTrace(cs)
	}
	rc := new(rangetable.Counter)
	mem := MemoryTrace(cs, rc)
	return []chiptest.Table{{AIR: AIR(), Main: round}, {AIR: MemoryAIR(), Main: mem}, chiptest.RangeTable(rc)}
}

// output reads call k's working variables after round 63 from the round table.
func output(round [][]field.Elem, k int) [StateWords]uint32 {
	r := Rounds*k + Rounds - 1
	get := func(c air.Column) uint32 { return uint32(round[c.Index][r].Uint64()) }
	bitsOf := func(cs *[32]air.Column) uint32 {
		var v uint32
		for k := range cs {
			v |= get(cs[k]) << k
		}
		return v
	}
	return [StateWords]uint32{
		get(roundColumns().AN[0]) | get(roundColumns().AN[1])<<16, bitsOf(&roundColumns().A[0]), bitsOf(&roundColumns().A[1]), bitsOf(&roundColumns().A[2]),
		get(roundColumns().EN[0]) | get(roundColumns().EN[1])<<16, bitsOf(&roundColumns().E[0]), bitsOf(&roundColumns().E[1]), bitsOf(&roundColumns().E[2]),
	}
}

func TestShape(t *testing.T) {
	a, m := AIR(), MemoryAIR()
	if len(a.Main) != Width || len(m.Main) != MemoryWidth {
		t.Errorf("widths %d, %d; Width = %d, MemoryWidth = %d", len(a.Main), len(m.Main), Width, MemoryWidth)
	}
	for _, x := range []*air.AIR{a, m} {
		if d := x.MaxConstraintDegree(); d > 3 {
			t.Errorf("%s: degree %d", x.Name, d)
		}
		l, err := lookup.NewLayout(x, 3)
		if err != nil {
			t.Error(err)
		}
		t.Logf("%s: %d main columns, %d constraints, %d interactions, %d auxiliary columns",
			x.Name, len(x.Main), len(x.Constraints), len(x.Interactions), l.NumAux())
	}
}

// TestConstants checks the round constants computed from the primes against FIPS 180-4.
func TestConstants(t *testing.T) {
	if roundConstants[0] != 0x428a2f98 || roundConstants[1] != 0x71374491 || roundConstants[63] != 0xc67178f2 {
		t.Errorf("round constants %#x", roundConstants)
	}
}

// TestCompress checks the rows' computation against exec.SHA256Compress.
func TestCompress(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 8 {
		var h [StateWords]uint32
		var m [BlockWords]uint32
		for i := range h {
			h[i] = r.Uint32()
		}
		for i := range m {
			m[i] = r.Uint32()
		}
		rows := compress(h, m)
		work := working(&rows)
		want := h
		exec.SHA256Compress(&want, &m)
		for i := range h {
			if h[i]+work[i] != want[i] {
				t.Fatalf("word %d: %#x + %#x, want %#x", i, h[i], work[i], want[i])
			}
		}
	}
}

// TestAlignment checks the claim behind a_aligned and b_aligned: for a 16-bit x_lo
// that is not a multiple of 4, x_lo/4 in the field is not a 16-bit value.
func TestAlignment(t *testing.T) {
	inv4 := fe(4)
	inv4.Inverse(&inv4)
	for lo := range uint64(1 << 16) {
		var q field.Elem
		x := fe(lo)
		q.Mul(&x, &inv4)
		if (q.Uint64() < 1<<16) != (lo%4 == 0) {
			t.Fatalf("x_lo = %d: x_lo/4 = %d", lo, q.Uint64())
		}
	}
}

func TestNoCalls(t *testing.T) {
	chiptest.MustProve(t, tables(nil, nil), nil)
}

func TestCalls(t *testing.T) {
	rec := &trace.Record{Clk: 7, Sys: trace.Syscall{Number: Number}}
	for i := range BlockWords {
		rec.Accesses = append(rec.Accesses, trace.Access{Addr: 0x2000 + 4*uint32(i), TS: trace.TS(7, BlockSlot+i)})
	}
	for i := range StateWords {
		rec.Accesses = append(rec.Accesses, trace.Access{Kind: trace.Write, Addr: 0x1000 + 4*uint32(i), TS: trace.TS(7, StateSlot+i)})
	}
	ev := bus.SyscallEvent{Clk: 7, Number: Number, A: 0x1000, B: 0x2000, Rec: rec}
	cs, err := Calls([]bus.SyscallEvent{ev})
	if err != nil {
		t.Fatal(err)
	}
	if cs[0].Block[15].Addr != 0x203c || cs[0].State[7].Addr != 0x101c {
		t.Fatalf("accesses misplaced: %+v", cs[0])
	}
	for name, bad := range map[string]func(*bus.SyscallEvent){
		"misaligned state": func(e *bus.SyscallEvent) { e.A += 2 },
		"misaligned block": func(e *bus.SyscallEvent) { e.B += 1 },
		"missing access":   func(e *bus.SyscallEvent) { e.Rec.Accesses = e.Rec.Accesses[:BlockWords+StateWords-1] },
		"other syscall":    func(e *bus.SyscallEvent) { e.Number = isa.SysKeccakF },
		"no record":        func(e *bus.SyscallEvent) { e.Rec = nil },
	} {
		e := ev
		e.Rec = rec.Clone()
		bad(&e)
		if _, err := Calls([]bus.SyscallEvent{e}); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
}

// TestHash runs hashProgram on "abc" (FIPS 180-4's one-block example) and on a
// three-block message, recomputes the digests through the round table's outputs, and
// proves the calls.
func TestHash(t *testing.T) {
	prog := assemble(t, hashProgram)
	long := make([]byte, 150)
	for i := range long {
		long[i] = byte(i*13 + 5)
	}
	for _, tc := range []struct {
		name string
		msg  []byte
		want string
	}{
		{"abc", []byte("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"three blocks", long, ""},
	} {
		want := sha256.Sum256(tc.msg)
		if tc.want != "" && hex.EncodeToString(want[:]) != tc.want {
			t.Fatalf("%s: crypto/sha256 gives %x", tc.name, want)
		}
		padded := pad(tc.msg)
		cs, res := run(t, prog, padded)
		if !bytes.Equal(res.Output, want[:]) {
			t.Fatalf("%s: executor digest %x, want %x", tc.name, res.Output, want)
		}
		if len(cs) != len(padded)/64 {
			t.Fatalf("%s: %d calls for %d blocks", tc.name, len(cs), len(padded)/64)
		}
		// The chaining, with the compression read from the round table.
		round := RoundTrace(cs)
		st := [StateWords]uint32{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19}
		for k, c := range cs {
			h, m := c.Input()
			if h != st {
				t.Fatalf("%s: call %d reads a state that is not the chain's", tc.name, k)
			}
			for i := range m {
				if m[i] != binary.BigEndian.Uint32(padded[64*k+4*i:]) {
					t.Fatalf("%s: call %d reads block word %d wrong", tc.name, k, i)
				}
			}
			work := output(round, k)
			for i := range st {
				st[i] += work[i]
			}
		}
		var got []byte
		for _, w := range st {
			got = binary.BigEndian.AppendUint32(got, w)
		}
		if !bytes.Equal(got, want[:]) {
			t.Fatalf("%s: digest through the trace %x, want %x", tc.name, got, want)
		}
		chiptest.MustProve(t, tables(cs, round), append(cpuSends(cs), memorySide(cs)...))
	}
}

// TestWrap proves two calls whose state and block run past the top of the address
// space and overlap, with the memory table closing the memory argument.
func TestWrap(t *testing.T) {
	cs, _ := run(t, assemble(t, `
.fp 0x800
main:   mov   [0], 0xfffffff0
        mov   [4], 0xffffffe0
        ecall sha256_compress, [0], [4]
        ecall sha256_compress, [0], [4]
        halt  0
`), nil)
	if len(cs) != 2 || cs[0].State[StateWords-1].Addr != 0xc || cs[0].Block[BlockWords-1].Addr != 0x1c {
		t.Fatalf("unexpected calls %+v", cs)
	}
	mt := memory.NewTable(nil)
	for _, c := range cs {
		for _, a := range append(c.Block[:], c.State[:]...) {
			mt.Touch(a.Addr/4, a.Before, a.After, a.TS)
		}
	}
	rc := new(rangetable.Counter)
	mem := MemoryTrace(cs, rc)
	if !mem[memoryColumns().StateWrap[3].Index][0].IsZero() || mem[memoryColumns().StateWrap[4].Index][0].IsZero() ||
		!mem[memoryColumns().BlockWrap[7].Index][0].IsZero() || mem[memoryColumns().BlockWrap[8].Index][0].IsZero() {
		t.Fatal("wrap columns not set as expected")
	}
	tbs := []chiptest.Table{
		{AIR: AIR(), Main: RoundTrace(cs)},
		{AIR: MemoryAIR(), Main: mem},
		{AIR: memory.AIR(), Main: memory.Trace(mt.Words(), rc)},
		chiptest.RangeTable(rc),
	}
	chiptest.MustProve(t, tbs, append(cpuSends(cs), memory.Messages(mt.Words())...))
}

// withRows returns c with its state words' new values those that rows produce.
func withRows(c Call, rows *[Rounds]roundRow) Call {
	h, _ := c.Input()
	work := working(rows)
	for i := range c.State {
		c.State[i].After = bits.ReverseBytes32(h[i] + work[i])
	}
	return c
}

func TestTampered(t *testing.T) {
	cs, _ := run(t, assemble(t, hashProgram), pad([]byte("abc")))
	if len(cs) != 1 {
		t.Fatalf("%d calls", len(cs))
	}
	c := cs[0]
	h, m := c.Input()
	one := []Call{c}
	pub := func(cpu, mem []Call) []lookup.Message { return append(cpuSends(cpu), memorySide(mem)...) }
	// consistent proves a call whose rows are tampered from round `from` on: the record
	// (and memory) carry the output the rows produce, so only the rows can be caught.
	consistent := func(what string, rows *[Rounds]roundRow) {
		t.Helper()
		bad := []Call{withRows(c, rows)}
		round := fillRounds([][Rounds]roundRow{*rows}, []uint64{c.Clk})
		chiptest.MustReject(t, what, tables(bad, round), pub(one, bad))
	}

	{ // The record claims a wrong output word; the round table computes the right one.
		bad := c
		bad.State[5].After ^= 1 << 20
		chiptest.MustReject(t, "wrong output word", tables([]Call{bad}, nil), pub(one, []Call{bad}))
	}
	{ // Round 20's new a has a bit flipped; the following rounds follow from it.
		rows := compress(h, m)
		rows[20].an ^= 1 << 7
		rounds(&rows, 21, h, m, &roundConstants)
		consistent("flipped bit in a round", &rows)
	}
	{ // Round 41 reads f with a bit flipped (not the previous row's e).
		rows := compress(h, m)
		st, w := rows[40].next()
		st[5] ^= 1 << 30
		rows[41] = step(st, w, roundConstants[41])
		rounds(&rows, 42, h, m, &roundConstants)
		consistent("flipped bit of f", &rows)
	}
	{ // Round 30 uses a wrong round constant, consistently to the end.
		ks := roundConstants
		ks[30] ^= 1 << 3
		var rows [Rounds]roundRow
		rounds(&rows, 0, h, m, &ks)
		consistent("wrong round constant", &rows)
	}
	{ // Schedule word w_41, computed on row 25, has a bit flipped.
		rows := compress(h, m)
		rows[25].wn ^= 1 << 12
		rounds(&rows, 26, h, m, &roundConstants)
		consistent("wrong schedule word", &rows)
	}
	{ // The chip compresses the state 32 bytes further than [a] says; memory agrees.
		bad := c
		bad.A += 32
		for i := range bad.State {
			bad.State[i].Addr += 32
		}
		chiptest.MustReject(t, "wrong state address", tables([]Call{bad}, nil), pub(one, []Call{bad}))
	}
	{ // The chip reads the block one word further than B says; memory agrees.
		bad := c
		bad.B += 4
		for i := range bad.Block {
			bad.Block[i].Addr += 4
		}
		chiptest.MustReject(t, "wrong block address", tables([]Call{bad}, nil), pub(one, []Call{bad}))
	}
	{ // A wrap claimed for state word 0 (not at the top of memory) moves it to
		// a/4 − 2^30 mod p, a valid word address; memory agrees.
		tb := tables(one, nil)
		tb[1].Main[memoryColumns().StateWrap[0].Index][0] = fe(1)
		var addr field.Elem
		top, a := fe(1<<30), fe(uint64(c.A/4))
		addr.Sub(&a, &top)
		if addr.Uint64() >= 1<<30 {
			t.Fatalf("test address %d is not a word address", addr.Uint64())
		}
		mem := memorySide(one)
		i := 2 * BlockWords
		mem[i].Tuple[0], mem[i+1].Tuple[0] = addr, addr
		chiptest.MustReject(t, "false wrap", tb, append(cpuSends(one), mem...))
	}
	{ // A misaligned B = block + 2, its quarter a field element; memory agrees.
		bad := c
		bad.B += 2
		tb := tables(one, nil)
		blo := fe(uint64(bad.B & 0xffff))
		inv4 := fe(4)
		inv4.Inverse(&inv4)
		var q field.Elem
		q.Mul(&blo, &inv4)
		tb[1].Main[memoryColumns().BLo.Index][0] = blo
		tb[1].Main[memoryColumns().BQ.Index][0] = q
		mem := memorySide(one)
		hi := fe(uint64(bad.B>>16) << 14)
		for i := range BlockWords {
			var addr field.Elem
			idx := fe(uint64(i))
			addr.Add(&q, &hi)
			addr.Add(&addr, &idx)
			mem[2*i].Tuple[0], mem[2*i+1].Tuple[0] = addr, addr
		}
		chiptest.MustReject(t, "misaligned block", tb, append(cpuSends([]Call{bad}), mem...))
	}
	{ // The chip compresses a block word that is not memory's value.
		bad := c
		bad.Block[3].Before ^= 0x100
		bad.Block[3].After = bad.Block[3].Before
		bh, bm := bad.Input()
		rows := compress(bh, bm)
		bad = withRows(bad, &rows)
		mem := c
		mem.State = bad.State // memory: the true block, the chip's output
		chiptest.MustReject(t, "block differs from memory", tables([]Call{bad}, nil), pub(one, []Call{mem}))
	}
	{ // The chip compresses a state word that is not memory's value.
		bad := c
		bad.State[6].Before ^= 0x10000
		bh, bm := bad.Input()
		rows := compress(bh, bm)
		bad = withRows(bad, &rows)
		mem := bad
		mem.State[6].Before = c.State[6].Before // memory: the true state, the chip's output
		chiptest.MustReject(t, "state differs from memory", tables([]Call{bad}, nil), pub(one, []Call{mem}))
	}
	{ // Block word 2's memory limbs are kept but its "bytes" are field elements that
		// make its SHA-256 word 2^16 larger: byte 0 + δ, byte 1 − δ/2^8 with
		// δ·(2^8 − 2^−8) = 1. The chip compresses that word; memory sees the true one.
		var d, inv, k field.Elem
		inv = fe(256)
		inv.Inverse(&inv)
		k = fe(256)
		k.Sub(&k, &inv)
		d.Inverse(&k)
		m2 := m
		m2[2] += 1 << 16
		rows := compress(h, m2)
		call := withRows(c, &rows)
		tb := tables([]Call{call}, fillRounds([][Rounds]roundRow{rows}, []uint64{c.Clk}))
		b0, b1 := &tb[1].Main[memoryColumns().BlockBytes[2][0].Index][0], &tb[1].Main[memoryColumns().BlockBytes[2][1].Index][0]
		var dq field.Elem
		dq.Mul(&d, &inv)
		b0.Add(b0, &d)
		b1.Sub(b1, &dq)
		chiptest.MustReject(t, "bytes out of range", tb, pub(one, []Call{call}))
	}
}
