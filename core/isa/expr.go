package isa

import (
	"fmt"
	"math/bits"
)

// Assembler expressions: sums, products and quotients (truncating) of numbers, characters and symbols, with
// unary minus and parentheses. Values are int64 while evaluating and must fit the field
// they land in.
type expr interface{ pos() int }

type (
	exprNum struct{ v int64 }
	exprSym struct {
		name string
		col  int
	}
	exprNeg struct{ x expr }
	exprBin struct {
		op   byte
		l, r expr
		col  int
	}
)

func (exprNum) pos() int   { return 0 }
func (e exprSym) pos() int { return e.col }
func (e exprNeg) pos() int { return e.x.pos() }
func (e exprBin) pos() int { return e.col }

// maxExpr bounds intermediate values, well past any 32-bit field.
const maxExpr = 1 << 40

// expr parses a sum.
func (a *assembler) expr(c *cursor) expr {
	l := a.term(c)
	for c.isPunct("+") || c.isPunct("-") {
		t := c.next()
		l = exprBin{op: t.text[0], l: l, r: a.term(c), col: t.col}
	}
	return l
}

func (a *assembler) term(c *cursor) expr {
	l := a.unary(c)
	for c.isPunct("*") || c.isPunct("/") {
		t := c.next()
		l = exprBin{op: t.text[0], l: l, r: a.unary(c), col: t.col}
	}
	return l
}

func (a *assembler) unary(c *cursor) expr {
	t := c.next()
	switch {
	case t.kind == tPunct && t.text == "-":
		return exprNeg{a.unary(c)}
	case t.kind == tPunct && t.text == "(":
		e := a.expr(c)
		if !c.isPunct(")") {
			x := c.peek()
			panic(parseErr{x.col, fmt.Sprintf("expected ')', found %s", x)})
		}
		c.next()
		return e
	case t.kind == tNumber || t.kind == tChar:
		return exprNum{int64(t.val)}
	case t.kind == tIdent && !isRegister(t.text) && t.text[0] != '.':
		return exprSym{name: t.text, col: t.col}
	case t.kind == tIdent && isRegister(t.text):
		panic(parseErr{t.col, "fp may only appear inside a slot, as [fp+8]"})
	}
	panic(parseErr{t.col, fmt.Sprintf("expected a number, a character or a symbol, found %s", t)})
}

// eval computes e; errors carry the column of the offending symbol or operator.
func (a *assembler) eval(e expr) (int64, *posError) {
	switch e := e.(type) {
	case exprNum:
		return e.v, nil
	case exprSym:
		s, ok := a.syms[e.name]
		if !ok {
			return 0, &posError{col: e.col, msg: fmt.Sprintf("undefined symbol %q", e.name)}
		}
		return s.val, nil
	case exprNeg:
		v, err := a.eval(e.x)
		return -v, err
	case exprBin:
		l, err := a.eval(e.l)
		if err != nil {
			return 0, err
		}
		r, err := a.eval(e.r)
		if err != nil {
			return 0, err
		}
		var v int64
		switch e.op {
		case '+':
			v = l + r
		case '-':
			v = l - r
		case '*':
			hi, lo := bits.Mul64(abs(l), abs(r))
			if hi != 0 || lo > maxExpr {
				return 0, &posError{col: e.col, msg: "expression value out of range"}
			}
			v = l * r
		case '/':
			if r == 0 {
				return 0, &posError{col: e.col, msg: "division by zero"}
			}
			v = l / r
		}
		if v > maxExpr || v < -maxExpr {
			return 0, &posError{col: e.col, msg: "expression value out of range"}
		}
		return v, nil
	}
	return 0, &posError{msg: "bad expression"}
}

func abs(v int64) uint64 {
	if v < 0 {
		return uint64(-v)
	}
	return uint64(v)
}
