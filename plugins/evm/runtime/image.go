package runtime

import (
	"fmt"
	"math/big"
	"sort"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/plugins/evm/container"
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
func limbs(w container.Word) (l [8]uint32) {
	for k := range l {
		b := w[28-4*k : 32-4*k]
		l[k] = uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	}
	return l
}

func wordOfAddress(a container.Address) container.Word {
	var w container.Word
	copy(w[12:], a[:])
	return w
}

func (im *image) u256(addr uint32, w container.Word) {
	for k, v := range limbs(w) {
		im.word(addr+4*uint32(k), v)
	}
}

func (im *image) big(addr uint32, v *big.Int) {
	if v == nil {
		v = new(big.Int)
	}
	im.u256(addr, container.WordOf(v))
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

// Layout is where a container's data lies in the image region: account records,
// storage entries, codes and their jump tables, the transaction's data, the access list
// and the block hashes. [PlanLayout] makes it.
type Layout struct {
	acct  map[container.Address]uint32 // account record
	code  map[container.Address]uint32 // code bytes
	jt    map[container.Address]uint32 // jump table
	data  uint32                       // transaction data
	al    uint32                       // access list
	bh    uint32                       // block hashes
	txJT  uint32                       // jump table of a creation's init code
	slots map[container.Address][]uint32
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
	addr  container.Address
	acc   *container.Account // nil: does not exist
	warm  bool
	keys  []container.Word // sorted
	warmK map[container.Word]bool
}

// imageAccounts lists the image's account records in address order.
func imageAccounts(c *container.Container) []*imageAccount {
	byAddr := map[container.Address]*imageAccount{}
	get := func(a container.Address) *imageAccount {
		if ia := byAddr[a]; ia != nil {
			return ia
		}
		ia := &imageAccount{addr: a, acc: c.Pre[a], warmK: map[container.Word]bool{}}
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
		var a container.Address
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
		keys := map[container.Word]bool{}
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

// PlanLayout places a container's data in the image, refusing a container whose counts
// or sizes exceed what the runtime's words hold (code 1 MiB, data 16 MiB, 2^16
// accounts, 2^20 slots, 2^16 access-list entries and keys) or the image region.
func PlanLayout(c *container.Container) (*Layout, error) {
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
	l := &Layout{acct: map[container.Address]uint32{}, code: map[container.Address]uint32{}, jt: map[container.Address]uint32{},
		slots: map[container.Address][]uint32{}}
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

// Entries are where the translated code starts: each account's with code, and the
// creation transaction's init code (zero: none). Code without an entry runs on the
// interpreter.
type Entries struct {
	Accounts map[container.Address]isa.Label
	Init     isa.Label
}

// Program ends the program: it emits the runtime routines the code referred to, then
// the initial memory image — the globals, the transaction and the block, and the world
// state (account records, storage entries, codes, their hash tables) at the places l
// planned — and assembles the normalized program.
func (g *Gen) Program(c *container.Container, l *Layout, entries Entries) (*isa.Program, error) {
	g.flush()
	im := newImage()
	if c.Tx.To == nil && len(c.Tx.Data) > 0 {
		if entries.Init != (isa.Label{}) {
			im.label(txToEntry, entries.Init)
			im.word(txToJT, l.txJT)
		} else {
			im.label(txToEntry, g.interpEntry)
		}
	}
	// Globals.
	im.word(gJTop, journalBase)
	im.word(gHeap, heapBase)
	im.word(gRDTop, rdBase)
	im.word(gLogTop, logBase)
	im.word(gMemDirty, memBase)
	im.u256(gKEmpty, container.Keccak256())
	// The transaction and the block.
	t, e := &c.Tx, &c.Env
	im.u256(txSender, wordOfAddress(t.Sender))
	if t.To != nil {
		im.u256(txTo, wordOfAddress(*t.To))
	} else {
		im.word(txCreate, 1)
	}
	im.big(txValue, t.Value)
	im.big(txGasPrice, t.GasPrice)
	im.big(txMaxFee, t.MaxFeePerGas)
	im.big(txPrioFee, t.MaxPriorityFeePerGas)
	im.u256(txCoinbase, wordOfAddress(e.Coinbase))
	im.big(txTimestamp, new(big.Int).SetUint64(e.Timestamp))
	im.big(txNumber, new(big.Int).SetUint64(e.Number))
	im.u256(txRandom, e.Random)
	im.big(txBlockGas, new(big.Int).SetUint64(e.GasLimit))
	im.big(txBaseFee, e.BaseFee)
	im.big(txChainID, e.ChainID)
	im.big(txBlobFee, container.BlobBaseFee(e.ExcessBlobGas))
	im.u64(txGasLimLo, t.GasLimit)
	im.u64(txNonceLo, t.Nonce)
	im.word(txType, uint32(t.Type))
	im.word(txDataP, l.data)
	im.word(txDataLen, uint32(len(t.Data)))
	im.bytes(l.data, t.Data)
	im.u64(txNumLo, e.Number)
	im.word(txALP, l.al)
	im.word(txALLen, uint32(len(t.AccessList)))
	p := l.al
	for _, at := range t.AccessList {
		im.u256(p, wordOfAddress(at.Address))
		im.word(p+32, uint32(len(at.StorageKeys)))
		p += 36
		for _, k := range at.StorageKeys {
			im.u256(p, k)
			p += 32
		}
	}
	im.word(txBHP, l.bh)
	im.word(txBHLen, uint32(len(e.BlockHashes)))
	p = l.bh
	numbers := make([]uint64, 0, len(e.BlockHashes))
	for n := range e.BlockHashes {
		numbers = append(numbers, n)
	}
	sort.Slice(numbers, func(i, j int) bool { return numbers[i] < numbers[j] })
	for _, n := range numbers {
		if n >= 1<<32 {
			continue
		}
		im.word(p, uint32(n))
		im.u256(p+4, e.BlockHashes[n])
		p += 36
	}
	// Accounts and storage, with their hash chains and lists.
	var list uint32
	for _, ia := range imageAccounts(c) {
		a, acc, rec := ia.addr, ia.acc, l.acct[ia.addr]
		aw := wordOfAddress(a)
		im.u256(rec+aAddr, aw)
		im.u256(rec+aHash, container.Keccak256())
		if ia.warm {
			im.word(rec+aWarm, 1)
		}
		if acc != nil {
			im.big(rec+aBal, acc.Balance)
			im.big(rec+aOrigBal, acc.Balance)
			im.u64(rec+aNonceLo, acc.Nonce)
			im.u64(rec+aOrigNLo, acc.Nonce)
			im.word(rec+aExists, 1)
			im.word(rec+aExisted, 1)
			im.u256(rec+aHash, container.Keccak256(acc.Code))
			if len(acc.Code) > 0 {
				im.word(rec+aCodeP, l.code[a])
				im.word(rec+aCodeLen, uint32(len(acc.Code)))
				im.bytes(l.code[a], acc.Code)
				if e, ok := entries.Accounts[a]; ok {
					im.label(rec+aEntry, e)
					im.word(rec+aJT, l.jt[a])
				} else {
					im.label(rec+aEntry, g.interpEntry)
				}
			}
			if len(acc.Storage) > 0 {
				im.word(rec+aPreStor, 1)
			}
		}
		var w5 [5]uint32
		al := limbs(aw)
		copy(w5[:], al[:5])
		bucket := acctBuckets + 4*acctHash(w5)
		im.word(rec+aNext, im.words[bucket])
		im.word(bucket, rec)
		im.word(rec+aListNext, list)
		list = rec
		var slots uint32
		for k, key := range ia.keys {
			ent := l.slots[a][k]
			im.word(ent+sAcct, rec)
			im.u256(ent+sKey, key)
			if acc != nil {
				im.u256(ent+sVal, acc.Storage[key])
				im.u256(ent+sOrig, acc.Storage[key])
			}
			if ia.warmK[key] {
				im.word(ent+sWarm, 1)
			}
			bucket := storBuckets + 4*storHash(rec, limbs(key), nStorBuckets-1)
			im.word(ent+sNext, im.words[bucket])
			im.word(bucket, ent)
			im.word(ent+sAcctNext, slots)
			slots = ent
		}
		im.word(rec+aSlots, slots)
	}
	im.word(gAcctList, list)
	im.emit(g.b)
	prog, err := g.b.Program()
	if err != nil {
		return nil, fmt.Errorf("evm: building the normalized program: %w", err)
	}
	return prog, nil
}

// JumpTable is the address of the jump table of account a's code (4 bytes per code
// byte), where a translator puts the normalized pc of each JUMPDEST.
func (l *Layout) JumpTable(a container.Address) uint32 { return l.jt[a] }

// InitJumpTable is the address of the jump table of a creation transaction's init code.
func (l *Layout) InitJumpTable() uint32 { return l.txJT }
