package gadget

import (
	"fmt"
	"strings"
	"testing"

	"github.com/consensys/gnark/frontend"
)

// countCircuit makes 8 canonical witnesses, then runs op n times.
type countCircuit struct {
	In [8]frontend.Variable
	op *countOp
}

type countOp struct {
	n  int
	fn func(f *Field, raw []frontend.Variable, x []Elem)
}

func (c *countCircuit) Define(api frontend.API) error {
	f := New(api)
	x := make([]Elem, len(c.In))
	for i := range x {
		x[i] = f.Witness(c.In[i])
	}
	for range c.op.n {
		c.op.fn(f, c.In[:], x)
	}
	return nil
}

func ext4(x []Elem) Ext4 { return Ext4(x[:4]) }

// TestConstraintCounts logs the R1CS constraints of each gadget: "one" is the circuit
// with a single use minus the circuit with none (it includes the range checker's share
// of its lookup table), "each" the marginal cost over n uses.
func TestConstraintCounts(t *testing.T) {
	row := func(x []Elem, n int) []Elem {
		r := make([]Elem, n)
		for i := range r {
			r[i] = x[i%len(x)]
		}
		return r
	}
	items := []struct {
		name string
		n    int
		fn   func(f *Field, raw []frontend.Variable, x []Elem)
	}{
		{"Witness (canonical check)", 100, func(f *Field, raw []frontend.Variable, _ []Elem) { f.Witness(raw[0]) }},
		{"Mul (lazy)", 100, func(f *Field, _ []frontend.Variable, x []Elem) { f.Mul(x[0], x[1]) }},
		{"Mul+Reduce (canonical)", 100, func(f *Field, _ []frontend.Variable, x []Elem) { f.Reduce(f.Mul(x[0], x[1])) }},
		{"Mul+weak reduce (< 2^32)", 100, func(f *Field, _ []frontend.Variable, x []Elem) { f.weakReduce(f.Mul(x[0], x[1])) }},
		{"AssertEqual(a·b, c)", 100, func(f *Field, _ []frontend.Variable, x []Elem) { f.AssertEqual(f.Mul(x[0], x[1]), x[2]) }},
		{"Inverse", 100, func(f *Field, _ []frontend.Variable, x []Elem) { f.Inverse(x[0]) }},
		{"ToBits(·, 20)", 100, func(f *Field, _ []frontend.Variable, x []Elem) { f.ToBits(x[0], 20) }},
		{"ExtMul (weakly reduced)", 100, func(f *Field, _ []frontend.Variable, x []Elem) { f.ExtMul(ext4(x), ext4(x[4:])) }},
		{"ExtMulLazy", 100, func(f *Field, _ []frontend.Variable, x []Elem) { f.ExtMulLazy(ext4(x), ext4(x[4:])) }},
		{"ExtMul+ExtReduce (canonical)", 100, func(f *Field, _ []frontend.Variable, x []Elem) {
			f.ExtReduce(f.ExtMulLazy(ext4(x), ext4(x[4:])))
		}},
		{"ExtInverse", 100, func(f *Field, _ []frontend.Variable, x []Elem) { f.ExtInverse(ext4(x)) }},
		{"ExtDiv", 100, func(f *Field, _ []frontend.Variable, x []Elem) { f.ExtDiv(ext4(x), ext4(x[4:])) }},
		{"Compress", 20, func(f *Field, raw []frontend.Variable, _ []Elem) { f.Compress(raw[0], raw[1]) }},
		{"LeafHash(100 canonical elements)", 5, func(f *Field, _ []frontend.Variable, x []Elem) { f.LeafHash(row(x, 100)) }},
		{"FrBits", 20, func(f *Field, raw []frontend.Variable, _ []Elem) { f.FrBits(raw[0]) }},
		{"FrBits+4 ChunkMod+Reduce", 20, func(f *Field, raw []frontend.Variable, _ []Elem) {
			b := f.FrBits(raw[0])
			for j := range 4 {
				f.Reduce(f.ChunkMod(b[62*j : 62*j+62]))
			}
		}},
	}
	count := func(n int, fn func(f *Field, raw []frontend.Variable, x []Elem)) int {
		return compile(t, &countCircuit{op: &countOp{n: n, fn: fn}}).GetNbConstraints()
	}
	var b strings.Builder
	base := count(0, items[0].fn)
	fmt.Fprintf(&b, "R1CS constraints (BN254, gnark v0.16.0; 8 canonical input witnesses = %d):\n", base)
	for _, it := range items {
		if testing.Short() && it.n > 20 {
			it.n = 20
		}
		one := count(1, it.fn) - base
		many := count(it.n, it.fn) - base
		fmt.Fprintf(&b, "  %-34s one %6d   each %8.1f (n = %d)\n", it.name, one, float64(many)/float64(it.n), it.n)
	}
	t.Log(b.String())
}
