package recursion

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/proving/air"
	"github.com/oneiros-zk/oneiros/proving/codec"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	"github.com/oneiros-zk/oneiros/proving/ntt"
	ir "github.com/oneiros-zk/oneiros/proving/recursion"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// VerifyingKey fixes a program: the STARK key of the AIR set with the program in its
// preprocessed columns, and the cells of the program's public outputs.
type VerifyingKey struct {
	STARK   *stark.VerifyingKey
	Publics []uint32    // Program.Publics: the cells the verifier receives on the memory bus
	Digest  hash.Digest // binds both
}

// ProvingKey is the prover's side: the verifying key, the STARK proving key and the
// program, with the instructions each table's rows hold.
type ProvingKey struct {
	VK        *VerifyingKey
	STARK     *stark.ProvingKey
	Prog      *ir.Program
	rows      [tPoseidon2][]int // instruction indices of the arith, leaf, perm, bits and dot rows
	height    [numTables]int    // every table's padded height
	prepTrace [][][]field.Elem
}

// Rows are the numbers of instructions per table (arithmetic, leaf, perm, bits, dot; the
// Poseidon2 table has one row per perm and compress), before padding to a power of two.
func (pk *ProvingKey) Rows() [tPoseidon2]int {
	var n [tPoseidon2]int
	for t, r := range pk.rows {
		n[t] = len(r)
	}
	return n
}

// NumTables is the number of tables of the AIR set (AIRs).
const NumTables = numTables

// Heights are log2 heights per table, in AIRs order (arith, leaf, perm, bits, dot,
// poseidon2).
type Heights [NumTables]int

// HeightsOf are the log2 heights Setup gives a program's tables (without setting it up):
// per table the number of its instructions' rows (the Poseidon2 table one per
// permutation), rounded up to a power of two.
func HeightsOf(p *ir.Program) Heights {
	var n [numTables]int
	for i := range p.Insts {
		t := tableOf(p.Insts[i].Op)
		n[t]++
		if t == tPerm {
			n[tPoseidon2]++
		}
	}
	var h Heights
	for t := range n {
		h[t] = ntt.Log2(air.Height(n[t]))
	}
	return h
}

// Setup is SetupHeights with no minimum: every table as short as its rows allow.
func Setup(e *hemera.Engine, p *ir.Program) (*ProvingKey, *VerifyingKey, error) {
	return SetupHeights(e, p, Heights{})
}

// SetupHeights is Setup with every table padded to at least 2^min[t] rows — the
// Poseidon2 table's height (it has no preprocessed columns) is fixed by the proving
// key too. Programs set up with the same heights, each fitting them, have proofs of one
// shape (the same AIRs and heights; only the preprocessed commitment and the public
// cells differ), which one verifier program verifies with the key as cells
// (verifier.EmitKey): the layers of an aggregation tree.
func SetupHeights(e *hemera.Engine, p *ir.Program, min Heights) (*ProvingKey, *VerifyingKey, error) {
	for t, l := range min {
		if l < 0 || l > 30 {
			return nil, nil, fmt.Errorf("recursion: table %d: minimum height 2^%d", t, l)
		}
	}
	return setup(e, p, min)
}

// setup checks that the program is well formed — every cell written once, by an
// instruction before any that reads it, publics written — and builds the keys: the
// program's addresses, read counts, selectors and constants are the preprocessed
// columns. Prover and verifier run it alike; it is deterministic.
func setup(e *hemera.Engine, p *ir.Program, min Heights) (*ProvingKey, *VerifyingKey, error) {
	reads, err := readCounts(p)
	if err != nil {
		return nil, nil, err
	}
	pk := &ProvingKey{Prog: p}
	for i := range p.Insts {
		t := tableOf(p.Insts[i].Op)
		pk.rows[t] = append(pk.rows[t], i)
	}
	for t, l := range HeightsOf(p) {
		pk.height[t] = 1 << max(l, min[t])
	}
	mult := func(v ir.Var) field.Elem { return field.New(reads[v]) }
	addr := func(v ir.Var) field.Elem { return field.New(uint64(v)) }
	one := field.New(1)

	prep := make([][][]field.Elem, numTables)
	airs := AIRs()

	arith := air.NewTrace(len(airs[tArith].Prep), pk.height[tArith])
	for r, i := range pk.rows[tArith] {
		in := &p.Insts[i]
		arith[arithCol.AAddr.Index][r] = addr(in.A)
		arith[arithCol.BAddr.Index][r] = addr(in.B)
		arith[arithSelector(in.Op).Index][r] = one
		if in.Op != ir.OpAssertEq {
			arith[arithCol.CAddr.Index][r] = addr(in.C)
			arith[arithCol.CMult.Index][r] = mult(in.C)
		}
	}
	prep[tArith] = arith

	leaf := air.NewTrace(len(airs[tLeaf].Prep), pk.height[tLeaf])
	for r, i := range pk.rows[tLeaf] {
		in := &p.Insts[i]
		if in.C != 0 {
			leaf[leafCol.Addr.Index][r] = addr(in.C)
			leaf[leafCol.Mult.Index][r] = mult(in.C)
		}
		if in.Op == ir.OpInputBase4 {
			for k, v := range in.Out {
				leaf[leafCol.CoordAddr[k].Index][r] = addr(v)
				leaf[leafCol.CoordMult[k].Index][r] = mult(v)
			}
		}
		switch in.Op {
		case ir.OpConst:
			leaf[leafCol.IsConst.Index][r] = one
			k := in.K.WithDegree(field.ExtDegree4)
			for j, c := range coords4(&k) {
				leaf[leafCol.K[j].Index][r] = c
			}
		case ir.OpInputBase:
			leaf[leafCol.IsBase.Index][r] = one
		}
	}
	prep[tLeaf] = leaf

	perm := air.NewTrace(len(airs[tPerm].Prep), pk.height[tPerm])
	for r, i := range pk.rows[tPerm] {
		in := &p.Insts[i]
		perm[permCol.Real.Index][r] = one
		for j := range hash.Width {
			perm[permCol.InAddr[j].Index][r] = addr(in.In[j])
		}
		outs := in.Out
		if in.Op == ir.OpCompress { // the digest in slots 8…15
			outs = make([]ir.Var, hash.Width)
			copy(outs[hash.DigestLen:], in.Out)
			perm[permCol.Compress.Index][r] = one
			if in.A != 0 {
				perm[permCol.BitAddr.Index][r] = addr(in.A)
				perm[permCol.HasBit.Index][r] = one
			}
		}
		for j, v := range outs {
			if v != 0 {
				perm[permCol.OutAddr[j].Index][r] = addr(v)
				perm[permCol.OutMult[j].Index][r] = mult(v)
			}
		}
	}
	prep[tPerm] = perm

	bits := air.NewTrace(len(airs[tBits].Prep), pk.height[tBits])
	for r, i := range pk.rows[tBits] {
		in := &p.Insts[i]
		bits[bitsCol.Real.Index][r] = one
		bits[bitsCol.AAddr.Index][r] = addr(in.A)
		for j := range ir.BitsLen {
			bits[bitsCol.OutAddr[j].Index][r] = addr(in.Out[j])
			bits[bitsCol.OutMult[j].Index][r] = mult(in.Out[j])
		}
	}
	prep[tBits] = bits

	dot := air.NewTrace(len(airs[tDot].Prep), pk.height[tDot])
	for r, i := range pk.rows[tDot] {
		in := &p.Insts[i]
		n := len(in.In) / 2
		dot[dotCol.Real.Index][r] = one
		dot[dotCol.AccAddr.Index][r] = addr(in.A)
		dot[dotCol.OutAddr.Index][r] = addr(in.C)
		dot[dotCol.OutMult.Index][r] = mult(in.C)
		for k := range n {
			dot[dotCol.Used[k].Index][r] = one
			dot[dotCol.CAddr[k].Index][r] = addr(in.In[k])
			dot[dotCol.XAddr[k].Index][r] = addr(in.In[n+k])
		}
	}
	prep[tDot] = dot

	spk, svk, err := e.Setup(airs, prep)
	if err != nil {
		return nil, nil, fmt.Errorf("recursion: %w", err)
	}
	vk := &VerifyingKey{STARK: svk, Publics: make([]uint32, len(p.Publics))}
	for i, v := range p.Publics {
		vk.Publics[i] = uint32(v)
	}
	vk.Digest = vk.digest()
	pk.VK, pk.STARK, pk.prepTrace = vk, spk, prep
	return pk, vk, nil
}

func (vk *VerifyingKey) digest() hash.Digest {
	var w codec.Writer
	w.Digest(vk.STARK.Digest)
	w.Uint32(uint32(len(vk.Publics)))
	for _, c := range vk.Publics {
		w.Uint32(c)
	}
	return hash.Tagged("oneiros/recursion/vk/v1", w.Buf)
}

// arithSelector is the arithmetic table's selector of an instruction.
func arithSelector(op ir.Op) air.Column {
	switch op {
	case ir.OpAdd:
		return arithCol.IsAdd
	case ir.OpSub:
		return arithCol.IsSub
	case ir.OpMul:
		return arithCol.IsMul
	}
	return arithCol.IsAssert
}

// tableOf is the table whose rows hold an instruction.
func tableOf(op ir.Op) int {
	switch op {
	case ir.OpAdd, ir.OpSub, ir.OpMul, ir.OpAssertEq:
		return tArith
	case ir.OpPerm, ir.OpCompress:
		return tPerm
	case ir.OpBits:
		return tBits
	case ir.OpDot:
		return tDot
	}
	return tLeaf
}

// readCounts checks the program's shape and counts the reads of each cell as the AIR
// set makes them: the operands of add, sub, mul and assert_eq, a permutation's inputs, a
// decomposed cell, a compression's inputs and swap bit, and each public output (inv reads nothing: its value is a hint that
// only the program's assertions constrain).
func readCounts(p *ir.Program) ([]uint64, error) {
	if p.Cells == 0 || uint64(p.Cells) >= field.Modulus {
		return nil, fmt.Errorf("recursion: %d cells, want 1 to p − 1", p.Cells)
	}
	written := make([]bool, p.Cells)
	reads := make([]uint64, p.Cells)
	inputs := 0
	for i := range p.Insts {
		in := &p.Insts[i]
		fail := func(format string, args ...any) error {
			what := in.Op.String()
			if int(in.Label) < len(p.Labels) && p.Labels[in.Label] != "" {
				what += ", " + p.Labels[in.Label]
			}
			return fmt.Errorf("recursion: instruction %d (%s): %s", i, what, fmt.Sprintf(format, args...))
		}
		read := func(v ir.Var, count bool) error {
			if v == 0 || v >= ir.Var(p.Cells) || !written[v] {
				return fail("reads cell %d, not written before", v)
			}
			if count {
				reads[v]++
			}
			return nil
		}
		write := func(v ir.Var) error {
			if v == 0 || v >= ir.Var(p.Cells) || written[v] {
				return fail("writes cell %d twice or out of range", v)
			}
			written[v] = true
			return nil
		}
		var ins, outs []ir.Var
		switch in.Op {
		case ir.OpConst:
			if !in.K.InDegree(field.ExtDegree4) {
				return nil, fail("a constant of degree %d", in.K.Degree())
			}
			outs = []ir.Var{in.C}
		case ir.OpInput, ir.OpInputBase:
			inputs++
			outs = []ir.Var{in.C}
		case ir.OpInputBase4:
			n := len(in.Out)
			if n < 1 || n > 4 || (in.C != 0 && n != 4) {
				return nil, fail("%d cells (and ext cell %d): want 1 to 4, and 4 with an ext cell", n, in.C)
			}
			inputs += n
			outs = in.Out
			if in.C != 0 {
				outs = append(append([]ir.Var(nil), in.Out...), in.C)
			}
		case ir.OpInv:
			if err := read(in.A, false); err != nil {
				return nil, err
			}
			outs = []ir.Var{in.C}
		case ir.OpAdd, ir.OpSub, ir.OpMul:
			ins, outs = []ir.Var{in.A, in.B}, []ir.Var{in.C}
		case ir.OpAssertEq:
			ins = []ir.Var{in.A, in.B}
		case ir.OpPerm:
			if len(in.In) != hash.Width || len(in.Out) != hash.Width {
				return nil, fail("a permutation of %d cells into %d", len(in.In), len(in.Out))
			}
			ins, outs = in.In, in.Out
		case ir.OpCompress:
			if len(in.In) != hash.Width || len(in.Out) != hash.DigestLen {
				return nil, fail("a compression of %d cells into %d", len(in.In), len(in.Out))
			}
			ins, outs = in.In, in.Out
			if in.A != 0 {
				ins = append(append([]ir.Var(nil), in.In...), in.A)
			}
		case ir.OpDot:
			if n := len(in.In) / 2; len(in.In) != 2*n || n < 1 || n > ir.DotLen {
				return nil, fail("%d operand cells: want 2 to %d, an even number", len(in.In), 2*ir.DotLen)
			}
			ins, outs = append([]ir.Var{in.A}, in.In...), []ir.Var{in.C}
		case ir.OpBits:
			if len(in.Out) != ir.BitsLen {
				return nil, fail("%d bit cells, want %d", len(in.Out), ir.BitsLen)
			}
			ins, outs = []ir.Var{in.A}, in.Out
		default:
			return nil, fail("unknown instruction")
		}
		for _, v := range ins {
			if err := read(v, true); err != nil {
				return nil, err
			}
		}
		for _, v := range outs {
			if err := write(v); err != nil {
				return nil, err
			}
		}
	}
	if inputs != p.Inputs {
		return nil, fmt.Errorf("recursion: %d input instructions, the program says %d", inputs, p.Inputs)
	}
	for i, v := range p.Publics {
		if v == 0 || v >= ir.Var(p.Cells) || !written[v] {
			return nil, fmt.Errorf("recursion: public %d is cell %d, which no instruction writes", i, v)
		}
		reads[v]++
	}
	return reads, nil
}

// Heights are the log2 heights of the key's tables (every proof has them).
func (pk *ProvingKey) Heights() Heights {
	var h Heights
	for t, n := range pk.height {
		h[t] = ntt.Log2(n)
	}
	return h
}

// prep is table t's preprocessed trace (nil without preprocessed columns).
func (pk *ProvingKey) prep(t int) [][]field.Elem { return pk.prepTrace[t] }
