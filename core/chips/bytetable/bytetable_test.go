package bytetable_test

import (
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	. "github.com/oneiros-zk/oneiros/core/chips/bytetable"
	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/lookup"
)

type lk struct{ op, x, y, z uint32 }

// messages sends the lookups as public messages (standing in for the chips that use
// the tables).
func messages(ls []lk) []lookup.Message {
	var m []lookup.Message
	for _, l := range ls {
		m = append(m, lookup.Message{Bus: bus.Bitwise.ID, Send: true, Mult: field.New(1), Tuple: []field.Elem{
			field.New(uint64(l.op)), field.New(uint64(l.x)), field.New(uint64(l.y)), field.New(uint64(l.z))}})
	}
	return m
}

// tables are the range table and the byte tables that counting the lookups ls makes
// present.
func tables(ls []lk) []chiptest.Table {
	c := new(Counter)
	for _, l := range ls {
		c.Lookup(l.op, l.x, l.y)
	}
	return chiptest.LookupTables(new(rangetable.Counter), c)
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
	for _, op := range Ops {
		pre := Preprocessed(op)
		for _, xy := range [][2]uint32{{0, 0}, {1, 2}, {0x5a, 0xa5}, {255, 255}} {
			r := Row(xy[0], xy[1])
			got := [3]uint64{pre[0][r].Uint64(), pre[1][r].Uint64(), pre[2][r].Uint64()}
			want := [3]uint64{uint64(xy[0]), uint64(xy[1]), uint64(Eval(op, xy[0], xy[1]))}
			if got != want {
				t.Errorf("%s row %d: got %v, want %v", Name(op), r, got, want)
			}
		}
	}
}

func TestValid(t *testing.T) {
	ls := lookups()
	chiptest.MustProve(t, tables(ls), messages(ls))
}

// TestOnlyUsedTables: a table nothing looked up has no trace (the machine leaves it out);
// byte pairs' range checks are counted for the range table.
func TestOnlyUsedTables(t *testing.T) {
	c := new(Counter)
	c.Range(1, 2)
	c.Lookup(uint32(isa.XOR), 3, 4)
	for _, op := range Ops {
		if got := c.Trace(op) != nil; got != (op == uint32(isa.XOR)) {
			t.Errorf("%s: present %v after a range check and a XOR", Name(op), got)
		}
	}
	if c.RangeCount(1<<8|2) != 1 || c.RangeCount(2<<8|1) != 0 {
		t.Errorf("range check of (1, 2) counted %d at row 0x102, %d at 0x201", c.RangeCount(1<<8|2), c.RangeCount(2<<8|1))
	}
	ls := []lk{{OpRange, 1, 2, 0}, {uint32(isa.XOR), 3, 4, 7}}
	if tb := tables(ls); len(tb) != 2 {
		t.Fatalf("%d tables, want the range table and the XOR table", len(tb))
	}
	chiptest.MustProve(t, tables(ls), messages(ls))
}

// with is a copy of ls with l added.
func with(ls []lk, l lk) []lk { return append(append([]lk(nil), ls...), l) }

func TestTampered(t *testing.T) {
	ls := lookups()
	and, xor := uint32(isa.AND), uint32(isa.XOR)
	for _, c := range []struct {
		what string
		sent []lk
		as   []lk // what the tables count instead
	}{
		{"wrong and", with(ls, lk{and, 0xf0, 0x3c, 0x31}), with(ls, lk{and, 0xf0, 0x3c, 0x30})},
		{"wrong op", with(ls, lk{uint32(isa.SUB), 1, 1, 0}), with(ls, lk{OpRange, 1, 1, 0})},
		{"range of a non-byte", with(ls, lk{OpRange, 256, 0, 0}), with(ls, lk{OpRange, 0, 0, 0})},
		{"range with z", with(ls, lk{OpRange, 3, 4, 1}), with(ls, lk{OpRange, 3, 4, 0})},
		// The XOR table is absent (nothing counted there): the lookup of a true XOR
		// tuple, counted on the AND table's row of the same bytes, has no receiver.
		{"lookup of an absent op's table", []lk{{and, 1, 3, 1}, {xor, 0xf0, 0x3c, 0xcc}}, []lk{{and, 1, 3, 1}, {and, 0xf0, 0x3c, 0x30}}},
		// No AND table: an AND tuple counted as a range check's row (range table).
		{"and sent to the range table", []lk{{OpRange, 1, 1, 0}, {and, 1, 1, 1}}, []lk{{OpRange, 1, 1, 0}, {OpRange, 1, 1, 0}}},
		// A range check counted on the AND table's row of the same bytes.
		{"range check sent to the AND table", []lk{{and, 1, 1, 1}, {OpRange, 2, 3, 0}}, []lk{{and, 1, 1, 1}, {and, 2, 3, 2}}},
	} {
		chiptest.MustReject(t, c.what, tables(c.as), messages(c.sent))
	}
}
