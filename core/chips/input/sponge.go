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

// Publics are the table's public values for an input of n bytes with digest d: d, the
// number of blocks, and the masks of the last block's limbs that lie wholly past the end
// (zero) or hold exactly one byte of input (half).
func Publics(n uint32, d hash.Digest) []field.Elem {
	p := make([]field.Elem, NumPublics)
	copy(p[PublicDigest:], d[:])
	nb := Blocks(n)
	p[PublicBlocks] = field.New(uint64(nb))
	r := int(n) - BlockBytes*(nb-1) // bytes of input in the last block, 0 … 16
	for i := range Rate {
		if 2*i >= r {
			p[PublicZero+i] = field.New(1)
		}
		if 2*i+1 == r {
			p[PublicHalf+i] = field.New(1)
		}
	}
	return p
}

// Message is the verifier's message for an input of n bytes: it sends the sponge's
// initial state IV(n) on bus.Poseidon2 as the output of permutation 0 of the input's
// domain, which the table's first row receives as its state.
func Message(n uint32) lookup.Message {
	iv := IV(n)
	t := append([]field.Elem{field.New(poseidon2.KindOut), field.New(poseidon2.DomInput), field.New(0)}, iv[:]...)
	return lookup.Message{Bus: bus.Poseidon2.ID, Send: true, Mult: field.New(1), Tuple: t}
}
