package air

import (
	"github.com/oneiros-zk/oneiros/proving/field"
)

// Kind is the kind of a node of the expression graph.
type Kind uint8

const (
	KindConst  Kind = iota // a field constant (Node.Val)
	KindMain               // a main column (Node.Col), current row or next (Node.Next)
	KindPrep               // a preprocessed column, current or next
	KindPublic             // a public value of the table (Node.Col)
	KindAdd                // A + B
	KindSub                // A − B
	KindMul                // A · B
	KindNeg                // −A
)

// Node is one vertex of a table's expression graph. Children always have smaller
// indices, so the node slice is in topological order.
type Node struct {
	Kind   Kind
	A, B   int32
	Col    int32
	Next   bool
	Val    field.Elem
	Degree int
}

// Expr is a symbolic expression: a handle to a node of a Builder's graph. Expressions
// are built with methods (x.Mul(y).Sub(z)); identical subexpressions share one node, and
// constant subexpressions are folded as they are built.
type Expr struct {
	b  *Builder
	id int32
}

// ID is the node index of e in its AIR's graph.
func (e Expr) ID() int32 { return e.id }

// Degree is the polynomial degree of e in the trace columns.
func (e Expr) Degree() int { return e.b.nodes[e.id].Degree }

func (e Expr) same(o Expr) {
	if e.b == nil || e.b != o.b {
		panic("air: expressions from different builders, or a zero Expr") // invariant of chip code
	}
}

func (e Expr) node() Node { return e.b.nodes[e.id] }

func (e Expr) constVal() (field.Elem, bool) {
	n := e.node()
	return n.Val, n.Kind == KindConst
}

// Add returns e + o.
func (e Expr) Add(o Expr) Expr {
	e.same(o)
	a, aok := e.constVal()
	c, cok := o.constVal()
	switch {
	case aok && cok:
		var s field.Elem
		return e.b.ConstElem(*s.Add(&a, &c))
	case aok && a.IsZero():
		return o
	case cok && c.IsZero():
		return e
	}
	if e.id > o.id { // canonical order for commutative ops
		e, o = o, e
	}
	return e.b.add(Node{Kind: KindAdd, A: e.id, B: o.id, Degree: max(e.Degree(), o.Degree())})
}

// Sub returns e − o.
func (e Expr) Sub(o Expr) Expr {
	e.same(o)
	a, aok := e.constVal()
	c, cok := o.constVal()
	switch {
	case aok && cok:
		var s field.Elem
		return e.b.ConstElem(*s.Sub(&a, &c))
	case cok && c.IsZero():
		return e
	case aok && a.IsZero():
		return o.Neg()
	case e.id == o.id:
		return e.b.Const(0)
	}
	return e.b.add(Node{Kind: KindSub, A: e.id, B: o.id, Degree: max(e.Degree(), o.Degree())})
}

// Mul returns e · o.
func (e Expr) Mul(o Expr) Expr {
	e.same(o)
	a, aok := e.constVal()
	c, cok := o.constVal()
	switch {
	case aok && cok:
		var s field.Elem
		return e.b.ConstElem(*s.Mul(&a, &c))
	case (aok && a.IsZero()) || (cok && c.IsZero()):
		return e.b.Const(0)
	case aok && a.IsOne():
		return o
	case cok && c.IsOne():
		return e
	}
	if e.id > o.id {
		e, o = o, e
	}
	return e.b.add(Node{Kind: KindMul, A: e.id, B: o.id, Degree: e.Degree() + o.Degree()})
}

// Neg returns −e.
func (e Expr) Neg() Expr {
	if a, ok := e.constVal(); ok {
		var s field.Elem
		return e.b.ConstElem(*s.Neg(&a))
	}
	return e.b.add(Node{Kind: KindNeg, A: e.id, Degree: e.Degree()})
}

// AddC returns e + c.
func (e Expr) AddC(c int64) Expr { return e.Add(e.b.ConstInt(c)) }

// MulC returns e · c.
func (e Expr) MulC(c int64) Expr { return e.Mul(e.b.ConstInt(c)) }

// OneMinus returns 1 − e.
func (e Expr) OneMinus() Expr { return e.b.Const(1).Sub(e) }

// Sum returns the sum of xs (0 when empty; b is only used then).
func (b *Builder) Sum(xs ...Expr) Expr {
	acc := b.Const(0)
	for _, x := range xs {
		acc = acc.Add(x)
	}
	return acc
}

// Const returns the constant v.
func (b *Builder) Const(v uint64) Expr { return b.ConstElem(field.New(v)) }

// ConstInt returns the constant v mod p (negative values allowed).
func (b *Builder) ConstInt(v int64) Expr {
	var e field.Elem
	e.SetInt64(v)
	return b.ConstElem(e)
}

// ConstElem returns the constant e.
func (b *Builder) ConstElem(e field.Elem) Expr {
	return b.add(Node{Kind: KindConst, Val: e})
}

type nodeKey struct {
	kind Kind
	a, b int32
	col  int32
	next bool
	val  uint32
}

func (b *Builder) add(n Node) Expr {
	k := nodeKey{kind: n.Kind, a: n.A, b: n.B, col: n.Col, next: n.Next, val: uint32(n.Val.Bits()[0])}
	if id, ok := b.dedup[k]; ok {
		return Expr{b, id}
	}
	id := int32(len(b.nodes))
	b.nodes = append(b.nodes, n)
	b.next = append(b.next, b.nodeReadsNext(n))
	b.dedup[k] = id
	return Expr{b, id}
}
