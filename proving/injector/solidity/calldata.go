package solidity

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark-crypto/ecc/bn254/fp"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend/groth16"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
	"github.com/consensys/gnark/backend/witness"
	"golang.org/x/crypto/sha3"
)

// CallData is the calldata of verifyProof(bytes proof, uint256[N] input) on [Export]'s
// contract: proof is gnark's MarshalSolidity layout, the points A, B, C in EIP-197
// encoding (256 bytes: A.x, A.y, B.x.A1, B.x.A0, B.y.A1, B.y.A0, C.x, C.y, big-endian),
// then, for a circuit with K Pedersen commitments, the K commitment points and their
// proof of knowledge (64 bytes each); input is the public witness, in the order of the
// circuit's public fields, each element reduced and big-endian.
func CallData(proof groth16.Proof, publicWitness witness.Witness) ([]byte, error) {
	p, input, err := decode(proof, publicWitness)
	if err != nil {
		return nil, err
	}
	raw := p.MarshalSolidity()
	n := len(input)
	out := selector(fmt.Sprintf("verifyProof(bytes,uint256[%d])", n))
	out = append(out, word(big.NewInt(int64(32*(1+n))))...) // the offset of proof's tail
	for _, x := range input {
		out = append(out, x...)
	}
	out = append(out, word(big.NewInt(int64(len(raw))))...)
	out = append(out, raw...)
	if pad := len(raw) % 32; pad != 0 {
		out = append(out, make([]byte, 32-pad)...)
	}
	return out, nil
}

// CompressedCallData is the calldata of verifyCompressedProof on [Export]'s contract:
// the points compressed as the contract's compressProof does (the x coordinates with
// the sign bits of y below them, after https://2π.com/23/bn254-compression), 128 bytes
// for A, B, C and 32 more per commitment and for their proof of knowledge, and the
// public input as for [CallData]. The contract recomputes y with MODEXP square roots,
// which is cheaper in calldata and dearer in execution.
func CompressedCallData(proof groth16.Proof, publicWitness witness.Witness) ([]byte, error) {
	p, input, err := decode(proof, publicWitness)
	if err != nil {
		return nil, err
	}
	var words [][]byte
	a, err := compressG1(&p.Ar)
	if err != nil {
		return nil, fmt.Errorf("solidity: proof point A: %w", err)
	}
	c0, c1, err := compressG2(&p.Bs)
	if err != nil {
		return nil, fmt.Errorf("solidity: proof point B: %w", err)
	}
	c, err := compressG1(&p.Krs)
	if err != nil {
		return nil, fmt.Errorf("solidity: proof point C: %w", err)
	}
	words = append(words, a, c1, c0, c) // the contract reads B as (compressed[2], compressed[1])
	sig := "verifyCompressedProof(uint256[4],"
	if k := len(p.Commitments); k > 0 {
		for i := range p.Commitments {
			w, err := compressG1(&p.Commitments[i])
			if err != nil {
				return nil, fmt.Errorf("solidity: commitment %d: %w", i, err)
			}
			words = append(words, w)
		}
		w, err := compressG1(&p.CommitmentPok)
		if err != nil {
			return nil, fmt.Errorf("solidity: commitments' proof of knowledge: %w", err)
		}
		words = append(words, w)
		sig += fmt.Sprintf("uint256[%d],uint256,", k)
	}
	words = append(words, input...)
	out := selector(sig + fmt.Sprintf("uint256[%d])", len(input)))
	for _, w := range words {
		out = append(out, w...)
	}
	return out, nil
}

// decode checks that proof and publicWitness are BN254 ones and returns the proof and
// the public input as 32-byte big-endian words.
func decode(proof groth16.Proof, publicWitness witness.Witness) (*groth16bn254.Proof, [][]byte, error) {
	p, ok := proof.(*groth16bn254.Proof)
	if !ok {
		return nil, nil, fmt.Errorf("solidity: proof of type %T, want a BN254 Groth16 proof", proof)
	}
	if publicWitness == nil {
		return nil, nil, errors.New("solidity: nil public witness")
	}
	v, ok := publicWitness.Vector().(fr.Vector)
	if !ok {
		return nil, nil, fmt.Errorf("solidity: public witness of type %T, want BN254 (fr.Vector)", publicWitness.Vector())
	}
	if len(v) == 0 {
		return nil, nil, errors.New("solidity: empty public witness (the exported contract needs at least one public input)")
	}
	input := make([][]byte, len(v))
	for i := range v {
		b := v[i].Bytes()
		input[i] = b[:]
	}
	return p, input, nil
}

// selector is the first four bytes of Keccak-256 of a function's signature.
func selector(signature string) []byte {
	h := sha3.NewLegacyKeccak256()
	h.Write([]byte(signature))
	return h.Sum(nil)[:4]
}

// word is x as a 32-byte big-endian ABI word (x < 2²⁵⁶).
func word(x *big.Int) []byte {
	return x.FillBytes(make([]byte, 32))
}

// The compression of the contract's compress_g1 and compress_g2, in big integers so that
// every step reads as the Solidity it mirrors (square roots are a^((P+1)/4): P ≡ 3 mod 4).
var (
	modP    = fp.Modulus()
	sqrtExp = new(big.Int).Rsh(new(big.Int).Add(modP, big.NewInt(1)), 2)
	half    = new(big.Int).ModInverse(big.NewInt(2), modP)
	inv82   = new(big.Int).ModInverse(big.NewInt(82), modP)
	twistB0 = mulP(big.NewInt(27), inv82) // the twist's b = 3/(9+i) = 27/82 - 3/82·i
	twistB1 = mulP(big.NewInt(3), inv82)
)

func mulP(a, b *big.Int) *big.Int { return new(big.Int).Mod(new(big.Int).Mul(a, b), modP) }
func addP(a, b *big.Int) *big.Int { return new(big.Int).Mod(new(big.Int).Add(a, b), modP) }
func negP(a *big.Int) *big.Int    { return new(big.Int).Mod(new(big.Int).Neg(a), modP) }

// sqrtP is a square root of a, or nil if a has none.
func sqrtP(a *big.Int) *big.Int {
	x := new(big.Int).Exp(a, sqrtExp, modP)
	if mulP(x, x).Cmp(a) != 0 {
		return nil
	}
	return x
}

var errNotOnCurve = errors.New("point not on the curve")

// compressG1 is compress_g1: x·2 + (1 if y is the negated root of x³+3, else 0).
func compressG1(p *bn254.G1Affine) ([]byte, error) {
	if p.IsInfinity() {
		return make([]byte, 32), nil
	}
	x, y := p.X.BigInt(new(big.Int)), p.Y.BigInt(new(big.Int))
	yPos := sqrtP(addP(mulP(mulP(x, x), x), big.NewInt(3)))
	if yPos == nil {
		return nil, errNotOnCurve
	}
	c := new(big.Int).Lsh(x, 1)
	switch {
	case y.Cmp(yPos) == 0:
	case y.Cmp(negP(yPos)) == 0:
		c.SetBit(c, 0, 1)
	default:
		return nil, errNotOnCurve
	}
	return word(c), nil
}

// compressG2 is compress_g2: c0 = x0·4 + hint·2 + sign, c1 = x1, for x = x0 + x1·i.
func compressG2(p *bn254.G2Affine) (c0, c1 []byte, err error) {
	if p.IsInfinity() {
		return make([]byte, 32), make([]byte, 32), nil
	}
	x0, x1 := p.X.A0.BigInt(new(big.Int)), p.X.A1.BigInt(new(big.Int))
	y0, y1 := p.Y.A0.BigInt(new(big.Int)), p.Y.A1.BigInt(new(big.Int))
	// y² = x³ + b, b = 27/82 - 3/82·i.
	n3ab := mulP(mulP(x0, x1), new(big.Int).Sub(modP, big.NewInt(3)))
	a3 := mulP(mulP(x0, x0), x0)
	b3 := mulP(mulP(x1, x1), x1)
	s0 := addP(twistB0, addP(a3, mulP(n3ab, x1)))
	s1 := negP(addP(twistB1, addP(b3, mulP(n3ab, x0))))
	// The hint picks the sign of the norm's root for which the Fp2 root exists.
	d := sqrtP(addP(mulP(s0, s0), mulP(s1, s1)))
	if d == nil {
		return nil, nil, errNotOnCurve
	}
	hint := sqrtP(mulP(addP(s0, d), half)) == nil
	if hint {
		d = negP(d)
	}
	r0 := sqrtP(mulP(addP(s0, d), half))
	if r0 == nil {
		return nil, nil, errNotOnCurve
	}
	r1 := mulP(s1, new(big.Int).ModInverse(mulP(r0, big.NewInt(2)), modP))
	c := new(big.Int).Lsh(x0, 2)
	if hint {
		c.SetBit(c, 1, 1)
	}
	switch {
	case y0.Cmp(r0) == 0 && y1.Cmp(r1) == 0:
	case y0.Cmp(negP(r0)) == 0 && y1.Cmp(negP(r1)) == 0:
		c.SetBit(c, 0, 1)
	default:
		return nil, nil, errNotOnCurve
	}
	return word(c), word(x1), nil
}
