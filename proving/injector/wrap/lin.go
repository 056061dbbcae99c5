package wrap

import (
	"github.com/oneiros-zk/oneiros/proving/field"
)

// lin is an AIR node's value at ζ kept as a linear form c + Σ k_j·atom_j over circuit
// values (the atoms: opened values, publics and products), with constant coefficients
// reduced mod p. Linear nodes (sums, differences, negations, products by a constant)
// only combine coefficients, with no constraint and no growth of the bound; a form is
// built into circuit values (materialized) once, when a product, a constraint or an
// interaction needs it. Evaluating the same graph as circuit values directly would
// multiply bounds by every constant on the way: in the Poseidon2 table's partial
// rounds, each internal layer multiplies 15 of the 16 lanes by diagonal constants near
// p, so the lanes grow by about 35 bits a round and must be reduced, at one constraint
// per bit of quotient; as forms, every lane stays a combination of opened values with
// coefficients below p.
type lin struct {
	c     field.Elem // the constant term (the AIR's constants are base elements)
	terms []linTerm  // by increasing atom index, nonzero coefficients
	x     *ext       // the form built as circuit values, once built
}

type linTerm struct {
	atom int
	k    field.Elem
}

func (a *lin) isConst() bool { return len(a.terms) == 0 }

// linArith evaluates an AIR's expressions at ζ as linear forms (air.EvalWith): a product
// of two non-constant forms builds both (ops.mul) and becomes a new atom.
type linArith struct {
	o     *ops
	atoms []ext
}

// atom returns the form 1·x for a new atom x.
func (l *linArith) atom(x ext) *lin {
	l.atoms = append(l.atoms, x)
	return &lin{terms: []linTerm{{atom: len(l.atoms) - 1, k: field.New(1)}}}
}

func (l *linArith) atoms1(xs []ext) []*lin {
	if xs == nil {
		return nil
	}
	out := make([]*lin, len(xs))
	for i, x := range xs {
		out[i] = l.atom(x)
	}
	return out
}

func (l *linArith) Const(c field.Elem) *lin { return &lin{c: c} }

func (l *linArith) Add(a, b *lin) *lin { return combine2(a, b, field.New(1)) }

func (l *linArith) Sub(a, b *lin) *lin {
	var m field.Elem
	m.SetOne()
	m.Neg(&m)
	return combine2(a, b, m)
}

func (l *linArith) Neg(a *lin) *lin {
	var m field.Elem
	m.SetOne()
	m.Neg(&m)
	return scale(a, m)
}

func (l *linArith) Mul(a, b *lin) *lin {
	switch {
	case a.isConst():
		return scale(b, a.c)
	case b.isConst():
		return scale(a, b.c)
	}
	return l.atom(l.o.mul(l.ext(a), l.ext(b)))
}

// combine2 returns a + m·b.
func combine2(a, b *lin, m field.Elem) *lin {
	var z lin
	var t field.Elem
	t.Mul(&b.c, &m)
	z.c.Add(&a.c, &t)
	i, j := 0, 0
	for i < len(a.terms) || j < len(b.terms) {
		switch {
		case j == len(b.terms) || (i < len(a.terms) && a.terms[i].atom < b.terms[j].atom):
			z.terms = append(z.terms, a.terms[i])
			i++
		case i == len(a.terms) || b.terms[j].atom < a.terms[i].atom:
			var k field.Elem
			k.Mul(&b.terms[j].k, &m)
			z.terms = append(z.terms, linTerm{atom: b.terms[j].atom, k: k})
			j++
		default:
			var k field.Elem
			k.Mul(&b.terms[j].k, &m)
			k.Add(&k, &a.terms[i].k)
			if !k.IsZero() {
				z.terms = append(z.terms, linTerm{atom: a.terms[i].atom, k: k})
			}
			i++
			j++
		}
	}
	return &z
}

// scale returns m·a.
func scale(a *lin, m field.Elem) *lin {
	var z lin
	if m.IsZero() {
		return &z
	}
	z.c.Mul(&a.c, &m)
	for _, t := range a.terms {
		var k field.Elem
		k.Mul(&t.k, &m)
		z.terms = append(z.terms, linTerm{atom: t.atom, k: k})
	}
	return &z
}

// ext builds a (once) as circuit values: the terms whose coefficient k is at most p/2
// as Σ k·atom, the others as −Σ (p − k)·atom, so each coefficient is below 2^30; no
// constraint (products by constants and sums are linear).
func (l *linArith) ext(a *lin) ext {
	if a.x != nil {
		return *a.x
	}
	o := l.o
	pos := o.cx(field.NewExt(a.c))
	var neg ext
	hasNeg := false
	for _, t := range a.terms {
		k := t.k.Uint64()
		if field.Modulus-k < k {
			term := o.f.ExtMulByElem(l.atoms[t.atom], o.cst(field.Modulus-k))
			if hasNeg {
				neg = o.add(neg, term)
			} else {
				neg, hasNeg = term, true
			}
			continue
		}
		pos = o.add(pos, o.f.ExtMulByElem(l.atoms[t.atom], o.cst(k)))
	}
	x := pos
	if hasNeg {
		x = o.sub(pos, neg)
	}
	a.x = &x
	return x
}
