package aggregate

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	ir "github.com/oneiros-zk/oneiros/proving/recursion"
)

// Layout is the public values every recursion proof of a tree has, in order:
// [vk_root (8) | start (K) | end (K) | constants (C)], all base elements. K and C are
// the tree's: the boundary state a segment starts and ends in, and what stays the same
// along the whole run.
type Layout struct {
	K, C int
}

// Len is the number of public values: 8 + 2K + C.
func (l Layout) Len() int { return hash.DigestLen + 2*l.K + l.C }

func (l Layout) check() error {
	if l.K < 0 || l.C < 0 || l.K > 1<<16 || l.C > 1<<16 {
		return fmt.Errorf("aggregate: a layout of %d boundary and %d constant elements", l.K, l.C)
	}
	return nil
}

// Publics are a proof's public values, split by the layout.
type Publics struct {
	Root   hash.Digest // vk_root: the allowlist the proof was made under
	Start  []field.Elem
	End    []field.Elem
	Consts []field.Elem
}

// Decode splits public outputs by the layout; each must be a base element.
func (l Layout) Decode(pub []field.Ext) (*Publics, error) {
	if len(pub) != l.Len() {
		return nil, fmt.Errorf("aggregate: %d public values, the layout has %d", len(pub), l.Len())
	}
	el, err := baseElems(pub)
	if err != nil {
		return nil, err
	}
	p := &Publics{}
	copy(p.Root[:], el)
	el = el[hash.DigestLen:]
	p.Start, el = el[:l.K], el[l.K:]
	p.End, p.Consts = el[:l.K], el[l.K:]
	return p, nil
}

// Cells are the cells of a layout in a program being built.
type Cells struct {
	Root       [hash.DigestLen]ir.Var
	Start, End []ir.Var
	Consts     []ir.Var
}

// Output makes c the program's public outputs, in the layout's order. Every cell must
// hold a base element (a join reads its children's publics with InputBase: a child
// whose publics are not base elements cannot be joined).
func (l Layout) Output(b *ir.Builder, c *Cells) error {
	if len(c.Start) != l.K || len(c.End) != l.K || len(c.Consts) != l.C {
		return fmt.Errorf("aggregate: cells of %d, %d and %d elements for a layout of K = %d, C = %d", len(c.Start), len(c.End), len(c.Consts), l.K, l.C)
	}
	for _, v := range c.flat() {
		b.Public(v)
	}
	return nil
}

// read is a layout's cells read from the input stream as base elements.
func (l Layout) read(b *ir.Builder) *Cells {
	c := &Cells{Root: inputDigest(b)}
	in := func(n int) []ir.Var {
		out := make([]ir.Var, n)
		for i := range out {
			out[i] = b.InputBase()
		}
		return out
	}
	c.Start, c.End, c.Consts = in(l.K), in(l.K), in(l.C)
	return c
}

// flat is the cells in layout order.
func (c *Cells) flat() []ir.Var {
	out := append([]ir.Var(nil), c.Root[:]...)
	out = append(out, c.Start...)
	out = append(out, c.End...)
	return append(out, c.Consts...)
}

// baseElems is pub as base elements, refusing a value with a nonzero extension
// coordinate (the outer program's public values are base elements).
func baseElems(pub []field.Ext) ([]field.Elem, error) {
	el := make([]field.Elem, len(pub))
	for i := range pub {
		c := field.ExtCoords(&pub[i])
		for j := 1; j < len(c); j++ {
			if !c[j].IsZero() {
				return nil, fmt.Errorf("aggregate: public value %d is not a base element", i)
			}
		}
		el[i] = c[0]
	}
	return el, nil
}
