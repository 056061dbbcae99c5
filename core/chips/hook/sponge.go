package hook

import (
	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/poseidon2"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/lookup"
)

// Rate is the number of field elements of a block: one hook call.
const Rate = hash.DigestLen

// Domain separates this sponge from every other use of the permutation: the bytes
// "hk/1" as a little-endian number, the first capacity element of IV.
const Domain = 0x312f6b68

// State is a sponge state.
type State = [hash.Width]field.Elem

// Entry is one hook call as the log holds it: its number, its operand B (the query) and
// the value of [a] after the call (the answer).
type Entry struct {
	Number, B, A uint32
}

// Handles reports whether n is a hook number (served by this table).
func Handles(n uint32) bool { return n >= isa.FirstHook }

// EntryOf is the log entry of a record, when the record is a hook call.
func EntryOf(r *trace.Record) (Entry, bool) {
	if r.Inst.Op != isa.ECALL || !Handles(r.Inst.C) {
		return Entry{}, false
	}
	return Entry{Number: r.Inst.C, B: r.B, A: r.A}, true
}

// IV is the sponge's initial state: zero rate, capacity (Domain, 0, …).
func IV() State {
	var s State
	s[Rate] = field.New(Domain)
	return s
}

// Block is the entry as the sponge absorbs it: (number, B's limbs, A's limbs, 0, 0, 0).
func (e Entry) Block() [Rate]field.Elem {
	return [Rate]field.Elem{field.New(uint64(e.Number)),
		field.New(uint64(e.B & 0xffff)), field.New(uint64(e.B >> 16)),
		field.New(uint64(e.A & 0xffff)), field.New(uint64(e.A >> 16))}
}

// Absorb advances the sponge by one call: s ← P(s + (block ‖ 0)).
func Absorb(s *State, e Entry) {
	b := e.Block()
	for i := range b {
		s[i].Add(&s[i], &b[i])
	}
	hash.Permute(s)
}

// Digest is the claim's hook digest of a sponge state: its rate.
func Digest(s State) hash.Digest {
	var d hash.Digest
	copy(d[:], s[:hash.DigestLen])
	return d
}

// LogDigest is the digest of a whole log (IV absorbed with every entry in order).
func LogDigest(log []Entry) hash.Digest {
	s := IV()
	for _, e := range log {
		Absorb(&s, e)
	}
	return Digest(s)
}

// Messages are the verifier's messages for a segment that starts from the sponge
// state start and makes n ≥ 1 hook calls ending at end: it sends start on bus.Poseidon2
// as the output of permutation 0 of the hook domain (the table's first row receives it
// as its state), and receives (n, end) on the public HookEnd bus from the table's final
// row. A verifier adds them exactly for a segment that makes hook calls: without them
// the table cannot be in the proof (its final row's send would have no receiver), and
// with them it must be.
func Messages(start State, n uint32, end State) []lookup.Message {
	t := append([]field.Elem{field.New(poseidon2.KindOut), field.New(poseidon2.DomHook), field.New(0)}, start[:]...)
	e := append([]field.Elem{field.New(uint64(n))}, end[:]...)
	return []lookup.Message{
		{Bus: bus.Poseidon2.ID, Send: true, Mult: field.New(1), Tuple: t},
		{Bus: bus.HookEnd.ID, Mult: field.New(1), Tuple: e},
	}
}
