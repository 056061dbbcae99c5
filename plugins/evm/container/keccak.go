package container

import (
	"math/big"

	"golang.org/x/crypto/sha3"
)

// Keccak256 is Ethereum's hash (Keccak with the original 0x01 padding).
func Keccak256(parts ...[]byte) Word {
	h := sha3.NewLegacyKeccak256()
	for _, p := range parts {
		h.Write(p)
	}
	var w Word
	h.Sum(w[:0])
	return w
}

// BlobBaseFee is the blob base fee of a block with the given excess blob gas
// (EIP-4844's fake exponential with the Cancun parameters).
func BlobBaseFee(excess uint64) *big.Int {
	const minPrice, fraction = 1, 3338477
	num, den := new(big.Int).SetUint64(excess), big.NewInt(fraction)
	out, acc := new(big.Int), new(big.Int).Mul(big.NewInt(minPrice), den)
	for k := int64(1); acc.Sign() > 0; k++ {
		out.Add(out, acc)
		acc.Mul(acc, num)
		acc.Div(acc, new(big.Int).Mul(den, big.NewInt(k)))
	}
	return out.Div(out, den)
}
