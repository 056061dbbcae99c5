package isa

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/oneiros-zk/oneiros/proving/hash"
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
}

type dataItem struct {
	line int
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
		in.op, shape = ADD, []want{wSlot, wAny}
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

func (a *assembler) directive(t token, c *cursor) {
	d := strings.ToLower(t.text)
	needData := func() *Segment {
		if !a.inData {
			panic(parseErr{t.col, fmt.Sprintf("%s outside a .data section (start one with .data ADDRESS)", d)})
		}
		return &a.segs[len(a.segs)-1]
	}
	switch d {
	case ".text":
		a.inData = false
	case ".data":
		addr := a.constExpr(c, d)
		if addr < 0 || addr > 1<<32-1 {
			panic(parseErr{t.col, fmt.Sprintf(".data address %d is outside 0..2^32-1", addr)})
		}
		a.inData = true
		a.segs = append(a.segs, Segment{Addr: uint32(addr)})
	case ".entry":
		o := operand{col: c.peek().col, e: a.expr(c)}
		a.entry, a.entryLine = &o, a.line
	case ".fp":
		o := operand{col: c.peek().col, e: a.expr(c)}
		a.fp, a.fpLine = &o, a.line
	case ".name":
		s := c.next()
		if s.kind != tString {
			panic(parseErr{s.col, fmt.Sprintf(".name takes a string, found %s", s)})
		}
		if len(s.text) > MaxNameLen || !utf8.ValidString(s.text) {
			panic(parseErr{s.col, fmt.Sprintf(".name must be UTF-8 of at most %d bytes", MaxNameLen)})
		}
		a.prog.Name = s.text
	case ".source":
		s := c.next()
		if s.kind != tString {
			panic(parseErr{s.col, fmt.Sprintf(".source takes a hex string of 32 bytes, found %s", s)})
		}
		dg, err := hash.ParseDigest(s.text)
		if err != nil {
			panic(parseErr{s.col, fmt.Sprintf(".source: %v", err)})
		}
		a.prog.Source = &dg
	case ".equ":
		n := c.next()
		if n.kind != tIdent || strings.HasPrefix(n.text, ".") || isRegister(n.text) {
			panic(parseErr{n.col, fmt.Sprintf(".equ takes a name first, found %s", n)})
		}
		if !c.isPunct(",") {
			panic(parseErr{c.peek().col, fmt.Sprintf("expected ',' after the .equ name, found %s", c.peek())})
		}
		c.next()
		v := a.constExpr(c, d)
		a.define(n, v)
	case ".word", ".half", ".byte":
		seg := needData()
		size := map[string]int{".word": 4, ".half": 2, ".byte": 1}[d]
		for {
			a.items = append(a.items, dataItem{line: a.line, seg: len(a.segs) - 1, off: len(seg.Bytes), size: size, e: a.expr(c)})
			a.grow(seg, size, t)
			if !c.isPunct(",") {
				break
			}
			c.next()
		}
	case ".ascii", ".asciz":
		seg := needData()
		s := c.next()
		if s.kind != tString {
			panic(parseErr{s.col, fmt.Sprintf("%s takes a string, found %s", d, s)})
		}
		if d == ".asciz" {
			s.text += "\x00"
		}
		off := len(seg.Bytes)
		a.grow(seg, len(s.text), t)
		copy(seg.Bytes[off:], s.text)
	case ".zero", ".space":
		seg := needData()
		n := a.constExpr(c, d)
		if n < 0 || n > MaxAsmData {
			panic(parseErr{t.col, fmt.Sprintf("%s %d: count must be in 0..%d", d, n, MaxAsmData)})
		}
		a.grow(seg, int(n), t)
	case ".align":
		seg := needData()
		n := a.constExpr(c, d)
		if n <= 0 || n > 1<<12 || n&(n-1) != 0 {
			panic(parseErr{t.col, fmt.Sprintf(".align %d: want a power of two up to 4096", n)})
		}
		a.grow(seg, int((uint64(n)-seg.End()%uint64(n))%uint64(n)), t)
	default:
		panic(parseErr{t.col, fmt.Sprintf("unknown directive %q (known: .text .data .entry .fp .name .source .equ .word .half .byte .ascii .asciz .zero .space .align)", t.text)})
	}
}

// MaxAsmData bounds the data bytes one source may define (the Builder has no such
// limit): hand-written tables stay far below it, and it keeps a typo like ".zero
// 0x10000000" from allocating gigabytes.
const MaxAsmData = 16 << 20

// grow appends n zero bytes to s, within MaxAsmData and the address space.
func (a *assembler) grow(s *Segment, n int, t token) {
	if a.dataLen+n > MaxAsmData {
		panic(parseErr{t.col, fmt.Sprintf("more than %d bytes of data in one source", MaxAsmData)})
	}
	if s.End()+uint64(n) > 1<<32 {
		panic(parseErr{t.col, fmt.Sprintf("data segment starting at 0x%x runs past address 2^32", s.Addr)})
	}
	s.Bytes = append(s.Bytes, make([]byte, n)...)
	a.dataLen += n
}

// constExpr evaluates an expression that may only use symbols defined earlier.
func (a *assembler) constExpr(c *cursor, d string) int64 {
	v, err := a.eval(a.expr(c))
	if err != nil {
		panic(parseErr{err.col, fmt.Sprintf("%s: %s (layout directives and .equ only see symbols defined above them)", d, err.msg)})
	}
	return v
}

func (a *assembler) pass2() {
	for _, in := range a.insts {
		a.line = in.line
		var f [3]uint32
		var fl Flags
		var vals [3]struct {
			v    uint32
			slot bool
			col  int
		}
		for i, o := range in.args {
			v, err := a.eval(o.e)
			if err != nil {
				a.errAt(in.line, err.col, "%s", err.msg)
				continue
			}
			if o.slot {
				if v < -1<<31 || v > 1<<31-1 {
					a.errAt(in.line, o.col, "slot offset %d does not fit in a signed 32-bit offset", v)
					continue
				}
				if v%4 != 0 {
					a.errAt(in.line, o.col, "slot offset %d is not a multiple of 4", v)
					continue
				}
			} else if v < -1<<31 || v > 1<<32-1 {
				a.errAt(in.line, o.col, "immediate %d does not fit in 32 bits", v)
				continue
			}
			vals[i].v, vals[i].slot, vals[i].col = uint32(v), o.slot, o.col
		}
		// Map the operand list to the fields a, b, c.
		n := len(in.args)
		set := func(field int, i int, immFlag Flags) {
			if i < n {
				f[field] = vals[i].v
				if !vals[i].slot {
					fl |= immFlag
				}
			} else {
				fl |= immFlag // omitted operands are immediate zero
			}
		}
		switch in.op.Class() {
		case ClassALU:
			set(0, 0, 0)
			if n == 2 { // mov
				set(1, 1, ImmB)
				fl |= ImmC
			} else {
				set(1, 1, ImmB)
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
		ins := Instruction{Op: in.op, Flags: fl, A: f[0], B: f[1], C: f[2]}
		if err := ins.Validate(); err != nil {
			a.errAt(in.line, in.col, "%v", err)
			continue
		}
		a.prog.Code = append(a.prog.Code, ins)
	}
	for _, it := range a.items {
		v, err := a.eval(it.e)
		if err != nil {
			a.errAt(it.line, err.col, "%s", err.msg)
			continue
		}
		lo, hi := int64(-1)<<(8*it.size-1), int64(1)<<(8*it.size)-1
		if v < lo || v > hi {
			a.errAt(it.line, 1, "value %d does not fit in %d byte(s)", v, it.size)
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
