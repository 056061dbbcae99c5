package output

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"

	"github.com/oneiros-zk/oneiros/plugins/evm/container"
)

// Status is how the transaction ended.
type Status uint32

// The statuses of a run's public output.
const (
	StatusSuccess Status = 0 // the top frame returned or stopped
	StatusRevert  Status = 1 // the top frame executed REVERT
	StatusHalt    Status = 2 // the top frame halted exceptionally (out of gas, bad jump, …)
	StatusInvalid Status = 3 // the transaction is invalid: not executed, no state change
)

func (s Status) String() string {
	switch s {
	case StatusSuccess:
		return "success"
	case StatusRevert:
		return "revert"
	case StatusHalt:
		return "exceptional halt"
	case StatusInvalid:
		return "invalid transaction"
	}
	return fmt.Sprintf("status(%d)", uint32(s))
}

// Outcome is a decoded public output.
type Outcome struct {
	Status     Status
	GasUsed    uint64
	ReturnData []byte
	Logs       []Log
	Accounts   []AccountDiff
}

// Log is one log entry.
type Log struct {
	Address container.Address
	Topics  []container.Word
	Data    []byte
}

// AccountDiff is an account whose state differs from the pre-state.
type AccountDiff struct {
	Address container.Address
	Deleted bool // the account does not exist after the transaction
	Balance *big.Int
	Nonce   uint64
	Code    []byte // the new code when CodeChanged
	// CodeChanged says that Code replaces the account's code.
	CodeChanged bool
	Storage     map[container.Word]container.Word // changed slots; a zero value deletes the slot
}

// Magic starts every public output of the EVM frontend.
const Magic = "EVM1"

// Flags of an account in the output.
const (
	FlagDeleted     = 1
	FlagCodeChanged = 2
)

// ErrOutput is wrapped by every error of Decode.
var ErrOutput = errors.New("malformed EVM output")

type reader struct {
	b   []byte
	off int
	err error
}

func (r *reader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: offset %d: %s", ErrOutput, r.off, fmt.Sprintf(format, args...))
	}
}

func (r *reader) take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || len(r.b)-r.off < n {
		r.fail("%d bytes wanted, %d left", n, len(r.b)-r.off)
		return nil
	}
	out := r.b[r.off : r.off+n]
	r.off += n
	return out
}

func (r *reader) u32() uint32 {
	b := r.take(4)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint32(b)
}

func (r *reader) u64() uint64 { return uint64(r.u32()) | uint64(r.u32())<<32 }

// word reads a little-endian 256-bit number.
func (r *reader) word() container.Word {
	var w container.Word
	b := r.take(32)
	for i := range b {
		w[31-i] = b[i]
	}
	return w
}

func (r *reader) address() container.Address {
	w := r.word()
	var a container.Address
	if !isZero(w[:12]) {
		r.fail("an address above 2^160")
	}
	copy(a[:], w[12:])
	return a
}

func isZero(b []byte) bool {
	for _, x := range b {
		if x != 0 {
			return false
		}
	}
	return true
}

// bytes reads a length and that many bytes, padded to a multiple of 4 with zeros.
func (r *reader) bytes() []byte {
	n := r.u32()
	if r.err != nil {
		return nil
	}
	if uint64(n) > uint64(len(r.b)-r.off) {
		r.fail("a byte string of %d bytes, %d left", n, len(r.b)-r.off)
		return nil
	}
	out := append([]byte{}, r.take(int(n))...)
	if pad := r.take(int((4 - n%4) % 4)); !isZero(pad) {
		r.fail("non-zero padding")
	}
	return out
}

// more reads a list marker: 1 for one more element, 0 for the end.
func (r *reader) more() bool {
	switch m := r.u32(); m {
	case 0:
		return false
	case 1:
		return true
	default:
		r.fail("list marker %d (want 0 or 1)", m)
		return false
	}
}

// Decode parses a public output of the EVM frontend. It never panics.
func Decode(b []byte) (*Outcome, error) {
	r := &reader{b: b}
	if string(r.take(4)) != Magic {
		r.fail("the output does not start with %q", Magic)
		return nil, r.err
	}
	o := &Outcome{Status: Status(r.u32()), GasUsed: r.u64()}
	if o.Status > StatusInvalid {
		r.fail("status %d", o.Status)
	}
	o.ReturnData = r.bytes()
	for r.err == nil && r.more() {
		l := Log{Address: r.address()}
		n := r.u32()
		if n > 4 {
			r.fail("a log with %d topics", n)
		}
		for i := uint32(0); i < n && r.err == nil; i++ {
			l.Topics = append(l.Topics, r.word())
		}
		l.Data = r.bytes()
		o.Logs = append(o.Logs, l)
	}
	seen := map[container.Address]bool{}
	for r.err == nil && r.more() {
		a := AccountDiff{Address: r.address(), Storage: map[container.Word]container.Word{}}
		if seen[a.Address] {
			r.fail("account %s appears twice", a.Address)
		}
		seen[a.Address] = true
		flags := r.u32()
		if flags > FlagDeleted|FlagCodeChanged {
			r.fail("account flags %#x", flags)
		}
		a.Deleted = flags&FlagDeleted != 0
		a.Balance = r.word().Big()
		a.Nonce = r.u64()
		if flags&FlagCodeChanged != 0 {
			a.CodeChanged, a.Code = true, r.bytes()
		}
		for r.err == nil && r.more() {
			k, v := r.word(), r.word()
			if _, dup := a.Storage[k]; dup {
				r.fail("slot %s of %s appears twice", k, a.Address)
			}
			a.Storage[k] = v
		}
		o.Accounts = append(o.Accounts, a)
	}
	if r.err == nil && r.off != len(b) {
		r.fail("%d trailing bytes", len(b)-r.off)
	}
	if r.err != nil {
		return nil, r.err
	}
	return o, nil
}

// Apply returns the post-state: the pre-state with the outcome's account changes.
func (o *Outcome) Apply(pre map[container.Address]*container.Account) map[container.Address]*container.Account {
	post := map[container.Address]*container.Account{}
	for a, acc := range pre {
		cp := &container.Account{Balance: new(big.Int).Set(acc.Balance), Nonce: acc.Nonce, Code: acc.Code, Storage: map[container.Word]container.Word{}}
		for k, v := range acc.Storage {
			cp.Storage[k] = v
		}
		post[a] = cp
	}
	for _, d := range o.Accounts {
		if d.Deleted {
			delete(post, d.Address)
			continue
		}
		acc := post[d.Address]
		if acc == nil {
			acc = &container.Account{Storage: map[container.Word]container.Word{}}
			post[d.Address] = acc
		}
		acc.Balance, acc.Nonce = d.Balance, d.Nonce
		if d.CodeChanged {
			acc.Code = d.Code
		}
		for k, v := range d.Storage {
			if v.IsZero() {
				delete(acc.Storage, k)
			} else {
				acc.Storage[k] = v
			}
		}
	}
	return post
}
