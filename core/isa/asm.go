package isa

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// SyntaxError is one assembler error at a position of the source.
type SyntaxError struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// maxErrors bounds how many errors one Assemble call reports.
const maxErrors = 10

// Assemble translates assembler source (syntax in docs/isa.md, "Assembler") into a
// validated Program named name (name also appears in error positions as the file name;
// a .name directive overrides the program name). Errors are *SyntaxError values, up to
// ten of them joined, each naming file:line:col and what was expected. It never panics.
func Assemble(name string, src []byte) (*Program, error) {
	a := &assembler{file: name, syms: map[string]*symbol{}}
	if len(name) <= MaxNameLen && utf8.ValidString(name) {
		a.prog.Name = name
	}
	for i, line := range strings.Split(string(src), "\n") {
		if len(a.errs) >= maxErrors {
			break
		}
		a.line = i + 1
		a.pass1(line)
	}
	if len(a.errs) == 0 {
		a.pass2()
	}
	if len(a.errs) > 0 {
		return nil, errors.Join(a.errs...)
	}
	return &a.prog, nil
}

type symbol struct {
	val       int64
	line, col int
}

type operand struct {
	slot bool
	e    expr
	col  int
}

type inst struct {
	line, col int
	op        Opcode
	args      []operand
	sysName   uint32 // ecall: syscall given by name
	sysNamed  bool
	mov       bool // "mov [a], B": add with an immediate 0 as C
}

type dataItem struct {
	line int
	col  int
	seg  int
	off  int
	size int // 1, 2 or 4
	e    expr
}

type assembler struct {
	file      string
	line      int
	errs      []error
	syms      map[string]*symbol
	insts     []inst
	segs      []Segment
	items     []dataItem
	inData    bool
	dataLen   int // data bytes so far, at most MaxAsmData
	entry     *operand
	entryLine int
	fp        *operand
	fpLine    int
	prog      Program
}

func (a *assembler) errAt(line, col int, format string, args ...any) {
	if len(a.errs) < maxErrors {
		a.errs = append(a.errs, &SyntaxError{File: a.file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
	}
}

// cursor walks the tokens of one line.
type cursor struct {
	toks []token
	i    int
}

func (c *cursor) peek() token { return c.toks[c.i] }
func (c *cursor) next() token {
	t := c.toks[c.i]
	if t.kind != tEOL {
		c.i++
	}
	return t
}
func (c *cursor) isPunct(p string) bool { t := c.peek(); return t.kind == tPunct && t.text == p }

// parseErr aborts the parse of the current line.
type parseErr struct {
	col int
	msg string
}

func (a *assembler) pass1(line string) {
	toks, perr := lexLine(line)
	if perr != nil {
		a.errAt(a.line, perr.col, "%s", perr.msg)
		return
	}
	c := &cursor{toks: toks}
	defer func() {
		if r := recover(); r != nil {
			pe, ok := r.(parseErr)
			if !ok {
				panic(r)
			}
			a.errAt(a.line, pe.col, "%s", pe.msg)
		}
	}()
	// Labels: ident ':' (any number of them).
	for c.peek().kind == tIdent && c.toks[c.i+1].kind == tPunct && c.toks[c.i+1].text == ":" {
		t := c.next()
		c.next()
		a.defineLabel(t)
	}
	t := c.next()
	switch {
	case t.kind == tEOL:
		return
	case t.kind == tIdent && strings.HasPrefix(t.text, "."):
		a.directive(t, c)
	case t.kind == tIdent:
		a.instruction(t, c)
	default:
		panic(parseErr{t.col, fmt.Sprintf("expected a label, an instruction or a directive, found %s", t)})
	}
	if t := c.peek(); t.kind != tEOL {
		panic(parseErr{t.col, fmt.Sprintf("expected end of line, found %s", t)})
	}
}

func (a *assembler) defineLabel(t token) {
	if strings.HasPrefix(t.text, ".") || isRegister(t.text) {
		panic(parseErr{t.col, fmt.Sprintf("%q cannot be a label name", t.text)})
	}
	val := int64(len(a.insts))
	if a.inData {
		s := &a.segs[len(a.segs)-1]
		val = int64(s.End())
	}
	a.define(t, val)
}

func (a *assembler) define(t token, val int64) {
	if s, ok := a.syms[t.text]; ok {
		panic(parseErr{t.col, fmt.Sprintf("symbol %q already defined at line %d", t.text, s.line)})
	}
	a.syms[t.text] = &symbol{val: val, line: a.line, col: t.col}
}

func isRegister(s string) bool { return strings.EqualFold(s, "fp") }

func (a *assembler) instruction(t token, c *cursor) {
	if a.inData {
		panic(parseErr{t.col, fmt.Sprintf("instruction %q inside a .data section (use .text first)", t.text)})
	}
	mn := strings.ToLower(t.text)
	op, ok := OpcodeByName(mn)
	in := inst{line: a.line, col: t.col, op: op}
	type want uint8
	const (
		wSlot want = iota
		wAny
		wImm
	)
	var shape []want
	optional := 0 // trailing operands that may be omitted (they default to immediate 0)
	switch {
	case mn == "mov":
		in.op, in.mov, shape = ADD, true, []want{wSlot, wAny}
	case !ok:
		panic(parseErr{t.col, fmt.Sprintf("unknown instruction %q", t.text)})
	default:
		switch op.Class() {
		case ClassALU:
			shape = []want{wSlot, wAny, wAny}
		case ClassLoad, ClassStore:
			shape, optional = []want{wSlot, wAny, wImm}, 1
		case ClassJump:
			shape = []want{wAny}
		case ClassBranch:
			shape = []want{wSlot, wAny, wImm}
		case ClassCall:
			shape = []want{wAny, wImm}
		case ClassRet:
		case ClassHalt, ClassTrap:
			shape, optional = []want{wAny}, 1
		case ClassEcall:
			shape, optional = []want{wImm, wSlot, wAny}, 2
			if n, after := c.peek(), c.toks[min(c.i+1, len(c.toks)-1)]; n.kind == tIdent &&
				(after.kind == tEOL || after.kind == tPunct && after.text == ",") {
				if num, ok := SyscallByName(strings.ToLower(n.text)); ok {
					in.sysName, in.sysNamed = num, true
				}
			}
		}
	}
	for i, w := range shape {
		if c.peek().kind == tEOL && i >= len(shape)-optional {
			break
		}
		if i > 0 {
			if !c.isPunct(",") {
				t := c.peek()
				panic(parseErr{t.col, fmt.Sprintf("expected ',' before operand %d of %s, found %s", i+1, mn, t)})
			}
			c.next()
		}
		o := a.operand(c)
		if in.op == ECALL && i == 0 && in.sysNamed {
			o = operand{e: exprNum{int64(in.sysName)}, col: o.col}
		}
		switch {
		case w == wSlot && !o.slot:
			panic(parseErr{o.col, fmt.Sprintf("operand %d of %s must be a frame slot like [8] or [fp-4]", i+1, mn)})
		case w == wImm && o.slot:
			panic(parseErr{o.col, fmt.Sprintf("operand %d of %s must be an immediate (a number or a label), not a slot", i+1, mn)})
		}
		in.args = append(in.args, o)
	}
	if t := c.peek(); t.kind != tEOL {
		panic(parseErr{t.col, fmt.Sprintf("%s takes %d operands; expected end of line, found %s", mn, len(shape), t)})
	}
	a.insts = append(a.insts, in)
}

// operand parses a slot "[off]", "[fp]", "[fp+off]", "[fp-off]" or an expression.
func (a *assembler) operand(c *cursor) operand {
	t := c.peek()
	if !c.isPunct("[") {
		return operand{e: a.expr(c), col: t.col}
	}
	c.next()
	var e expr
	if n := c.peek(); n.kind == tIdent && isRegister(n.text) {
		c.next()
		switch {
		case c.isPunct("]"):
			e = exprNum{0}
		case c.isPunct("+"):
			c.next()
			e = a.expr(c)
		case c.isPunct("-"):
			c.next()
			e = exprNeg{a.expr(c)}
		default:
			x := c.peek()
			panic(parseErr{x.col, fmt.Sprintf("expected '+', '-' or ']' after fp, found %s", x)})
		}
	} else {
		e = a.expr(c)
	}
	if !c.isPunct("]") {
		x := c.peek()
		panic(parseErr{x.col, fmt.Sprintf("expected ']' to close the slot, found %s", x)})
	}
	c.next()
	return operand{slot: true, e: e, col: t.col}
}

func (a *assembler) pass2() {
	for _, in := range a.insts {
		if ins, ok := a.encode(in); ok {
			a.prog.Code = append(a.prog.Code, ins)
		}
	}
	for _, it := range a.items {
		v, err := a.eval(it.e)
		if err != nil {
			a.errAt(it.line, err.col, "%s", err.msg)
			continue
		}
		lo, hi := int64(-1)<<(8*it.size-1), int64(1)<<(8*it.size)-1
		if v < lo || v > hi {
			a.errAt(it.line, it.col, "value %d does not fit in %d byte(s)", v, it.size)
			continue
		}
		var buf [4]byte
		binary.LittleEndian.PutUint32(buf[:], uint32(v))
		copy(a.segs[it.seg].Bytes[it.off:], buf[:it.size])
	}
	if a.entry != nil {
		v, err := a.eval(a.entry.e)
		switch {
		case err != nil:
			a.errAt(a.entryLine, err.col, "%s", err.msg)
		case v < 0 || v >= int64(len(a.insts)):
			a.errAt(a.entryLine, a.entry.col, ".entry %d is outside the %d instructions", v, len(a.insts))
		default:
			a.prog.Entry = uint32(v)
		}
	}
	if a.fp != nil {
		v, err := a.eval(a.fp.e)
		switch {
		case err != nil:
			a.errAt(a.fpLine, err.col, "%s", err.msg)
		case v < 0 || v > 1<<32-1 || v%4 != 0:
			a.errAt(a.fpLine, a.fp.col, ".fp %d must be a multiple of 4 in 0..2^32-1", v)
		default:
			a.prog.FP = uint32(v)
		}
	}
	if len(a.insts) == 0 {
		a.errAt(1, 1, "no instructions: a program needs at least one (e.g. halt)")
	}
	if len(a.errs) > 0 {
		return
	}
	data, err := NormalizeData(a.segs)
	if err != nil {
		a.errAt(1, 1, "%v", err)
		return
	}
	a.prog.Data = data
	if err := a.prog.Validate(); err != nil {
		a.errAt(1, 1, "%v", err)
	}
}

// encode evaluates an instruction's operands and places them in the fields a, b, c.
func (a *assembler) encode(in inst) (Instruction, bool) {
	type value struct {
		v    uint32
		slot bool
	}
	vals := make([]value, len(in.args))
	ok := true
	for i, o := range in.args {
		v, err := a.eval(o.e)
		switch {
		case err != nil:
			a.errAt(in.line, err.col, "%s", err.msg)
		case o.slot && (v < -1<<31 || v > 1<<31-1):
			a.errAt(in.line, o.col, "slot offset %d does not fit in a signed 32-bit offset", v)
		case o.slot && v%4 != 0:
			a.errAt(in.line, o.col, "slot offset %d is not a multiple of 4", v)
		case !o.slot && (v < -1<<31 || v > 1<<32-1):
			a.errAt(in.line, o.col, "immediate %d does not fit in 32 bits", v)
		default:
			vals[i] = value{uint32(v), o.slot}
			continue
		}
		ok = false
	}
	if !ok {
		return Instruction{}, false
	}
	ins := Instruction{Op: in.op}
	fields := [3]*uint32{&ins.A, &ins.B, &ins.C}
	// set puts operand i into field f (0, 1, 2 for a, b, c); an omitted operand is the
	// immediate 0.
	set := func(f, i int, immFlag Flags) {
		if i < len(vals) {
			*fields[f] = vals[i].v
			if vals[i].slot {
				return
			}
		}
		ins.Flags |= immFlag
	}
	switch in.op.Class() {
	case ClassALU:
		set(0, 0, 0)
		set(1, 1, ImmB)
		if in.mov {
			ins.Flags |= ImmC
		} else {
			set(2, 2, ImmC)
		}
	case ClassLoad, ClassStore, ClassBranch:
		set(0, 0, 0)
		set(1, 1, ImmB)
		set(2, 2, ImmC)
	case ClassJump:
		set(2, 0, ImmC)
	case ClassCall:
		set(2, 0, ImmC)
		set(0, 1, 0)
	case ClassHalt, ClassTrap:
		set(1, 0, ImmB)
	case ClassEcall:
		set(2, 0, ImmC)
		set(0, 1, 0)
		set(1, 2, ImmB)
	}
	if err := ins.Validate(); err != nil {
		a.errAt(in.line, in.col, "%v", err)
		return Instruction{}, false
	}
	return ins, true
}
