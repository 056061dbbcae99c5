package isa

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/oneiros-zk/oneiros/proving/hash"
)

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
			a.items = append(a.items, dataItem{line: a.line, col: c.peek().col, seg: len(a.segs) - 1, off: len(seg.Bytes), size: size, e: a.expr(c)})
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
