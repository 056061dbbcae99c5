package frame

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

// program makes nested calls, and two calls that reach the top word (0xfffffffc) as a
// frame, so that its saved fp lands in word 0.
func program(t *testing.T) *isa.Program {
	b := isa.NewBuilder()
	b.SetFP(0x1000)
	f, g, h1, h2 := b.NewLabel("f"), b.NewLabel("g"), b.NewLabel("h1"), b.NewLabel("h2")
	b.Call(f, 16)
	b.Call(h1, 0x7ffffffc) // frame 0x80000ffc
	b.Halt(isa.Imm(0))
	b.Bind(f)
	b.ALU(isa.ADD, 4, isa.Slot(4), isa.Imm(0)) // rewrites the saved fp (for the tampering tests)
	b.Call(g, 16)
	b.Ret()
	b.Bind(g)
	b.Ret()
	b.Bind(h1)
	b.Call(h2, 0x7ffff000) // frame 0xfffffffc
	b.Ret()
	b.Bind(h2)
	b.Ret()
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
	return cl == isa.ClassCall || cl == isa.ClassRet
}

func isChipAccess(a *trace.Access) bool {
	return a.Slot() == trace.SlotData || a.Slot() == trace.SlotData+1
}

// events collects what the CPU sends on the Frame bus.
func events(recs []*trace.Record) []bus.FrameEvent {
	var ev []bus.FrameEvent
	for _, r := range recs {
		if !isChip(r) {
			continue
		}
		e := bus.FrameEvent{Clk: r.Clk, Call: r.Inst.Op == isa.CALL}
		if e.Call {
			e.FP, e.PC, e.SavedFP = r.NextFP/4, r.PC+1, r.FP/4
		} else {
			e.FP, e.PC, e.SavedFP = r.FP/4, r.NextPC, r.NextFP/4
		}
		var i int
		for _, a := range r.Accesses {
			if isChipAccess(&a) {
				e.Words[i] = a
				i++
			}
		}
		ev = append(ev, e)
	}
	return ev
}

func word(v uint32) []field.Elem {
	return []field.Elem{field.New(uint64(v & 0xffff)), field.New(uint64(v >> 16))}
}

func frameMessage(e bus.FrameEvent) lookup.Message {
	kind := uint64(1)
	if e.Call {
		kind = 0
	}
	return lookup.Message{Bus: bus.Frame.ID, Send: true, Mult: field.New(1), Tuple: []field.Elem{
		field.New(e.Clk), field.New(kind), field.New(uint64(e.FP)), field.New(uint64(e.PC)), field.New(uint64(e.SavedFP))}}
}

// tables builds the chip's table from ev, the memory table over every access (the
// chip's from ev, the others from the records), and the range table; the CPU's side —
// its own accesses and its Frame sends — are public messages. The program has no image.
func tables(recs []*trace.Record, ev []bus.FrameEvent) ([]chiptest.Table, []lookup.Message) {
	var pub []lookup.Message
	mem := func(send bool, a trace.Access, v uint32, ts uint64) lookup.Message {
		return lookup.Message{Bus: bus.Memory.ID, Send: send, Mult: field.New(1),
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
		all = append(all, e.Words[:]...)
		pub = append(pub, frameMessage(e))
	}
	slices.SortFunc(all, func(a, b trace.Access) int { return int(int64(a.TS) - int64(b.TS)) })
	mt := memory.NewTable(nil)
	for _, a := range all {
		mt.Touch(a.Addr/4, a.Before, a.After, a.TS)
	}
	rc := new(rangetable.Counter)
	tb := []chiptest.Table{
		{AIR: AIR(), Main: Trace(ev, rc)},
		{AIR: memory.AIR(), Main: memory.Trace(mt.Words(), rc)},
	}
	return append(tb, chiptest.RangeTable(rc)), append(pub, memory.Messages(mt.Words())...)
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
	recs := run(t, program(t))
	ev := events(recs)
	if e := ev[6]; e.Call || e.FP != 1<<30-1 || e.Words[1].Addr != 0 {
		t.Fatalf("event 6 is not the return from the top word: %+v", e)
	}
	tb, pub := tables(recs, ev)
	chiptest.MustProve(t, tb, pub)
}

func TestTampered(t *testing.T) {
	recs := run(t, program(t))
	ev := events(recs)
	// Events: 0 CALL f, 1 CALL g, 2 RET g, 3 RET f, 4 CALL h1, 5 CALL h2, 6 RET h2,
	// 7 RET h1.
	clone := func() []bus.FrameEvent { return slices.Clone(ev) }
	reject := func(what string, recs []*trace.Record, bad []bus.FrameEvent, edit func(main, rangeMain [][]field.Elem)) {
		t.Helper()
		tb, pub := tables(recs, bad)
		if edit != nil {
			edit(tb[0].Main, tb[2].Main)
		}
		chiptest.MustReject(t, what, tb, pub)
	}
	{ // RET claims a return pc other than the word [fp].
		bad := clone()
		bad[3].PC++
		reject("wrong return pc", recs, bad, nil)
	}
	{ // RET claims a saved fp other than the quarter of [fp+1].
		bad := clone()
		bad[3].SavedFP++
		reject("wrong saved fp", recs, bad, nil)
	}
	{ // CALL claims to write a saved fp other than the one stored.
		bad := clone()
		bad[0].SavedFP++
		reject("call stores another fp", recs, bad, nil)
	}
	{ // f leaves an unaligned byte address in [fp+1] (exec traps at its RET). The prover
		// restores the field element saved_fp = word/4 mod p: saved_lo is no 14-bit value.
		rs := slices.Clone(recs)
		var i int
		for rs[i].Inst.Op != isa.ADD {
			i++
		}
		r := rs[i].Clone()
		r.Accesses[1].After += 2
		r.A += 2
		rs[i] = r
		bad := clone()
		word := bad[3].Words[1].Before + 2
		bad[3].Words[1].Before, bad[3].Words[1].After = word, word
		var lo, q field.Elem
		q.SetUint64(4)
		q.Inverse(&q)
		lo.SetUint64(uint64(word & 0xffff))
		lo.Mul(&lo, &q)
		var saved field.Elem
		saved.SetUint64(uint64(word>>16) << 14)
		saved.Add(&saved, &lo)
		reject("unaligned saved fp", rs, bad, nil)
		// The same run with the chip's witness and the CPU's message following the field
		// element saved_lo = lo/4.
		tb, pub := tables(rs, bad)
		tb[0].Main[col.SavedLo.Index][3] = lo
		for j, m := range pub {
			if m.Bus == bus.Frame.ID && m.Tuple[0].Uint64() == bad[3].Clk {
				pub[j].Tuple = slices.Clone(m.Tuple)
				pub[j].Tuple[4] = saved
			}
		}
		// saved_lo's lookups were counted for the original value; the lookup of 4·saved_lo
		// is the word's low limb, a 16-bit value, and the one of saved_lo finds no row.
		one := field.New(1)
		orig := bad[3].SavedFP & (1<<14 - 1)
		m16 := tb[2].Main[0]
		m16[orig].Sub(&m16[orig], &one)
		m16[orig*4].Sub(&m16[orig*4], &one)
		m16[word&0xffff].Add(&m16[word&0xffff], &one)
		chiptest.MustReject(t, "unaligned saved fp as a field element", tb, pub)
	}
	{ // A frame away from the top word whose link word claims the wrap to word 0: its
		// link word becomes fp + 1 − 2^30 mod p, a valid word index for a small fp (a
		// fresh word: RET reads 0). RET g is the last access to g's link word.
		bad := clone()
		var alias field.Elem
		alias.SetInt64(int64(bad[2].FP) + 1 - 1<<30)
		bad[2].Words[1] = trace.Access{Kind: trace.Read, Addr: uint32(alias.Uint64()) * 4, TS: bad[2].Words[1].TS, First: true}
		bad[2].SavedFP = 0
		reject("wrap away from the top word", recs, bad, func(m, _ [][]field.Elem) {
			m[col.Wrap.Index][2] = field.New(1)
		})
	}
}
