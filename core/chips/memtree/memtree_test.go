package memtree

import (
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/chips/poseidon2"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/lookup"
)

// memoryMessages stand for the memory table (package memory): for each touched word it
// receives (addr, init) on bus.Image and sends (addr, final) on bus.MemoryFinal.
func memoryMessages(changes []Change) []lookup.Message {
	one := field.New(1)
	var m []lookup.Message
	for _, c := range changes {
		a := field.New(uint64(c.Addr))
		lo, hi := Limbs(c.Init)
		m = append(m, lookup.Message{Bus: bus.Image.ID, Mult: one, Tuple: []field.Elem{a, lo, hi}})
		lo, hi = Limbs(c.Final)
		m = append(m, lookup.Message{Bus: bus.MemoryFinal.ID, Send: true, Mult: one, Tuple: []field.Elem{a, lo, hi}})
	}
	return m
}

// messages are the verifier's root message and the memory table's messages of w.
func messages(w *Witness) []lookup.Message {
	return append([]lookup.Message{Message(w.Roots[Init], w.Roots[Final])}, memoryMessages(w.Changes)...)
}

// tables are the node, leaf, poseidon2 and range tables of w, with the AIRs less the
// constraints and interactions named in skip.
func tables(w *Witness, skip map[string]bool) []chiptest.Table {
	rc := new(rangetable.Counter)
	node, leaf, calls := trace(w, rc, skip)
	return []chiptest.Table{
		{AIR: nodeAIR(skip), Main: node},
		{AIR: leafAIR(skip), Main: leaf},
		{AIR: poseidon2.AIR(), Main: poseidon2.Trace(calls)},
		chiptest.RangeTable(rc),
	}
}

// witness applies touched to the tree of words.
func witness(t testing.TB, words map[uint32]uint32, touched []Touch) *Witness {
	t.Helper()
	tr, err := FromWords(words)
	if err != nil {
		t.Fatal(err)
	}
	w, err := tr.Apply(touched)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestWidth(t *testing.T) {
	n, l := NodeAIR(), LeafAIR()
	if len(n.Main) != NodeWidth || len(l.Main) != LeafWidth {
		t.Fatalf("widths %d, %d; NodeWidth %d, LeafWidth %d", len(n.Main), len(l.Main), NodeWidth, LeafWidth)
	}
	if d := max(n.MaxConstraintDegree(), l.MaxConstraintDegree()); d > 3 {
		t.Fatalf("constraint degree %d", d)
	}
}

// image is a small program image: words at the bottom of memory and at its top.
var image = map[uint32]uint32{0: 0x00000013, 1: 0xdeadbeef, 2: 7, 9: 0x10000, 1000: 5, 1<<30 - 3: 0xffff0000}

func TestValid(t *testing.T) {
	for _, tc := range []struct {
		name    string
		touched []Touch
	}{
		{"one word", []Touch{{1000, 6}}},
		{"several words of one block", []Touch{{0, 1}, {1, 0}, {3, 0xffffffff}, {7, 0x8000}}},
		{"blocks sharing a path", []Touch{{8, 1}, {17, 2}, {9, 3}, {64, 4}, {1 << 20, 5}}},
		{"address 0 and 2^30 − 1", []Touch{{0, 42}, {1<<30 - 1, 0xfffffffe}}},
		{"a touched word keeps its value", []Touch{{1, 0xdeadbeef}, {2, 8}, {500, 0}}},
		{"a whole block", []Touch{{16, 1}, {17, 2}, {18, 3}, {19, 4}, {20, 5}, {21, 6}, {22, 7}, {23, 8}}},
		{"nothing touched", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := witness(t, image, tc.touched)
			chiptest.MustProve(t, tables(w, nil), messages(w))
		})
	}
}

// The proof fixes both roots: the verifier's message with another final root (the
// honest tree's with one more word changed) or another initial root is refused.
func TestWrongRoot(t *testing.T) {
	w := witness(t, image, []Touch{{1000, 6}})
	tr, _ := FromWords(image)
	_, _ = tr.Apply([]Touch{{1000, 6}, {1001, 1}})
	m := messages(w)
	m[0] = Message(w.Roots[Init], tr.Root())
	chiptest.MustReject(t, "another final root", tables(w, nil), m)
	m[0] = Message(New().Root(), w.Roots[Final])
	chiptest.MustReject(t, "another initial root", tables(w, nil), m)
}
