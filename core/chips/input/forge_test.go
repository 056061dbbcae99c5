package input

// Cheating provers against the input table and its sponge (an audit of the new table:
// each witness keeps every other bus balanced and the tables consistent, and names what
// rejects it).

import (
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/core/chips/poseidon2"
	"github.com/oneiros-zk/oneiros/core/chips/rangetable"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/lookup"
)

// inputSend is the I/O chip's Input message for a READ at off answering w.
func inputSend(off, w uint32) lookup.Message {
	return lookup.Message{Bus: bus.Input.ID, Send: true, Mult: field.New(1), Tuple: []field.Elem{
		field.New(uint64(off)), field.New(uint64(w & 0xffff)), field.New(uint64(w >> 16))}}
}

// A READ answered by a row that is not live: the final row (offset 16·(blocks)) and a
// padding row hold zero limbs, so a READ "past the tape" returning 0 would balance on
// the Input bus if those rows could receive. mult_j·(1 − carry − absorb) = 0 refuses it.
func TestForgeReadOffNonAbsorbingRow(t *testing.T) {
	const n = 40 // three blocks: row 0 carries, rows 1 … 3 absorb, row 4 is final, 5 … 7 pad
	in := bytesN(n)
	for _, row := range []int{Blocks(n) + 1, Blocks(n) + 2} {
		sg := whole(in, n, reads(n))
		if len(sg.tb[0].Main[0]) <= row {
			t.Fatalf("the table has %d rows", len(sg.tb[0].Main[0]))
		}
		sg.tb[0].Main[col.Mult[1].Index][row] = field.New(1)
		m := append(sg.msgs, inputSend(uint32(BlockBytes*(row-1)+4), 0))
		chiptest.MustReject(t, "a READ past the tape answered by a non-live row", sg.tb, m)
	}
}

// A multiplicity of −1 (p − 1) turns the table's receive into a send: the forger tries to
// cancel an I/O READ of a forged word with a second forged "receive" elsewhere. Nothing
// but the I/O chip sends on the Input bus, so the forged word still has no receiver.
func TestForgeNegativeMultiplicity(t *testing.T) {
	const n = 32
	in := bytesN(n)
	sg := whole(in, n, nil)
	sg.tb[0].Main[col.Mult[0].Index][1] = field.NewInt(-1)
	m := append(sg.msgs, inputSend(0, Word(in, 0)^1))
	chiptest.MustReject(t, "a READ of a forged word next to a negative multiplicity", sg.tb, m)
}

// The sponge skips the permutation between two rows: the final row holds a state the
// forger chose (and the end state is that state), while the poseidon2 table answers the
// absorbing row's call honestly. The final row's receive has no sender; forging the
// poseidon2 row's output to match breaks its round constraints.
func TestForgeSpongeStateNotPermuted(t *testing.T) {
	const n = 21
	in := bytesN(n)
	nb := Blocks(n)
	forge := func(tb []chiptest.Table) {
		for i := range hash.Width {
			v := &tb[0].Main[col.State[i].Index][nb+1]
			*v = field.New(uint64(1000 + i))
			tb[0].Publics[PublicEnd+i] = *v
		}
	}
	{
		sg := whole(in, n, reads(n))
		forge(sg.tb)
		chiptest.MustReject(t, "a final state that is no permutation's output", sg.tb, sg.msgs)
	}
	{
		sg := whole(in, n, reads(n))
		forge(sg.tb)
		p2 := sg.tb[1].Main
		out := poseidon2.NumColumns - poseidon2.PartialRounds - poseidon2.Width // full_5[0]
		for i := range hash.Width {
			p2[out+i][nb-1] = sg.tb[0].Main[col.State[i].Index][nb+1]
		}
		chiptest.MustReject(t, "a poseidon2 row whose output column is forged", sg.tb, sg.msgs)
	}
}

// Call identifiers reused: a second poseidon2 row under the input domain and an id the
// sponge uses, for another input. Its receive has no sender (the sponge sends id r + 1
// once, with row r's state), so it cannot stand in for the honest call.
func TestForgePermutationIDReused(t *testing.T) {
	const n = 40
	in := bytesN(n)
	sg := whole(in, n, reads(n))
	_, calls, _ := trace(in, n, 0, Blocks(n), Start(n), reads(n), new(rangetable.Counter))
	var x [hash.Width]field.Elem
	x[0] = field.New(7)
	calls = append(calls, poseidon2.Call{Dom: poseidon2.DomInput, ID: 3, In: x})
	sg.tb[1].Main = poseidon2.Trace(calls)
	chiptest.MustReject(t, "a second permutation under the sponge's id 3", sg.tb, sg.msgs)
}

// Length aliasing: a tape of two blocks absorbed from IV(16) (the verifier's message for
// a 16-byte input), the sponge recomputed honestly over both blocks and its state
// claimed as the end state of a 16-byte input. The row index pins the final row at
// r = blocks + 1 = 2: final·(r − blocks − 1) = 0 refuses a second absorbed block.
func TestForgeExtraBlockUnderShortLength(t *testing.T) {
	const n, long = 16, 32
	tape := bytesN(long)
	sg := segment(tape, long, 0, long, true, nil)
	iv := IV(n)
	for i := range hash.Width {
		sg.tb[0].Main[col.State[i].Index][1] = iv[i]
	}
	calls, s := responge(sg.tb[0].Main, Blocks(long))
	sg.tb[1].Main = poseidon2.Trace(calls)
	end := State{Sponge: s, Carry: block(tape, 1)}
	sg.tb[0].Publics = Publics(n, 0, n, true, Start(n), end)
	chiptest.MustReject(t, "two blocks absorbed under the length 16", sg.tb, []lookup.Message{Message(Start(n))})
}

// The straddling block: a run of 40 bytes cut at offset 20 (block 1 holds bytes 16 … 31:
// the first segment reads 16 … 19, the second 20 … 31). The second segment answers its
// READ at 20 with a word other than the one the first segment absorbed, its carry row
// holding that word. The verifier's start carry is the previous segment's end carry:
// the carry row's limbs must equal it (carry_in).
func TestForgeStraddlingWord(t *testing.T) {
	const n, cut = 40, 20
	in := bytesN(n)
	honest := segment(in, n, cut, n, true, readsIn(cut, n))
	forged := append([]byte(nil), in...)
	forged[21] ^= 0x10
	w := Word(forged, cut/4)
	// The forged carry row holds block 1 of the forged tape (the range table counts its
	// limbs); the verifier's start carry is the honest block.
	rc := new(rangetable.Counter)
	main, calls, end := trace(in, n, 2, Blocks(n), State{Sponge: honest.start.Sponge, Carry: block(forged, 1)}, readsIn(cut, n), rc)
	tb := []chiptest.Table{
		{AIR: AIR(), Main: main, Publics: Publics(n, cut, n, true, honest.start, end)},
		{AIR: poseidon2.AIR(), Main: poseidon2.Trace(calls)},
		chiptest.RangeTable(rc),
	}
	chiptest.MustReject(t, "a READ of the straddling block answered with another word", tb, messages(forged, honest.start, readsIn(cut, n)))

	// The first segment leaving another carried block than the one it absorbed (so that
	// the second could answer from it): its last absorbing row's limbs must equal the
	// end carry (carry_out).
	first := segment(in, n, 0, cut, false, readsIn(0, cut))
	first.tb[0].Publics[PublicEndCarry+2] = field.New(uint64(w & 0xffff))
	chiptest.MustReject(t, "an end carry that is not the last absorbed block", first.tb, first.msgs)
}

// A final segment that skips the blocks nobody read: a run of 64 bytes that reads 20,
// one final segment absorbing only blocks 0 and 1; its end state (honestly permuted) is
// claimed. The verifier's block count is Blocks(n): final_at_blocks refuses it.
func TestForgeFinalSkipsUnread(t *testing.T) {
	const n = 64
	in := bytesN(n)
	rc := new(rangetable.Counter)
	main, calls, end := trace(in, n, 0, 2, Start(n), readsIn(0, 20), rc)
	tb := []chiptest.Table{
		{AIR: AIR(), Main: main, Publics: Publics(n, 0, 20, true, Start(n), end)},
		{AIR: poseidon2.AIR(), Main: poseidon2.Trace(calls)},
		chiptest.RangeTable(rc),
	}
	chiptest.MustReject(t, "a final segment skipping unread blocks", tb, messages(in, Start(n), readsIn(0, 20)))
}

// A start state that is not where the previous segment left the sponge: the second
// segment of a run cut at 32 absorbs from IV again (its table honest over that state),
// while the verifier's message sends the previous end. The first absorbing row's
// receive of (out, input, 1, state) has no sender.
func TestForgeStartNotPreviousEnd(t *testing.T) {
	const n, cut = 64, 32
	in := bytesN(n)
	prev := segment(in, n, 0, cut, false, readsIn(0, cut)).end
	rc := new(rangetable.Counter)
	main, calls, end := trace(in, n, 2, 4, State{Sponge: IV(n), Carry: prev.Carry}, readsIn(cut, n), rc)
	tb := []chiptest.Table{
		{AIR: AIR(), Main: main, Publics: Publics(n, cut, n, true, prev, end)},
		{AIR: poseidon2.AIR(), Main: poseidon2.Trace(calls)},
		chiptest.RangeTable(rc),
	}
	chiptest.MustReject(t, "a start state that is not the previous end", tb, messages(in, prev, readsIn(cut, n)))
}

// A segment answering a READ outside its blocks: the segment [16, 32) of a 64-byte run
// (carry row block 0, absorbing row block 1) answers a READ at 40 (block 2) with the
// tape's word, on a row whose offsets are another block's. No row receives offset 40.
func TestForgeReadOutsideSegment(t *testing.T) {
	const n = 64
	in := bytesN(n)
	sg := segment(in, n, 16, 32, false, append(readsIn(16, 32), 40))
	m := append(messages(in, sg.start, readsIn(16, 32)), inputSend(40, Word(in, 10)))
	chiptest.MustReject(t, "a READ outside the segment's blocks", sg.tb, m)
}
