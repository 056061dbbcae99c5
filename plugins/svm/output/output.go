package output

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/oneiros-zk/oneiros/plugins/svm/translate"
)

// Record tags: package translate writes the records, and its constants are the only
// definition (docs/svm.md specifies them).
const (
	Magic       = translate.OutputMagic
	TagLog      = translate.TagLog
	TagLog64    = translate.TagLog64
	TagPubkey   = translate.TagPubkey
	TagCU       = translate.TagCU
	TagReturn   = translate.TagReturn
	TagData     = translate.TagData
	TagPanic    = translate.TagPanic
	TagExit     = translate.TagExit
	TagAccounts = translate.TagAccounts
)

// Output is a decoded public output.
type Output struct {
	Logs       []Log
	Exit       *Exit
	ReturnData *ReturnData
	Accounts   []Account
}

// Log is one log record.
type Log struct {
	Tag    uint32
	Text   []byte    // TagLog, TagPanic (the file name)
	Values [5]uint64 // TagLog64; TagCU in Values[0]; TagPanic line and column in [0], [1]
	Pubkey [32]byte  // TagPubkey
	Data   [][]byte  // TagData
}

// Exit is the exit record.
type Exit struct {
	Status    uint32 // 0 success, else the error code
	Units     uint64 // compute units consumed
	R0        uint64
	Registers []uint64 // r0..r11 when the run dumps them
}

// ReturnData is the program's return data.
type ReturnData struct {
	ProgramID [32]byte
	Data      []byte
}

// NotDuplicate is the DupOf of an account that is not a duplicate.
const NotDuplicate = 0xffffffff

// Account is an account of the Solana input after the run.
type Account struct {
	Index      uint32
	DupOf      uint32 // the index of the account it duplicates, or NotDuplicate
	Key, Owner [32]byte
	Lamports   uint64
	Data       []byte
	Flags      uint32 // 1 signer, 2 writable, 4 executable
}

// ErrOutput is wrapped by decoding errors.
var ErrOutput = errors.New("svm output")

type reader struct {
	b   []byte
	off int
	err error
}

func (r *reader) need(n int) bool {
	if r.err == nil && len(r.b)-r.off < n {
		r.err = fmt.Errorf("%w: offset %d: truncated (need %d bytes)", ErrOutput, r.off, n)
	}
	return r.err == nil
}

func (r *reader) u32() uint32 {
	if !r.need(4) {
		return 0
	}
	v := binary.LittleEndian.Uint32(r.b[r.off:])
	r.off += 4
	return v
}

func (r *reader) u64() uint64 {
	lo := uint64(r.u32())
	return lo | uint64(r.u32())<<32
}

func (r *reader) bytes(n uint32) []byte {
	if !r.need(int(n)) {
		return nil
	}
	v := append([]byte{}, r.b[r.off:r.off+int(n)]...)
	r.off += int(n)
	return v
}

// Decode parses an output. registers says whether the exit record carries r0..r11.
func Decode(b []byte, registers bool) (*Output, error) {
	r := &reader{b: b}
	if m := r.u32(); r.err == nil && m != Magic {
		return nil, fmt.Errorf("%w: magic 0x%08x", ErrOutput, m)
	}
	o := &Output{}
	for r.err == nil && r.off < len(b) {
		at := r.off
		tag := r.u32()
		switch tag {
		case TagLog:
			o.Logs = append(o.Logs, Log{Tag: tag, Text: r.bytes(r.u32())})
		case TagLog64:
			l := Log{Tag: tag}
			for i := range l.Values {
				l.Values[i] = r.u64()
			}
			o.Logs = append(o.Logs, l)
		case TagPubkey:
			l := Log{Tag: tag}
			copy(l.Pubkey[:], r.bytes(32))
			o.Logs = append(o.Logs, l)
		case TagCU:
			l := Log{Tag: tag}
			l.Values[0] = r.u64()
			o.Logs = append(o.Logs, l)
		case TagData:
			l := Log{Tag: tag}
			n := r.u32()
			for i := uint32(0); i < n && r.err == nil; i++ {
				l.Data = append(l.Data, r.bytes(r.u32()))
			}
			o.Logs = append(o.Logs, l)
		case TagPanic:
			l := Log{Tag: tag, Text: r.bytes(r.u32())}
			l.Values[0], l.Values[1] = r.u64(), r.u64()
			o.Logs = append(o.Logs, l)
		case TagReturn:
			rd := &ReturnData{}
			copy(rd.ProgramID[:], r.bytes(32))
			rd.Data = r.bytes(r.u32())
			o.ReturnData = rd
		case TagExit:
			e := &Exit{Status: r.u32(), Units: r.u64(), R0: r.u64()}
			if registers {
				for i := 0; i < 12; i++ {
					e.Registers = append(e.Registers, r.u64())
				}
			}
			o.Exit = e
		case TagAccounts:
			n := r.u32()
			for i := uint32(0); i < n && r.err == nil; i++ {
				a := Account{Index: r.u32(), DupOf: r.u32()}
				if a.DupOf != NotDuplicate {
					o.Accounts = append(o.Accounts, a)
					continue
				}
				copy(a.Key[:], r.bytes(32))
				copy(a.Owner[:], r.bytes(32))
				a.Lamports = r.u64()
				a.Data = r.bytes(uint32(r.u64()))
				a.Flags = r.u32()
				o.Accounts = append(o.Accounts, a)
			}
		default:
			if r.err == nil {
				return nil, fmt.Errorf("%w: offset %d: unknown record tag 0x%x", ErrOutput, at, tag)
			}
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	if o.Exit == nil {
		return nil, fmt.Errorf("%w: no exit record", ErrOutput)
	}
	return o, nil
}
