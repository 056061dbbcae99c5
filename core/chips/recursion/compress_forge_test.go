package recursion

// Cheating provers against the compress instruction (a Merkle step in one perm row):
// a swap bit that is not 0 or 1, a digest of the unselected order, a swap on a row that
// reads no bit, a permutation's input swapped, and a row that uses another bit than the
// cell it reads. Each keeps bus.Poseidon2 balanced (the Poseidon2 table is rebuilt from
// the tampered rows' permutation inputs) and, unless the test is about the memory bus,
// the memory bus too.

import (
	"errors"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/poseidon2"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	ir "github.com/oneiros-zk/oneiros/proving/recursion"
)

// permRow is the perm table's row of instruction i.
func permRow(t *testing.T, pk *ProvingKey, i int) int {
	t.Helper()
	for r, j := range pk.rows[tPerm] {
		if j == i {
			return r
		}
	}
	t.Fatalf("instruction %d has no perm row", i)
	return -1
}

// setPermRow gives perm row r the bit and the permutation input st (R its right half);
// a compression row's output slots 0…7 become P(st)'s (slots 8…15, the digest, stay
// the memory's), a perm row's outputs stay the memory's.
func setPermRow(main [][][]field.Elem, r int, bit field.Elem, st [hash.Width]field.Elem, compress bool) {
	main[tPerm][permCol.Bit.Index][r] = bit
	for j := range hash.DigestLen {
		main[tPerm][permCol.R[j].Index][r] = st[hash.DigestLen+j]
	}
	if compress {
		out := st
		hash.Permute(&out)
		for j := range hash.DigestLen {
			main[tPerm][permCol.Out[j].Index][r] = out[j]
		}
	}
}

// rebuildPoseidon2 refills the Poseidon2 table with the calls the perm table's rows
// make: (id, in_j + in_(8+j) − r_j ‖ r), so bus.Poseidon2 balances whatever the rows
// hold.
func rebuildPoseidon2(pk *ProvingKey, main [][][]field.Elem) {
	calls := make([]poseidon2.Call, len(pk.rows[tPerm]))
	prep := pk.prep(tPerm)
	for r := range calls {
		id := prep[permCol.OutAddr[hash.DigestLen].Index][r]
		calls[r] = poseidon2.Call{Dom: DomRecursion, ID: uint32(id.Uint64())}
		for j := range hash.DigestLen {
			x, y, rj := main[tPerm][permCol.In[j].Index][r], main[tPerm][permCol.In[hash.DigestLen+j].Index][r], main[tPerm][permCol.R[j].Index][r]
			calls[r].In[j].Add(&x, &y)
			calls[r].In[j].Sub(&calls[r].In[j], &rj)
			calls[r].In[hash.DigestLen+j] = rj
		}
	}
	main[tPoseidon2] = poseidon2.TraceRows(calls, pk.height[tPoseidon2])
}

// halves are the values of a compression's two input digests (x ‖ y).
func halves(p *ir.Program, mem []field.Ext, i int) (st [hash.Width]field.Elem) {
	for j, v := range p.Insts[i].In {
		st[j] = mem[v].Base()
	}
	return st
}

func swapped(st [hash.Width]field.Elem) [hash.Width]field.Elem {
	var out [hash.Width]field.Elem
	copy(out[:hash.DigestLen], st[hash.DigestLen:])
	copy(out[hash.DigestLen:], st[:hash.DigestLen])
	return out
}

// A swap bit of 2: the row's r = y + 2·(x − y), its left half x + y − r, the digest of
// that state — every bus balances; the "bit" constraint fails (and Execute refuses).
func TestForgeCompressNonBooleanBit(t *testing.T) {
	s := newSample()
	in := append([]field.Ext(nil), s.inputs...)
	in[5] = field.NewExt(field.New(2)) // the swap bit's input
	var ee *ir.ExecError
	if _, err := s.prog.Execute(in); !errors.As(err, &ee) || ee.Op != ir.OpCompress {
		t.Fatalf("Execute: %v", err)
	}
	forgeMemory(t, s, in, nil, `constraint "bit"`)
}

// The bit cell holds 1 but the digest written is Compress(x, y), the unselected order:
// the row's r is y and the Poseidon2 chip permutes x ‖ y, so both buses balance; the
// "right" constraints (r = y + bit·(x − y)) fail.
func TestForgeCompressUnselected(t *testing.T) {
	s := newSample()
	e := engine(t)
	pk := s.keys(t, e)
	honest := s.memory(t)
	w := writer(s.prog, s.compSwap[0])
	mem := run(s.prog, s.inputs, func(i int, out []field.Ext) {
		if i == w {
			for j := range out {
				out[j] = honest[s.comp[j]] // Compress(x, y)
			}
		}
	})
	main := pk.Traces(mem)
	setPermRow(main, permRow(t, pk, w), field.New(1), halves(s.prog, mem, w), true)
	rebuildPoseidon2(pk, main)
	mustReject(t, e, pk, main, publicsOf(s.prog, mem), `constraint "right[`)
}

// A compression that reads no bit, swapped anyway (bit 1 in its row): the digest of
// y ‖ x with every bus balanced; the "bit" constraint (bit = 0 without has_bit) fails.
func TestForgeCompressSwapWithoutBit(t *testing.T) {
	s := newSample()
	e := engine(t)
	pk := s.keys(t, e)
	honest := s.memory(t)
	w := writer(s.prog, s.comp[0])
	mem := run(s.prog, s.inputs, func(i int, out []field.Ext) {
		if i == w {
			for j := range out {
				out[j] = honest[s.compSwap[j]] // Compress(y, x): the swap bit is 1
			}
		}
	})
	main := pk.Traces(mem)
	setPermRow(main, permRow(t, pk, w), field.New(1), swapped(halves(s.prog, mem, w)), true)
	rebuildPoseidon2(pk, main)
	mustReject(t, e, pk, main, publicsOf(s.prog, mem), `constraint "bit"`)
}

// A perm instruction's input swapped by a bit its row does not read: the outputs are
// P(in[8:16] ‖ in[0:8]), every bus balanced; the "bit" constraint fails.
func TestForgePermSwapped(t *testing.T) {
	s := newSample()
	e := engine(t)
	pk := s.keys(t, e)
	w := writer(s.prog, s.permOut[0])
	st := swapped(halves(s.prog, s.memory(t), w)) // the inputs are written before w
	perm := st
	hash.Permute(&perm)
	mem := run(s.prog, s.inputs, func(i int, out []field.Ext) {
		if i == w {
			for j := range out {
				out[j] = field.NewExt(perm[j])
			}
		}
	})
	main := pk.Traces(mem)
	setPermRow(main, permRow(t, pk, w), field.New(1), st, false)
	rebuildPoseidon2(pk, main)
	mustReject(t, e, pk, main, publicsOf(s.prog, mem), `constraint "bit"`)
}

// The bit cell holds 1 but the row uses 0 (the digest of x ‖ y): every constraint
// holds; the memory bus does not balance (the row's read of the bit cell receives 0).
func TestForgeCompressOtherBit(t *testing.T) {
	s := newSample()
	e := engine(t)
	pk := s.keys(t, e)
	honest := s.memory(t)
	w := writer(s.prog, s.compSwap[0])
	mem := run(s.prog, s.inputs, func(i int, out []field.Ext) {
		if i == w {
			for j := range out {
				out[j] = honest[s.comp[j]]
			}
		}
	})
	main := pk.Traces(mem)
	setPermRow(main, permRow(t, pk, w), field.Elem{}, halves(s.prog, mem, w), true)
	rebuildPoseidon2(pk, main)
	mustReject(t, e, pk, main, publicsOf(s.prog, mem), "")
}
