package gadget

import (
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/frontend"

	"github.com/oneiros-zk/oneiros/proving/transcript"
)

func TestFrBitsChunkMod(t *testing.T) {
	var rnd fr.Element
	rnd.SetRandom()
	vals := []*big.Int{
		big.NewInt(0), big.NewInt(1), new(big.Int).Sub(frModulus, big.NewInt(1)),
		rnd.BigInt(new(big.Int)), new(big.Int).Lsh(big.NewInt(1), 253),
		new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 248), big.NewInt(1)),
	}
	mask := new(big.Int).SetUint64(1<<62 - 1)
	var in, out []frontend.Variable
	for _, v := range vals {
		in = append(in, v)
		for i := range FrWidth {
			out = append(out, v.Bit(i))
		}
		// Transcript draws: ((s >> 62j) mod 2^62) mod p for j < 4, then a short chunk.
		for j := range 4 {
			c := new(big.Int).Rsh(v, uint(62*j))
			c.And(c, mask)
			out = append(out, c.Mod(c, modulus))
		}
		out = append(out, new(big.Int).Mod(new(big.Int).Rsh(v, 248), modulus))
	}
	fn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		var got []frontend.Variable
		for _, v := range in {
			b := f.FrBits(v)
			got = append(got, b...)
			for j := range 4 {
				got = append(got, f.Canonical(f.ChunkMod(b[62*j:62*j+62])))
			}
			got = append(got, f.Canonical(f.ChunkMod(b[248:])))
		}
		return got
	}
	checkOp(t, fn, in, out)
}

func TestDrawsMatchTranscript(t *testing.T) {
	var in, out []frontend.Variable
	for i := range 6 {
		var s fr.Element
		s.SetRandom()
		if i == 0 {
			s.SetInt64(-1)
		}
		in = append(in, frVar(s))
		for _, x := range transcript.OuterDraws(s) {
			out = append(out, Assign(x))
		}
	}
	fn := func(f *Field, in []frontend.Variable) []frontend.Variable {
		var got []frontend.Variable
		for _, s := range in {
			for _, x := range f.Draws(s) {
				got = append(got, f.Canonical(x))
			}
		}
		return got
	}
	checkOp(t, fn, in, out)
}
