package loadstore

import (
	"context"
	"slices"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/chips/memory"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/lookup"
)

// program exercises every opcode at every byte offset, both limb carries, a negative
// offset, word-crossing stores, and the top word's wrap to word 0.
func program(t *testing.T) *isa.Program {
	b := isa.NewBuilder()
	b.SetFP(0x1000)
	b.Words(0x2000, 0x80ff7f01, 0xfedcba98, 0x00000080)
	b.Words(0x20000, 0x12345678)
	b.Move(4, isa.Imm(0x1fff0))
	b.Move(8, isa.Imm(0xdeadbeef))
	for k := range int32(4) {
		for _, op := range []isa.Opcode{isa.LW, isa.LH, isa.LHU, isa.LB, isa.LBU} {
			b.Load(op, 12, isa.Imm(0x2000), k)
		}
	}
	b.Load(isa.LW, 12, isa.Slot(4), 0x10)    // 0x1fff0 + 0x10: carry out of the low limb
	b.Load(isa.LBU, 12, isa.Imm(0x2004), -4) // carries out of both limbs
	b.Store(isa.SW, 8, isa.Imm(0x3000), 0)
	b.Store(isa.SW, 8, isa.Imm(0x3006), 0)
	b.Store(isa.SH, 8, isa.Imm(0x300b), 0)
	b.Store(isa.SB, 8, isa.Imm(0x3001), 0)
	for a := uint32(0x3000); a < 0x3010; a += 4 {
		b.Load(isa.LW, 12, isa.Imm(a), 0)
	}
	b.Store(isa.SW, 8, isa.Imm(0xfffffffe), 0) // bytes 0xfffffffe..0x1: words 2^30−1 and 0
	b.Load(isa.LW, 12, isa.Imm(0xfffffffe), 0)
	b.Load(isa.LH, 12, isa.Imm(0xffffffff), 0)
	// Last touches of their words, for the tampering tests.
	b.Store(isa.SB, 8, isa.Imm(0x4001), 0)
	b.Store(isa.SH, 8, isa.Imm(0x4007), 0)
	b.Halt(isa.Imm(0))
	p, err := b.Program()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func run(t *testing.T, p *isa.Program) []*trace.Record {
	var recs []*trace.Record
	res, err := exec.Run(context.Background(), p, exec.Options{Sink: func(r *trace.Record) error {
		recs = append(recs, r.Clone())
		return nil
	}})
	if err != nil || res.ExitStatus != isa.StatusHalted {
		t.Fatalf("run: %v %v", err, res.Trap)
	}
	return recs
}

func isChip(r *trace.Record) bool {
	cl := r.Inst.Op.Class()
	return cl == isa.ClassLoad || cl == isa.ClassStore
}

func isChipAccess(a *trace.Access) bool {
	return a.Slot() == trace.SlotData || a.Slot() == trace.SlotData+1
}

// events collects what the CPU sends on the LoadStore bus.
func events(recs []*trace.Record) []bus.LoadStoreEvent {
	var ev []bus.LoadStoreEvent
	for _, r := range recs {
		if !isChip(r) {
			continue
		}
		e := bus.LoadStoreEvent{Clk: r.Clk, Op: uint32(r.Inst.Op), Base: r.B, Off: r.C, Val: r.A}
		for _, a := range r.Accesses {
			if isChipAccess(&a) {
				e.Words = append(e.Words, a)
			}
		}
		ev = append(ev, e)
	}
	return ev
}

func image(p *isa.Program) map[uint32]uint32 {
	img := map[uint32]uint32{}
	for _, s := range p.Data {
		for i, v := range s.Bytes {
			a := s.Addr + uint32(i)
			img[a/4] |= uint32(v) << (8 * (a % 4))
		}
	}
	return img
}

func word(v uint32) []field.Elem {
	return []field.Elem{field.New(uint64(v & 0xffff)), field.New(uint64(v >> 16))}
}

// tables builds the chip's table from ev, the memory table over every access (the
// chip's from ev, the others from the records), and the range table; the CPU's side —
// its own accesses and its LoadStore sends — and the image are public messages.
func tables(p *isa.Program, recs []*trace.Record, ev []bus.LoadStoreEvent) ([]chiptest.Table, []lookup.Message) {
	var pub []lookup.Message
	one := field.New(1)
	mem := func(send bool, a trace.Access, v uint32, ts uint64) lookup.Message {
		return lookup.Message{Bus: bus.Memory.ID, Send: send, Mult: one,
			Tuple: append(append([]field.Elem{field.New(uint64(a.Addr / 4))}, word(v)...), field.New(ts))}
	}
	var all []trace.Access
	for _, r := range recs {
		for _, a := range r.Accesses {
			if isChip(r) && isChipAccess(&a) {
				continue
			}
			all = append(all, a)
			pub = append(pub, mem(false, a, a.Before, a.PrevTS), mem(true, a, a.After, a.TS))
		}
	}
	for _, e := range ev {
		all = append(all, e.Words...)
		tuple := []field.Elem{field.New(e.Clk), field.New(uint64(e.Op))}
		for _, v := range []uint32{e.Base, e.Off, e.Val} {
			tuple = append(tuple, word(v)...)
		}
		pub = append(pub, lookup.Message{Bus: bus.LoadStore.ID, Send: true, Mult: one, Tuple: tuple})
	}
	slices.SortFunc(all, func(a, b trace.Access) int { return int(int64(a.TS) - int64(b.TS)) })
	img := image(p)
	mt := memory.NewTable(img)
	for _, a := range all {
		mt.Touch(a.Addr/4, a.Before, a.After, a.TS)
	}
	pub = append(pub, memory.Messages(mt.Words())...)
	rc := new(rangetable.Counter)
	tb := []chiptest.Table{
		{AIR: AIR(), Main: Trace(ev, rc)},
		{AIR: memory.AIR(), Main: memory.Trace(mt.Words(), rc)},
	}
	return append(tb, chiptest.RangeTable(rc)), pub
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
	p := program(t)
	recs := run(t, p)
	ev := events(recs)
	tb, pub := tables(p, recs, ev)
	chiptest.MustProve(t, tb, pub)
}

// find returns the index of the event of op at byte address addr.
func find(t *testing.T, ev []bus.LoadStoreEvent, op isa.Opcode, addr uint32) int {
	t.Helper()
	for i, e := range ev {
		if e.Op == uint32(op) && e.Base+e.Off == addr {
			return i
		}
	}
	t.Fatalf("no %v at 0x%x", op, addr)
	return -1
}

func TestTampered(t *testing.T) {
	p := program(t)
	recs := run(t, p)
	ev := events(recs)
	clone := func() []bus.LoadStoreEvent {
		c := slices.Clone(ev)
		for i := range c {
			c[i].Words = slices.Clone(c[i].Words)
		}
		return c
	}
	// edit changes the chip's trace; range (m16, m12, m8) lets it move range lookups.
	reject := func(what string, bad []bus.LoadStoreEvent, edit func(main, rangeMain [][]field.Elem)) {
		t.Helper()
		tb, pub := tables(p, recs, bad)
		if edit != nil {
			edit(tb[0].Main, tb[2].Main)
		}
		chiptest.MustReject(t, what, tb, pub)
	}
	{ // The CPU claims a wrong loaded value; the chip's trace follows the claim.
		bad := clone()
		bad[find(t, bad, isa.LW, 0x2001)].Val++
		reject("wrong loaded value", bad, nil)
	}
	{ // A signed byte load that zero-extends.
		bad := clone()
		i := find(t, bad, isa.LB, 0x2002)
		if bad[i].Val != 0xffffffff {
			t.Fatalf("LB 0x2002 loads %#x", bad[i].Val)
		}
		bad[i].Val = 0xff
		reject("wrong sign extension", bad, nil)
	}
	{ // An unsigned halfword load that sign-extends.
		bad := clone()
		i := find(t, bad, isa.LHU, 0x2003)
		bad[i].Val |= 0xffff0000
		reject("sign-extended unsigned load", bad, nil)
	}
	{ // A byte store that also changes the byte next to it (its word is not touched again,
		// so the memory argument alone would accept it).
		bad := clone()
		i := find(t, bad, isa.SB, 0x4001)
		bad[i].Words[0].After ^= 0x00ff0000
		reject("store changes another byte", bad, nil)
	}
	{ // A crossing halfword store that leaves its second byte unwritten.
		bad := clone()
		i := find(t, bad, isa.SH, 0x4007)
		bad[i].Words[1].After = bad[i].Words[1].Before
		reject("store skips a byte", bad, nil)
	}
	{ // A load that changes memory.
		bad := clone()
		i := find(t, bad, isa.LW, 0x20000)
		bad[i].Words[0].After++
		reject("load writes", bad, nil)
	}
	{ // base + off without the low limb's carry: the load reads word 0x4000 (byte
		// 0x10000, never written: 0) instead of 0x20000.
		bad := clone()
		i := find(t, bad, isa.LW, 0x20000)
		bad[i].Val = 0
		bad[i].Words[0] = trace.Access{Kind: trace.Read, Addr: 0x10000, TS: bad[i].Words[0].TS, First: true}
		reject("wrong address carry", bad, func(m, rm [][]field.Elem) {
			m[col.C0.Index][i] = field.New(0)
			m[col.AddrHi.Index][i] = field.New(1)
			one := field.New(1)
			rm[0][2].Sub(&rm[0][2], &one) // the U16 lookup of addr_hi moves from 2 to 1
			rm[0][1].Add(&rm[0][1], &one)
		})
	}
	{ // A crossing load that claims the wrap to word 0 away from the top word: its second
		// word becomes w + 1 − 2^30 mod p, a valid word index for small w. (The last access
		// to word 0x2004, so that the memory argument alone would accept it.)
		bad := clone()
		i := find(t, bad, isa.LHU, 0x2003)
		var alias field.Elem
		alias.SetInt64(0x2004/4 - 1<<30)
		bad[i].Words[1] = trace.Access{Kind: trace.Read, Addr: uint32(alias.Uint64()) * 4, TS: bad[i].Words[1].TS, First: true}
		bad[i].Val = bad[i].Words[0].Before >> 24
		reject("wrap away from the top word", bad, func(m, _ [][]field.Elem) {
			m[col.Wrap.Index][i] = field.New(1)
		})
	}
}
