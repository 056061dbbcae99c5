package gadget

import (
	"testing"

	"github.com/consensys/gnark/frontend"

	"github.com/oneiros-zk/oneiros/proving/field"
)

// TestTable: for 1 to 5 index bits, every index selects its entry (proven canonical by
// its bound), and an index "bit" of 2 or −1 — which would select a combination of
// entries — is refused.
func TestTable(t *testing.T) {
	r := newRand(t)
	for k := 1; k <= 5; k++ {
		table := make([]field.Elem, 1<<k)
		for i := range table {
			table[i] = randElem(r)
		}
		table[0] = elem(p - 1)
		fn := func(f *Field, in []frontend.Variable) []frontend.Variable {
			e := f.Table(in, table)
			if !e.IsCanonical() {
				t.Fatal("a table entry is not canonical")
			}
			return []frontend.Variable{e.V}
		}
		for i := range table {
			in := make([]frontend.Variable, k)
			for j := range in {
				in[j] = i >> j & 1
			}
			plainCheck(t, fn, in, []frontend.Variable{table[i].Uint64()})
		}
		in := make([]frontend.Variable, k)
		for j := range in {
			in[j] = 0
		}
		// Only the boolean constraints can refuse: the selected value is not compared.
		only := func(f *Field, in []frontend.Variable) []frontend.Variable {
			f.Table(in, table)
			return nil
		}
		plainCheck(t, only, in, nil)
		in[k-1] = 2
		plainFail(t, only, in, nil)
		in[k-1] = -1
		plainFail(t, only, in, nil)
	}
}
