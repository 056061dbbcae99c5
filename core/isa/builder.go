package isa

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/oneiros-zk/oneiros/proving/hash"
)

// Operand is an operand b or c for the [Builder]: a frame slot, an immediate, or the
// instruction index of a label (an immediate filled in when the program is built).
type Operand struct {
	kind  operandKind
	v     uint32
	label Label
}

type operandKind uint8

const (
	opSlot operandKind = iota
	opImm
	opLabel
)

// Slot is the operand [fp+off]; off must be a multiple of 4.
func Slot(off int32) Operand { return Operand{kind: opSlot, v: uint32(off)} }

// Imm is an immediate operand.
func Imm(v uint32) Operand { return Operand{kind: opImm, v: v} }

// LabelImm is an immediate operand holding the instruction index of l, e.g. a return
// address stored for an indirect jump.
func LabelImm(l Label) Operand { return Operand{kind: opLabel, label: l} }

// IsImm reports whether o is an immediate (a label is one).
func (o Operand) IsImm() bool { return o.kind != opSlot }

// Label names an instruction index that may be bound after it is used.
type Label struct{ id int } // id 0 is the zero Label, which no Builder hands out

type fixup struct {
	inst  int   // instruction index
	field uint8 // 'b' or 'c'
	label Label
}

type dataFixup struct {
	addr  uint32
	label Label
}

// Builder assembles a Program for frontends: emit instructions, bind labels (forward
// references are resolved by Program), add data. Errors are sticky: the first one is kept
// and returned by Program and Err, so callers need not check each call.
//
//	b := isa.NewBuilder()
//	loop := b.NewLabel("loop")
//	b.Bind(loop)
//	b.ALU(isa.SUB, 8, isa.Slot(8), isa.Imm(1))
//	b.Branch(isa.BNE, 8, isa.Imm(0), loop)
//	b.Halt(isa.Imm(0))
//	prog, err := b.Program()
type Builder struct {
	code       []Instruction
	labels     []int64 // instruction index per label id-1; -1 while unbound
	names      []string
	fixups     []fixup
	data       []Segment
	dataFixups []dataFixup
	entry      Label
	entryPC    uint32
	fp         uint32
	name       string
	source     *hash.Digest
	err        error
	smap       SourceMap
	slabels    map[string]uint32
}

// NewBuilder returns an empty builder (entry 0, fp 0).
func NewBuilder() *Builder { return &Builder{} }

// Err returns the first error recorded so far.
func (b *Builder) Err() error { return b.err }

func (b *Builder) fail(format string, args ...any) {
	if b.err == nil {
		b.err = fmt.Errorf("isa builder: instruction %d: %s", len(b.code), fmt.Sprintf(format, args...))
	}
}

// PC returns the index the next instruction will get.
func (b *Builder) PC() uint32 { return uint32(len(b.code)) }

// NewLabel returns a fresh unbound label; name is used in error messages only.
func (b *Builder) NewLabel(name string) Label {
	b.labels = append(b.labels, -1)
	b.names = append(b.names, name)
	return Label{id: len(b.labels)}
}

// Bind binds l to the next instruction's index. A label is bound once.
func (b *Builder) Bind(l Label) {
	if !b.known(l) {
		return
	}
	if b.labels[l.id-1] >= 0 {
		b.fail("label %q bound twice", b.names[l.id-1])
		return
	}
	b.labels[l.id-1] = int64(len(b.code))
}

func (b *Builder) known(l Label) bool {
	if l.id <= 0 || l.id > len(b.labels) {
		b.fail("label from another builder or the zero Label")
		return false
	}
	return true
}

// Emit appends a raw instruction; it is validated when the program is built.
func (b *Builder) Emit(in Instruction) { b.code = append(b.code, in) }

// operand sets flag f and returns the field value for o; label operands get a fixup.
func (b *Builder) operand(o Operand, f Flags, field uint8, flags *Flags) uint32 {
	if o.kind == opSlot {
		return o.v
	}
	*flags |= f
	if o.kind == opLabel && b.known(o.label) {
		b.fixups = append(b.fixups, fixup{inst: len(b.code), field: field, label: o.label})
	}
	return o.v
}

// ALU emits [dst] = x op y for an ALU opcode.
func (b *Builder) ALU(op Opcode, dst int32, x, y Operand) {
	if op.Class() != ClassALU {
		b.fail("%s is not an ALU opcode", op)
	}
	var fl Flags
	bv := b.operand(x, ImmB, 'b', &fl)
	cv := b.operand(y, ImmC, 'c', &fl)
	b.Emit(Instruction{Op: op, Flags: fl, A: uint32(dst), B: bv, C: cv})
}

// Move emits [dst] = x (as ADD x, 0).
func (b *Builder) Move(dst int32, x Operand) { b.ALU(ADD, dst, x, Imm(0)) }

// Load emits [dst] = mem[base + off] for a load opcode.
func (b *Builder) Load(op Opcode, dst int32, base Operand, off int32) {
	if op.Class() != ClassLoad {
		b.fail("%s is not a load", op)
	}
	fl := ImmC
	bv := b.operand(base, ImmB, 'b', &fl)
	b.Emit(Instruction{Op: op, Flags: fl, A: uint32(dst), B: bv, C: uint32(off)})
}

// Store emits mem[base + off] = [src] for a store opcode.
func (b *Builder) Store(op Opcode, src int32, base Operand, off int32) {
	if op.Class() != ClassStore {
		b.fail("%s is not a store", op)
	}
	fl := ImmC
	bv := b.operand(base, ImmB, 'b', &fl)
	b.Emit(Instruction{Op: op, Flags: fl, A: uint32(src), B: bv, C: uint32(off)})
}

// Jump emits an unconditional jump to l.
func (b *Builder) Jump(l Label) { b.JumpTo(LabelImm(l)) }

// JumpTo emits JMP to a target operand: an immediate, a label or a slot (indirect).
func (b *Builder) JumpTo(target Operand) {
	var fl Flags
	cv := b.operand(target, ImmC, 'c', &fl)
	b.Emit(Instruction{Op: JMP, Flags: fl, C: cv})
}

// Branch emits "if [x] op y then goto l" for a branch opcode.
func (b *Builder) Branch(op Opcode, x int32, y Operand, l Label) {
	if op.Class() != ClassBranch {
		b.fail("%s is not a branch", op)
	}
	fl := ImmC
	bv := b.operand(y, ImmB, 'b', &fl)
	b.operand(LabelImm(l), ImmC, 'c', &fl)
	b.Emit(Instruction{Op: op, Flags: fl, A: uint32(x), B: bv})
}

// Call emits a call to l with the callee's frame at fp + frame.
func (b *Builder) Call(l Label, frame int32) { b.CallTo(LabelImm(l), frame) }

// CallTo emits CALL to a target operand (immediate, label, or a slot of the caller's
// frame for an indirect call) with the callee's frame at fp + frame.
func (b *Builder) CallTo(target Operand, frame int32) {
	var fl Flags
	cv := b.operand(target, ImmC, 'c', &fl)
	b.Emit(Instruction{Op: CALL, Flags: fl, A: uint32(frame), C: cv})
}

// Ret emits RET.
func (b *Builder) Ret() { b.Emit(Instruction{Op: RET}) }

// Halt emits HALT with an exit-code operand.
func (b *Builder) Halt(code Operand) {
	var fl Flags
	bv := b.operand(code, ImmB, 'b', &fl)
	b.Emit(Instruction{Op: HALT, Flags: fl, B: bv})
}

// Trap emits TRAP with a trap-code operand.
func (b *Builder) Trap(code Operand) {
	var fl Flags
	bv := b.operand(code, ImmB, 'b', &fl)
	b.Emit(Instruction{Op: TRAP, Flags: fl, B: bv})
}

// Ecall emits syscall num with the slot argument [a] and the operand argument x.
func (b *Builder) Ecall(num uint32, a int32, x Operand) {
	fl := ImmC
	bv := b.operand(x, ImmB, 'b', &fl)
	b.Emit(Instruction{Op: ECALL, Flags: fl, A: uint32(a), B: bv, C: num})
}

// Data adds initial memory bytes at addr. Segments may be added in any order; adjacent
// ones are merged and overlaps are an error when the program is built.
func (b *Builder) Data(addr uint32, bytes []byte) {
	b.data = append(b.data, Segment{Addr: addr, Bytes: append([]byte(nil), bytes...)})
}

// Words adds initial memory words (little endian) at addr.
func (b *Builder) Words(addr uint32, words ...uint32) {
	buf := make([]byte, 0, 4*len(words))
	for _, w := range words {
		buf = binary.LittleEndian.AppendUint32(buf, w)
	}
	b.Data(addr, buf)
}

// LabelWord adds an initial memory word at addr holding the instruction index of l
// (a jump-table entry for indirect jumps and calls).
func (b *Builder) LabelWord(addr uint32, l Label) {
	if b.known(l) {
		b.Words(addr, 0)
		b.dataFixups = append(b.dataFixups, dataFixup{addr: addr, label: l})
	}
}

// SetEntry makes l the entry point (default: instruction 0).
func (b *Builder) SetEntry(l Label) {
	if b.known(l) {
		b.entry = l
	}
}

// SetEntryPC makes instruction pc the entry point.
func (b *Builder) SetEntryPC(pc uint32) { b.entry, b.entryPC = Label{}, pc }

// SetFP sets the initial frame pointer (a multiple of 4).
func (b *Builder) SetFP(fp uint32) { b.fp = fp }

// SetName sets the program name (metadata).
func (b *Builder) SetName(name string) { b.name = name }

// SourceLabel attributes the instructions emitted from now on to label (a source
// instruction, an opcode group or a runtime routine) in the builder's SourceMap.
func (b *Builder) SourceLabel(label string) {
	if b.slabels == nil {
		b.slabels = map[string]uint32{}
	}
	i, ok := b.slabels[label]
	if !ok {
		i = uint32(len(b.smap.Labels))
		b.slabels[label] = i
		b.smap.Labels = append(b.smap.Labels, label)
	}
	pc := b.PC()
	if n := len(b.smap.Runs); n > 0 && b.smap.Runs[n-1].PC == pc {
		b.smap.Runs[n-1].Label = i // nothing was emitted under the previous label
		return
	}
	if n := len(b.smap.Runs); n > 0 && b.smap.Runs[n-1].Label == i {
		return
	}
	b.smap.Runs = append(b.smap.Runs, SourceRun{PC: pc, Label: i})
}

// SourceMap returns the labels set with SourceLabel (nil if none), with the runs that
// would start past the last instruction dropped.
func (b *Builder) SourceMap() *SourceMap {
	if len(b.smap.Runs) == 0 {
		return nil
	}
	m := &SourceMap{Labels: append([]string(nil), b.smap.Labels...)}
	for _, r := range b.smap.Runs {
		if r.PC < b.PC() {
			m.Runs = append(m.Runs, r)
		}
	}
	return m
}

// SetSource sets the digest of the frontend's source (metadata).
func (b *Builder) SetSource(d hash.Digest) { b.source = &d }

func (b *Builder) resolve(l Label) (uint32, error) {
	pc := b.labels[l.id-1]
	if pc < 0 {
		return 0, fmt.Errorf("isa builder: label %q used but never bound", b.names[l.id-1])
	}
	return uint32(pc), nil
}

// Program resolves labels and returns the validated program. The builder can keep
// growing afterwards; each call builds a fresh Program.
func (b *Builder) Program() (*Program, error) {
	if b.err != nil {
		return nil, b.err
	}
	p := &Program{Code: append([]Instruction(nil), b.code...), FP: b.fp, Name: b.name, Entry: b.entryPC, SourceMap: b.SourceMap()}
	if b.source != nil {
		d := *b.source
		p.Source = &d
	}
	var errs []error
	for _, f := range b.fixups {
		pc, err := b.resolve(f.label)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if f.field == 'b' {
			p.Code[f.inst].B = pc
		} else {
			p.Code[f.inst].C = pc
		}
	}
	if b.entry.id != 0 {
		pc, err := b.resolve(b.entry)
		errs = append(errs, err)
		p.Entry = pc
	}
	data, err := NormalizeData(b.data)
	errs = append(errs, err)
	for _, f := range b.dataFixups {
		pc, err := b.resolve(f.label)
		errs = append(errs, err)
		for i := range data {
			if s := &data[i]; f.addr >= s.Addr && uint64(f.addr)+4 <= s.End() {
				binary.LittleEndian.PutUint32(s.Bytes[f.addr-s.Addr:], pc)
			}
		}
	}
	p.Data = data
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}
