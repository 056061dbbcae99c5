package output

import (
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// The sponge's shape: a block is 16 bytes of the output, at positions 16m … 16m+15
// (block m of the whole run's output, whatever the segments), absorbed as 8 limbs of two
// bytes (limb i = byte 2i + 256·byte 2i+1) into the rate, state elements 0 … 7; the
// capacity (8 … 15) starts as (Domain, 0, …).
const (
	BlockBytes = 16
	Rate       = BlockBytes / 2 // limbs per block
)

// Dom is this table's domain on bus.Poseidon2 (package poseidon2 names 0 for the input
// tape and 1 for hooks, package recursion uses 2 and package memtree 3 and 4): the
// permutation under identifier k makes the state of row k. It is declared here, not in
// package poseidon2, which another change owns.
const Dom = 5

// Domain separates this sponge from every other use of the permutation: the bytes "ou/1"
// as a little-endian number, the first capacity element of IV.
const Domain = 0x312f756f

// State is a sponge state: the running commitment to the output so far.
type State = [hash.Width]field.Elem

// IV is the sponge's state before any output: zero rate, capacity (Domain, 0, …).
func IV() State {
	var s State
	s[Rate] = field.New(Domain)
	return s
}

// Absorb is the state after the output bytes share at positions from, from+1, … have
// been absorbed into s, the state after the output's first from bytes: byte b at
// position q is added to limb (q mod 16)/2 of the rate as b·256^(q mod 2), and the state
// is permuted after each byte that ends a block (q mod 16 = 15). States thus hold the
// bytes of an unfinished block already added, and
//
//	Absorb(Absorb(s, from, x), from+len(x), y) = Absorb(s, from, x ‖ y)
//
// for every cut: the state after a segment is Absorb(the state before it, outStart, its
// output), the segments' states chain, and the result does not depend on where they cut
// the output.
func Absorb(s State, from uint32, share []byte) State {
	for i, b := range share {
		q := from + uint32(i)
		v := field.New(uint64(b) << (8 * (q % 2)))
		l := (q % BlockBytes) / 2
		s[l].Add(&s[l], &v)
		if q%BlockBytes == BlockBytes-1 {
			hash.Permute(&s)
		}
	}
	return s
}

// Finish is the output digest of a whole output of n bytes whose state is s (Absorb of
// IV from position 0): s with n added to capacity element 1, permuted, truncated to the
// rate. The length makes the zero padding of the last block unambiguous (outputs of
// different lengths finish from different inputs), and finishing with a permutation of
// its own keeps the digest apart from every state a longer output passes through.
func Finish(s State, n uint32) hash.Digest {
	v := field.New(uint64(n))
	s[Rate+1].Add(&s[Rate+1], &v)
	hash.Permute(&s)
	var d hash.Digest
	copy(d[:], s[:hash.DigestLen])
	return d
}

// Digest is the output digest of a run's whole output: Finish(Absorb(IV(), 0, out),
// len(out)).
func Digest(out []byte) hash.Digest {
	return Finish(Absorb(IV(), 0, out), uint32(len(out)))
}

// Base is the position of the first byte of the first block of the share [outStart,
// outEnd): outStart rounded down to a block.
func Base(outStart uint32) uint32 { return outStart - outStart%BlockBytes }

// Blocks is the number of blocks the share [outStart, outEnd) touches: the table's
// absorbing rows. An empty share touches none.
func Blocks(outStart, outEnd uint32) int {
	if outEnd <= outStart {
		return 0
	}
	return int((uint64(outEnd)+BlockBytes-1)/BlockBytes - uint64(outStart/BlockBytes))
}

// Publics are the table's public values for the share [outStart, outEnd) taking the
// sponge from start to end: start, end, Base, Blocks, and the masks of the first
// block's bytes before outStart (pre) and of the last block's bytes from outEnd on
// (post); for an empty share the masks are zero.
func Publics(outStart, outEnd uint32, start, end State) []field.Elem {
	p := make([]field.Elem, NumPublics)
	copy(p[PublicStart:], start[:])
	copy(p[PublicEnd:], end[:])
	base := Base(outStart)
	nb := Blocks(outStart, outEnd)
	p[PublicBase] = field.New(uint64(base))
	p[PublicBlocks] = field.New(uint64(nb))
	if nb == 0 {
		return p
	}
	lastPos := uint64(base) + uint64(BlockBytes*(nb-1)) // the last block's first position
	for j := range BlockBytes {
		if uint64(base)+uint64(j) < uint64(outStart) {
			p[PublicPre+j] = field.New(1)
		}
		if lastPos+uint64(j) >= uint64(outEnd) {
			p[PublicPost+j] = field.New(1)
		}
	}
	return p
}
