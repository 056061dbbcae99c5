package air

import (
	"fmt"
)

// Selector restricts a constraint to some rows.
type Selector uint8

const (
	EveryRow   Selector = iota // every row, the last one included (no wrap-around reads)
	FirstRow                   // row 0 only
	LastRow                    // row n−1 only
	Transition                 // rows 0 … n−2, which may read the next row
)

func (s Selector) String() string {
	return [...]string{"every row", "first row", "last row", "transition"}[s]
}

// Constraint is a named polynomial identity that must vanish on the selected rows.
type Constraint struct {
	Name string
	Sel  Selector
	Root int32
}

// Bus names a LogUp bus. Tuples sent on different buses never cancel.
type Bus struct {
	ID   uint32
	Name string
}

// Interaction is a send (positive multiplicity) or a receive (negative) of a tuple on a
// bus, once per row, with the given multiplicity expression.
type Interaction struct {
	Name  string
	Bus   Bus
	Send  bool
	Tuple []int32
	Mult  int32
}

// Column is an allocated column: its expressions on the current and the next row.
type Column struct {
	Index int
	Name  string
	Cur   Expr
	Next  Expr
}

// Builder records the columns, constraints and interactions of one table.
type Builder struct {
	name         string
	nodes        []Node
	next         []bool // next[id]: node id reads the next row
	dedup        map[nodeKey]int32
	main         []string
	prep         []string
	publics      []string
	constraints  []Constraint
	interactions []Interaction
	names        map[string]bool
	err          error
}

// NewBuilder starts the AIR of a table.
func NewBuilder(name string) *Builder {
	return &Builder{name: name, dedup: map[nodeKey]int32{}, names: map[string]bool{}}
}

func (b *Builder) fail(format string, args ...any) {
	if b.err == nil {
		b.err = fmt.Errorf("air %s: %s", b.name, fmt.Sprintf(format, args...))
	}
}

func (b *Builder) column(kind Kind, list *[]string, name string) Column {
	if b.names["col:"+name] {
		b.fail("column %q allocated twice", name)
	}
	b.names["col:"+name] = true
	idx := len(*list)
	*list = append(*list, name)
	return Column{
		Index: idx,
		Name:  name,
		Cur:   b.add(Node{Kind: kind, Col: int32(idx), Degree: 1}),
		Next:  b.add(Node{Kind: kind, Col: int32(idx), Next: true, Degree: 1}),
	}
}

// Main allocates a main (witness) column.
func (b *Builder) Main(name string) Column { return b.column(KindMain, &b.main, name) }

// MainN allocates n main columns named name[0] … name[n−1].
func (b *Builder) MainN(name string, n int) []Column {
	cs := make([]Column, n)
	for i := range cs {
		cs[i] = b.Main(fmt.Sprintf("%s[%d]", name, i))
	}
	return cs
}

// NumMain is the number of main columns allocated so far: a table's width once its
// columns are, without building its constraints.
func (b *Builder) NumMain() int { return len(b.main) }

// Preprocessed allocates a preprocessed column (fixed by the verifying key).
func (b *Builder) Preprocessed(name string) Column { return b.column(KindPrep, &b.prep, name) }

// Public declares a public value of the table, given to prover and verifier.
func (b *Builder) Public(name string) Expr {
	if b.names["pub:"+name] {
		b.fail("public value %q declared twice", name)
	}
	b.names["pub:"+name] = true
	b.publics = append(b.publics, name)
	return b.add(Node{Kind: KindPublic, Col: int32(len(b.publics) - 1)})
}

func (b *Builder) constrain(name string, sel Selector, e Expr) {
	if b.names["c:"+name] {
		b.fail("constraint %q declared twice", name)
	}
	b.names["c:"+name] = true
	if e.b != b {
		b.fail("constraint %q uses an expression of another builder", name)
		return
	}
	if c, ok := e.constVal(); ok {
		if !c.IsZero() {
			b.fail("constraint %q is the nonzero constant %d: it can never hold", name, c.Uint64())
		}
		return // trivially true
	}
	if sel != Transition && b.readsNext(e.id) {
		b.fail("constraint %q reads the next row but is not a transition constraint", name)
	}
	b.constraints = append(b.constraints, Constraint{Name: name, Sel: sel, Root: e.id})
}

// Assert requires e = 0 on every row.
func (b *Builder) Assert(name string, e Expr) { b.constrain(name, EveryRow, e) }

// AssertEq requires x = y on every row.
func (b *Builder) AssertEq(name string, x, y Expr) { b.Assert(name, x.Sub(y)) }

// AssertBool requires x ∈ {0, 1} on every row.
func (b *Builder) AssertBool(name string, x Expr) { b.Assert(name, x.Mul(x.OneMinus())) }

// AssertFirst requires e = 0 on the first row.
func (b *Builder) AssertFirst(name string, e Expr) { b.constrain(name, FirstRow, e) }

// AssertLast requires e = 0 on the last row.
func (b *Builder) AssertLast(name string, e Expr) { b.constrain(name, LastRow, e) }

// AssertTransition requires e = 0 on every row but the last; e may read the next row.
func (b *Builder) AssertTransition(name string, e Expr) { b.constrain(name, Transition, e) }

// Send puts tuple on bus with multiplicity mult on every row.
func (b *Builder) Send(name string, bus Bus, tuple []Expr, mult Expr) {
	b.interact(name, bus, true, tuple, mult)
}

// Receive takes tuple from bus with multiplicity mult on every row.
func (b *Builder) Receive(name string, bus Bus, tuple []Expr, mult Expr) {
	b.interact(name, bus, false, tuple, mult)
}

func (b *Builder) interact(name string, bus Bus, send bool, tuple []Expr, mult Expr) {
	if b.names["i:"+name] {
		b.fail("interaction %q declared twice", name)
	}
	b.names["i:"+name] = true
	ids := make([]int32, len(tuple))
	for i, t := range tuple {
		if t.b != b {
			b.fail("interaction %q uses an expression of another builder", name)
			return
		}
		if b.readsNext(t.id) {
			b.fail("interaction %q reads the next row", name)
		}
		ids[i] = t.id
	}
	if mult.b != b || b.readsNext(mult.id) {
		b.fail("interaction %q: bad multiplicity expression", name)
		return
	}
	b.interactions = append(b.interactions, Interaction{Name: name, Bus: bus, Send: send, Tuple: ids, Mult: mult.id})
}

// readsNext reports whether node id reads a column on the next row.
func (b *Builder) readsNext(id int32) bool { return b.next[id] }

// nodeReadsNext is readsNext of a new node, from its children's (kept per node: a walk of
// the graph would visit a shared subexpression once per path to it, exponentially many
// in deep graphs such as Poseidon2's partial rounds).
func (b *Builder) nodeReadsNext(n Node) bool {
	switch n.Kind {
	case KindMain, KindPrep:
		return n.Next
	case KindAdd, KindSub, KindMul:
		return b.next[n.A] || b.next[n.B]
	case KindNeg:
		return b.next[n.A]
	}
	return false
}

// Build finishes the AIR, or reports the first misuse of the builder.
func (b *Builder) Build() (*AIR, error) {
	if b.err != nil {
		return nil, b.err
	}
	if len(b.main) == 0 {
		return nil, fmt.Errorf("air %s: no main columns", b.name)
	}
	a := &AIR{
		Name:         b.name,
		Main:         b.main,
		Prep:         b.prep,
		Publics:      b.publics,
		Nodes:        b.nodes,
		Constraints:  b.constraints,
		Interactions: b.interactions,
	}
	return a, nil
}

// MustBuild is Build for AIRs defined in code, where an error is a programming mistake.
func (b *Builder) MustBuild() *AIR {
	a, err := b.Build()
	if err != nil {
		panic(err)
	}
	return a
}
