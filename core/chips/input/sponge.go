package input

import (
	"github.com/oneiros-zk/oneiros/core/chips/bus"
	"github.com/oneiros-zk/oneiros/core/chips/poseidon2"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/lookup"
)

// The sponge's shape: a block is 4 words of the tape (16 bytes), 8 limbs, absorbed into
// the rate (state elements 0 … 7); the capacity (8 … 15) starts as (Domain, input_len,
// 0 …).
const (
	BlockBytes = 16
	BlockWords = BlockBytes / 4
	Rate       = 2 * BlockWords // limbs per block
)

// Domain separates this sponge from every other use of the permutation: the bytes "in/1"
// as a little-endian number, the first capacity element of the initial state.
const Domain = 0x312f6e69

// Blocks is the number of blocks absorbed for an input of n bytes: ⌈n/16⌉, at least 1
// (the empty input absorbs one zero block).
func Blocks(n uint32) int { return max(1, int((uint64(n)+BlockBytes-1)/BlockBytes)) }

// IV is the sponge's initial state for an input of n bytes: zero rate, capacity
// (Domain, n, 0, …).
func IV(n uint32) [hash.Width]field.Elem {
	var s [hash.Width]field.Elem
	s[Rate] = field.New(Domain)
	s[Rate+1] = field.New(uint64(n))
	return s
}

// Word is the tape's word i: bytes 4i … 4i+3 of in, little endian, zero past the end
// (what READ returns at offset 4i).
func Word(in []byte, i int) uint32 {
	var w uint32
	for j := range 4 {
		if o := 4*i + j; o < len(in) {
			w |= uint32(in[o]) << (8 * j)
		}
	}
	return w
}

// block is block k as limbs: word 4k+j's low and high 16 bits at 2j and 2j+1.
func block(in []byte, k int) [Rate]field.Elem {
	var b [Rate]field.Elem
	for j := range BlockWords {
		w := Word(in, BlockWords*k+j)
		b[2*j], b[2*j+1] = field.New(uint64(w&0xffff)), field.New(uint64(w>>16))
	}
	return b
}

// Digest is the input commitment that a proof makes public: the state after absorbing
// the tape's blocks into IV(len(in)) — s ← P(s + (block ‖ 0)) for each block, P being
// hash.Permute — truncated to its rate. It is what the input table proves and what a
// claim's input_digest holds (sdk/envelope.InputDigest).
func Digest(in []byte) hash.Digest {
	s := IV(uint32(len(in)))
	for k := range Blocks(uint32(len(in))) {
		absorb(&s, block(in, k))
		hash.Permute(&s)
	}
	var d hash.Digest
	copy(d[:], s[:hash.DigestLen])
	return d
}

func absorb(s *[hash.Width]field.Elem, b [Rate]field.Elem) {
	for i := range b {
		s[i].Add(&s[i], &b[i])
	}
}

// State is the input sponge where a segment leaves it: Sponge, the state after the
// blocks absorbed so far (IV(n) before any), and Carry, the limbs of the last of them
// (zero before any) — the block the next segment's first READs may still fall in.
type State struct {
	Sponge [hash.Width]field.Elem
	Carry  [Rate]field.Elem
}

// Start is where a run's input sponge starts for an input of n bytes: IV(n), no block.
func Start(n uint32) State { return State{Sponge: IV(n)} }

// Digest of a state whose sponge has absorbed every block: its rate.
func (s State) Digest() hash.Digest {
	var d hash.Digest
	copy(d[:], s.Sponge[:hash.DigestLen])
	return d
}

// Span is the range of blocks [first, end) a segment absorbs: from the first block not
// yet absorbed when it starts at input offset inStart, ⌈inStart/16⌉, to the block
// after the last one its READs reach, ⌈inEnd/16⌉ — or, in a final segment, to
// Blocks(n): it absorbs the blocks nobody read too.
func Span(n, inStart, inEnd uint32, final bool) (first, end int) {
	first, end = blocksTo(inStart), blocksTo(inEnd)
	if final {
		end = Blocks(n)
	}
	return first, max(first, end)
}

func blocksTo(off uint32) int { return int((uint64(off) + BlockBytes - 1) / BlockBytes) }

// Advance absorbs blocks [from, to) of the input in into s (nothing when to ≤ from).
func Advance(in []byte, s State, from, to int) State {
	for k := from; k < to; k++ {
		s.Carry = block(in, k)
		absorb(&s.Sponge, s.Carry)
		hash.Permute(&s.Sponge)
	}
	return s
}

// At is the state where a segment starting at input offset inStart finds the sponge:
// Start(len(in)) advanced over blocks [0, ⌈inStart/16⌉).
func At(in []byte, inStart uint32) State {
	return Advance(in, Start(uint32(len(in))), 0, blocksTo(inStart))
}

// Publics are the table's public values for a segment of a run with an input of n bytes
// that starts at input offset inStart and ends at inEnd (final: it ends the run), from
// the sponge's state start to end: the two states, the first block and the number of
// blocks it absorbs (Span), and the masks of the last block's limbs that lie wholly past
// the input's end (zero) or hold exactly one byte of input (half) — zero unless the
// segment absorbs the input's last block.
func Publics(n, inStart, inEnd uint32, final bool, start, end State) []field.Elem {
	p := make([]field.Elem, NumPublics)
	copy(p[PublicStart:], start.Sponge[:])
	copy(p[PublicStartCarry:], start.Carry[:])
	copy(p[PublicEnd:], end.Sponge[:])
	copy(p[PublicEndCarry:], end.Carry[:])
	first, last := Span(n, inStart, inEnd, final)
	p[PublicFirst] = field.New(uint64(first))
	p[PublicBlocks] = field.New(uint64(last - first))
	nb := Blocks(n)
	if last == nb && last > first {
		r := int(n) - BlockBytes*(nb-1) // bytes of input in the last block, 0 … 16
		for i := range Rate {
			if 2*i >= r {
				p[PublicZero+i] = field.New(1)
			}
			if 2*i+1 == r {
				p[PublicHalf+i] = field.New(1)
			}
		}
	}
	return p
}

// Message is the verifier's message for a segment whose input sponge starts at start: it
// sends start's sponge state on bus.Poseidon2 as the output of permutation 1 of the
// input's domain, which the table's first absorbing (or final) row receives as its state.
func Message(start State) lookup.Message {
	t := append([]field.Elem{field.New(poseidon2.KindOut), field.New(poseidon2.DomInput), field.New(1)}, start.Sponge[:]...)
	return lookup.Message{Bus: bus.Poseidon2.ID, Send: true, Mult: field.New(1), Tuple: t}
}
