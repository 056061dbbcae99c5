package addsub

import (
	"math/rand/v2"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/lookup"
)

func events() []bus.ALUEvent {
	r := rand.New(rand.NewPCG(1, 2))
	edge := []uint32{0, 1, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff}
	var ev []bus.ALUEvent
	for i := range 40 {
		x, y := r.Uint32(), r.Uint32()
		if i < len(edge)*2 {
			x, y = edge[i%len(edge)], edge[(i/2)%len(edge)]
		}
		if i%2 == 0 {
			ev = append(ev, bus.ALUEvent{Op: uint32(isa.ADD), X: x, Y: y, Z: x + y})
		} else {
			ev = append(ev, bus.ALUEvent{Op: uint32(isa.SUB), X: x, Y: y, Z: x - y})
		}
	}
	return ev
}

// sends returns the ALU messages the CPU would send for the events.
func sends(ev []bus.ALUEvent) []lookup.Message {
	var m []lookup.Message
	for _, e := range ev {
		m = append(m, lookup.Message{Bus: bus.ALU.ID, Send: true, Mult: field.New(1), Tuple: []field.Elem{
			field.New(uint64(e.Op)), field.New(uint64(e.X & 0xffff)), field.New(uint64(e.X >> 16)),
			field.New(uint64(e.Y & 0xffff)), field.New(uint64(e.Y >> 16)), field.New(uint64(e.Z & 0xffff)), field.New(uint64(e.Z >> 16)),
		}})
	}
	return m
}

func tables(ev []bus.ALUEvent) []chiptest.Table {
	rc := new(rangetable.Counter)
	main := Trace(ev, rc)
	return []chiptest.Table{{AIR: AIR(), Main: main}, chiptest.RangeTable(rc)}
}

func TestValid(t *testing.T) {
	ev := events()
	chiptest.MustProve(t, tables(ev), sends(ev))
}

func TestTampered(t *testing.T) {
	ev := events()
	{ // The CPU claims a wrong sum; the chip's trace follows the claim.
		bad := append([]bus.ALUEvent(nil), ev...)
		bad[3].Z++
		chiptest.MustReject(t, "wrong sum", tables(bad), sends(bad))
	}
	{ // A wrong carry in the trace.
		tb := tables(ev)
		tb[0].Main[col.C0.Index][0] = field.New(1 - tb[0].Main[col.C0.Index][0].Uint64())
		chiptest.MustReject(t, "wrong carry", tb, sends(ev))
	}
	{ // A result limb ≥ 2^16 that still satisfies the limb equations.
		tb := tables(ev)
		var v field.Elem
		v.SetUint64(1 << 16)
		tb[0].Main[col.ZLo.Index][1].Add(&tb[0].Main[col.ZLo.Index][1], &v)
		one := field.New(1)
		tb[0].Main[col.C0.Index][1].Add(&tb[0].Main[col.C0.Index][1], &one)
		chiptest.MustReject(t, "unreduced limb", tb, sends(ev))
	}
	{ // An op the chip does not prove.
		tb := tables(ev)
		tb[0].Main[col.IsAdd.Index][2] = field.New(1)
		tb[0].Main[col.IsSub.Index][2] = field.New(1)
		chiptest.MustReject(t, "two ops", tb, sends(ev))
	}
}
