package exec

import (
	"context"
	"fmt"
	"math"
	"math/bits"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/core/trace"
)

// machine is the interpreter state.
type machine struct {
	ctx  context.Context
	opts *Options
	code []isa.Instruction
	mem  memory

	pc, fp    uint32
	clk       uint64
	maxCycles uint64

	input  []byte
	inPos  uint32
	out    []byte
	maxOut uint64

	status   isa.ExitStatus
	exitCode uint32
	trap     *TrapError
	done     bool // halted or trapped
	faulted  bool // trapped inside an instruction, which does not complete

	rec    *trace.Record // nil when records are off
	tsBase uint64        // trace.TS(clk, 0) of the current instruction, when records are on
}

func newMachine(ctx context.Context, p *isa.Program, o *Options) *machine {
	m := &machine{
		ctx:       ctx,
		opts:      o,
		code:      p.Code,
		pc:        p.Entry,
		fp:        p.FP,
		maxCycles: o.Limits.MaxCycles,
		input:     o.Input,
		maxOut:    o.Limits.MaxOutputBytes,
	}
	if m.maxCycles == 0 {
		m.maxCycles = math.MaxUint64
	}
	if m.maxOut == 0 {
		m.maxOut = math.MaxUint64
	}
	m.mem.maxPages = math.MaxUint64
	if o.Limits.MaxMemoryBytes != 0 {
		m.mem.maxPages = o.Limits.MaxMemoryBytes / PageSize
	}
	if o.Sink != nil {
		m.rec = &trace.Record{}
		m.mem.track = true
	}
	return m
}

// fault ends the run with a trap at the current instruction, which does not complete.
// The first fault wins.
func (m *machine) fault(s isa.ExitStatus, format string, args ...any) {
	if m.done {
		return
	}
	m.done, m.faulted = true, true
	m.status = s
	m.trap = &TrapError{Status: s, PC: m.pc, Clk: m.clk, Msg: fmt.Sprintf(format, args...)}
}

// loadImage writes the data segments into memory; false if they pass the memory limit.
// slot returns the address of the frame slot [fp+off] (off a signed offset). A slot
// outside the address space — fp+off below 0 or past 2^32−1 — is a bad frame: the
// instruction faults rather than wrapping around (the prover computes slot addresses
// without wrap-around, so a wrapped slot could never be proven).
func (m *machine) slot(fp, off uint32) uint32 {
	a := int64(fp) + int64(int32(off))
	if a < 0 || a > math.MaxUint32 {
		m.fault(isa.StatusBadFrame, "frame slot fp%+d (fp 0x%x) leaves the address space", int32(off), fp)
	}
	return uint32(a)
}

func (m *machine) loadImage(p *isa.Program) bool {
	for _, s := range p.Data {
		for i := 0; i < len(s.Bytes); {
			addr := s.Addr + uint32(i)
			pg := m.mem.touch(addr)
			if pg == nil {
				m.fault(isa.StatusMemoryLimit, "the initial image needs more than the %d pages allowed (%d bytes)", m.mem.maxPages, m.opts.Limits.MaxMemoryBytes)
				return false
			}
			// Copy up to the end of this page.
			end := min(len(s.Bytes), i+int(PageSize-addr%PageSize))
			for ; i < end; i++ {
				a := s.Addr + uint32(i)
				w := &pg.w[(a>>2)&(pageWords-1)]
				*w |= uint32(s.Bytes[i]) << (8 * (a & 3))
			}
		}
	}
	return true
}

// page returns the page holding addr, creating it; nil after a memory-limit fault.
func (m *machine) page(addr uint32) *page {
	if p := m.mem.lookup(addr); p != nil {
		return p
	}
	p := m.mem.touch(addr)
	if p == nil {
		m.fault(isa.StatusMemoryLimit, "touching address 0x%08x needs page %d of %d allowed (max_memory_bytes %d)",
			addr, m.mem.pages+1, m.mem.maxPages, m.opts.Limits.MaxMemoryBytes)
	}
	return p
}

// read returns the aligned word at addr (slot says where its record goes). The fast
// path (page present, no records) inlines into the interpreter loop.
func (m *machine) read(addr uint32, slot int) uint32 {
	if p := m.mem.lookup(addr); p != nil && m.rec == nil {
		return p.w[(addr>>2)&(pageWords-1)]
	}
	return m.readSlow(addr, slot)
}

func (m *machine) readSlow(addr uint32, slot int) uint32 {
	p := m.page(addr)
	if p == nil {
		return 0
	}
	i := (addr >> 2) & (pageWords - 1)
	v := p.w[i]
	if m.rec != nil {
		m.access(p, i, addr&^3, trace.Read, v, v, slot)
	}
	return v
}

// write replaces the aligned word at addr.
func (m *machine) write(addr, v uint32, slot int) {
	m.update(addr, ^uint32(0), v, slot)
}

// update replaces the bits of mask in the aligned word at addr with those of v.
func (m *machine) update(addr, mask, v uint32, slot int) {
	p := m.page(addr)
	if p == nil {
		return
	}
	i := (addr >> 2) & (pageWords - 1)
	before := p.w[i]
	after := before&^mask | v&mask
	p.w[i] = after
	if m.rec != nil {
		m.access(p, i, addr&^3, trace.Write, before, after, slot)
	}
}

func (m *machine) access(p *page, i uint32, addr uint32, k trace.AccessKind, before, after uint32, slot int) {
	ts := m.tsBase + uint64(slot)
	prev := p.ts[i]
	p.ts[i] = ts
	m.rec.Accesses = append(m.rec.Accesses, trace.Access{
		Kind: k, Addr: addr, Before: before, After: after, TS: ts, PrevTS: prev, First: prev == 0,
	})
}

// operandB returns the value of operand b: the immediate, or [fp+b] read in slot 0.
func (m *machine) operandB(in *isa.Instruction, fp uint32) uint32 {
	if in.Flags&isa.ImmB != 0 {
		return in.B
	}
	return m.read(m.slot(fp, in.B), trace.SlotB)
}

// operandC returns the value of operand c: the immediate, or [fp+c] read in slot 1.
func (m *machine) operandC(in *isa.Instruction, fp uint32) uint32 {
	if in.Flags&isa.ImmC != 0 {
		return in.C
	}
	return m.read(m.slot(fp, in.C), trace.SlotC)
}

// loadBytes reads n (1, 2 or 4) bytes at any address, little endian, touching one or two
// words (slots SlotData and SlotData+1).
func (m *machine) loadBytes(addr uint32, n uint32) uint32 {
	sh := (addr & 3) * 8
	lo := m.read(addr&^3, trace.SlotData)
	v := uint64(lo) >> sh
	if sh+8*n > 32 {
		hi := m.read(addr&^3+4, trace.SlotData+1)
		v |= uint64(hi) << (32 - sh)
	}
	return uint32(v)
}

// storeBytes writes the low n bytes of v at any address, touching one or two words.
func (m *machine) storeBytes(addr uint32, n uint32, v uint32) {
	sh := (addr & 3) * 8
	mask := uint64(1)<<(8*n) - 1
	wide, wv := mask<<sh, uint64(v)<<sh
	m.update(addr&^3, uint32(wide), uint32(wv), trace.SlotData)
	if wide>>32 != 0 {
		m.update(addr&^3+4, uint32(wide>>32), uint32(wv>>32), trace.SlotData+1)
	}
}

// run is the interpreter loop.
func (m *machine) run() error {
	code := m.code
	rec := m.rec
	for !m.done {
		if m.clk == m.maxCycles {
			m.fault(isa.StatusCycleLimit, "%d cycles ran without a halt (max_cycles)", m.clk)
			break
		}
		if m.clk%ProgressInterval == 0 && m.clk != 0 {
			if err := m.ctx.Err(); err != nil {
				return fmt.Errorf("exec: at clk %d: %w", m.clk, err)
			}
			if m.opts.Progress != nil {
				m.opts.Progress(m.clk)
			}
		}
		pc := m.pc
		if uint64(pc) >= uint64(len(code)) {
			m.fault(isa.StatusInvalidPC, "pc %d is outside the program's %d instructions", pc, len(code))
			break
		}
		in := &code[pc]
		fp := m.fp
		if rec != nil {
			rec.Reset()
			rec.Clk, rec.PC, rec.FP, rec.Inst = m.clk, pc, fp, *in
			m.tsBase = trace.TS(m.clk, 0)
		}
		next, nfp := pc+1, fp
		var va, vb, vc uint32 // operand values, for the record

		switch in.Op.Class() {
		case isa.ClassALU:
			vb = m.operandB(in, fp)
			vc = m.operandC(in, fp)
			va = alu(in.Op, vb, vc)
			m.write(m.slot(fp, in.A), va, trace.SlotA)

		case isa.ClassLoad:
			vb = m.operandB(in, fp)
			vc = in.C
			addr := vb + vc
			switch in.Op {
			case isa.LW:
				va = m.loadBytes(addr, 4)
			case isa.LH:
				va = uint32(int32(int16(m.loadBytes(addr, 2))))
			case isa.LHU:
				va = m.loadBytes(addr, 2) & 0xffff
			case isa.LB:
				va = uint32(int32(int8(m.loadBytes(addr, 1))))
			case isa.LBU:
				va = m.loadBytes(addr, 1) & 0xff
			}
			m.write(m.slot(fp, in.A), va, trace.SlotLoadA)

		case isa.ClassStore:
			vb = m.operandB(in, fp)
			vc = in.C
			va = m.read(m.slot(fp, in.A), trace.SlotA)
			addr := vb + vc
			switch in.Op {
			case isa.SW:
				m.storeBytes(addr, 4, va)
			case isa.SH:
				m.storeBytes(addr, 2, va)
			case isa.SB:
				m.storeBytes(addr, 1, va)
			}

		case isa.ClassBranch:
			vb = m.operandB(in, fp)
			vc = in.C
			va = m.read(m.slot(fp, in.A), trace.SlotA)
			if BranchTaken(in.Op, va, vb) {
				next = vc
			}

		case isa.ClassJump:
			vc = m.operandC(in, fp)
			next = vc

		case isa.ClassCall:
			va = in.A
			vc = m.operandC(in, fp)
			f := int64(fp) + int64(int32(in.A))
			if f < 0 || f > math.MaxUint32 {
				m.fault(isa.StatusBadFrame, "call frame fp %+d = %d leaves the address space", int32(in.A), f)
				break
			}
			nfp = uint32(f)
			m.write(nfp, pc+1, trace.SlotData)
			m.write(nfp+4, fp, trace.SlotData+1)
			next = vc

		case isa.ClassRet:
			next = m.read(fp, trace.SlotData)
			nfp = m.read(fp+4, trace.SlotData+1)
			if nfp%4 != 0 && !m.done {
				m.fault(isa.StatusBadFrame, "ret restores fp 0x%x (saved at 0x%x), not a multiple of 4", nfp, fp+4)
			}

		case isa.ClassHalt, isa.ClassTrap:
			vb = m.operandB(in, fp)
			next = pc
			if m.done {
				break
			}
			m.done = true
			if in.Op == isa.HALT {
				m.status, m.exitCode = isa.StatusHalted, vb
			} else {
				m.status, m.exitCode = isa.StatusTrap, vb
				m.trap = &TrapError{Status: isa.StatusTrap, Code: vb, PC: pc, Clk: m.clk, Msg: fmt.Sprintf("explicit trap, code %d", vb)}
			}

		case isa.ClassEcall:
			var err error
			va, vb, err = m.ecall(in)
			if err != nil {
				return err
			}
			vc = in.C
		}

		if m.faulted {
			break // the instruction does not complete
		}
		if rec != nil {
			rec.NextPC, rec.NextFP = next, nfp
			rec.A, rec.B, rec.C = va, vb, vc
			if err := m.opts.Sink(rec); err != nil {
				return fmt.Errorf("exec: sink at clk %d: %w", m.clk, err)
			}
		}
		m.clk++
		if !m.done {
			m.pc, m.fp = next, nfp
		}
	}
	if m.opts.Progress != nil {
		m.opts.Progress(m.clk)
	}
	return nil
}

// alu computes B op C with RISC-V semantics (division by zero and overflow do not trap).
func alu(op isa.Opcode, b, c uint32) uint32 {
	switch op {
	case isa.ADD:
		return b + c
	case isa.SUB:
		return b - c
	case isa.MUL:
		return b * c
	case isa.MULH:
		return uint32(uint64(int64(int32(b))*int64(int32(c))) >> 32)
	case isa.MULHU:
		hi, _ := bits.Mul32(b, c)
		return hi
	case isa.MULHSU:
		return uint32(uint64(int64(int32(b))*int64(c)) >> 32)
	case isa.DIV:
		switch {
		case c == 0:
			return math.MaxUint32
		case int32(b) == math.MinInt32 && int32(c) == -1:
			return b
		}
		return uint32(int32(b) / int32(c))
	case isa.DIVU:
		if c == 0 {
			return math.MaxUint32
		}
		return b / c
	case isa.REM:
		switch {
		case c == 0:
			return b
		case int32(b) == math.MinInt32 && int32(c) == -1:
			return 0
		}
		return uint32(int32(b) % int32(c))
	case isa.REMU:
		if c == 0 {
			return b
		}
		return b % c
	case isa.SLT:
		return b2u(int32(b) < int32(c))
	case isa.SLTU:
		return b2u(b < c)
	case isa.EQ:
		return b2u(b == c)
	case isa.NE:
		return b2u(b != c)
	case isa.AND:
		return b & c
	case isa.OR:
		return b | c
	case isa.XOR:
		return b ^ c
	case isa.SLL:
		return b << (c & 31)
	case isa.SRL:
		return b >> (c & 31)
	case isa.SRA:
		return uint32(int32(b) >> (c & 31))
	}
	panic("exec: alu called with " + op.String()) // Validate rules this out
}

// BranchTaken reports whether the branch op (BEQ … BGEU) is taken on [a] and B.
func BranchTaken(op isa.Opcode, a, b uint32) bool {
	switch op {
	case isa.BEQ:
		return a == b
	case isa.BNE:
		return a != b
	case isa.BLT:
		return int32(a) < int32(b)
	case isa.BGE:
		return int32(a) >= int32(b)
	case isa.BLTU:
		return a < b
	case isa.BGEU:
		return a >= b
	}
	panic("exec: BranchTaken called with " + op.String())
}

func b2u(v bool) uint32 {
	if v {
		return 1
	}
	return 0
}
