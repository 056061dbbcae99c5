package recursion

import (
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
	ir "github.com/oneiros-zk/oneiros/proving/recursion"
)

// An input_base4's ext cell that is not the element of its base cells (coordinate 0 +
// 1), committed either way the row can hold it: with v the base cells' values the ext
// cell's readers receive a value no row sent; with v the ext value, the base cells'
// readers do. Every constraint holds; the memory bus does not balance.
func TestForgeInputExt4Mismatch(t *testing.T) {
	for _, useExt := range []bool{false, true} {
		s := newSample()
		e := engine(t)
		pk := s.keys(t, e)
		w := writer(s.prog, s.coordsExt)
		mem := run(s.prog, s.inputs, func(i int, out []field.Ext) {
			if i == w {
				plusOne(&out[4]) // the ext cell; out[0..4) are the base cells
			}
		})
		main := pk.Traces(mem)
		if useExt {
			r := -1
			for j, i := range pk.rows[tLeaf] {
				if i == w {
					r = j
				}
			}
			v := coords4(&mem[s.coordsExt])
			for k := range 4 {
				main[tLeaf][leafCol.V[k].Index][r] = v[k]
			}
		}
		mustReject(t, e, pk, main, publicsOf(s.prog, mem), "")
	}
}

// Setup refuses an input_base4 of no cell, of five, and of three with an ext cell.
func TestSetupRejectsInputBase4(t *testing.T) {
	e := engine(t)
	for name, change := range map[string]func(in *ir.Inst){
		"no cell":                func(in *ir.Inst) { in.Out = nil },
		"five cells":             func(in *ir.Inst) { in.Out = append(in.Out, in.C) },
		"three with an ext cell": func(in *ir.Inst) { in.Out = in.Out[:3] },
	} {
		b := ir.NewBuilder()
		_, x := b.InputExt4()
		b.Public(x)
		p := b.Program()
		change(&p.Insts[0])
		if _, _, err := Setup(e, p); err == nil {
			t.Errorf("%s: Setup accepts the program", name)
		}
	}
}
