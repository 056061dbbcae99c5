package exec

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
)

// Syscall serves a frontend's syscall number (≥ isa.FirstHook). It runs inside the
// ECALL's cycle: it sees the operands in c, may read and write aligned memory words
// through c (each access takes the next slot, from slot 3 on, and is recorded), may set
// [a], and may attach nondeterministic data to the record. Returning an error from
// [Call.Trap] (or one that a [Call] method returned) ends the run with that trap; any
// other error aborts Run. A hook must behave the same whether records are on or off.
type Syscall func(c *Call) error

// Call is one ECALL as a hook sees it.
type Call struct {
	Number uint32 // the syscall number
	Clk    uint64
	PC, FP uint32
	A      uint32 // the value of [fp+a] before the call (read in slot 2)
	B      uint32 // the value of operand B (read in slot 0 when it is a slot)

	m      *machine
	aAddr  uint32
	aIndex int // index of the slot-2 access in the record, or -1
	slot   int // next data slot
	data   []uint32
	result *uint32
}

// ErrHook is wrapped by errors about a hook misusing its Call.
var ErrHook = errors.New("exec: hook misuse")

func (c *Call) nextSlot() (int, error) {
	if c.slot >= trace.SlotsPerCycle {
		return 0, fmt.Errorf("%w: syscall 0x%x made more than %d memory accesses", ErrHook, c.Number, trace.MaxHookAccesses)
	}
	c.slot++
	return c.slot - 1, nil
}

// trapErr returns the machine's trap after a fault in a Call method.
func (c *Call) trapErr() error {
	if c.m.faulted {
		return c.m.trap
	}
	return nil
}

// Load reads the aligned word at addr. A misaligned address or the memory limit ends
// the run with a trap, which Load returns: the hook should return it.
func (c *Call) Load(addr uint32) (uint32, error) {
	if addr%4 != 0 {
		return 0, c.Trap(isa.StatusMisaligned, "syscall 0x%x loads from 0x%x, not word aligned", c.Number, addr)
	}
	s, err := c.nextSlot()
	if err != nil {
		return 0, err
	}
	v := c.m.read(addr, s)
	return v, c.trapErr()
}

// Store writes the aligned word at addr (see Load for errors).
func (c *Call) Store(addr, v uint32) error {
	if addr%4 != 0 {
		return c.Trap(isa.StatusMisaligned, "syscall 0x%x stores to 0x%x, not word aligned", c.Number, addr)
	}
	s, err := c.nextSlot()
	if err != nil {
		return err
	}
	c.m.write(addr, v, s)
	return c.trapErr()
}

// SetA writes v to [fp+a]; the slot-2 access becomes a write. It must come before any
// Load or Store, so that timestamps follow the order of effects.
func (c *Call) SetA(v uint32) error {
	if c.slot != trace.SlotData {
		return fmt.Errorf("%w: syscall 0x%x: SetA after a Load or Store", ErrHook, c.Number)
	}
	c.result = &v
	p := c.m.page(c.aAddr) // exists: [a] was read
	p.w[(c.aAddr>>2)&(pageWords-1)] = v
	if c.aIndex >= 0 {
		a := &c.m.rec.Accesses[c.aIndex]
		a.Kind, a.After = trace.Write, v
	}
	return nil
}

// Attach adds nondeterministic words (answers from host state) to the record.
func (c *Call) Attach(words ...uint32) error {
	if len(c.data)+len(words) > trace.MaxData {
		return fmt.Errorf("%w: syscall 0x%x attached more than %d words", ErrHook, c.Number, trace.MaxData)
	}
	c.data = append(c.data, words...)
	return nil
}

// Trap ends the run with a trap of the given status at this ECALL and returns it.
func (c *Call) Trap(s isa.ExitStatus, format string, args ...any) error {
	c.m.fault(s, format, args...)
	return c.m.trap
}

// ecall runs a syscall and returns the operand values [a] and B for the record.
func (m *machine) ecall(in *isa.Instruction) (va, vb uint32, err error) {
	fp := m.fp
	vb = m.operandB(in, fp)
	if m.faulted {
		return 0, 0, nil
	}
	aAddr := m.slot(fp, in.A)
	rec := m.rec
	if rec != nil {
		rec.Sys.Number = in.C
	}
	switch n := in.C; n {
	case isa.SysRead:
		rem := uint32(len(m.input)) - m.inPos
		if rem == 0 {
			m.fault(isa.StatusInputExhausted, "read past the end of the %d-byte input", len(m.input))
			return 0, vb, nil
		}
		k := min(rem, 4)
		var w [4]byte
		copy(w[:], m.input[m.inPos:m.inPos+k])
		va = binary.LittleEndian.Uint32(w[:])
		m.write(aAddr, va, trace.SlotA)
		if rec != nil {
			rec.Sys.InputOffset = m.inPos
			rec.Sys.Input = append(rec.Sys.Input, w[:k]...)
		}
		m.inPos += k

	case isa.SysInputLen:
		va = uint32(len(m.input)) - m.inPos
		m.write(aAddr, va, trace.SlotA)
		if rec != nil {
			rec.Sys.InputOffset = m.inPos
		}

	case isa.SysWrite:
		if vb < 1 || vb > 4 {
			m.fault(isa.StatusBadArgument, "write of %d bytes: the count must be 1..4", vb)
			return 0, vb, nil
		}
		va = m.read(aAddr, trace.SlotA)
		if m.faulted {
			return 0, vb, nil
		}
		if uint64(len(m.out))+uint64(vb) > m.maxOut {
			m.fault(isa.StatusOutputLimit, "writing %d bytes after %d passes max_output_bytes %d", vb, len(m.out), m.maxOut)
			return va, vb, nil
		}
		var w [4]byte
		binary.LittleEndian.PutUint32(w[:], va)
		if rec != nil {
			rec.Sys.OutputOffset = uint32(len(m.out))
			rec.Sys.Output = append(rec.Sys.Output, w[:vb]...)
		}
		m.out = append(m.out, w[:vb]...)

	case isa.SysKeccakF:
		va = m.read(aAddr, trace.SlotA)
		if !m.faulted {
			m.keccakF(va)
		}

	case isa.SysSHA256Compress:
		va = m.read(aAddr, trace.SlotA)
		if !m.faulted {
			m.sha256Compress(va, vb)
		}

	case isa.SysU256Add, isa.SysU256Sub, isa.SysU256Mul, isa.SysU256Div, isa.SysU256Mod, isa.SysU256AddMod,
		isa.SysU256MulMod, isa.SysU256Cmp, isa.SysU256Bit, isa.SysU256Shift, isa.SysU256Unary, isa.SysU256Set,
		isa.SysU256Copy, isa.SysU256Swap:
		va = m.read(aAddr, trace.SlotA)
		if !m.faulted {
			m.u256(n, va, vb)
		}

	default:
		h := m.opts.Hooks[n]
		if h == nil {
			what := "no hook serves it"
			switch {
			case isa.SyscallReserved(n):
				what = "it is reserved and not implemented yet"
			case n < isa.FirstHook:
				what = "it is not a core syscall"
			}
			m.fault(isa.StatusUnknownSyscall, "syscall 0x%x: %s", n, what)
			return 0, vb, nil
		}
		va = m.read(aAddr, trace.SlotA)
		if m.faulted {
			return 0, vb, nil
		}
		c := &Call{Number: n, Clk: m.clk, PC: m.pc, FP: fp, A: va, B: vb, m: m, aAddr: aAddr, aIndex: -1, slot: trace.SlotData}
		if rec != nil {
			c.aIndex = len(rec.Accesses) - 1
		}
		herr := h(c)
		if m.faulted {
			return va, vb, nil // the hook trapped (or hit a trap and returned something else)
		}
		if herr != nil {
			return 0, 0, fmt.Errorf("exec: syscall 0x%x at pc %d (clk %d): %w", n, m.pc, m.clk, herr)
		}
		if c.result != nil {
			va = *c.result
		}
		if rec != nil {
			rec.Sys.Data = append(rec.Sys.Data, c.data...)
		}
	}
	return va, vb, nil
}

// keccakF permutes the 25 lanes (50 words, low word first) at ptr in place: 50 writes in
// slots 3..52, each carrying the word before and after.
func (m *machine) keccakF(ptr uint32) {
	if ptr%4 != 0 {
		m.fault(isa.StatusMisaligned, "keccakf state pointer 0x%x is not word aligned", ptr)
		return
	}
	var w [50]uint32
	for i := range w {
		if p := m.page(ptr + 4*uint32(i)); p != nil {
			w[i] = p.w[((ptr+4*uint32(i))>>2)&(pageWords-1)]
		}
	}
	if m.faulted {
		return
	}
	var st [25]uint64
	for i := range st {
		st[i] = uint64(w[2*i]) | uint64(w[2*i+1])<<32
	}
	KeccakF1600(&st)
	for i := range st {
		m.write(ptr+8*uint32(i), uint32(st[i]), trace.SlotData+2*i)
		m.write(ptr+8*uint32(i)+4, uint32(st[i]>>32), trace.SlotData+2*i+1)
	}
}

// sha256Compress runs the compression function on the 32-byte state at sp with the
// 64-byte block at bp, both in SHA-256's big-endian byte order (so the state after the
// last block is the digest's bytes): 16 block reads in slots 3..18, then 8 state writes
// in slots 19..26.
func (m *machine) sha256Compress(sp, bp uint32) {
	if sp%4 != 0 || bp%4 != 0 {
		m.fault(isa.StatusMisaligned, "sha256_compress pointers 0x%x (state), 0x%x (block) must be word aligned", sp, bp)
		return
	}
	var blk [16]uint32
	for i := range blk {
		blk[i] = bits.ReverseBytes32(m.read(bp+4*uint32(i), trace.SlotData+i))
	}
	var st [8]uint32
	for i := range st {
		if p := m.page(sp + 4*uint32(i)); p != nil {
			st[i] = bits.ReverseBytes32(p.w[((sp+4*uint32(i))>>2)&(pageWords-1)])
		}
	}
	if m.faulted {
		return
	}
	SHA256Compress(&st, &blk)
	for i := range st {
		m.write(sp+4*uint32(i), bits.ReverseBytes32(st[i]), trace.SlotData+16+i)
	}
}
