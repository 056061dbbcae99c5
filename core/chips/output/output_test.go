package output

import (
	"math/rand/v2"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/chips/poseidon2"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/lookup"
)

func bytesN(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(uint64(n), seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// send is the I/O chip's Output message for the byte x at position q (here x and q
// are any field elements: the stand-in sends what a test asks).
func send(q uint64, x field.Elem) lookup.Message {
	return lookup.Message{Bus: bus.Output.ID, Send: true, Mult: field.New(1), Tuple: []field.Elem{field.New(q), x}}
}

// messages stand for the I/O chip: it sends (outStart + i, share[i]) on the Output bus
// for every byte of the share, once.
func messages(outStart uint32, share []byte) []lookup.Message {
	var m []lookup.Message
	for i, x := range share {
		m = append(m, send(uint64(outStart)+uint64(i), field.New(uint64(x))))
	}
	return m
}

// segment is a segment's share of the run's output out: positions [from, to), with the
// sponge state where it starts.
type segment struct {
	out      []byte
	from, to uint32
}

func (g segment) share() []byte { return g.out[g.from:g.to] }
func (g segment) start() State  { return Absorb(IV(), 0, g.out[:g.from]) }

// tables are the output table (with the constraints and interactions named in skip left
// out of its AIR), the poseidon2 table and the range table of the segment, with the
// public values of the honest end state.
func (g segment) tables(skip map[string]bool) []chiptest.Table {
	rc := new(rangetable.Counter)
	main, calls, end := Trace(g.start(), g.from, g.share(), rc)
	return []chiptest.Table{
		{AIR: buildAIR(skip), Main: main, Publics: Publics(g.from, g.to, g.start(), end)},
		{AIR: poseidon2.AIR(), Main: poseidon2.Trace(calls)},
		chiptest.RangeTable(rc),
	}
}

func (g segment) messages() []lookup.Message { return messages(g.from, g.share()) }

func TestWidth(t *testing.T) {
	a := AIR()
	if len(a.Main) != Width || len(a.Publics) != NumPublics {
		t.Fatalf("AIR has %d main columns and %d publics; Width %d, NumPublics %d", len(a.Main), len(a.Publics), Width, NumPublics)
	}
	if d := a.MaxConstraintDegree(); d > 3 {
		t.Fatalf("constraint degree %d", d)
	}
	// The counts doc.go gives (and the deletion scan covers).
	if len(a.Constraints) != 73 || len(a.Interactions) != 34 {
		t.Fatalf("%d constraints and %d interactions; the doc says 73 and 34", len(a.Constraints), len(a.Interactions))
	}
}

// The digest by its definition (an independent reading of the doc): the output padded
// with zeros to whole blocks of 8 limbs, absorbed from IV, then a permutation with the
// length added to capacity element 1.
func TestDigestDefinition(t *testing.T) {
	for _, n := range []int{0, 1, 2, 15, 16, 17, 32, 33, 100} {
		out := bytesN(n, 1)
		var s [hash.Width]field.Elem
		s[8] = field.New(Domain)
		padded := append(append([]byte(nil), out...), make([]byte, 16)...)
		for k := 0; 16*k+16 <= n; k++ {
			for i := range 8 {
				v := field.New(uint64(padded[16*k+2*i]) | uint64(padded[16*k+2*i+1])<<8)
				s[i].Add(&s[i], &v)
			}
			hash.Permute(&s)
		}
		if n%16 != 0 {
			k := n / 16
			for i := range 8 {
				v := field.New(uint64(padded[16*k+2*i]) | uint64(padded[16*k+2*i+1])<<8)
				s[i].Add(&s[i], &v)
			}
		}
		ln := field.New(uint64(n))
		s[9].Add(&s[9], &ln)
		hash.Permute(&s)
		var want hash.Digest
		copy(want[:], s[:8])
		if got := Digest(out); got != want {
			t.Errorf("%d bytes: Digest %v, want %v", n, got, want)
		}
	}
	if Digest([]byte{0}) == Digest(nil) || Digest([]byte{1, 2}) == Digest([]byte{1, 2, 0}) ||
		Digest(make([]byte, 16)) == Digest(make([]byte, 15)) {
		t.Error("outputs differing by zero bytes share a digest")
	}
}

// The state after a share does not depend on where the segments cut the output.
func TestAbsorbChains(t *testing.T) {
	out := bytesN(70, 2)
	whole := Absorb(IV(), 0, out)
	for a := range len(out) + 1 {
		for _, b := range []int{a, a + 1, a + 16, a + 17, len(out)} {
			if b > len(out) {
				continue
			}
			s := Absorb(IV(), 0, out[:a])
			s = Absorb(s, uint32(a), out[a:b])
			s = Absorb(s, uint32(b), out[b:])
			if s != whole {
				t.Fatalf("cuts at %d, %d: another state", a, b)
			}
		}
	}
}

func TestBlocksAndPublics(t *testing.T) {
	for _, c := range []struct{ from, to uint32 }{{0, 0}, {5, 5}, {0, 1}, {0, 16}, {0, 17}, {3, 9}, {3, 16}, {15, 17}, {16, 48}, {17, 47}} {
		nb := Blocks(c.from, c.to)
		p := Publics(c.from, c.to, IV(), IV())
		// Every position of the blocks is either in the share or masked, exactly once.
		live := 0
		for k := range nb {
			for j := range BlockBytes {
				q := Base(c.from) + uint32(16*k+j)
				m := 0
				if k == 0 && p[PublicPre+j].IsOne() {
					m++
				}
				if k == nb-1 && p[PublicPost+j].IsOne() {
					m++
				}
				in := q >= c.from && q < c.to
				if (m == 0) != in || m > 1 {
					t.Errorf("[%d, %d): position %d masked %d times", c.from, c.to, q, m)
				}
				if in {
					live++
				}
			}
		}
		if live != int(c.to-c.from) {
			t.Errorf("[%d, %d): %d blocks hold %d positions of the share", c.from, c.to, nb, live)
		}
	}
}

func TestValid(t *testing.T) {
	out := bytesN(100, 3)
	for _, c := range []struct {
		name     string
		from, to uint32
	}{
		{"empty output", 0, 0},
		{"empty share inside a block", 37, 37},
		{"empty share at a block's end", 48, 48},
		{"one byte", 0, 1},
		{"one byte inside a block", 21, 22},
		{"a partial last block", 0, 21},
		{"one whole block", 0, 16},
		{"several blocks", 0, 64},
		{"several blocks, partial last", 0, 71},
		{"non-zero outStart, mid-block both ends", 5, 60},
		{"non-zero outStart ending a block", 7, 32},
		{"inside one block", 3, 12},
		{"the rest of a block", 9, 16},
		{"aligned start", 32, 100},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := segment{out, c.from, c.to}
			tb := g.tables(nil)
			end := Absorb(g.start(), g.from, g.share())
			if tb[0].Publics[PublicEnd] != end[0] {
				t.Fatal("Trace's end state is not Absorb's")
			}
			chiptest.MustProve(t, tb, g.messages())
		})
	}
}

// A run's output cut into segments as a Linker would: each segment's table starts from
// the state the previous one ended with (IV for the first), and finishing the last
// state gives Digest of the whole output, for cuts inside blocks, at their ends, and
// empty segments.
func TestSegmentsChain(t *testing.T) {
	out := bytesN(90, 4)
	for _, cuts := range [][]uint32{{0, 90}, {0, 5, 5, 37, 48, 90}, {0, 16, 32, 89, 90}} {
		s := IV()
		for i := 0; i+1 < len(cuts); i++ {
			from, to := cuts[i], cuts[i+1]
			rc := new(rangetable.Counter)
			main, calls, end := Trace(s, from, out[from:to], rc)
			tb := []chiptest.Table{
				{AIR: AIR(), Main: main, Publics: Publics(from, to, s, end)},
				{AIR: poseidon2.AIR(), Main: poseidon2.Trace(calls)},
				chiptest.RangeTable(rc),
			}
			if err := chiptest.Check(tb, messages(from, out[from:to])); err != nil {
				t.Fatalf("cuts %v, segment [%d, %d): %v", cuts, from, to, err)
			}
			s = end
		}
		if Finish(s, uint32(len(out))) != Digest(out) {
			t.Errorf("cuts %v: the chained state does not finish to the output's digest", cuts)
		}
	}
}
