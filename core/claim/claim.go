// Package claim defines the field-element encodings of a run's claim that the native
// verifier and the recursion's outer layer both compute, so that a wrapped proof can
// state claim_root itself: claim_root, the claim's context (what a segment proof binds
// before any challenge), the ISA's digest and the program key.
//
// Every encoding is a fixed sequence of KoalaBear elements hashed with hash.Elems (the
// Merkle–Damgård chain of Poseidon2 compressions from the zero state) after a prefix,
// the digest hash.Tagged(tag, nil) of its domain-separation tag: fixed lengths need no
// length padding, and the prefixes keep the three digests apart. Integers enter as
// 16-bit limbs, little endian (a uint32 as two, a uint64 as four), so every value has
// one encoding whatever its size and every limb is canonical; the ISA name, the only
// field of varying length, enters as its digest (ISADigest). A recursion program
// computes the same sequence from cells with one compression per eight elements.
//
// # Usage
//
//	root := claim.Fields{ISA: claim.ISADigest("wasm"), ProgramID: id, ...}.Root()
//	ctx := claim.Context(claim.ISADigest("wasm"), source, input)
//	key := claim.ProgramKey(id, entry, fp/4, imageRoot, vkDigest, prepRoot, codeLen)
package claim

import (
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// Domain-separation tags. TagRoot and TagContext are version 2: version 1 hashed the
// claim's byte encoding (hash.Tagged), which no recursion program computes at a fixed
// cost (the ISA name shifted every later field).
const (
	TagRoot       = "oneiros/claim/v2"
	TagContext    = "oneiros/claim-context/v2"
	TagISA        = "oneiros/isa/v1"
	TagProgramKey = "oneiros/program-key/v1"
)

// Prefix is the first block of an encoding of the given tag: hash.Tagged(tag, nil).
func Prefix(tag string) hash.Digest { return hash.Tagged(tag, nil) }

// ISADigest is the digest of an ISA name, as claim_root and the context take it.
func ISADigest(isa string) hash.Digest { return hash.Tagged(TagISA, []byte(isa)) }

// Limbs appends v's n 16-bit limbs, least significant first (v < 2^(16n)).
func Limbs(out []field.Elem, v uint64, n int) []field.Elem {
	for range n {
		out = append(out, field.New(v&0xffff))
		v >>= 16
	}
	return out
}

// Fields are a claim's fields as claim_root encodes them (the ISA as its digest).
type Fields struct {
	ISA          hash.Digest // ISADigest of the frontend's ISA name
	ProgramID    hash.Digest
	SourceDigest hash.Digest
	InputDigest  hash.Digest
	InputLen     uint32
	OutputDigest hash.Digest
	ExitStatus   uint8
	ExitCode     uint32
	Cycles       uint64
	HookCount    uint32
	HookDigest   hash.Digest
}

// RootLen is the length of Elems: the prefix, the ISA digest, program_id, the source
// and input digests, the output and hook digests (seven digests), and 2 + 1 + 2 + 4 + 2
// integer elements.
const RootLen = 7*hash.DigestLen + 11

// Elems is claim_root's preimage: Prefix(TagRoot), the ISA digest, program_id, the
// source digest, the input digest, input_len (2 limbs), the output digest, the exit
// status, the exit code (2 limbs), the cycles (4 limbs), the hook count (2 limbs) and
// the hook digest. Every field is encoded, a run without hooks with count 0 and the
// zero digest.
func (f *Fields) Elems() []field.Elem {
	out := make([]field.Elem, 0, RootLen)
	p := Prefix(TagRoot)
	out = append(out, p[:]...)
	out = append(out, f.ISA[:]...)
	out = append(out, f.ProgramID[:]...)
	out = append(out, f.SourceDigest[:]...)
	out = append(out, f.InputDigest[:]...)
	out = Limbs(out, uint64(f.InputLen), 2)
	out = append(out, f.OutputDigest[:]...)
	out = append(out, field.New(uint64(f.ExitStatus)))
	out = Limbs(out, uint64(f.ExitCode), 2)
	out = Limbs(out, f.Cycles, 4)
	out = Limbs(out, uint64(f.HookCount), 2)
	return append(out, f.HookDigest[:]...)
}

// Root is claim_root: hash.Elems of Elems.
func (f *Fields) Root() hash.Digest { return hash.Elems(f.Elems()) }

// ContextLen is the length of ContextElems.
const ContextLen = 4 * hash.DigestLen

// ContextElems is the context's preimage: Prefix(TagContext), the ISA digest, the
// source digest and the input digest.
func ContextElems(isa, source, input hash.Digest) []field.Elem {
	p := Prefix(TagContext)
	out := make([]field.Elem, 0, ContextLen)
	out = append(out, p[:]...)
	out = append(out, isa[:]...)
	out = append(out, source[:]...)
	return append(out, input[:]...)
}

// Context is the digest of the claim's fields that a run's tables do not produce (the
// ISA, the source digest, the input digest): hash.Elems of ContextElems.
func Context(isa, source, input hash.Digest) hash.Digest {
	return hash.Elems(ContextElems(isa, source, input))
}

// ProgramKeyLen is the length of ProgramKeyElems.
const ProgramKeyLen = 5*hash.DigestLen + 3

// ProgramKeyElems is the program key's preimage: Prefix(TagProgramKey), program_id,
// the entry pc, the entry frame pointer / 4, the program image's memory root, the
// segments' verifying key digest and preprocessed commitment, and the program's
// instruction count. pc, fp/4 and the count are below p (the machine's addresses are
// below 2^30; an aggregated program has fewer than 2^29 instructions).
func ProgramKeyElems(programID hash.Digest, pc, fp4 uint32, memRoot, vkDigest, prepRoot hash.Digest, codeLen uint32) []field.Elem {
	p := Prefix(TagProgramKey)
	out := make([]field.Elem, 0, ProgramKeyLen)
	out = append(out, p[:]...)
	out = append(out, programID[:]...)
	out = append(out, field.New(uint64(pc)), field.New(uint64(fp4)))
	out = append(out, memRoot[:]...)
	out = append(out, vkDigest[:]...)
	out = append(out, prepRoot[:]...)
	return append(out, field.New(uint64(codeLen)))
}

// ProgramKey is what a wrapped proof states of the program besides claim_root: the
// program's identity (program_id) together with everything the segment proofs bind of
// it (where it starts, its memory image, the verifying key its ROM fixes) — the value a
// contract pins for the program it accepts, as it pins claim_root for the claim.
func ProgramKey(programID hash.Digest, pc, fp4 uint32, memRoot, vkDigest, prepRoot hash.Digest, codeLen uint32) hash.Digest {
	return hash.Elems(ProgramKeyElems(programID, pc, fp4, memRoot, vkDigest, prepRoot, codeLen))
}
