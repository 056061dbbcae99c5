package conformance

import (
	"math/big"
	"sort"

	"github.com/oneiros-zk/oneiros/plugins/evm/container"
	"github.com/oneiros-zk/oneiros/plugins/evm/output"
)

// RLP encoding (Ethereum's Recursive Length Prefix), enough for tries, accounts and logs.

func rlpLength(n int, short, long byte) []byte {
	if n < 56 {
		return []byte{short + byte(n)}
	}
	var be []byte
	for x := n; x > 0; x >>= 8 {
		be = append([]byte{byte(x)}, be...)
	}
	return append([]byte{long + byte(len(be))}, be...)
}

// rlpBytes encodes a byte string.
func rlpBytes(b []byte) []byte {
	if len(b) == 1 && b[0] < 0x80 {
		return []byte{b[0]}
	}
	return append(rlpLength(len(b), 0x80, 0xb7), b...)
}

// rlpList encodes a list of already encoded items.
func rlpList(items ...[]byte) []byte {
	n := 0
	for _, it := range items {
		n += len(it)
	}
	out := rlpLength(n, 0xc0, 0xf7)
	for _, it := range items {
		out = append(out, it...)
	}
	return out
}

// rlpInt encodes a non-negative integer as its minimal big-endian bytes.
func rlpInt(v *big.Int) []byte { return rlpBytes(v.Bytes()) }

func rlpUint(v uint64) []byte { return rlpInt(new(big.Int).SetUint64(v)) }

// Merkle-Patricia trie roots.

type kv struct {
	key []byte // nibbles
	val []byte
}

func nibbles(b []byte) []byte {
	out := make([]byte, 2*len(b))
	for i, x := range b {
		out[2*i], out[2*i+1] = x>>4, x&15
	}
	return out
}

// hexPrefix is the compact encoding of a nibble path with the leaf flag.
func hexPrefix(path []byte, leaf bool) []byte {
	flag := byte(0)
	if leaf {
		flag = 2
	}
	var out []byte
	if len(path)%2 == 1 {
		out = append(out, (flag+1)<<4|path[0])
		path = path[1:]
	} else {
		out = append(out, flag<<4)
	}
	for i := 0; i < len(path); i += 2 {
		out = append(out, path[i]<<4|path[i+1])
	}
	return out
}

// ref is how a parent refers to a child node: inline when shorter than 32 bytes.
func ref(enc []byte) []byte {
	if len(enc) < 32 {
		return enc
	}
	h := container.Keccak256(enc)
	return rlpBytes(h[:])
}

// node encodes the trie of items (sorted, keys of equal length) below depth nibbles.
func node(items []kv, depth int) []byte {
	if len(items) == 1 {
		return rlpList(rlpBytes(hexPrefix(items[0].key[depth:], true)), rlpBytes(items[0].val))
	}
	// The longest common prefix below depth.
	cp := 0
	for {
		d := depth + cp
		if d >= len(items[0].key) {
			break
		}
		same := true
		for _, it := range items[1:] {
			if it.key[d] != items[0].key[d] {
				same = false
				break
			}
		}
		if !same {
			break
		}
		cp++
	}
	if cp > 0 {
		return rlpList(rlpBytes(hexPrefix(items[0].key[depth:depth+cp], false)), ref(node(items, depth+cp)))
	}
	children := make([][]byte, 17)
	for k := range children {
		children[k] = rlpBytes(nil)
	}
	for start := 0; start < len(items); {
		nib := items[start].key[depth]
		end := start
		for end < len(items) && items[end].key[depth] == nib {
			end++
		}
		children[nib] = ref(node(items[start:end], depth+1))
		start = end
	}
	return rlpList(children...)
}

// trieRoot is the root hash of the secure trie mapping keccak(key) to val.
func trieRoot(entries map[string][]byte) container.Word {
	items := make([]kv, 0, len(entries))
	for k, v := range entries {
		h := container.Keccak256([]byte(k))
		items = append(items, kv{key: nibbles(h[:]), val: v})
	}
	if len(items) == 0 {
		return container.Keccak256(rlpBytes(nil))
	}
	sort.Slice(items, func(i, j int) bool { return string(items[i].key) < string(items[j].key) })
	return container.Keccak256(node(items, 0))
}

// StorageRoot is the root of an account's storage trie.
func StorageRoot(st map[container.Word]container.Word) container.Word {
	m := map[string][]byte{}
	for k, v := range st {
		if !v.IsZero() {
			m[string(k[:])] = rlpInt(v.Big())
		}
	}
	return trieRoot(m)
}

// StateRoot is the root of the world-state trie.
func StateRoot(state map[container.Address]*container.Account) container.Word {
	m := map[string][]byte{}
	for a, acc := range state {
		sr, ch := StorageRoot(acc.Storage), container.Keccak256(acc.Code)
		m[string(a[:])] = rlpList(rlpUint(acc.Nonce), rlpInt(acc.Balance), rlpBytes(sr[:]), rlpBytes(ch[:]))
	}
	return trieRoot(m)
}

// LogsHash is keccak256 of the RLP list of logs [address, [topics], data].
func LogsHash(logs []output.Log) container.Word {
	items := make([][]byte, len(logs))
	for i, l := range logs {
		topics := make([][]byte, len(l.Topics))
		for j, t := range l.Topics {
			topics[j] = rlpBytes(t[:])
		}
		items[i] = rlpList(rlpBytes(l.Address[:]), rlpList(topics...), rlpBytes(l.Data))
	}
	return container.Keccak256(rlpList(items...))
}
