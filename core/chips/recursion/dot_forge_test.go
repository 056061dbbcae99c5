package recursion

import (
	"errors"
	"fmt"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
	ir "github.com/oneiros-zk/oneiros/proving/recursion"
)

// A dot's result off by one in coordinate k (its reader, a public, receives it): every bus balances; the constraint "dot[k]" fails.
func TestForgeDot(t *testing.T) {
	for k := range 4 {
		t.Run(fmt.Sprintf("dot[%d]", k), func(t *testing.T) {
			s := newSample()
			w := writer(s.prog, s.dot)
			forgeMemory(t, s, s.inputs, func(i int, out []field.Ext) {
				if i == w {
					c := field.ExtCoords(&out[0])
					one := field.New(1)
					c[k].Add(&c[k], &one)
					out[0] = field.ExtFromCoords(c[:4])
				}
			}, fmt.Sprintf("constraint %q", fmt.Sprintf("dot[%d]", k)))
		})
	}
}

// The second dot row has two products; the cheater puts a coefficient and a value in
// its unused slot 2 and adds their product to the result. The slot reads nothing (used
// is 0), so every bus balances; "dot[…]" fails, as the unused slot enters no sum.
func TestForgeDotUnusedSlot(t *testing.T) {
	s := newSample()
	e := engine(t)
	pk := s.keys(t, e)
	w := writer(s.prog, s.dot)
	extra := ext(2, 3, 5, 7)
	extra.Mul(&extra, ptrExt(field.NewExt(field.New(11))))
	mem := run(s.prog, s.inputs, func(i int, out []field.Ext) {
		if i == w {
			out[0].Add(&out[0], &extra)
		}
	})
	main := pk.Traces(mem)
	r := -1
	for j, i := range pk.rows[tDot] {
		if i == w {
			r = j
		}
	}
	co := coords4(ptrExt(ext(2, 3, 5, 7)))
	for j := range 4 {
		main[tDot][dotCol.C[2][j].Index][r] = co[j]
	}
	main[tDot][dotCol.X[2].Index][r] = field.New(11)
	mustReject(t, e, pk, main, publicsOf(s.prog, mem), `constraint "dot[`)
}

func ptrExt(x field.Ext) *field.Ext { return &x }

// A dot whose value operand is not a base element: Execute refuses it, and the row can
// only receive (cell, x, 0, 0, 0), which the writer never sent.
func TestForgeDotNonBase(t *testing.T) {
	b := ir.NewBuilder()
	acc, c, x := b.Input(), b.Input(), b.Input()
	d := b.Dot(acc, []ir.Var{c}, []ir.Var{x})
	b.Public(d)
	p := b.Program()
	in := []field.Ext{ext(1, 2, 3, 4), ext(5, 6, 7, 8), ext(9, 0, 1, 0)}
	var ee *ir.ExecError
	if _, err := p.Execute(in); !errors.As(err, &ee) || ee.Op != ir.OpDot {
		t.Fatalf("Execute: %v", err)
	}
	e := engine(t)
	pk, _, err := Setup(e, p)
	if err != nil {
		t.Fatal(err)
	}
	mem := run(p, in, nil)
	// The result the row computes from x's coordinate 0 (what its column holds): the
	// constraint holds; the read of x as (cell, 9, 0, 0, 0) finds no sender.
	prod := ext(5, 6, 7, 8)
	prod.Mul(&prod, ptrExt(field.NewExt(field.New(9))))
	mem[d].Add(&mem[acc], &prod)
	mustReject(t, e, pk, pk.Traces(mem), publicsOf(p, mem), "")
}
