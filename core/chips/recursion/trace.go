package recursion

import (
	"github.com/oneiros-zk/oneiros/core/chips/poseidon2"
	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	ir "github.com/oneiros-zk/oneiros/proving/recursion"
)

// Traces fills the main traces of the AIR set (in AIRs order) from a memory (what
// Program.Execute returns, one value per cell): every value column is read from the
// cell its row names, so the tables' reads and writes agree on the memory bus whatever
// mem holds, and only the constraints say whether mem is an execution. The bits table's
// W is computed from the bits, and the Poseidon2 table holds one call per perm row, on
// its (for a compression: swapped) input.
func (pk *ProvingKey) Traces(mem []field.Ext) [][][]field.Elem {
	p := pk.Prog
	airs := AIRs()
	main := make([][][]field.Elem, numTables)
	val := func(v ir.Var) [4]field.Elem { return coords4(&mem[v]) }

	arith := air.NewTrace(len(airs[tArith].Main), pk.height[tArith])
	for r, i := range pk.rows[tArith] {
		in := &p.Insts[i]
		a, b := val(in.A), val(in.B)
		var c [4]field.Elem
		if in.Op != ir.OpAssertEq {
			c = val(in.C)
		}
		for k := range 4 {
			arith[arithCol.A[k].Index][r] = a[k]
			arith[arithCol.B[k].Index][r] = b[k]
			arith[arithCol.C[k].Index][r] = c[k]
		}
	}
	main[tArith] = arith

	leaf := air.NewTrace(len(airs[tLeaf].Main), pk.height[tLeaf])
	for r, i := range pk.rows[tLeaf] {
		in := &p.Insts[i]
		var v [4]field.Elem
		if in.Op == ir.OpInputBase4 { // the base cells' values (the ext cell, if any, is their element)
			for k, c := range in.Out {
				v[k] = mem[c].Base()
			}
		} else {
			v = val(in.C)
		}
		for k := range 4 {
			leaf[leafCol.V[k].Index][r] = v[k]
		}
	}
	main[tLeaf] = leaf

	perm := air.NewTrace(len(airs[tPerm].Main), pk.height[tPerm])
	calls := make([]poseidon2.Call, len(pk.rows[tPerm]))
	for r, i := range pk.rows[tPerm] {
		in := &p.Insts[i]
		var st [hash.Width]field.Elem
		for j := range hash.Width {
			x := mem[in.In[j]].Base()
			perm[permCol.In[j].Index][r] = x
			st[j] = x
		}
		if in.Op == ir.OpPerm {
			calls[r] = poseidon2.Call{Dom: DomRecursion, ID: uint32(in.Out[hash.DigestLen]), In: st}
			for j := range hash.Width {
				perm[permCol.Out[j].Index][r] = mem[in.Out[j]].Base()
			}
			for j := range hash.DigestLen { // no bit: R is the inputs' right half
				perm[permCol.R[j].Index][r] = st[hash.DigestLen+j]
			}
			continue
		}
		// A compression: the bit (0 without one), R the right half of the permuted
		// state, the output's left half, and the digest cells' values.
		var bit field.Elem
		if in.A != 0 {
			bit = mem[in.A].Base()
		}
		perm[permCol.Bit.Index][r] = bit
		var ps [hash.Width]field.Elem
		for j := range hash.DigestLen {
			x, y := st[j], st[hash.DigestLen+j]
			// r = y + bit·(x − y), left = x + y − r: a function of the row, whatever bit holds.
			var d, rj, l field.Elem
			d.Sub(&x, &y)
			d.Mul(&d, &bit)
			rj.Add(&y, &d)
			l.Add(&x, &y)
			l.Sub(&l, &rj)
			ps[j], ps[hash.DigestLen+j] = l, rj
			perm[permCol.R[j].Index][r] = rj
		}
		calls[r] = poseidon2.Call{Dom: DomRecursion, ID: uint32(in.Out[0]), In: ps}
		out := ps
		hash.Permute(&out)
		for j := range hash.DigestLen {
			perm[permCol.Out[j].Index][r] = out[j]
			perm[permCol.Out[hash.DigestLen+j].Index][r] = mem[in.Out[j]].Base()
		}
	}
	main[tPerm] = perm
	main[tPoseidon2] = poseidon2.TraceRows(calls, pk.height[tPoseidon2])

	bits := air.NewTrace(len(airs[tBits].Main), pk.height[tBits])
	for r, i := range pk.rows[tBits] {
		in := &p.Insts[i]
		var top field.Elem
		for j := range ir.BitsLen {
			b := mem[in.Out[j]].Base()
			bits[bitsCol.Bit[j].Index][r] = b
			if j >= lowBits {
				var t field.Elem
				t.Mul(&b, ptr(field.New(1<<(j-lowBits))))
				top.Add(&top, &t)
			}
		}
		// W = (127 − top)⁻¹, or 0 when top = 127 (then the low bits must be zero).
		var w field.Elem
		w.Sub(ptr(field.New(topAll)), &top)
		if !w.IsZero() {
			w.Inverse(&w)
		}
		bits[bitsCol.W.Index][r] = w
	}
	main[tBits] = bits

	dot := air.NewTrace(len(airs[tDot].Main), pk.height[tDot])
	for r, i := range pk.rows[tDot] {
		in := &p.Insts[i]
		n := len(in.In) / 2
		acc, out := val(in.A), val(in.C)
		for j := range 4 {
			dot[dotCol.Acc[j].Index][r] = acc[j]
			dot[dotCol.Out[j].Index][r] = out[j]
		}
		for k := range n {
			c := val(in.In[k])
			for j := range 4 {
				dot[dotCol.C[k][j].Index][r] = c[j]
			}
			dot[dotCol.X[k].Index][r] = mem[in.In[n+k]].Base()
		}
	}
	main[tDot] = dot
	return main
}

func ptr(e field.Elem) *field.Elem { return &e }
