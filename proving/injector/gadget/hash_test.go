package gadget

import (
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
	"github.com/consensys/gnark/frontend"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// The native reference of the "poseidon2-bn254" hash, from gnark-crypto.

func nativeCompress(l, r fr.Element) fr.Element {
	x := [2]fr.Element{l, r}
	if err := poseidon2.NewDefaultPermutation().Permutation(x[:]); err != nil {
		panic(err)
	}
	x[1].Add(&x[1], &r)
	return x[1]
}

func nativePack(chunk []field.Elem) fr.Element {
	s := new(big.Int).Lsh(big.NewInt(int64(len(chunk))), 248)
	for i, e := range chunk {
		s.Add(s, new(big.Int).Lsh(new(big.Int).SetUint64(e.Uint64()), uint(31*i)))
	}
	var out fr.Element
	out.SetBigInt(s)
	return out
}

func nativeLeafHash(row []field.Elem) fr.Element {
	var st fr.Element
	for lo := 0; lo < len(row); lo += 8 {
		st = nativeCompress(st, nativePack(row[lo:min(lo+8, len(row))]))
	}
	return st
}

func frVar(e fr.Element) frontend.Variable { return e.BigInt(new(big.Int)) }

func TestCompress(t *testing.T) {
	var l, r fr.Element
	l.SetRandom()
	r.SetRandom()
	var m1 fr.Element
	m1.SetInt64(-1)
	pairs := [][2]fr.Element{{{}, {}}, {l, r}, {m1, m1}, {r, l}}
	var in, out []frontend.Variable
	for _, pr := range pairs {
		in = append(in, frVar(pr[0]), frVar(pr[1]))
		out = append(out, frVar(nativeCompress(pr[0], pr[1])))
	}
	fn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		var got []frontend.Variable
		for i := 0; i < len(in); i += 2 {
			got = append(got, f.Compress(in[i], in[i+1]))
		}
		return got
	}
	checkOp(t, fn, in, out)
	// gnark-crypto's byte-level Compress agrees with the reference.
	b, err := poseidon2.NewDefaultPermutation().Compress(marshal(l), marshal(r))
	if err != nil {
		t.Fatal(err)
	}
	want := nativeCompress(l, r)
	if string(b) != string(marshal(want)) {
		t.Fatal("gnark-crypto Compress disagrees with the reference")
	}
}

func marshal(e fr.Element) []byte { b := e.Bytes(); return b[:] }

func TestPackLeafHash(t *testing.T) {
	r := newRand(t)
	lens := []int{1, 2, 7, 8, 9, 16, 17, 100}
	var rows [][]field.Elem
	for _, n := range lens {
		row := make([]field.Elem, n)
		for i := range row {
			row[i] = randElem(r)
			if i%5 == 0 {
				row[i] = elem(p - 1)
			}
		}
		rows = append(rows, row)
	}
	var in, out []frontend.Variable
	for _, row := range rows {
		for _, e := range row {
			in = append(in, Assign(e))
		}
		out = append(out, frVar(hash.OuterPack(row[:min(8, len(row))])), frVar(hash.OuterElems(row)))
	}
	fn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		var got []frontend.Variable
		at := 0
		for _, n := range lens {
			row := make([]Elem, n)
			for i := range row {
				// Unreduced inputs: Pack reduces them.
				w := f.Witness(in[at+i])
				row[i] = f.Add(w, f.Mul(f.Const(p-1), f.Sub(w, w)))
			}
			at += n
			got = append(got, f.Pack(row[:min(8, n)]), f.LeafHash(row))
		}
		return got
	}
	checkOp(t, fn, in, out)
	// An empty row hashes to 0.
	checkOp(t, func(f *Field, _ []frontend.Variable) []frontend.Variable {
		return []frontend.Variable{f.LeafHash(nil)}
	}, nil, []frontend.Variable{0})
}

// TestReferenceMatchesOuter checks this file's reference against the engine's native
// "poseidon2-bn254" hash (proving/hash, Outer*).
func TestReferenceMatchesOuter(t *testing.T) {
	r := newRand(t)
	for n := range 40 {
		row := make([]field.Elem, n)
		for i := range row {
			row[i] = randElem(r)
		}
		if n > 0 && n <= 8 {
			if a, b := nativePack(row), hash.OuterPack(row); !a.Equal(&b) {
				t.Fatalf("pack of %d elements differs", n)
			}
		}
		if a, b := nativeLeafHash(row), hash.OuterElems(row); !a.Equal(&b) {
			t.Fatalf("leaf hash of %d elements differs", n)
		}
	}
	var l, rr fr.Element
	l.SetRandom()
	rr.SetRandom()
	if a, b := nativeCompress(l, rr), hash.OuterCompress(l, rr); !a.Equal(&b) {
		t.Fatal("compress differs")
	}
}
