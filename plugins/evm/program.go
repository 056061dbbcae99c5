package main

import (
	"fmt"
	"math/big"
	"sort"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/sdk/evm"
)

// built is a container translated into a normalized program, with what the cycle
// statistics need.
type built struct {
	prog   *isa.Program
	trs    []*translation
	rtPCs  map[uint32]string // first pc of each runtime routine
	source int               // EVM instructions translated
}

// needsInterpreter reports whether code may run that is not known when translating:
// only CREATE and CREATE2 run code made at run time.
func needsInterpreter(c *evm.Container) bool {
	for _, acc := range c.Pre {
		for _, in := range decode(acc.Code) {
			if in.op == 0xf0 || in.op == 0xf5 {
				return true
			}
		}
	}
	if c.Tx.To == nil {
		for _, in := range decode(c.Tx.Data) {
			if in.op == 0xf0 || in.op == 0xf5 {
				return true
			}
		}
	}
	return false
}

// build translates a container.
func build(c *evm.Container) (*built, error) { return buildMode(c, false) }

// buildMode translates a container, or with interpret set leaves every contract to the
// interpreter (how the tests run the interpreter on the whole suite).
func buildMode(c *evm.Container, interpret bool) (*built, error) {
	l, err := planLayout(c)
	if err != nil {
		return nil, err
	}
	g := newGen()
	g.b.SetFP(frameBase)
	g.main()
	g.failBlocks()
	bt := &built{}
	im := newImage()
	entries := map[evm.Address]isa.Label{}
	for _, a := range c.SortedAddresses() {
		if code := c.Pre[a].Code; len(code) > 0 && !interpret {
			tr := g.translate(code, l.jt[a])
			entries[a] = tr.entry
			bt.trs = append(bt.trs, tr)
			bt.source += len(decode(code))
		}
	}
	create := c.Tx.To == nil
	if create && len(c.Tx.Data) > 0 {
		if interpret {
			im.label(txToEntry, g.interpEntry)
		} else {
			tr := g.translate(c.Tx.Data, l.txJT)
			im.label(txToEntry, tr.entry)
			im.word(txToJT, l.txJT)
			bt.trs = append(bt.trs, tr)
		}
		bt.source += len(decode(c.Tx.Data))
	}
	if needsInterpreter(c) || interpret {
		g.interpreter()
	} else {
		// Code deployed by a creation transaction is never run within it.
		g.bind(g.interpEntry)
		g.bind(g.interpDispatch)
		g.trap(i(0xEC01))
	}
	g.flush()

	// Globals.
	im.word(gJTop, journalBase)
	im.word(gHeap, heapBase)
	im.word(gRDTop, rdBase)
	im.word(gLogTop, logBase)
	im.word(gMemDirty, memBase)
	im.u256(gKEmpty, evm.Keccak256())
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
	im.big(txBlobFee, evm.BlobBaseFee(e.ExcessBlobGas))
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
		im.u256(rec+aHash, evm.Keccak256())
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
			im.u256(rec+aHash, evm.Keccak256(acc.Code))
			if len(acc.Code) > 0 {
				im.word(rec+aCodeP, l.code[a])
				im.word(rec+aCodeLen, uint32(len(acc.Code)))
				im.bytes(l.code[a], acc.Code)
				if interpret {
					im.label(rec+aEntry, g.interpEntry)
				} else {
					im.label(rec+aEntry, entries[a])
					im.word(rec+aJT, l.jt[a])
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
	bt.prog = prog
	bt.rtPCs = g.starts
	return bt, nil
}
