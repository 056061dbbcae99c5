package hash

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"

	"github.com/oneiros-zk/oneiros/proving/field"
)

// OuterPack is Σ x_i·2^(31i) + k·2^248, computed here with big integers; different
// lengths of the same prefix pack differently.
func TestOuterPack(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for k := 0; k <= OuterRate; k++ {
		in := make([]field.Elem, k)
		for i := range in {
			in[i] = field.New(rng.Uint64N(field.Modulus))
		}
		if k > 0 {
			in[0] = field.New(field.Modulus - 1)
		}
		want := new(big.Int)
		if k > 0 {
			want.Lsh(big.NewInt(int64(k)), 248)
		}
		for i := range in {
			want.Add(want, new(big.Int).Lsh(new(big.Int).SetUint64(in[i].Uint64()), uint(31*i)))
		}
		got := OuterPack(in)
		if g := got.BigInt(new(big.Int)); g.Cmp(want) != 0 {
			t.Fatalf("k=%d: packed %v, want %v", k, g, want)
		}
	}
	a := OuterPack([]field.Elem{field.New(5)})
	b := OuterPack([]field.Elem{field.New(5), field.New(0)})
	if a.Equal(&b) {
		t.Fatal("a block and its zero-extension pack alike")
	}
}

// A Node holds an F_r element in canonical limbs; anything else is refused.
func TestOuterNode(t *testing.T) {
	var v fr.Element
	v.SetRandom()
	n := OuterNode(v)
	got, ok := OuterValue(&n)
	if !ok || !got.Equal(&v) || !Outer.Canonical(&n) {
		t.Fatalf("round trip: %v %v", got, ok)
	}
	bad := n
	bad[OuterLimbs] = field.New(1)
	if Outer.Canonical(&bad) {
		t.Fatal("a node with an element past its limbs is canonical")
	}
	bad = n
	bad[0] = field.New(1 << OuterLimbBits)
	if Outer.Canonical(&bad) {
		t.Fatal("a limb of 2^30 is canonical")
	}
	// r itself, in limbs: not canonical.
	r := new(big.Int).Set(fr.Modulus())
	for i := range OuterLimbs {
		bad[i] = field.New(new(big.Int).And(r, big.NewInt(1<<OuterLimbBits-1)).Uint64())
		r.Rsh(r, OuterLimbBits)
	}
	if Outer.Canonical(&bad) {
		t.Fatal("the limbs of r are canonical")
	}
	// An F_r value of 254 bits fills the ninth limb, which a Narrow digest lacks.
	var top fr.Element
	top.SetOne()
	top.Neg(&top) // r − 1
	if tn := OuterNode(top); tn[8].IsZero() || Narrow.Canonical(&tn) {
		t.Fatal("an Outer node with a ninth limb is a canonical Narrow node")
	}
}

// The leaf hash chains OuterCompress over blocks of 8, and differs from the other schemes.
func TestOuterElems(t *testing.T) {
	in := make([]field.Elem, 19)
	for i := range in {
		in[i] = field.New(uint64(i * 7919))
	}
	var st fr.Element
	for i := 0; i < len(in); i += 8 {
		st = OuterCompress(st, OuterPack(in[i:min(i+8, len(in))]))
	}
	if got := OuterElems(in); !got.Equal(&st) {
		t.Fatal("OuterElems is not the chain of OuterCompress")
	}
	n := Outer.Elems(in)
	if v, _ := OuterValue(&n); !v.Equal(&st) {
		t.Fatal("Outer.Elems differs from OuterElems")
	}
	if Outer.Elems(in[:18]) == n {
		t.Fatal("a shorter row hashes alike")
	}
}
