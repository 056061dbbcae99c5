package air

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/proving/field"
)

// Arith is an arithmetic over the extension field in which a verifier emits an AIR's
// expressions instead of computing them: a circuit's variables (the wrap circuit,
// proving/injector/wrap) or a program's cells (the recursion verifier,
// proving/recursion/verifier). Each method emits what its operation costs there.
type Arith[V any] interface {
	Const(c field.Elem) V
	Add(a, b V) V
	Sub(a, b V) V
	Mul(a, b V) V
	Neg(a V) V
}

// Opened are the values an expression may read at an out-of-domain point, in an
// arithmetic V: PointValues for EvalWith (Prep and PrepNext are nil for a table
// without preprocessed columns).
type Opened[V any] struct {
	Main, MainNext []V
	Prep, PrepNext []V
	Publics        []V
}

// EvalWith is EvalPoint in the arithmetic f, on the nodes some constraint or
// interaction uses (Used): those are emitted in node order, the others are left V's
// zero value. An emitted verifier evaluates the graph this way, so that the node kinds
// are read in one place, for the native verifier too.
func EvalWith[V any](a *AIR, f Arith[V], v *Opened[V]) []V {
	out := make([]V, len(a.Nodes))
	eval(a, f, v, a.Used(), out)
	return out
}

// eval evaluates into out the nodes used marks (every node with used nil).
func eval[V any](a *AIR, f Arith[V], v *Opened[V], used []bool, out []V) {
	for i, n := range a.Nodes {
		if used != nil && !used[i] {
			continue
		}
		switch n.Kind {
		case KindConst:
			out[i] = f.Const(n.Val)
		case KindMain:
			if n.Next {
				out[i] = v.MainNext[n.Col]
			} else {
				out[i] = v.Main[n.Col]
			}
		case KindPrep:
			if n.Next {
				out[i] = v.PrepNext[n.Col]
			} else {
				out[i] = v.Prep[n.Col]
			}
		case KindPublic:
			out[i] = v.Publics[n.Col]
		case KindAdd:
			out[i] = f.Add(out[n.A], out[n.B])
		case KindSub:
			out[i] = f.Sub(out[n.A], out[n.B])
		case KindMul:
			out[i] = f.Mul(out[n.A], out[n.B])
		case KindNeg:
			out[i] = f.Neg(out[n.A])
		default:
			panic(fmt.Sprintf("air: node kind %d", n.Kind)) // invariant: Builder makes the eight kinds above
		}
	}
}

// native is field.Ext's own arithmetic, EvalPoint's.
type native struct{}

func (native) Const(c field.Elem) field.Ext { return field.NewExt(c) }
func (native) Add(a, b field.Ext) field.Ext { a.Add(&a, &b); return a }
func (native) Sub(a, b field.Ext) field.Ext { a.Sub(&a, &b); return a }
func (native) Mul(a, b field.Ext) field.Ext { a.Mul(&a, &b); return a }
func (native) Neg(a field.Ext) field.Ext    { a.Neg(&a); return a }

// base is field.Elem's own arithmetic, EvalRow's.
type base struct{}

func (base) Const(c field.Elem) field.Elem  { return c }
func (base) Add(a, b field.Elem) field.Elem { a.Add(&a, &b); return a }
func (base) Sub(a, b field.Elem) field.Elem { a.Sub(&a, &b); return a }
func (base) Mul(a, b field.Elem) field.Elem { a.Mul(&a, &b); return a }
func (base) Neg(a field.Elem) field.Elem    { a.Neg(&a); return a }
