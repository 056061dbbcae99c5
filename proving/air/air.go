package air

import (
	"github.com/oneiros-zk/oneiros/proving/codec"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// AIR is the algebraic intermediate representation of one table: its columns, its
// constraints as one shared expression graph, and its bus interactions.
type AIR struct {
	Name         string
	Main         []string // main column names, by index
	Prep         []string // preprocessed column names, by index
	Publics      []string // public value names, by index
	Nodes        []Node   // the expression graph, in topological order
	Constraints  []Constraint
	Interactions []Interaction
}

// ConstraintDegree is the degree of constraint c as the quotient sees it: the
// expression's degree, plus one for a first-row, last-row or transition selector.
func (a *AIR) ConstraintDegree(c Constraint) int {
	d := a.Nodes[c.Root].Degree
	if c.Sel != EveryRow {
		d++
	}
	return d
}

// MaxConstraintDegree is the largest ConstraintDegree (0 without constraints).
func (a *AIR) MaxConstraintDegree() int {
	d := 0
	for _, c := range a.Constraints {
		d = max(d, a.ConstraintDegree(c))
	}
	return d
}

// ReadsNext lists, for main and preprocessed columns, whether any expression reads
// the column on the next row.
func (a *AIR) ReadsNext() (main, prep []bool) {
	main, prep = make([]bool, len(a.Main)), make([]bool, len(a.Prep))
	used := a.Used()
	for i, n := range a.Nodes {
		if !n.Next || !used[i] {
			continue
		}
		switch n.Kind {
		case KindMain:
			main[n.Col] = true
		case KindPrep:
			prep[n.Col] = true
		}
	}
	return
}

// Used marks the nodes that some constraint or interaction depends on (the builder
// allocates a next-row node for every column, used or not).
func (a *AIR) Used() []bool {
	used := make([]bool, len(a.Nodes))
	var mark func(int32)
	mark = func(id int32) {
		if used[id] {
			return
		}
		used[id] = true
		switch n := a.Nodes[id]; n.Kind {
		case KindAdd, KindSub, KindMul:
			mark(n.A)
			mark(n.B)
		case KindNeg:
			mark(n.A)
		}
	}
	for _, c := range a.Constraints {
		mark(c.Root)
	}
	for _, it := range a.Interactions {
		for _, t := range it.Tuple {
			mark(t)
		}
		mark(it.Mult)
	}
	return used
}

// Digest binds the whole AIR (names, graph, constraints, interactions): the STARK
// transcript absorbs it, so a proof only verifies against the AIR it was made for. It is
// computed natively only (a verifying key holds it; no proof recomputes it), so it uses
// hash.TaggedSHA256: the zkVM's AIRs (65k expression nodes) digest in about a
// millisecond, where the Poseidon2 chain took 0.1 s per process without AVX-512.
func (a *AIR) Digest() hash.Digest {
	var w codec.Writer
	str := func(s string) { w.Bytes([]byte(s)) }
	str(a.Name)
	for _, l := range [][]string{a.Main, a.Prep, a.Publics} {
		w.Uint32(uint32(len(l)))
		for _, s := range l {
			str(s)
		}
	}
	w.Uint32(uint32(len(a.Nodes)))
	for _, n := range a.Nodes {
		w.Uint8(uint8(n.Kind))
		w.Uint32(uint32(n.A))
		w.Uint32(uint32(n.B))
		w.Uint32(uint32(n.Col))
		if n.Next {
			w.Uint8(1)
		} else {
			w.Uint8(0)
		}
		w.Elem(n.Val)
	}
	w.Uint32(uint32(len(a.Constraints)))
	for _, c := range a.Constraints {
		str(c.Name)
		w.Uint8(uint8(c.Sel))
		w.Uint32(uint32(c.Root))
	}
	w.Uint32(uint32(len(a.Interactions)))
	for _, it := range a.Interactions {
		str(it.Name)
		w.Uint32(it.Bus.ID)
		if it.Send {
			w.Uint8(1)
		} else {
			w.Uint8(0)
		}
		w.Uint32(uint32(len(it.Tuple)))
		for _, t := range it.Tuple {
			w.Uint32(uint32(t))
		}
		w.Uint32(uint32(it.Mult))
	}
	return hash.TaggedSHA256("oneiros/air/v2", w.Buf)
}

// RowValues are the values an expression may read on one row, in the base field.
type RowValues struct {
	Main, MainNext []field.Elem
	Prep, PrepNext []field.Elem
	Publics        []field.Elem
}

// EvalRow evaluates every node on one row (base field); out must have len(a.Nodes).
func (a *AIR) EvalRow(v *RowValues, out []field.Elem) {
	eval(a, base{}, &Opened[field.Elem]{Main: v.Main, MainNext: v.MainNext, Prep: v.Prep, PrepNext: v.PrepNext, Publics: v.Publics}, nil, out)
}

// PointValues are the values an expression may read at an out-of-domain point.
type PointValues struct {
	Main, MainNext []field.Ext
	Prep, PrepNext []field.Ext
	Publics        []field.Elem
}

// EvalPoint evaluates every node at a point of the extension field; out must have
// len(a.Nodes). The verifier uses it on the opened values; it is EvalWith in the
// native arithmetic, on every node.
func (a *AIR) EvalPoint(v *PointValues, out []field.Ext) {
	publics := make([]field.Ext, len(v.Publics))
	for i, x := range v.Publics {
		publics[i] = field.NewExt(x)
	}
	eval(a, native{}, &Opened[field.Ext]{Main: v.Main, MainNext: v.MainNext, Prep: v.Prep, PrepNext: v.PrepNext, Publics: publics}, nil, out)
}
