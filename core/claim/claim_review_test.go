package claim

import (
	"math/rand/v2"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// The review of the claim's field encodings: each has the length its constant says,
// every integer's limbs are canonical and read back to the integer, every field moves
// the digest, and the three encodings' prefixes are apart.

func randDigest(rng *rand.Rand) (d hash.Digest) {
	for i := range d {
		d[i] = field.New(rng.Uint64N(field.Modulus))
	}
	return d
}

func randFields(rng *rand.Rand) Fields {
	return Fields{ISA: randDigest(rng), ProgramID: randDigest(rng), SourceDigest: randDigest(rng), InputDigest: randDigest(rng),
		InputLen: rng.Uint32(), OutputDigest: randDigest(rng), ExitStatus: uint8(rng.Uint32()), ExitCode: rng.Uint32(),
		Cycles: rng.Uint64(), HookCount: rng.Uint32(), HookDigest: randDigest(rng)}
}

// TestReviewEncodingLengths: Elems, ContextElems and ProgramKeyElems have the lengths
// RootLen, ContextLen and ProgramKeyLen name.
func TestReviewEncodingLengths(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	f := randFields(rng)
	if n := len(f.Elems()); n != RootLen {
		t.Errorf("claim_root's preimage has %d elements, RootLen is %d", n, RootLen)
	}
	if n := len(ContextElems(f.ISA, f.SourceDigest, f.InputDigest)); n != ContextLen {
		t.Errorf("the context's preimage has %d elements, ContextLen is %d", n, ContextLen)
	}
	if n := len(ProgramKeyElems(f.ProgramID, 1, 2, f.InputDigest, f.OutputDigest, f.HookDigest, 3)); n != ProgramKeyLen {
		t.Errorf("the program key's preimage has %d elements, ProgramKeyLen is %d", n, ProgramKeyLen)
	}
}

// TestReviewLimbs: every limb is below 2^16 and the limbs read back to the value, for
// values at the limbs' edges and at random.
func TestReviewLimbs(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	vs := []uint64{0, 1, 0xffff, 0x10000, 0xffffffff, 1 << 32, 1<<48 - 1, 1 << 48, ^uint64(0), field.Modulus - 1, field.Modulus}
	for range 1000 {
		vs = append(vs, rng.Uint64())
	}
	for _, v := range vs {
		l := Limbs(nil, v, 4)
		var back uint64
		for i, x := range l {
			if x.Uint64() >= 1<<16 {
				t.Fatalf("%#x: limb %d is %#x", v, i, x.Uint64())
			}
			back |= x.Uint64() << (16 * i)
		}
		if back != v {
			t.Fatalf("%#x reads back as %#x", v, back)
		}
	}
}

// TestReviewRootBindsEveryField: changing any one field of a claim — each element of
// each digest, each integer by one and by one limb's weight — changes claim_root; the
// context moves with each of its three digests; the program key with each of its parts.
func TestReviewRootBindsEveryField(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	f := randFields(rng)
	root := f.Root()
	one := field.New(1)
	bump := func(d *hash.Digest, i int) { d[i].Add(&d[i], &one) }
	var muts []func(g *Fields)
	for i := range hash.DigestLen {
		muts = append(muts,
			func(g *Fields) { bump(&g.ISA, i) }, func(g *Fields) { bump(&g.ProgramID, i) },
			func(g *Fields) { bump(&g.SourceDigest, i) }, func(g *Fields) { bump(&g.InputDigest, i) },
			func(g *Fields) { bump(&g.OutputDigest, i) }, func(g *Fields) { bump(&g.HookDigest, i) })
	}
	for _, k := range []uint64{1, 1 << 16, 1 << 32, 1 << 48} {
		muts = append(muts, func(g *Fields) { g.Cycles += k })
		if k < 1<<32 {
			muts = append(muts, func(g *Fields) { g.InputLen += uint32(k) }, func(g *Fields) { g.ExitCode += uint32(k) },
				func(g *Fields) { g.HookCount += uint32(k) })
		}
	}
	muts = append(muts, func(g *Fields) { g.ExitStatus++ })
	// Fields of one kind swapped.
	muts = append(muts, func(g *Fields) { g.SourceDigest, g.InputDigest = g.InputDigest, g.SourceDigest },
		func(g *Fields) { g.InputLen, g.HookCount = g.HookCount, g.InputLen })
	for i, m := range muts {
		g := f
		m(&g)
		if g.Root() == root {
			t.Errorf("mutation %d leaves claim_root unchanged", i)
		}
	}
	ctx := Context(f.ISA, f.SourceDigest, f.InputDigest)
	for i, c := range []hash.Digest{Context(f.ProgramID, f.SourceDigest, f.InputDigest), Context(f.ISA, f.ProgramID, f.InputDigest),
		Context(f.ISA, f.SourceDigest, f.ProgramID), Context(f.SourceDigest, f.ISA, f.InputDigest)} {
		if c == ctx {
			t.Errorf("context mutation %d leaves it unchanged", i)
		}
	}
	key := ProgramKey(f.ProgramID, 1, 2, f.InputDigest, f.OutputDigest, f.HookDigest, 3)
	for i, k := range []hash.Digest{
		ProgramKey(f.ISA, 1, 2, f.InputDigest, f.OutputDigest, f.HookDigest, 3),
		ProgramKey(f.ProgramID, 2, 2, f.InputDigest, f.OutputDigest, f.HookDigest, 3),
		ProgramKey(f.ProgramID, 1, 3, f.InputDigest, f.OutputDigest, f.HookDigest, 3),
		ProgramKey(f.ProgramID, 2, 1, f.InputDigest, f.OutputDigest, f.HookDigest, 3),
		ProgramKey(f.ProgramID, 1, 2, f.ISA, f.OutputDigest, f.HookDigest, 3),
		ProgramKey(f.ProgramID, 1, 2, f.InputDigest, f.ISA, f.HookDigest, 3),
		ProgramKey(f.ProgramID, 1, 2, f.InputDigest, f.OutputDigest, f.ISA, 3),
		ProgramKey(f.ProgramID, 1, 2, f.InputDigest, f.OutputDigest, f.HookDigest, 4),
	} {
		if k == key {
			t.Errorf("program key mutation %d leaves it unchanged", i)
		}
	}
}

// TestReviewPrefixesApart: the four tags' prefixes differ, none is the zero digest,
// and ISA names that differ only by trailing zero bytes or by case have different
// digests (hash.Tagged binds the length).
func TestReviewPrefixesApart(t *testing.T) {
	tags := []string{TagRoot, TagContext, TagISA, TagProgramKey}
	seen := map[hash.Digest]string{}
	for _, tag := range tags {
		p := Prefix(tag)
		if p == (hash.Digest{}) {
			t.Fatalf("%q: a zero prefix", tag)
		}
		if o, ok := seen[p]; ok {
			t.Fatalf("%q and %q share a prefix", tag, o)
		}
		seen[p] = tag
	}
	names := []string{"", "\x00", "asm", "asm\x00", "\x00asm", "ASM", "wasm", "wasm\x00\x00\x00"}
	isas := map[hash.Digest]string{}
	for _, n := range names {
		d := ISADigest(n)
		if o, ok := isas[d]; ok {
			t.Fatalf("ISA names %q and %q share a digest", n, o)
		}
		isas[d] = n
	}
}
