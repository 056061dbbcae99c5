package input

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
// of tape, and the verifier's initial-state message for an input of n bytes.
func messages(tape []byte, n uint32, offsets []uint32) []lookup.Message {
	m := []lookup.Message{Message(n)}
	for _, o := range offsets {
		w := Word(tape, int(o/4))
		m = append(m, lookup.Message{Bus: bus.Input.ID, Send: true, Mult: field.New(1), Tuple: []field.Elem{
			field.New(uint64(o)), field.New(uint64(w & 0xffff)), field.New(uint64(w >> 16))}})
	}
	return m
}

// tables are the input, poseidon2 and range tables of a tape claimed as an input of n
// bytes, with the given digest public.
func tables(tape []byte, n uint32, offsets []uint32, d hash.Digest) []chiptest.Table {
	rc := new(rangetable.Counter)
	main, calls := trace(tape, n, offsets, rc)
	return []chiptest.Table{
		{AIR: AIR(), Main: main, Publics: Publics(n, d)},
		{AIR: poseidon2.AIR(), Main: poseidon2.Trace(calls)},
		chiptest.RangeTable(rc),
	}
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
		chiptest.MustProve(t, tables(in, uint32(n), reads(n), Digest(in)), messages(in, uint32(n), reads(n)))
	}
	// A run that reads part of its input (or none of it) proves the same digest.
	in := bytesN(50)
	chiptest.MustProve(t, tables(in, 50, reads(20), Digest(in)), messages(in, 50, reads(20)))
	chiptest.MustProve(t, tables(in, 50, nil, Digest(in)), messages(in, 50, nil))
}

func TestTampered(t *testing.T) {
	const n = 21
	in := bytesN(n)
	d := Digest(in)
	{ // Another digest.
		bad := d
		bad[3] = field.New(1)
		chiptest.MustReject(t, "wrong digest", tables(in, n, reads(n), bad), messages(in, n, reads(n)))
	}
	{ // The tape of another input of the same length, claimed with the input's digest.
		other := bytesN(n)
		other[0]++
		chiptest.MustReject(t, "other input, same length", tables(other, n, reads(n), d), messages(other, n, reads(n)))
	}
	{ // A READ answered with a word that is not the tape's.
		bad := append([]byte(nil), in...)
		bad[9] ^= 0x40
		chiptest.MustReject(t, "read word not the tape's", tables(in, n, reads(n), d), messages(bad, n, reads(n)))
	}
	{ // A READ answered with the tape's word of another offset.
		m := messages(in, n, reads(n))
		m[2].Tuple[0] = field.New(12)
		chiptest.MustReject(t, "read at another offset", tables(in, n, reads(n), d), m)
	}
	{ // Another length: the verifier's initial state and block count differ.
		chiptest.MustReject(t, "wrong length", tables(in, n, reads(n), d), messages(in, n+1, reads(n)))
	}
	// Nonzero bytes past the end, the digest being the sponge of that tape: 21 bytes
	// end on limb 2 of the last block (byte 20, half a limb), so a byte 21 breaks the
	// half-limb range check and a byte 22 or later a zero limb.
	for _, extra := range [][]byte{{7}, {0, 5}, {0, 0, 0, 0, 0, 0, 0, 0, 0, 1}} {
		tape := append(append([]byte(nil), in...), extra...)
		tb := tables(tape, n, reads(n-1), hash.Digest{})
		var dd hash.Digest
		for i := range dd {
			dd[i] = tb[0].Main[col.State[i].Index][Blocks(n)]
		}
		copy(tb[0].Publics[PublicDigest:], dd[:])
		chiptest.MustReject(t, "nonzero bytes past the end", tb, messages(tape, n, reads(n-1)))
	}
	{ // One block fewer than the length needs (the digest of the shorter tape).
		tb := tables(in[:16], 16, reads(16), Digest(in[:16]))
		tb[0].Publics = Publics(n, Digest(in[:16]))
		chiptest.MustReject(t, "too few blocks", tb, []lookup.Message{Message(n)})
	}
	{ // A word as limbs (lo + 2^16, hi − 1), not 16-bit: the same integer lo + 2^16·hi,
		// with the sponge and the digest recomputed over the forged limbs.
		tb := tables(in, n, nil, d)
		main := tb[0].Main
		big, one := field.New(1<<16), field.New(1)
		main[col.Lo[1].Index][0].Add(&main[col.Lo[1].Index][0], &big)
		main[col.Hi[1].Index][0].Sub(&main[col.Hi[1].Index][0], &one)
		calls, dd := responge(main, Blocks(n))
		tb[1].Main = poseidon2.Trace(calls)
		copy(tb[0].Publics[PublicDigest:], dd[:])
		chiptest.MustReject(t, "limb above 2^16", tb, messages(in, n, nil))
	}
}

// responge recomputes the sponge states of a table whose limbs were changed: the
// permutations and the digest.
func responge(main [][]field.Elem, nb int) ([]poseidon2.Call, hash.Digest) {
	var s [hash.Width]field.Elem
	for i := range s {
		s[i] = main[col.State[i].Index][0]
	}
	var calls []poseidon2.Call
	for r := range nb {
		for i := range Rate {
			s[i].Add(&s[i], &main[col.limb(i).Index][r])
		}
		calls = append(calls, poseidon2.Call{Dom: poseidon2.DomInput, ID: uint32(r + 1), In: s})
		hash.Permute(&s)
		for i := range s {
			main[col.State[i].Index][r+1] = s[i]
		}
	}
	var d hash.Digest
	copy(d[:], s[:])
	return calls, d
}
