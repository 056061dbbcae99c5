package sbpf

import (
	"encoding/binary"
	"math/bits"
)

// Murmur3 is MurmurHash3's 32-bit variant with the given seed, as the Solana loaders
// use it to name syscalls and functions.
func Murmur3(data []byte, seed uint32) uint32 {
	const c1, c2 = 0xcc9e2d51, 0x1b873593
	h := seed
	n := len(data)
	for len(data) >= 4 {
		k := binary.LittleEndian.Uint32(data)
		k *= c1
		k = bits.RotateLeft32(k, 15)
		k *= c2
		h ^= k
		h = bits.RotateLeft32(h, 13)
		h = h*5 + 0xe6546b64
		data = data[4:]
	}
	if len(data) > 0 {
		var k uint32
		for i := len(data) - 1; i >= 0; i-- {
			k = k<<8 | uint32(data[i])
		}
		k *= c1
		k = bits.RotateLeft32(k, 15)
		k *= c2
		h ^= k
	}
	h ^= uint32(n)
	h ^= h >> 16
	h *= 0x85ebca6b
	h ^= h >> 13
	h *= 0xc2b2ae35
	h ^= h >> 16
	return h
}

// SymbolHash is the key of a named symbol: a syscall ("sol_log_") or "entrypoint".
func SymbolHash(name string) uint32 { return Murmur3([]byte(name), 0) }

// PCHash is the key under which a v0 loader registers an internal function starting at
// instruction pc: the hash of pc as a little-endian u64.
func PCHash(pc uint64) uint32 {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], pc)
	return Murmur3(b[:], 0)
}
