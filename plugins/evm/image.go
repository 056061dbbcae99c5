package main

import (
	"fmt"
	"math/big"
	"sort"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/sdk/evm"
)

// image collects the initial memory: words (only the non-zero ones become data, so the
// memory argument opens no zero word) and words holding instruction indices.
type image struct {
	words  map[uint32]uint32
	labels map[uint32]isa.Label
}

func newImage() *image { return &image{words: map[uint32]uint32{}, labels: map[uint32]isa.Label{}} }

func (im *image) word(addr, v uint32) { im.words[addr] = v }

// bytes writes b at addr (any alignment).
func (im *image) bytes(addr uint32, b []byte) {
	for k, x := range b {
		a := addr + uint32(k)
		w := im.words[a&^3]
		sh := 8 * (a & 3)
		im.words[a&^3] = w&^(0xff<<sh) | uint32(x)<<sh
	}
}

// limbs returns a 256-bit value's 8 little-endian words, least significant first.
func limbs(w evm.Word) (l [8]uint32) {
	for k := range l {
		b := w[28-4*k : 32-4*k]
		l[k] = uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	}
	return l
}

func wordOfAddress(a evm.Address) evm.Word {
	var w evm.Word
	copy(w[12:], a[:])
	return w
}

func (im *image) u256(addr uint32, w evm.Word) {
	for k, v := range limbs(w) {
		im.word(addr+4*uint32(k), v)
	}
}

func (im *image) big(addr uint32, v *big.Int) {
	if v == nil {
		v = new(big.Int)
	}
	im.u256(addr, evm.WordOf(v))
}

func (im *image) u64(addr uint32, v uint64) {
	im.word(addr, uint32(v))
	im.word(addr+4, uint32(v>>32))
}

func (im *image) label(addr uint32, l isa.Label) { im.labels[addr] = l }

// emit adds the image to the builder: runs of consecutive non-zero words, and the
// label words.
func (im *image) emit(b *isa.Builder) {
	addrs := make([]uint32, 0, len(im.words))
	for a, v := range im.words {
		if _, isLabel := im.labels[a]; v != 0 && !isLabel {
			addrs = append(addrs, a)
		}
	}
	sort.Slice(addrs, func(i, j int) bool { return addrs[i] < addrs[j] })
	for k := 0; k < len(addrs); {
		start, run := addrs[k], []uint32{im.words[addrs[k]]}
		for k++; k < len(addrs) && addrs[k] == start+4*uint32(len(run)); k++ {
			run = append(run, im.words[addrs[k]])
		}
		b.Words(start, run...)
	}
	for a, l := range im.labels {
		b.LabelWord(a, l)
	}
}

// layout places the container's data in the image region and returns where.
type layout struct {
	acct  map[evm.Address]uint32 // account record
	code  map[evm.Address]uint32 // code bytes
	jt    map[evm.Address]uint32 // jump table
	data  uint32                 // transaction data
	al    uint32                 // access list
	bh    uint32                 // block hashes
	txJT  uint32                 // jump table of a creation's init code
	slots map[evm.Address][]uint32
	end   uint32
}

func align(p, n uint32) uint32 { return (p + n - 1) &^ (n - 1) }

// Limits the frontend puts on a container so that every count and size fits the
// runtime's words (and the intrinsic gas a word).
const (
	maxTxData   = 1 << 24
	maxCode     = 1 << 20
	maxAccounts = 1 << 16
	maxSlots    = 1 << 20
	maxAccess   = 1 << 16
)

// imageAccount is an account record of the image: a pre-state account, or one that
// does not exist but starts warm (the sender, the coinbase, the recipient, the
// precompiles and the access list's addresses: EIP-2929, EIP-3651), with its storage
// entries (the pre-state's slots and the access list's keys).
type imageAccount struct {
	addr  evm.Address
	acc   *evm.Account // nil: does not exist
	warm  bool
	keys  []evm.Word // sorted
	warmK map[evm.Word]bool
}

// imageAccounts lists the image's account records in address order.
func imageAccounts(c *evm.Container) []*imageAccount {
	byAddr := map[evm.Address]*imageAccount{}
	get := func(a evm.Address) *imageAccount {
		if ia := byAddr[a]; ia != nil {
			return ia
		}
		ia := &imageAccount{addr: a, acc: c.Pre[a], warmK: map[evm.Word]bool{}}
		byAddr[a] = ia
		return ia
	}
	for a := range c.Pre {
		get(a)
	}
	get(c.Tx.Sender).warm = true
	get(c.Env.Coinbase).warm = true
	if c.Tx.To != nil {
		get(*c.Tx.To).warm = true
	}
	for k := 1; k <= 10; k++ {
		var a evm.Address
		a[19] = byte(k)
		get(a).warm = true
	}
	for _, at := range c.Tx.AccessList {
		ia := get(at.Address)
		ia.warm = true
		for _, k := range at.StorageKeys {
			ia.warmK[k] = true
		}
	}
	out := make([]*imageAccount, 0, len(byAddr))
	for _, ia := range byAddr {
		keys := map[evm.Word]bool{}
		if ia.acc != nil {
			for k := range ia.acc.Storage {
				keys[k] = true
			}
		}
		for k := range ia.warmK {
			keys[k] = true
		}
		for k := range keys {
			ia.keys = append(ia.keys, k)
		}
		sort.Slice(ia.keys, func(i, j int) bool { return string(ia.keys[i][:]) < string(ia.keys[j][:]) })
		out = append(out, ia)
	}
	sort.Slice(out, func(i, j int) bool { return string(out[i].addr[:]) < string(out[j].addr[:]) })
	return out
}

func planLayout(c *evm.Container) (*layout, error) {
	if len(c.Tx.Data) > maxTxData {
		return nil, fmt.Errorf("transaction data of %d bytes (at most %d)", len(c.Tx.Data), maxTxData)
	}
	if len(c.Pre) > maxAccounts {
		return nil, fmt.Errorf("%d accounts (at most %d)", len(c.Pre), maxAccounts)
	}
	nAccess := 0
	for _, at := range c.Tx.AccessList {
		nAccess += 1 + len(at.StorageKeys)
	}
	if nAccess > maxAccess {
		return nil, fmt.Errorf("an access list of %d entries and keys (at most %d)", nAccess, maxAccess)
	}
	l := &layout{acct: map[evm.Address]uint32{}, code: map[evm.Address]uint32{}, jt: map[evm.Address]uint32{},
		slots: map[evm.Address][]uint32{}}
	p := uint32(imageData)
	nSlots := 0
	for _, ia := range imageAccounts(c) {
		a := ia.addr
		if ia.acc != nil && len(ia.acc.Code) > maxCode {
			return nil, fmt.Errorf("account %s: code of %d bytes (at most %d)", a, len(ia.acc.Code), maxCode)
		}
		p = align(p, aSize)
		l.acct[a] = p
		p += aSize
		for range ia.keys {
			l.slots[a] = append(l.slots[a], p)
			p += sSize
		}
		nSlots += len(ia.keys)
	}
	if nSlots > maxSlots {
		return nil, fmt.Errorf("%d storage slots (at most %d)", nSlots, maxSlots)
	}
	for _, a := range c.SortedAddresses() {
		if code := c.Pre[a].Code; len(code) > 0 {
			l.code[a] = p
			p = align(p+uint32(len(code)), 4)
			l.jt[a] = p
			p += 4 * uint32(len(code))
		}
	}
	l.data = p
	p = align(p+uint32(len(c.Tx.Data)), 4)
	l.txJT = p
	if c.Tx.To == nil {
		p += 4 * uint32(len(c.Tx.Data))
	}
	l.al = p
	p += uint32(36*len(c.Tx.AccessList) + 32*nAccess)
	l.bh = p
	p += 36 * uint32(len(c.Env.BlockHashes))
	l.end = p
	if p > imageEnd {
		return nil, fmt.Errorf("the pre-state and transaction need %d bytes of image (at most %d)", p-imageData, imageEnd-imageData)
	}
	return l, nil
}
