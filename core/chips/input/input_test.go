package input

import (
	"math/rand/v2"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/chips/poseidon2"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/lookup"
)

func bytesN(n int) []byte {
	r := rand.New(rand.NewPCG(uint64(n), 7))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// reads are the offsets of every READ of a run that reads the whole input.
func reads(n int) []uint32 {
	var o []uint32
	for off := 0; off < n; off += 4 {
		o = append(o, uint32(off))
	}
	return o
}

// messages are the I/O chip's Input sends for the READs at offsets, answering the words
// of tape, and the verifier's start-state message.
func messages(tape []byte, start State, offsets []uint32) []lookup.Message {
	m := []lookup.Message{Message(start)}
	for _, o := range offsets {
		m = append(m, inputSend(o, Word(tape, int(o/4))))
	}
	return m
}

// seg is one segment's tables (input, poseidon2, range) and messages, and the states
// where it finds and leaves the sponge.
type seg struct {
	tb         []chiptest.Table
	msgs       []lookup.Message
	start, end State
}

// segment builds the honest tables of the segment [inStart, inEnd) of a run whose tape
// is claimed as an input of n bytes, with READs at offsets.
func segment(tape []byte, n, inStart, inEnd uint32, final bool, offsets []uint32) seg {
	first, end := Span(n, inStart, inEnd, final)
	start := Advance(tape, Start(n), 0, first)
	rc := new(rangetable.Counter)
	main, calls, last := trace(tape, n, first, end, start, offsets, rc)
	return seg{
		tb: []chiptest.Table{
			{AIR: AIR(), Main: main, Publics: Publics(n, inStart, inEnd, final, start, last)},
			{AIR: poseidon2.AIR(), Main: poseidon2.Trace(calls)},
			chiptest.RangeTable(rc),
		},
		msgs:  messages(tape, start, offsets),
		start: start, end: last,
	}
}

// whole is a run of one final segment over an input of n bytes reading offsets.
func whole(tape []byte, n uint32, offsets []uint32) seg {
	var end uint32
	for _, o := range offsets {
		end = max(end, min(o+4, n))
	}
	return segment(tape, n, 0, end, true, offsets)
}

// readsIn are the READ offsets of [from, to).
func readsIn(from, to uint32) []uint32 {
	var o []uint32
	for off := from; off < to; off += 4 {
		o = append(o, off)
	}
	return o
}

func TestWidth(t *testing.T) {
	a := AIR()
	if len(a.Main) != Width || len(a.Publics) != NumPublics {
		t.Fatalf("AIR has %d main columns and %d publics; Width %d, NumPublics %d", len(a.Main), len(a.Publics), Width, NumPublics)
	}
	if d := a.MaxConstraintDegree(); d > 3 {
		t.Fatalf("constraint degree %d", d)
	}
}

// Digest is a sponge over the words as limbs, by the definition (an independent
// reading of its doc).
func TestDigestDefinition(t *testing.T) {
	for _, n := range []int{0, 1, 15, 16, 17, 40} {
		in := bytesN(n)
		var s [hash.Width]field.Elem
		s[8], s[9] = field.New(Domain), field.New(uint64(n))
		padded := append(append([]byte(nil), in...), make([]byte, 16)...)
		for k := 0; k == 0 || 16*k < n; k++ {
			for i := range 8 {
				lim := uint64(padded[16*k+2*i]) | uint64(padded[16*k+2*i+1])<<8
				v := field.New(lim)
				s[i].Add(&s[i], &v)
			}
			hash.Permute(&s)
		}
		var want hash.Digest
		copy(want[:], s[:8])
		if got := Digest(in); got != want {
			t.Errorf("%d bytes: Digest %v, want %v", n, got, want)
		}
	}
	if Digest([]byte{0}) == Digest(nil) || Digest([]byte{1, 2}) == Digest([]byte{1, 2, 0}) {
		t.Error("inputs differing by a zero byte share a digest")
	}
}

func TestValid(t *testing.T) {
	for _, n := range []int{0, 1, 2, 3, 4, 5, 14, 15, 16, 17, 31, 32, 33, 100} {
		in := bytesN(n)
		sg := whole(in, uint32(n), reads(n))
		chiptest.MustProve(t, sg.tb, sg.msgs)
		if sg.end.Digest() != Digest(in) {
			t.Errorf("%d bytes: the end state's digest is not Digest", n)
		}
	}
	// A run that reads part of its input (or none of it) proves the same digest: its
	// final segment absorbs the blocks nobody read.
	in := bytesN(50)
	for _, r := range [][]uint32{reads(20), nil} {
		sg := whole(in, 50, r)
		chiptest.MustProve(t, sg.tb, sg.msgs)
		if sg.end.Digest() != Digest(in) {
			t.Errorf("a run reading %d words: the end state's digest is not Digest", len(r))
		}
	}
}

// A run of 100 bytes in segments cut inside blocks (20: block 1 straddles the first
// cut), on a block boundary (48), a segment reading nothing (48 → 48), and a final
// segment that reads [48, 72) and absorbs the unread [72, 100): each segment proves,
// starts where the previous one ended, and the last end state's rate is the digest.
func TestValidSegments(t *testing.T) {
	const n = 100
	in := bytesN(n)
	cuts := []uint32{0, 20, 36, 48, 48, 72}
	s := Start(n)
	rows := 0
	for i := 1; i < len(cuts); i++ {
		final := i == len(cuts)-1
		sg := segment(in, n, cuts[i-1], cuts[i], final, readsIn(cuts[i-1], cuts[i]))
		if sg.start != s {
			t.Fatalf("segment %d starts from another state than the previous end", i)
		}
		chiptest.MustProve(t, sg.tb, sg.msgs)
		s = sg.end
		rows += int(sg.tb[0].Publics[PublicBlocks].Uint64())
	}
	if s.Digest() != Digest(in) || rows != Blocks(n) {
		t.Fatalf("the segments absorb %d blocks (want %d); digest ok %v", rows, Blocks(n), s.Digest() == Digest(in))
	}
	if At(in, 20) != Advance(in, Start(n), 0, 2) {
		t.Fatal("At(20) is not two blocks absorbed")
	}
}

func TestTampered(t *testing.T) {
	const n = 21
	in := bytesN(n)
	good := whole(in, n, reads(n))
	{ // Another end state.
		sg := whole(in, n, reads(n))
		sg.tb[0].Publics[PublicEnd+3] = field.New(1)
		chiptest.MustReject(t, "wrong end state", sg.tb, sg.msgs)
	}
	{ // The tape of another input of the same length, claimed with the input's end state.
		other := bytesN(n)
		other[0]++
		sg := whole(other, n, reads(n))
		copy(sg.tb[0].Publics[PublicEnd:], good.end.Sponge[:])
		chiptest.MustReject(t, "other input, same length", sg.tb, sg.msgs)
	}
	{ // A READ answered with a word that is not the tape's.
		bad := append([]byte(nil), in...)
		bad[9] ^= 0x40
		sg := whole(in, n, reads(n))
		chiptest.MustReject(t, "read word not the tape's", sg.tb, messages(bad, sg.start, reads(n)))
	}
	{ // A READ answered with the tape's word of another offset.
		sg := whole(in, n, reads(n))
		sg.msgs[2].Tuple[0] = field.New(12)
		chiptest.MustReject(t, "read at another offset", sg.tb, sg.msgs)
	}
	{ // Another length: the verifier's start state and block count differ.
		sg := whole(in, n, reads(n))
		chiptest.MustReject(t, "wrong length", sg.tb, messages(in, Start(n+1), reads(n)))
	}
	// Nonzero bytes past the end, the end state being the sponge of that tape: 21 bytes
	// end on limb 2 of the last block (byte 20, half a limb), so a byte 21 breaks the
	// half-limb range check and a byte 22 or later a zero limb.
	for _, extra := range [][]byte{{7}, {0, 5}, {0, 0, 0, 0, 0, 0, 0, 0, 0, 1}} {
		tape := append(append([]byte(nil), in...), extra...)
		sg := segment(tape, n, 0, n-1, true, reads(n-1))
		chiptest.MustReject(t, "nonzero bytes past the end", sg.tb, sg.msgs)
	}
	{ // One block fewer than the length needs.
		sg := segment(in[:16], 16, 0, 16, true, reads(16))
		sg.tb[0].Publics = Publics(n, 0, 16, true, Start(n), sg.end)
		chiptest.MustReject(t, "too few blocks", sg.tb, []lookup.Message{Message(Start(n))})
	}
	{ // A word as limbs (lo + 2^16, hi − 1), not 16-bit: the same integer lo + 2^16·hi,
		// with the sponge and the end state recomputed over the forged limbs.
		sg := whole(in, n, nil)
		main := sg.tb[0].Main
		big, one := field.New(1<<16), field.New(1)
		main[col.Lo[1].Index][1].Add(&main[col.Lo[1].Index][1], &big)
		main[col.Hi[1].Index][1].Sub(&main[col.Hi[1].Index][1], &one)
		calls, s := responge(main, Blocks(n))
		sg.tb[1].Main = poseidon2.Trace(calls)
		copy(sg.tb[0].Publics[PublicEnd:], s[:])
		for i := range Rate {
			sg.tb[0].Publics[PublicEndCarry+i] = main[col.limb(i).Index][Blocks(n)]
		}
		chiptest.MustReject(t, "limb above 2^16", sg.tb, sg.msgs)
	}
}

// responge recomputes the sponge states of a table whose limbs were changed, from row
// 1's state over nb absorbing rows: the permutations and the end state.
func responge(main [][]field.Elem, nb int) ([]poseidon2.Call, [hash.Width]field.Elem) {
	var s [hash.Width]field.Elem
	for i := range s {
		s[i] = main[col.State[i].Index][1]
	}
	var calls []poseidon2.Call
	for r := 1; r <= nb; r++ {
		for i := range Rate {
			s[i].Add(&s[i], &main[col.limb(i).Index][r])
		}
		calls = append(calls, poseidon2.Call{Dom: poseidon2.DomInput, ID: uint32(r + 1), In: s})
		hash.Permute(&s)
		for i := range s {
			main[col.State[i].Index][r+1] = s[i]
		}
	}
	return calls, s
}
