package hash

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
)

// TestGnarkVectors checks Elems against gnark-crypto's published Merkle–Damgård vectors
// (field/koalabear/poseidon2/test-vectors.json at v0.22.0, copied into testdata).
func TestGnarkVectors(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "gnark_md_vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var vecs []struct {
		In  [][]uint64 `json:"in"`
		Out []uint64   `json:"out"`
	}
	if err := json.Unmarshal(raw, &vecs); err != nil {
		t.Fatal(err)
	}
	if len(vecs) == 0 {
		t.Fatal("no vectors")
	}
	for i, v := range vecs {
		var in []field.Elem
		for _, blk := range v.In {
			for _, x := range blk {
				in = append(in, field.New(x))
			}
		}
		got := Elems(in)
		for j := range got {
			if got[j].Uint64() != v.Out[j] {
				t.Fatalf("vector %d: element %d = %d, want %d", i, j, got[j].Uint64(), v.Out[j])
			}
		}
	}
}

func TestTaggedSeparates(t *testing.T) {
	a := Tagged("a", []byte("bc"))
	b := Tagged("ab", []byte("c"))
	c := Tagged("a", []byte("bc\x00"))
	if a == b || a == c || b == c {
		t.Fatal("tags or lengths collide")
	}
	if a != Tagged("a", []byte("bc")) {
		t.Fatal("not deterministic")
	}
}

func TestDigestRoundTrip(t *testing.T) {
	d := Tagged("x", []byte("hello"))
	e, err := ParseDigest(d.String())
	if err != nil || e != d {
		t.Fatalf("round trip: %v", err)
	}
	bad := d.Bytes()
	bad[3] = 0xff // 0xff______ ≥ p
	if _, err := DigestFromBytes(bad); err == nil {
		t.Fatal("non-canonical digest accepted")
	}
	if _, err := DigestFromBytes(bad[:5]); err == nil {
		t.Fatal("short digest accepted")
	}
}

// The Wide scheme's compression is the width-24 permutation with feed-forward, its leaf
// hash the chain of it over blocks of 12; the Narrow scheme's are the package's
// functions on 8-element digests.
func TestSchemes(t *testing.T) {
	var l, r Node
	for i := range l {
		l[i], r[i] = field.New(uint64(i+1)), field.New(uint64(100+i))
	}
	var st [WideWidth]field.Elem
	copy(st[:12], l[:])
	copy(st[12:], r[:])
	PermuteWide(&st)
	got := Wide.Compress(&l, &r)
	for i := range got {
		var want field.Elem
		want.Add(&st[12+i], &r[i])
		if got[i] != want {
			t.Fatalf("Wide compression element %d", i)
		}
	}
	in := make([]field.Elem, 25)
	for i := range in {
		in[i] = field.New(uint64(7 * i))
	}
	var chain Node
	for i := 0; i < len(in); i += WideRate {
		var blk Node
		copy(blk[:], in[i:min(i+WideRate, len(in))])
		chain = Wide.Compress(&chain, &blk)
	}
	if Wide.Elems(in) != chain {
		t.Fatal("Wide leaf hash is not the chain")
	}
	a, b := l.Narrow(), r.Narrow()
	if Narrow.Compress(&l, &r) != NodeOf(Compress(&a, &b)) || Narrow.Elems(in) != NodeOf(Elems(in)) {
		t.Fatal("Narrow scheme differs from the package's functions")
	}
	if !Narrow.Canonical(&Node{}) || Narrow.Canonical(&l) || !Wide.Canonical(&l) {
		t.Fatal("Canonical")
	}
	for _, name := range []string{NameNarrow, NameWide} {
		if s, err := ParseScheme(name); err != nil || s.String() != name {
			t.Fatalf("ParseScheme(%q) = %v, %v", name, s, err)
		}
	}
	if _, err := ParseScheme("sha256"); err == nil {
		t.Fatal("unknown hash accepted")
	}
}

// The lane-wise batch is bit for bit the single permutation, on every lane, for a full
// batch and a partial one.
func TestWideBatchMatchesPermutation(t *testing.T) {
	const lanes = 37
	b := NewWideBatch(lanes)
	seed := uint64(3)
	want := make([][WideWidth]field.Elem, lanes)
	for l := range lanes {
		for i := range WideWidth {
			seed = seed*6364136223846793005 + 1442695040888963407
			v := field.New(seed >> 33)
			b.S[i][l], want[l][i] = v, v
		}
	}
	for _, m := range []int{lanes, 5} {
		for l := range m {
			PermuteWide(&want[l])
		}
		b.Permute(m)
		for l := range lanes {
			for i := range WideWidth {
				if b.S[i][l] != want[l][i] {
					t.Fatalf("m = %d: lane %d element %d differs", m, l, i)
				}
			}
		}
	}
}

// BenchmarkWide compares one Wide permutation at a time with the lane-wise batch, per
// permutation.
func BenchmarkWide(b *testing.B) {
	b.Run("single", func(b *testing.B) {
		var s [WideWidth]field.Elem
		for b.Loop() {
			PermuteWide(&s)
		}
	})
	for _, lanes := range []int{64, 256, 1024} {
		b.Run(fmt.Sprintf("batch/lanes=%d", lanes), func(b *testing.B) {
			wb := NewWideBatch(lanes)
			for b.Loop() {
				wb.Permute(lanes)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*lanes), "ns/perm")
		})
	}
}

// TestTaggedSHA256 checks that the tag and the message are separated (moving a byte
// between them changes the digest), that every element is canonical, and one vector
// computed by hand from crypto/sha256.
func TestTaggedSHA256(t *testing.T) {
	a, b := TaggedSHA256("ab", []byte("c")), TaggedSHA256("a", []byte("bc"))
	if a == b {
		t.Fatal("moving a byte from the tag to the message kept the digest")
	}
	if TaggedSHA256("ab", []byte("c")) != a {
		t.Fatal("not deterministic")
	}
	if TaggedSHA256("ab", []byte("d")) == a {
		t.Fatal("another message, same digest")
	}
	for i, e := range a {
		if !field.Canonical(uint32(e.Uint64())) {
			t.Fatalf("element %d not canonical", i)
		}
	}
	sum := sha256.Sum256(append([]byte{2, 0, 0, 0, 'a', 'b'}, 'c'))
	for i := range a {
		w := uint64(binary.LittleEndian.Uint32(sum[4*i:]))
		if a[i].Uint64() != w%uint64(field.Modulus) {
			t.Fatalf("element %d: %d, want %d", i, a[i].Uint64(), w%uint64(field.Modulus))
		}
	}
}
