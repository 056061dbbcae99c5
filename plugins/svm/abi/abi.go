package abi

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// GrowRoom is the room each account's data gets to grow in (MAX_PERMITTED_DATA_INCREASE).
const GrowRoom = 10240

// Pubkey is a 32-byte account address.
type Pubkey [32]byte

// Account is one account of an instruction.
type Account struct {
	Key, Owner                   Pubkey
	Lamports                     uint64
	Data                         []byte
	Signer, Writable, Executable bool
	RentEpoch                    uint64
	// DupOf, when ≥ 0, makes this entry a duplicate of an earlier account.
	DupOf int
}

// Serialize returns the input region's bytes.
func Serialize(accounts []Account, data []byte, programID Pubkey) ([]byte, error) {
	return serialize(accounts, data, programID, GrowRoom)
}

// Tape returns the private input of a run: Serialize without each account's room to grow.
func Tape(accounts []Account, data []byte, programID Pubkey) ([]byte, error) {
	return serialize(accounts, data, programID, 0)
}

func serialize(accounts []Account, data []byte, programID Pubkey, room int) ([]byte, error) {
	le := binary.LittleEndian
	out := le.AppendUint64(nil, uint64(len(accounts)))
	for i, a := range accounts {
		if a.DupOf >= 0 {
			if a.DupOf >= i || accounts[a.DupOf].DupOf >= 0 {
				return nil, fmt.Errorf("account %d duplicates %d, which is not an earlier original", i, a.DupOf)
			}
			out = append(out, byte(a.DupOf), 0, 0, 0, 0, 0, 0, 0)
			continue
		}
		out = append(out, 0xff, b2u(a.Signer), b2u(a.Writable), b2u(a.Executable), 0, 0, 0, 0)
		out = append(out, a.Key[:]...)
		out = append(out, a.Owner[:]...)
		out = le.AppendUint64(out, a.Lamports)
		out = le.AppendUint64(out, uint64(len(a.Data)))
		out = append(out, a.Data...)
		out = append(out, make([]byte, room+(8-len(a.Data)%8)%8)...)
		out = le.AppendUint64(out, a.RentEpoch)
	}
	out = le.AppendUint64(out, uint64(len(data)))
	out = append(out, data...)
	return append(out, programID[:]...), nil
}

func b2u(b bool) byte {
	if b {
		return 1
	}
	return 0
}

const alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// Base58 encodes a key as Solana prints it.
func (k Pubkey) Base58() string {
	n := new(big.Int).SetBytes(k[:])
	var out []byte
	mod, base := new(big.Int), big.NewInt(58)
	for n.Sign() > 0 {
		n.DivMod(n, base, mod)
		out = append(out, alphabet[mod.Int64()])
	}
	for _, b := range k {
		if b != 0 {
			break
		}
		out = append(out, '1')
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}

// ParsePubkey reads a base58 key.
func ParsePubkey(s string) (Pubkey, error) {
	var k Pubkey
	n := new(big.Int)
	for _, c := range s {
		i := strings.IndexRune(alphabet, c)
		if i < 0 {
			return k, fmt.Errorf("key %q: %q is not a base58 digit", s, c)
		}
		n.Mul(n, big.NewInt(58))
		n.Add(n, big.NewInt(int64(i)))
	}
	b := n.Bytes()
	zeros := 0
	for zeros < len(s) && s[zeros] == '1' {
		zeros++
	}
	if zeros+len(b) != 32 {
		return k, errors.New("key " + s + " is not 32 bytes")
	}
	copy(k[zeros:], b)
	return k, nil
}
