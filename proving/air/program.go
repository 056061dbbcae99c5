package air

import (
	"github.com/oneiros-zk/oneiros/proving/field"
)

// Program evaluates an AIR's nodes over batches of rows, one vector operation per node
// per batch, so the interpretive overhead is paid once per batch rather than per row and
// the arithmetic runs on gnark-crypto's vectorised field operations. It is how the
// prover evaluates constraints over the quotient domain.
type Program struct {
	a      *AIR
	isVec  []bool  // the node depends on the row
	slot   []int32 // temp slot of a computed vector node, −1 otherwise
	nSlots int
	order  []int32 // computed vector nodes needed by the outputs, in topological order
}

// Compile prepares the evaluation of the given output nodes (and what they depend on).
func Compile(a *AIR, outputs []int32) *Program {
	p := &Program{a: a, isVec: make([]bool, len(a.Nodes)), slot: make([]int32, len(a.Nodes))}
	for i, n := range a.Nodes {
		switch n.Kind {
		case KindMain, KindPrep:
			p.isVec[i] = true
		case KindAdd, KindSub, KindMul:
			p.isVec[i] = p.isVec[n.A] || p.isVec[n.B]
		case KindNeg:
			p.isVec[i] = p.isVec[n.A]
		}
		p.slot[i] = -1
	}
	need := make([]bool, len(a.Nodes))
	var mark func(int32)
	mark = func(id int32) {
		if need[id] {
			return
		}
		need[id] = true
		n := a.Nodes[id]
		switch n.Kind {
		case KindAdd, KindSub, KindMul:
			mark(n.A)
			mark(n.B)
		case KindNeg:
			mark(n.A)
		}
	}
	for _, o := range outputs {
		mark(o)
	}
	for i, n := range a.Nodes {
		if need[i] && p.isVec[i] && n.Kind != KindMain && n.Kind != KindPrep {
			p.slot[i] = int32(p.nSlots)
			p.nSlots++
			p.order = append(p.order, int32(i))
		}
	}
	return p
}

// IsVector reports whether node id depends on the row.
func (p *Program) IsVector(id int32) bool { return p.isVec[id] }

// Scalars evaluates the row-independent nodes (constants, public values and their
// combinations).
func (p *Program) Scalars(publics []field.Elem) []field.Elem {
	s := make([]field.Elem, len(p.a.Nodes))
	for i, n := range p.a.Nodes {
		if p.isVec[i] {
			continue
		}
		switch n.Kind {
		case KindConst:
			s[i] = n.Val
		case KindPublic:
			s[i] = publics[n.Col]
		case KindAdd:
			s[i].Add(&s[n.A], &s[n.B])
		case KindSub:
			s[i].Sub(&s[n.A], &s[n.B])
		case KindMul:
			s[i].Mul(&s[n.A], &s[n.B])
		case KindNeg:
			s[i].Neg(&s[n.A])
		}
	}
	return s
}

// Batch is the input of one batch: for each column, its values on the batch's rows
// (current) and on their successors (next; nil for columns never read on the next row).
type Batch struct {
	Main, MainNext [][]field.Elem
	Prep, PrepNext [][]field.Elem
	Len            int
}

// Workspace holds the temporaries of one goroutine.
type Workspace struct {
	temps [][]field.Elem
	cap   int
}

// NewWorkspace allocates temporaries for batches of up to batchLen rows.
func (p *Program) NewWorkspace(batchLen int) *Workspace {
	ws := &Workspace{temps: make([][]field.Elem, p.nSlots), cap: batchLen}
	back := make([]field.Elem, p.nSlots*batchLen)
	for i := range ws.temps {
		ws.temps[i] = back[i*batchLen : (i+1)*batchLen]
	}
	return ws
}

// vec returns the vector of a row-dependent node in the current batch.
func (p *Program) vec(ws *Workspace, in *Batch, id int32) field.Vector {
	n := p.a.Nodes[id]
	switch n.Kind {
	case KindMain:
		if n.Next {
			return in.MainNext[n.Col][:in.Len]
		}
		return in.Main[n.Col][:in.Len]
	case KindPrep:
		if n.Next {
			return in.PrepNext[n.Col][:in.Len]
		}
		return in.Prep[n.Col][:in.Len]
	}
	return field.Vector(ws.temps[p.slot[id]][:in.Len])
}

// Eval computes every needed node on the batch.
func (p *Program) Eval(ws *Workspace, in *Batch, scalars []field.Elem) {
	for _, id := range p.order {
		n := p.a.Nodes[id]
		dst := field.Vector(ws.temps[p.slot[id]][:in.Len])
		av := p.isVec[n.A]
		switch n.Kind {
		case KindNeg:
			field.VecScalarSub(dst, &field.Elem{}, p.vec(ws, in, n.A))
			continue
		}
		bv := p.isVec[n.B]
		switch {
		case av && bv:
			a, b := p.vec(ws, in, n.A), p.vec(ws, in, n.B)
			switch n.Kind {
			case KindAdd:
				field.VecAdd(dst, a, b)
			case KindSub:
				field.VecSub(dst, a, b)
			case KindMul:
				field.VecMul(dst, a, b)
			}
		case av: // vector op scalar
			a, s := p.vec(ws, in, n.A), scalars[n.B]
			switch n.Kind {
			case KindAdd:
				field.VecAddScalar(dst, a, &s)
			case KindSub:
				field.VecSubScalar(dst, a, &s)
			case KindMul:
				field.VecScalarMul(dst, a, &s)
			}
		default: // scalar op vector
			s, b := scalars[n.A], p.vec(ws, in, n.B)
			switch n.Kind {
			case KindAdd:
				field.VecAddScalar(dst, b, &s)
			case KindSub:
				field.VecScalarSub(dst, &s, b)
			case KindMul:
				field.VecScalarMul(dst, b, &s)
			}
		}
	}
}

// Value returns node id on the batch: its vector if it depends on the row, else nil
// and its scalar.
func (p *Program) Value(ws *Workspace, in *Batch, scalars []field.Elem, id int32) (field.Vector, field.Elem) {
	if p.isVec[id] {
		return p.vec(ws, in, id), field.Elem{}
	}
	return nil, scalars[id]
}
