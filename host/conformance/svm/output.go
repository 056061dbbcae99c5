package svm

import (
	"encoding/binary"
	"fmt"
)

// Output record tags (docs/svm.md).
const (
	outMagic    = 0x3156534f // "OSV1"
	tagLog      = 1
	tagLog64    = 2
	tagPubkey   = 3
	tagCU       = 4
	tagReturn   = 5
	tagData     = 6
	tagPanic    = 7
	tagExit     = 0xf0
	tagAccounts = 0xf1
)

// decodeOutput walks the records of a public output and returns its exit record and the
// number of log records. registers says whether the exit record carries r0..r11.
func decodeOutput(b []byte, registers bool) (*exitRecord, int, error) {
	off := 0
	fail := func(format string, args ...any) (*exitRecord, int, error) {
		return nil, 0, fmt.Errorf("output offset %d: %s", off, fmt.Sprintf(format, args...))
	}
	u32 := func() (uint32, bool) {
		if len(b)-off < 4 {
			return 0, false
		}
		v := binary.LittleEndian.Uint32(b[off:])
		off += 4
		return v, true
	}
	skip := func(n uint64) bool {
		if uint64(len(b)-off) < n {
			return false
		}
		off += int(n)
		return true
	}
	if m, ok := u32(); !ok || m != outMagic {
		return fail("no OSV1 magic")
	}
	var exit *exitRecord
	logs := 0
	for off < len(b) {
		tag, _ := u32()
		ok := true
		switch tag {
		case tagLog:
			n, k := u32()
			ok = k && skip(uint64(n))
			logs++
		case tagLog64:
			ok = skip(40)
			logs++
		case tagPubkey:
			ok = skip(32)
			logs++
		case tagCU:
			ok = skip(8)
			logs++
		case tagData:
			n, k := u32()
			ok = k
			for i := uint32(0); i < n && ok; i++ {
				m, k := u32()
				ok = k && skip(uint64(m))
			}
			logs++
		case tagPanic:
			n, k := u32()
			ok = k && skip(uint64(n)) && skip(16)
			logs++
		case tagReturn:
			n := uint32(0)
			ok = skip(32)
			if ok {
				n, ok = u32()
			}
			ok = ok && skip(uint64(n))
		case tagExit:
			if len(b)-off < 20 {
				return fail("truncated exit record")
			}
			e := &exitRecord{status: binary.LittleEndian.Uint32(b[off:]), units: binary.LittleEndian.Uint64(b[off+4:]),
				r0: binary.LittleEndian.Uint64(b[off+12:])}
			off += 20
			if registers {
				if len(b)-off < 96 {
					return fail("truncated registers")
				}
				for i := 0; i < 12; i++ {
					e.regs = append(e.regs, binary.LittleEndian.Uint64(b[off+8*i:]))
				}
				off += 96
			}
			exit = e
		case tagAccounts:
			// The accounts follow the exit record and end the output.
			off = len(b)
		default:
			return fail("unknown record tag 0x%x", tag)
		}
		if !ok {
			return fail("truncated record 0x%x", tag)
		}
	}
	if exit == nil {
		return fail("no exit record")
	}
	return exit, logs, nil
}
