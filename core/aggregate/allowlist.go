package aggregate

import (
	"math/bits"

	"github.com/oneiros-zk/oneiros/core/chips/recursion"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	ir "github.com/oneiros-zk/oneiros/proving/recursion"
)

// entry is a verifying key's allowlist leaf: hash.Elems over the STARK key's digest,
// its preprocessed commitment and the program's public cells — the three things that
// differ between recursion programs set up at the same heights (the digest binds the
// commitment, the AIRs and the heights; the public cells are where the verifier's
// memory-bus messages point). A key whose entry is in the allowlist is, but for a
// Poseidon2 collision, one of the keys the allowlist was made from.
func entry(vk *recursion.VerifyingKey) hash.Digest {
	in := append([]field.Elem(nil), vk.STARK.Digest[:]...)
	in = append(in, vk.STARK.PrepRoot[:hash.DigestLen]...)
	for _, c := range vk.Publics {
		in = append(in, field.New(uint64(c)))
	}
	return hash.Elems(in)
}

// allowlist is the Merkle tree of the entries of the allowed keys (hash.Compress at
// every node), of fixed depth: 2^depth leaves, the entries then copies of the first.
type allowlist struct {
	depth  int
	levels [][]hash.Digest // levels[0] the leaves, levels[depth] the root
}

// depthFor is the depth of an allowlist of n ≥ 1 entries: ⌈log2 n⌉.
func depthFor(n int) int { return bits.Len(uint(n - 1)) }

func newAllowlist(entries []hash.Digest) *allowlist {
	return newAllowlistDepth(entries, depthFor(len(entries)))
}

// newAllowlistDepth is the allowlist of depth depth (at least depthFor(len(entries))).
func newAllowlistDepth(entries []hash.Digest, depth int) *allowlist {
	leaves := make([]hash.Digest, 1<<depth)
	for i := range leaves {
		if i < len(entries) {
			leaves[i] = entries[i]
		} else {
			leaves[i] = entries[0]
		}
	}
	a := &allowlist{depth: depth, levels: [][]hash.Digest{leaves}}
	for d := range depth {
		cur := a.levels[d]
		next := make([]hash.Digest, len(cur)/2)
		for i := range next {
			next[i] = hash.Compress(&cur[2*i], &cur[2*i+1])
		}
		a.levels = append(a.levels, next)
	}
	return a
}

func (a *allowlist) root() hash.Digest { return a.levels[a.depth][0] }

// path is the opening of leaf i: per level from the leaves up, whether the node is a
// right child (its index bit) and its sibling.
func (a *allowlist) path(i int) ([]bool, []hash.Digest) {
	bits := make([]bool, a.depth)
	sibs := make([]hash.Digest, a.depth)
	for d := range a.depth {
		bits[d] = i&1 == 1
		sibs[d] = a.levels[d][i^1]
		i >>= 1
	}
	return bits, sibs
}

type digest = [hash.DigestLen]ir.Var

// inputDigest reads eight base cells.
func inputDigest(b *ir.Builder) digest {
	var d digest
	for i := range d {
		d[i] = b.InputBase()
	}
	return d
}

// emitPath reads a path of depth levels (per level a bit, then a sibling) and returns
// the root it leads to from leaf. Each bit is asserted boolean (b² = b on a base cell):
// the node and its sibling enter the compression in the order the bit says, never an
// affine mix of them.
func emitPath(b *ir.Builder, leaf digest, depth int) digest {
	cur := leaf
	for range depth {
		bit := b.InputBase()
		b.AssertEq(b.Mul(bit, bit), bit)
		sib := inputDigest(b)
		cur = b.Compress(b.Swap(bit, cur, sib))
	}
	return cur
}
