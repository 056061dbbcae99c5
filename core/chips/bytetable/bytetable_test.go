package bytetable

import (
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/lookup"
)

type lk struct{ op, x, y, z uint32 }

// messages sends the lookups as public messages (standing in for the chips that use
// the table).
func messages(ls []lk) []lookup.Message {
	var m []lookup.Message
	for _, l := range ls {
		m = append(m, lookup.Message{Bus: bus.Bitwise.ID, Send: true, Mult: field.New(1), Tuple: []field.Elem{
			field.New(uint64(l.op)), field.New(uint64(l.x)), field.New(uint64(l.y)), field.New(uint64(l.z))}})
	}
	return m
}

func table(ls []lk) []chiptest.Table {
	c := new(Counter)
	for _, l := range ls {
		c.Lookup(l.op, l.x, l.y)
	}
	a, _ := AIR()
	return []chiptest.Table{{AIR: a, Main: c.Trace(), Prep: Preprocessed()}}
}

func lookups() []lk {
	and, or, xor := uint32(isa.AND), uint32(isa.OR), uint32(isa.XOR)
	return []lk{
		{and, 0xf0, 0x3c, 0x30}, {or, 0xf0, 0x3c, 0xfc}, {xor, 0xf0, 0x3c, 0xcc},
		{and, 0xff, 0xff, 0xff}, {xor, 0xff, 0xff, 0}, {or, 0, 0, 0},
		{OpRange, 0, 255, 0}, {OpRange, 255, 0, 0}, {OpRange, 7, 7, 0}, {OpRange, 7, 7, 0},
	}
}

func TestEval(t *testing.T) {
	pre := Preprocessed()
	for _, op := range Ops {
		for _, xy := range [][2]uint32{{0, 0}, {1, 2}, {0x5a, 0xa5}, {255, 255}} {
			r := Row(op, xy[0], xy[1])
			got := [4]uint64{pre[0][r].Uint64(), pre[1][r].Uint64(), pre[2][r].Uint64(), pre[3][r].Uint64()}
			want := [4]uint64{uint64(op), uint64(xy[0]), uint64(xy[1]), uint64(Eval(op, xy[0], xy[1]))}
			if got != want {
				t.Errorf("row %d: got %v, want %v", r, got, want)
			}
		}
	}
}

func TestValid(t *testing.T) {
	ls := lookups()
	chiptest.MustProve(t, table(ls), messages(ls))
}

func TestTampered(t *testing.T) {
	ls := lookups()
	for _, c := range []struct {
		what string
		bad  lk
		as   lk // the row the table counts instead
	}{
		{"wrong and", lk{uint32(isa.AND), 0xf0, 0x3c, 0x31}, lk{uint32(isa.AND), 0xf0, 0x3c, 0x30}},
		{"wrong op", lk{uint32(isa.SUB), 1, 1, 0}, lk{OpRange, 1, 1, 0}},
		{"range of a non-byte", lk{OpRange, 256, 0, 0}, lk{OpRange, 0, 0, 0}},
		{"range with z", lk{OpRange, 3, 4, 1}, lk{OpRange, 3, 4, 0}},
	} {
		sent := append(append([]lk(nil), ls...), c.bad)
		counted := append(append([]lk(nil), ls...), c.as)
		chiptest.MustReject(t, c.what, table(counted), messages(sent))
	}
}
