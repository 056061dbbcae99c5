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

func imageMessages(img map[uint32]uint32) []lookup.Message {
	var m []lookup.Message
	for a, v := range img {
		m = append(m, lookup.Message{Bus: bus.Image.ID, Send: true, Mult: field.New(1), Tuple: []field.Elem{
			field.New(uint64(a)), field.New(uint64(v & 0xffff)), field.New(uint64(v >> 16))}})
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

func tables(img map[uint32]uint32, as []access) []chiptest.Table {
	t := NewTable(img)
	for _, a := range as {
		t.Touch(a.addr, a.before, a.after, a.ts)
	}
	rc := new(rangetable.Counter)
	return []chiptest.Table{{AIR: AIR(), Main: Trace(t.Words(), rc)}, chiptest.RangeTable(rc)}
}

func TestValid(t *testing.T) {
	img, as := scenario()
	chiptest.MustProve(t, tables(img, as), append(accessMessages(as), imageMessages(img)...))
}

func TestTampered(t *testing.T) {
	img, as := scenario()
	pub := func(as []access) []lookup.Message { return append(accessMessages(as), imageMessages(img)...) }
	{ // A read that disagrees with the last write.
		bad := append([]access(nil), as...)
		bad[2].before, bad[2].after = 43, 43
		chiptest.MustReject(t, "read disagrees with write", tables(img, as), pub(bad))
	}
	{ // A read of an image word that claims another initial value.
		bad := append([]access(nil), as...)
		bad[0].before, bad[0].after = 5, 5
		chiptest.MustReject(t, "wrong image value", tables(img, as), pub(bad))
	}
	{ // The table starts an image word at zero instead of the image value.
		tb := tables(img, as)
		for r := range tb[0].Main[col.IsImage.Index] {
			if tb[0].Main[col.Addr.Index][r].Uint64() == 11 {
				tb[0].Main[col.IsImage.Index][r] = field.Elem{}
				tb[0].Main[col.InitLo.Index][r] = field.Elem{}
			}
		}
		chiptest.MustReject(t, "image word zeroed", tb, pub(as))
	}
	{ // A word listed twice (a second initial value to read from).
		tb := tables(img, as)
		tb[0].Main[col.Addr.Index][1] = tb[0].Main[col.Addr.Index][0]
		chiptest.MustReject(t, "duplicate address", tb, pub(as))
	}
}
