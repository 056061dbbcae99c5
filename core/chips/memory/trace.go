package memory

import (
	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/proving/lookup"
	"slices"

	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
)

// Word is one row of the memory table: a word's address (word index), its initial and
// final values, the timestamp of its last access, and whether it belongs to the image.
type Word struct {
	Addr          uint32
	Init, Final   uint32
	FinalTS       uint64
	Image         bool
	Touched       bool
	lastTouchedTS uint64
}

// Table collects the words of a run.
type Table struct {
	words map[uint32]*Word
}

// NewTable starts a table with the image's words (word index → value).
func NewTable(image map[uint32]uint32) *Table {
	t := &Table{words: make(map[uint32]*Word, len(image))}
	for a, v := range image {
		t.words[a] = &Word{Addr: a, Init: v, Final: v, Image: true}
	}
	return t
}

// Touch records an access to word addr leaving value at timestamp ts; before is the
// value found, used as the initial value at the first touch of a word outside the image.
func (t *Table) Touch(addr, before, after uint32, ts uint64) {
	w := t.words[addr]
	if w == nil {
		w = &Word{Addr: addr, Init: before, Final: before}
		t.words[addr] = w
	}
	if ts >= w.lastTouchedTS {
		w.Final = after
		w.FinalTS = ts
		w.lastTouchedTS = ts
	}
	w.Touched = true
}

// Words returns the rows sorted by address.
func (t *Table) Words() []Word {
	ws := make([]Word, 0, len(t.words))
	for _, w := range t.words {
		ws = append(ws, *w)
	}
	slices.SortFunc(ws, func(a, b Word) int { return int(int64(a.Addr) - int64(b.Addr)) })
	return ws
}

// Trace fills the memory table (at least one padding row) and counts its range lookups.
func Trace(words []Word, rc *rangetable.Counter) [][]field.Elem { return TraceRows(words, rc, 0) }

// TraceRows is Trace padded to at least rows rows (more padding rows, as Trace fills them).
func TraceRows(words []Word, rc *rangetable.Counter, rows int) [][]field.Elem {
	cols := air.NewTrace(Width, max(len(words)+1, rows)) // at least one padding row
	n := len(cols[0])
	set := func(c air.Column, r int, v uint64) { cols[c.Index][r] = field.New(v) }
	for r := range n {
		var gap uint32
		if r < len(words) {
			w := words[r]
			set(col.IsReal, r, 1)
			set(col.Addr, r, uint64(w.Addr))
			set(col.AddrLo, r, uint64(w.Addr&0xffff))
			set(col.AddrHi, r, uint64(w.Addr>>16))
			set(col.InitLo, r, uint64(w.Init&0xffff))
			set(col.InitHi, r, uint64(w.Init>>16))
			set(col.FinalLo, r, uint64(w.Final&0xffff))
			set(col.FinalHi, r, uint64(w.Final>>16))
			set(col.FinalTS, r, w.FinalTS)
			rc.U16(w.Addr & 0xffff)
			rc.U16(w.Addr >> 16)
			rc.U16((w.Addr >> 16) * 4)
			if r+1 < len(words) {
				gap = words[r+1].Addr - w.Addr - 1
			}
			set(col.GapLo, r, uint64(gap&0xffff))
			set(col.GapHi, r, uint64(gap>>16))
			rc.U16(gap & 0xffff)
			rc.U16(gap >> 16)
			rc.U16((gap >> 16) * 4)
		}
	}
	return cols
}

// col holds the column indices (from a throwaway builder: the allocation is deterministic).
var col = newColumns(air.NewBuilder("memory"))

// Width is the number of main columns.
var Width = len(AIR().Main)

// Messages are the public messages a verifier puts on the buses for the table's words:
// each word's initial value sent on the Image bus and its final value received on the
// MemoryFinal bus.
func Messages(words []Word) []lookup.Message {
	one := field.New(1)
	var m []lookup.Message
	for _, w := range words {
		a := field.New(uint64(w.Addr))
		m = append(m,
			lookup.Message{Bus: bus.Image.ID, Send: true, Mult: one, Tuple: []field.Elem{a, field.New(uint64(w.Init & 0xffff)), field.New(uint64(w.Init >> 16))}},
			lookup.Message{Bus: bus.MemoryFinal.ID, Mult: one, Tuple: []field.Elem{a, field.New(uint64(w.Final & 0xffff)), field.New(uint64(w.Final >> 16))}})
	}
	return m
}
