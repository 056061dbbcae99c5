package hash

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"

	"github.com/consensys/gnark-crypto/field/koalabear/poseidon2"
	"github.com/consensys/gnark-crypto/utils/cpu"

	"github.com/oneiros-zk/oneiros/proving/field"
)

// Width, Rate and DigestLen fix the Poseidon2 instance (see doc.go for the argument).
const (
	Width          = 16 // state of the permutation, in field elements
	Rate           = 8  // elements absorbed per permutation in the sponge and the chain
	DigestLen      = 8  // elements in a digest (8 × 31 bits ≈ 248 bits)
	FullRounds     = 6
	PartialRounds  = 21
	SBoxDegree     = 3
	DigestByteSize = DigestLen * 4
)

// Digest is a Poseidon2 digest: eight KoalaBear elements.
type Digest [DigestLen]field.Elem

var perm = sync.OnceValue(func() *poseidon2.Permutation {
	return poseidon2.NewPermutation(Width, FullRounds, PartialRounds)
})

// Permutation returns the shared Poseidon2 permutation instance (width 16, 6 full and
// 21 partial rounds, x^3 S-box, gnark-crypto's round constants).
func Permutation() *poseidon2.Permutation { return perm() }

// prefer8 (Prefer8) routes single permutations through the 8-lane AVX2 kernel (the
// state in every lane): where gnark-crypto has no AVX-512 assembly its generic
// permutation takes about 3.2 µs on the Zen 3, the vector kernel about 1.1 µs for eight.
var prefer8 = hasVector8 && !cpu.SupportAVX512

// Permute applies the permutation to state in place.
func Permute(state *[Width]field.Elem) {
	if prefer8 {
		permute1Vec(state)
		return
	}
	// Permutation only fails on a wrong length, which the array type rules out.
	_ = perm().Permutation(state[:])
}

// Compress is the 2-to-1 compression used for Merkle nodes and the leaf chain:
// Compress(l, r) = P(l ‖ r)[8:16] + r.
func Compress(l, r *Digest) Digest {
	var s [Width]field.Elem
	copy(s[:DigestLen], l[:])
	copy(s[DigestLen:], r[:])
	Permute(&s)
	var out Digest
	for i := range out {
		out[i].Add(&s[DigestLen+i], &r[i])
	}
	return out
}

// Elems hashes a sequence of field elements with the Merkle–Damgård chain of Compress
// from the zero state, zero-padding the last block. It is what the Merkle tree uses for
// its leaves (rows of fixed width, so no length padding is needed there); for inputs of
// varying length use [Tagged], which binds the length.
func Elems(in []field.Elem) Digest {
	var st Digest
	var blk Digest
	for i := 0; i < len(in); i += Rate {
		blk = Digest{}
		copy(blk[:], in[i:min(i+Rate, len(in))])
		st = Compress(&st, &blk)
	}
	return st
}

// TaggedSHA256 is a digest of a domain-separation tag and a long message of bytes made
// with SHA-256 instead of the Poseidon2 chain: for descriptions that are hashed natively
// only, never inside a proof (an AIR's digest in a verifying key), where a sequential
// Poseidon2 chain costs a permutation per 24 bytes (about 0.1 s for the zkVM's AIRs on
// a machine without AVX-512) and SHA-256 a millisecond. SHA-256 over the tag's length,
// the tag and the message gives eight 32-bit words, each reduced modulo p into one
// element: the map loses less than one bit per word, so collisions stay as hard as
// for a 247-bit hash (about 2^123 work).
func TaggedSHA256(tag string, msg []byte) Digest {
	h := sha256.New()
	var n [4]byte
	binary.LittleEndian.PutUint32(n[:], uint32(len(tag)))
	h.Write(n[:])
	h.Write([]byte(tag))
	h.Write(msg)
	sum := h.Sum(nil)
	var d Digest
	for i := range d {
		d[i] = field.New(uint64(binary.LittleEndian.Uint32(sum[4*i:])))
	}
	return d
}

// Tagged hashes a domain-separation tag and a message of bytes. The tag and the byte
// length are absorbed first, then the bytes packed three to an element (little endian),
// so that different tags or lengths never collide by padding.
func Tagged(tag string, msg []byte) Digest {
	in := make([]field.Elem, 0, 2+len(tag)/3+len(msg)/3+4)
	in = append(in, field.New(uint64(len(tag))))
	in = appendBytes(in, []byte(tag))
	in = append(in, field.New(uint64(len(msg)&0xffffff)), field.New(uint64(len(msg)>>24)))
	in = appendBytes(in, msg)
	return Elems(in)
}

func appendBytes(in []field.Elem, b []byte) []field.Elem {
	for i := 0; i < len(b); i += 3 {
		var v uint64
		for j := 0; j < 3 && i+j < len(b); j++ {
			v |= uint64(b[i+j]) << (8 * j)
		}
		in = append(in, field.New(v))
	}
	return in
}

// Bytes returns the canonical encoding: eight little-endian uint32 values.
func (d Digest) Bytes() []byte {
	out := make([]byte, DigestByteSize)
	for i := range d {
		binary.LittleEndian.PutUint32(out[4*i:], uint32(d[i].Uint64()))
	}
	return out
}

// String is the hex of Bytes.
func (d Digest) String() string { return hex.EncodeToString(d.Bytes()) }

// ErrDigest reports a malformed digest encoding.
var ErrDigest = errors.New("hash: malformed digest")

// DigestFromBytes decodes Bytes' encoding, rejecting non-canonical elements.
func DigestFromBytes(b []byte) (Digest, error) {
	var d Digest
	if len(b) != DigestByteSize {
		return d, fmt.Errorf("%w: %d bytes, want %d", ErrDigest, len(b), DigestByteSize)
	}
	for i := range d {
		v := binary.LittleEndian.Uint32(b[4*i:])
		if !field.Canonical(v) {
			return d, fmt.Errorf("%w: element %d (%d) is not below the modulus", ErrDigest, i, v)
		}
		d[i].SetUint64(uint64(v))
	}
	return d, nil
}

// ParseDigest decodes the hex form String prints.
func ParseDigest(s string) (Digest, error) {
	b, err := hex.DecodeString(s)
	if err != nil {
		return Digest{}, fmt.Errorf("%w: %v", ErrDigest, err)
	}
	return DigestFromBytes(b)
}
