package container

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strings"
)

// Address is a 20-byte Ethereum address.
type Address [20]byte

func (a Address) String() string { return "0x" + hex.EncodeToString(a[:]) }

// Word is a 256-bit value as 32 big-endian bytes (a storage slot, a value, a hash).
type Word [32]byte

func (w Word) String() string { return "0x" + hex.EncodeToString(w[:]) }

// Big returns w as an integer.
func (w Word) Big() *big.Int { return new(big.Int).SetBytes(w[:]) }

// IsZero reports whether w is 0.
func (w Word) IsZero() bool { return w == Word{} }

// WordOf returns v (0 ≤ v < 2^256) as a Word.
func WordOf(v *big.Int) Word {
	var w Word
	v.FillBytes(w[:])
	return w
}

// Container is one transaction with the block and the world state it runs against.
type Container struct {
	Env Env
	Pre map[Address]*Account
	Tx  Tx
}

// Env is the block.
type Env struct {
	Coinbase      Address
	GasLimit      uint64
	Number        uint64
	Timestamp     uint64
	BaseFee       *big.Int
	Random        Word // PREVRANDAO
	ExcessBlobGas uint64
	ChainID       *big.Int
	BlockHashes   map[uint64]Word
}

// Account is an account of the pre-state.
type Account struct {
	Balance *big.Int
	Nonce   uint64
	Code    []byte
	Storage map[Word]Word // zero values are dropped by Parse
}

// Tx is the transaction. To is nil for a contract creation.
type Tx struct {
	Type                 uint8 // 0 legacy, 1 access list, 2 dynamic fee
	Sender               Address
	To                   *Address
	Nonce                uint64
	GasLimit             uint64
	GasPrice             *big.Int // types 0 and 1
	MaxFeePerGas         *big.Int // type 2
	MaxPriorityFeePerGas *big.Int // type 2
	Value                *big.Int
	Data                 []byte
	AccessList           []AccessTuple
}

// AccessTuple is one entry of an access list.
type AccessTuple struct {
	Address     Address
	StorageKeys []Word
}

// ErrContainer is wrapped by every error of Parse.
var ErrContainer = errors.New("invalid EVM container")

// JSON shapes.
type (
	jsonContainer struct {
		Env         jsonEnv                `json:"env"`
		Pre         map[string]jsonAccount `json:"pre"`
		Transaction jsonTx                 `json:"transaction"`
	}
	jsonEnv struct {
		Coinbase      string            `json:"currentCoinbase"`
		GasLimit      string            `json:"currentGasLimit"`
		Number        string            `json:"currentNumber"`
		Timestamp     string            `json:"currentTimestamp"`
		BaseFee       string            `json:"currentBaseFee,omitempty"`
		Random        string            `json:"currentRandom,omitempty"`
		Difficulty    string            `json:"currentDifficulty,omitempty"`
		ExcessBlobGas string            `json:"currentExcessBlobGas,omitempty"`
		ChainID       string            `json:"chainId,omitempty"`
		BlockHashes   map[string]string `json:"blockHashes,omitempty"`
	}
	jsonAccount struct {
		Balance string            `json:"balance"`
		Nonce   string            `json:"nonce"`
		Code    string            `json:"code"`
		Storage map[string]string `json:"storage"`
	}
	jsonAccess struct {
		Address     string   `json:"address"`
		StorageKeys []string `json:"storageKeys"`
	}
	jsonTx struct {
		Type                 string       `json:"type,omitempty"`
		Sender               string       `json:"sender"`
		To                   string       `json:"to"`
		Nonce                string       `json:"nonce"`
		GasLimit             string       `json:"gasLimit"`
		GasPrice             string       `json:"gasPrice,omitempty"`
		MaxFeePerGas         string       `json:"maxFeePerGas,omitempty"`
		MaxPriorityFeePerGas string       `json:"maxPriorityFeePerGas,omitempty"`
		Value                string       `json:"value"`
		Data                 string       `json:"data"`
		AccessList           []jsonAccess `json:"accessList,omitempty"`
		SecretKey            string       `json:"secretKey,omitempty"`
	}
)

// parser collects the first error with the JSON path of the bad field.
type parser struct{ err error }

func (p *parser) fail(path, format string, args ...any) {
	if p.err == nil {
		p.err = fmt.Errorf("%w: %s: %s", ErrContainer, path, fmt.Sprintf(format, args...))
	}
}

// ParseHex decodes a 0x-prefixed hex byte string ("0x" is empty).
func ParseHex(s string) ([]byte, error) {
	if !strings.HasPrefix(s, "0x") && !strings.HasPrefix(s, "0X") {
		return nil, fmt.Errorf("%q does not start with 0x", clip(s))
	}
	s = s[2:]
	if len(s)%2 == 1 {
		s = "0" + s
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("%q is not hex", clip(s))
	}
	return b, nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}

func (p *parser) bytes(path, s string) []byte {
	b, err := ParseHex(s)
	if err != nil {
		p.fail(path, "%v", err)
	}
	return b
}

func (p *parser) big(path, s string, bits int) *big.Int {
	if s == "" {
		p.fail(path, "missing")
		return new(big.Int)
	}
	b := p.bytes(path, s)
	v := new(big.Int).SetBytes(b)
	if v.BitLen() > bits {
		p.fail(path, "%s does not fit in %d bits", clip(s), bits)
		return new(big.Int)
	}
	return v
}

func (p *parser) u64(path, s string) uint64 { return p.big(path, s, 64).Uint64() }

func (p *parser) optBig(path, s string) *big.Int {
	if s == "" {
		return new(big.Int)
	}
	return p.big(path, s, 256)
}

func (p *parser) word(path, s string) Word {
	return WordOf(p.big(path, s, 256))
}

func (p *parser) address(path, s string) Address {
	var a Address
	b := p.bytes(path, s)
	if len(b) != 20 {
		p.fail(path, "an address has 20 bytes, not %d", len(b))
		return a
	}
	copy(a[:], b)
	return a
}

// Parse reads and checks a container.
func Parse(src []byte) (*Container, error) {
	var j jsonContainer
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrContainer, err)
	}
	var p parser
	c := &Container{Pre: map[Address]*Account{}}
	e := &c.Env
	e.Coinbase = p.address("env.currentCoinbase", j.Env.Coinbase)
	e.GasLimit = p.u64("env.currentGasLimit", j.Env.GasLimit)
	e.Number = p.u64("env.currentNumber", j.Env.Number)
	e.Timestamp = p.u64("env.currentTimestamp", j.Env.Timestamp)
	e.BaseFee = p.optBig("env.currentBaseFee", j.Env.BaseFee)
	if j.Env.Random != "" {
		e.Random = p.word("env.currentRandom", j.Env.Random)
	}
	if j.Env.ExcessBlobGas != "" {
		e.ExcessBlobGas = p.u64("env.currentExcessBlobGas", j.Env.ExcessBlobGas)
	}
	e.ChainID = big.NewInt(1)
	if j.Env.ChainID != "" {
		e.ChainID = p.big("env.chainId", j.Env.ChainID, 256)
	}
	e.BlockHashes = map[uint64]Word{}
	for k, v := range j.Env.BlockHashes {
		e.BlockHashes[p.u64("env.blockHashes key", k)] = p.word("env.blockHashes["+k+"]", v)
	}
	for k, a := range j.Pre {
		path := "pre[" + k + "]"
		addr := p.address(path, k)
		if _, dup := c.Pre[addr]; dup {
			p.fail(path, "address given twice")
		}
		acc := &Account{
			Balance: p.big(path+".balance", a.Balance, 256),
			Nonce:   p.u64(path+".nonce", a.Nonce),
			Code:    p.bytes(path+".code", a.Code),
			Storage: map[Word]Word{},
		}
		for sk, sv := range a.Storage {
			key, val := p.word(path+".storage key", sk), p.word(path+".storage["+sk+"]", sv)
			if _, dup := acc.Storage[key]; dup {
				p.fail(path+".storage["+sk+"]", "slot given twice")
			}
			if !val.IsZero() {
				acc.Storage[key] = val
			}
		}
		c.Pre[addr] = acc
	}
	t, jt := &c.Tx, j.Transaction
	if jt.Type != "" {
		ty := p.u64("transaction.type", jt.Type)
		if ty > 2 {
			p.fail("transaction.type", "type %d is not supported (0 legacy, 1 access list, 2 dynamic fee)", ty)
		}
		t.Type = uint8(ty)
	}
	t.Sender = p.address("transaction.sender", jt.Sender)
	if jt.To != "" {
		to := p.address("transaction.to", jt.To)
		t.To = &to
	}
	t.Nonce = p.u64("transaction.nonce", jt.Nonce)
	t.GasLimit = p.u64("transaction.gasLimit", jt.GasLimit)
	t.Value = p.big("transaction.value", jt.Value, 256)
	t.Data = p.bytes("transaction.data", jt.Data)
	if t.Type == 2 {
		t.MaxFeePerGas = p.big("transaction.maxFeePerGas", jt.MaxFeePerGas, 256)
		t.MaxPriorityFeePerGas = p.big("transaction.maxPriorityFeePerGas", jt.MaxPriorityFeePerGas, 256)
		if jt.GasPrice != "" {
			p.fail("transaction.gasPrice", "a type 2 transaction has maxFeePerGas and maxPriorityFeePerGas instead")
		}
	} else {
		t.GasPrice = p.big("transaction.gasPrice", jt.GasPrice, 256)
		if jt.MaxFeePerGas != "" || jt.MaxPriorityFeePerGas != "" {
			p.fail("transaction.maxFeePerGas", "only type 2 transactions have fee caps")
		}
	}
	if t.Type == 0 && len(jt.AccessList) > 0 {
		p.fail("transaction.accessList", "a legacy (type 0) transaction has no access list")
	}
	for i, a := range jt.AccessList {
		path := fmt.Sprintf("transaction.accessList[%d]", i)
		at := AccessTuple{Address: p.address(path+".address", a.Address)}
		for k, s := range a.StorageKeys {
			at.StorageKeys = append(at.StorageKeys, p.word(fmt.Sprintf("%s.storageKeys[%d]", path, k), s))
		}
		t.AccessList = append(t.AccessList, at)
	}
	if p.err != nil {
		return nil, p.err
	}
	return c, nil
}

func hexQ(v *big.Int) string {
	if v == nil {
		return ""
	}
	return "0x" + v.Text(16)
}

func hexU(v uint64) string { return fmt.Sprintf("0x%x", v) }

// Marshal writes the container as JSON in a canonical form (sorted keys, minimal
// quantities), which Parse reads back to an equal container.
func (c *Container) Marshal() []byte {
	j := jsonContainer{Pre: map[string]jsonAccount{}}
	e := &c.Env
	j.Env = jsonEnv{Coinbase: e.Coinbase.String(), GasLimit: hexU(e.GasLimit), Number: hexU(e.Number),
		Timestamp: hexU(e.Timestamp), BaseFee: hexQ(e.BaseFee), Random: e.Random.String(),
		ExcessBlobGas: hexU(e.ExcessBlobGas), ChainID: hexQ(e.ChainID)}
	if len(e.BlockHashes) > 0 {
		j.Env.BlockHashes = map[string]string{}
		for n, h := range e.BlockHashes {
			j.Env.BlockHashes[hexU(n)] = h.String()
		}
	}
	for a, acc := range c.Pre {
		ja := jsonAccount{Balance: hexQ(acc.Balance), Nonce: hexU(acc.Nonce), Code: "0x" + hex.EncodeToString(acc.Code),
			Storage: map[string]string{}}
		for k, v := range acc.Storage {
			ja.Storage[k.String()] = v.String()
		}
		j.Pre[a.String()] = ja
	}
	t := &c.Tx
	j.Transaction = jsonTx{Type: hexU(uint64(t.Type)), Sender: t.Sender.String(), Nonce: hexU(t.Nonce), GasLimit: hexU(t.GasLimit),
		GasPrice: hexQ(t.GasPrice), MaxFeePerGas: hexQ(t.MaxFeePerGas), MaxPriorityFeePerGas: hexQ(t.MaxPriorityFeePerGas),
		Value: hexQ(t.Value), Data: "0x" + hex.EncodeToString(t.Data)}
	if t.To != nil {
		j.Transaction.To = t.To.String()
	}
	for _, at := range t.AccessList {
		ja := jsonAccess{Address: at.Address.String(), StorageKeys: []string{}}
		for _, k := range at.StorageKeys {
			ja.StorageKeys = append(ja.StorageKeys, k.String())
		}
		j.Transaction.AccessList = append(j.Transaction.AccessList, ja)
	}
	b, _ := json.MarshalIndent(j, "", " ") // maps marshal with sorted keys
	return b
}

// SortedAddresses returns the pre-state's addresses in increasing order.
func (c *Container) SortedAddresses() []Address {
	out := make([]Address, 0, len(c.Pre))
	for a := range c.Pre {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return bytes.Compare(out[i][:], out[j][:]) < 0 })
	return out
}

// SortedSlots returns an account's storage slots in increasing order.
func (a *Account) SortedSlots() []Word {
	out := make([]Word, 0, len(a.Storage))
	for k := range a.Storage {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return bytes.Compare(out[i][:], out[j][:]) < 0 })
	return out
}
