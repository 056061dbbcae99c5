package memory

import (
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/lookup"
)

type access struct {
	addr, before, after uint32
	prevTS, ts          uint64
}

// accessMessages plays the chips' side of the memory argument with public messages.
func accessMessages(as []access) []lookup.Message {
	var m []lookup.Message
	msg := func(send bool, addr, v uint32, ts uint64) lookup.Message {
		return lookup.Message{Bus: bus.Memory.ID, Send: send, Mult: field.New(1), Tuple: []field.Elem{
			field.New(uint64(addr)), field.New(uint64(v & 0xffff)), field.New(uint64(v >> 16)), field.New(ts)}}
	}
	for _, a := range as {
		m = append(m, msg(false, a.addr, a.before, a.prevTS), msg(true, a.addr, a.after, a.ts))
	}
	return m
}

func scenario() (map[uint32]uint32, []access) {
	img := map[uint32]uint32{10: 0xdeadbeef, 11: 7, 1 << 29: 3}
	as := []access{
		{addr: 10, before: 0xdeadbeef, after: 0xdeadbeef, prevTS: 0, ts: 130},      // read image word
		{addr: 500, before: 0, after: 42, prevTS: 0, ts: 131},                      // first write
		{addr: 500, before: 42, after: 42, prevTS: 131, ts: 258},                   // read it back
		{addr: 10, before: 0xdeadbeef, after: 1, prevTS: 130, ts: 259},             // overwrite image word
		{addr: (1 << 30) - 1, before: 0, after: 0xffffffff, prevTS: 0, ts: 400000}, // top word
	}
	return img, as
}

// tables are the memory table and the range table of the scenario, with the verifier's
// messages for the table's words (their initial and final values).
func tables(img map[uint32]uint32, as []access) ([]chiptest.Table, []lookup.Message) {
	t := NewTable(img)
	for _, a := range as {
		t.Touch(a.addr, a.before, a.after, a.ts)
	}
	rc := new(rangetable.Counter)
	return []chiptest.Table{{AIR: AIR(), Main: Trace(t.Words(), rc)}, chiptest.RangeTable(rc)}, Messages(t.Words())
}

func TestValid(t *testing.T) {
	img, as := scenario()
	tb, words := tables(img, as)
	chiptest.MustProve(t, tb, append(accessMessages(as), words...))
}

func TestTampered(t *testing.T) {
	img, as := scenario()
	tb, words := tables(img, as)
	pub := func(as []access) []lookup.Message { return append(accessMessages(as), words...) }
	{ // A read that disagrees with the last write.
		bad := append([]access(nil), as...)
		bad[2].before, bad[2].after = 43, 43
		chiptest.MustReject(t, "read disagrees with write", tb, pub(bad))
	}
	{ // A read of an image word that claims another initial value.
		bad := append([]access(nil), as...)
		bad[0].before, bad[0].after = 5, 5
		chiptest.MustReject(t, "wrong image value", tb, pub(bad))
	}
	{ // The table starts a word at zero instead of the value the verifier sends.
		tb, _ := tables(img, as)
		for r := range tb[0].Main[col.Addr.Index] {
			if tb[0].Main[col.Addr.Index][r].Uint64() == 11 {
				tb[0].Main[col.InitLo.Index][r] = field.Elem{}
			}
		}
		chiptest.MustReject(t, "image word zeroed", tb, pub(as))
	}
	{ // The table ends a word at another value than the verifier receives.
		tb, _ := tables(img, as)
		for r := range tb[0].Main[col.Addr.Index] {
			if tb[0].Main[col.Addr.Index][r].Uint64() == 500 {
				tb[0].Main[col.FinalLo.Index][r] = field.New(41)
			}
		}
		chiptest.MustReject(t, "final value differs from the list", tb, pub(as))
	}
	{ // A word listed twice (a second initial value to read from).
		tb, _ := tables(img, as)
		tb[0].Main[col.Addr.Index][1] = tb[0].Main[col.Addr.Index][0]
		chiptest.MustReject(t, "duplicate address", tb, pub(as))
	}
}
