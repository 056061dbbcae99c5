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

// A READ answered by a row that does not absorb: the final row (offset 16·blocks) and a
// padding row hold zero limbs, so a READ "past the tape" returning 0 would balance on the
// Input bus if those rows could receive. mult_j·(1 − absorb) = 0 refuses it.
func TestForgeReadOffNonAbsorbingRow(t *testing.T) {
	const n = 21 // two blocks: rows 0, 1 absorb, row 2 is final, row 3 pads
	in := bytesN(n)
	for _, row := range []int{Blocks(n), Blocks(n) + 1} {
		tb := tables(in, n, reads(n), Digest(in))
		if len(tb[0].Main[0]) <= row {
			t.Fatalf("the table has %d rows", len(tb[0].Main[0]))
		}
		tb[0].Main[col.Mult[1].Index][row] = field.New(1)
		m := append(messages(in, n, reads(n)), inputSend(uint32(BlockBytes*row+4), 0))
		chiptest.MustReject(t, "a READ past the tape answered by a non-absorbing row", tb, m)
	}
}

// A multiplicity of −1 (p − 1) turns the table's receive into a send: the forger tries to
// cancel an I/O READ of a forged word with a second forged "receive" elsewhere. Nothing
// but the I/O chip sends on the Input bus, so the forged word still has no receiver.
func TestForgeNegativeMultiplicity(t *testing.T) {
	const n = 32
	in := bytesN(n)
	tb := tables(in, n, nil, Digest(in))
	minus := field.NewInt(-1)
	tb[0].Main[col.Mult[0].Index][0] = minus
	forged := Word(in, 0) ^ 1
	m := append(messages(in, n, nil), inputSend(0, forged))
	chiptest.MustReject(t, "a READ of a forged word next to a negative multiplicity", tb, m)
}

// The sponge skips the permutation between two rows: the final row holds a state the
// forger chose (and the digest is that state), while the poseidon2 table answers the
// absorbing row's call honestly. The final row's receive of (out, input, 2, state) has
// no sender; forging the poseidon2 row's output to match breaks its round constraints.
func TestForgeSpongeStateNotPermuted(t *testing.T) {
	const n = 21
	in := bytesN(n)
	nb := Blocks(n)
	forge := func(tb []chiptest.Table) hash.Digest {
		var d hash.Digest
		for i := range hash.Width {
			v := &tb[0].Main[col.State[i].Index][nb]
			*v = field.New(uint64(1000 + i))
		}
		for i := range d {
			d[i] = tb[0].Main[col.State[i].Index][nb]
		}
		copy(tb[0].Publics[PublicDigest:], d[:])
		return d
	}
	{
		tb := tables(in, n, reads(n), Digest(in))
		forge(tb)
		chiptest.MustReject(t, "a final state that is no permutation's output", tb, messages(in, n, reads(n)))
	}
	{
		tb := tables(in, n, reads(n), Digest(in))
		forge(tb)
		// The poseidon2 row of call nb (the last row of calls) claims the forged output.
		p2 := tb[1].Main
		out := poseidon2.NumColumns - poseidon2.PartialRounds - poseidon2.Width // full_5[0]
		for i := range hash.Width {
			p2[out+i][nb-1] = tb[0].Main[col.State[i].Index][nb]
		}
		chiptest.MustReject(t, "a poseidon2 row whose output column is forged", tb, messages(in, n, reads(n)))
	}
}

// Call identifiers reused: a second poseidon2 row under the input domain and an id the
// sponge uses, for another input. Its receive has no sender (the sponge sends id k + 1
// once, with row k's state), so it cannot stand in for the honest call.
func TestForgePermutationIDReused(t *testing.T) {
	const n = 40
	in := bytesN(n)
	rcTables := tables(in, n, reads(n), Digest(in))
	_, calls := trace(in, n, reads(n), new(rangetable.Counter))
	var x [hash.Width]field.Elem
	x[0] = field.New(7)
	calls = append(calls, poseidon2.Call{Dom: poseidon2.DomInput, ID: 2, In: x})
	rcTables[1].Main = poseidon2.Trace(calls)
	chiptest.MustReject(t, "a second permutation under the sponge's id 2", rcTables, messages(in, n, reads(n)))
}

// Length aliasing: a tape of two blocks absorbed from IV(16) (the verifier's message for
// a 16-byte input), the sponge recomputed honestly over both blocks and its digest
// claimed as the digest of a 16-byte input. The row index pins the final row at
// k = blocks = 1: final·(k − blocks) = 0 refuses a second absorbed block.
func TestForgeExtraBlockUnderShortLength(t *testing.T) {
	const n, long = 16, 32
	tape := bytesN(long)
	tb := tables(tape, long, nil, Digest(tape))
	iv := IV(n)
	for i := range hash.Width {
		tb[0].Main[col.State[i].Index][0] = iv[i]
	}
	calls, d := responge(tb[0].Main, Blocks(long))
	tb[1].Main = poseidon2.Trace(calls)
	tb[0].Publics = Publics(n, d)
	chiptest.MustReject(t, "two blocks absorbed under the length 16", tb, []lookup.Message{Message(n)})
}
