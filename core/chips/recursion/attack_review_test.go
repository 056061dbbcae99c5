package recursion

// Attacker-minded review of the recursion AIR set: cheating provers against the
// publics binding (a cell named twice, publics permuted), the bits table's canonical
// check at its boundaries, the Poseidon2 chip's rows (a call answered twice), padding
// rows (free values that must carry nothing), permutations reading one cell many times,
// and Setup's program validation. Every cheat is rejected: no forgery was found.

import (
	"errors"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	ir "github.com/oneiros-zk/oneiros/proving/recursion"
	"github.com/oneiros-zk/oneiros/proving/recursion/verifier"
	"github.com/oneiros-zk/oneiros/proving/recursion/verifier/verifiertest"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// A program whose Publics name one cell twice: the verifier receives (cell, y_i) for
// each entry and the writer sends the cell's value once per entry, so both claims must
// be the value — honest (y, y) verifies; (y, y + 1) and (y + 1, y + 1) do not, nor do
// the honest traces proven with them.
func TestReviewPublicNamedTwice(t *testing.T) {
	b := ir.NewBuilder()
	x := b.Input()
	y := b.Mul(x, x)
	b.Public(y)
	b.Public(y)
	b.Public(x)
	p := b.Program()
	in := []field.Ext{ext(3, 1, 4, 1)}
	e := engine(t)
	pk, vk, err := Setup(e, p)
	if err != nil {
		t.Fatal(err)
	}
	proof, publics, err := Prove(e, pk, in)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(e, vk, publics, proof); err != nil {
		t.Fatalf("honest: %v", err)
	}
	for name, change := range map[string]func(p []field.Ext){
		"second entry": func(p []field.Ext) { plusOne(&p[1]) },
		"both entries": func(p []field.Ext) { plusOne(&p[0]); plusOne(&p[1]) },
	} {
		other := append([]field.Ext(nil), publics...)
		change(other)
		if err := Verify(e, vk, other, proof); !errors.Is(err, stark.ErrInvalidProof) {
			t.Errorf("%s changed: %v", name, err)
		}
		mem, err := p.Execute(in)
		if err != nil {
			t.Fatal(err)
		}
		mustReject(t, e, pk, pk.Traces(mem), other, "")
	}
}

// Publics permuted: two different values claimed in each other's place are rejected,
// both by Verify on the honest proof and when proven with the honest traces.
func TestReviewPublicsPermuted(t *testing.T) {
	s := newSample()
	e := engine(t)
	pk := s.keys(t, e)
	mem := s.memory(t)
	publics := publicsOf(s.prog, mem)
	if publics[0].Equal(&publics[1]) {
		t.Fatal("the sample's first two publics are equal")
	}
	proof, got, err := Prove(e, pk, s.inputs)
	if err != nil {
		t.Fatal(err)
	}
	swapped := append([]field.Ext(nil), got...)
	swapped[0], swapped[1] = swapped[1], swapped[0]
	if err := Verify(e, pk.VK, swapped, proof); !errors.Is(err, stark.ErrInvalidProof) {
		t.Fatalf("publics permuted: %v", err)
	}
	mustReject(t, e, pk, pk.Traces(mem), swapped, "")
}

// bitsProgram decomposes each base input and asserts the recomposition (so every bit
// is read): its instructions' indices are returned with the program.
func bitsProgram(n int) (*ir.Program, []int) {
	b := ir.NewBuilder()
	var outs [][ir.BitsLen]ir.Var
	for range n {
		x := b.InputBase()
		bits := b.Bits(x)
		outs = append(outs, bits)
		acc := b.ConstBase(field.New(0))
		for i := range bits {
			acc = b.Add(acc, b.Mul(bits[i], b.ConstBase(field.New(1<<i))))
		}
		b.AssertEq(acc, x)
		b.Public(x)
	}
	p := b.Program()
	var idx []int
	for _, o := range outs {
		idx = append(idx, writer(p, o[0]))
	}
	return p, idx
}

// The canonical check at its boundaries. Honest decompositions of 0, 1, 2^24 − 2,
// 2^24 − 1, 127·2^24 − 1 (top 126, low all ones) and p − 1 (top 127, low 0) prove and
// verify. The only non-canonical 31-bit decompositions are those of x + p for
// x < 2^24 − 1: the smallest (0 as the bits of p: top 127, low 1) and the largest
// (2^24 − 2 as 2^31 − 1, every bit set) are rejected by "canonical" alone.
func TestReviewBitsCanonicalBoundary(t *testing.T) {
	vals := []uint64{0, 1, 1<<24 - 2, 1<<24 - 1, 127<<24 - 1, field.Modulus - 1}
	p, idx := bitsProgram(len(vals))
	in := make([]field.Ext, len(vals))
	for i, v := range vals {
		in[i] = field.NewExt(field.New(v))
	}
	e := engine(t)
	pk, vk, err := Setup(e, p)
	if err != nil {
		t.Fatal(err)
	}
	mem, err := p.Execute(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := check(pk, pk.Traces(mem), publicsOf(p, mem)); err != nil {
		t.Fatalf("honest traces: %v", err)
	}
	proof, publics, err := Prove(e, pk, in)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(e, vk, publics, proof); err != nil {
		t.Fatalf("honest: %v", err)
	}
	s := &sample{prog: p, inputs: in}
	for _, c := range []struct {
		which int    // index in vals
		as    uint64 // the integer whose bits are written
	}{{0, field.Modulus}, {2, 1<<31 - 1}} {
		forgeMemory(t, s, in, func(i int, out []field.Ext) {
			if i == idx[c.which] {
				for j := range out {
					out[j] = field.NewExt(field.New(c.as >> j & 1))
				}
			}
		}, `constraint "canonical"`)
	}
}

// The Poseidon2 chip answers every call twice (its trace doubled): bus.Poseidon2 no
// longer balances — each (KindIn, dom, id, in) is received twice but sent once — while
// every constraint holds.
func TestReviewPoseidon2CallAnsweredTwice(t *testing.T) {
	s := newSample()
	e := engine(t)
	pk := s.keys(t, e)
	mem := s.memory(t)
	main := pk.Traces(mem)
	for c := range main[tPoseidon2] {
		main[tPoseidon2][c] = append(main[tPoseidon2][c], main[tPoseidon2][c]...)
	}
	mustReject(t, e, pk, main, publicsOf(s.prog, mem), "")
}

// Padding rows are free: arbitrary values in the arithmetic, leaf and perm tables'
// padding rows (with a zero bit and r the inputs' right half in the perm table's, and a
// canonical decomposition in the bits table's) still prove the true
// statement — their preprocessed selectors and multiplicities are zero, so they put
// nothing on any bus. In particular a padding row holding another value for a public
// cell does not make that value claimable.
func TestReviewPaddingRowsCarryNothing(t *testing.T) {
	s := newSample()
	e := engine(t)
	pk := s.keys(t, e)
	mem := s.memory(t)
	main := pk.Traces(mem)
	rows := pk.Rows()
	padded := 0
	fake := mem[s.sum]
	plusOne(&fake)
	fc := coords4(&fake)
	for _, tb := range []int{tArith, tLeaf, tPerm, tBits} {
		n := len(main[tb][0])
		for r := rows[tb]; r < n; r++ {
			padded++
			for c := range main[tb] {
				main[tb][c][r] = field.New(uint64(1000*tb + 7*r + c + 1))
			}
			switch tb {
			case tArith: // c = fake public value, a = b = it too
				for k := range 4 {
					main[tb][arithCol.A[k].Index][r] = fc[k]
					main[tb][arithCol.B[k].Index][r] = fc[k]
					main[tb][arithCol.C[k].Index][r] = fc[k]
				}
			case tLeaf:
				for k := range 4 {
					main[tb][leafCol.V[k].Index][r] = fc[k]
				}
			case tPerm: // any in and out; bit 0 and r the right half, as the constraints require
				main[tb][permCol.Bit.Index][r] = field.Elem{}
				for j := range hash.DigestLen {
					main[tb][permCol.R[j].Index][r] = main[tb][permCol.In[hash.DigestLen+j].Index][r]
				}
			case tBits: // the bits of 5, W = 1/127
				for j := range ir.BitsLen {
					main[tb][bitsCol.Bit[j].Index][r] = field.New(5 >> j & 1)
				}
				var w field.Elem
				w.Inverse(ptr(field.New(topAll)))
				main[tb][bitsCol.W.Index][r] = w
			}
		}
	}
	if padded == 0 {
		t.Fatal("the sample's tables have no padding row")
	}
	publics := publicsOf(s.prog, mem)
	if err := check(pk, main, publics); err != nil {
		t.Fatalf("garbage padding: %v", err)
	}
	proof, err := proveTraces(e, pk, main, publics)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(e, pk.VK, publics, proof); err != nil {
		t.Fatalf("garbage padding, true publics: %v", err)
	}
	claimed := append([]field.Ext(nil), publics...)
	for i, v := range s.prog.Publics {
		if v == s.sum {
			claimed[i] = fake
		}
	}
	mustReject(t, e, pk, main, claimed, "")
}

// A permutation reading one base cell in all sixteen positions (read count 16 on the
// bus, plus the public): it proves and verifies, and its public output cannot be
// claimed otherwise.
func TestReviewPermOneCellSixteenTimes(t *testing.T) {
	b := ir.NewBuilder()
	x := b.InputBase()
	var st [hash.Width]ir.Var
	for i := range st {
		st[i] = x
	}
	out := b.Perm(st)
	b.Public(out[3])
	b.Public(x)
	p := b.Program()
	in := []field.Ext{field.NewExt(field.New(99))}
	e := engine(t)
	pk, vk, err := Setup(e, p)
	if err != nil {
		t.Fatal(err)
	}
	proof, publics, err := Prove(e, pk, in)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(e, vk, publics, proof); err != nil {
		t.Fatalf("honest: %v", err)
	}
	plusOne(&publics[0])
	if err := Verify(e, vk, publics, proof); !errors.Is(err, stark.ErrInvalidProof) {
		t.Fatalf("another output: %v", err)
	}
}

// An inv hint that no assertion constrains is free, as the package doc says (the
// statement quantifies over hints): a hand-built program publishing a bare OpInv output
// has proofs for any value of it, although Execute computes A⁻¹. Builder.Inv always
// asserts x·x⁻¹ = 1, so a Builder-made program never has such a cell; this pins the
// documented semantics.
func TestReviewBareInvHintIsFree(t *testing.T) {
	b := ir.NewBuilder()
	x := b.Input()
	p := b.Program()
	h := ir.Var(p.Cells)
	p.Cells++
	p.Insts = append(p.Insts, ir.Inst{Op: ir.OpInv, A: x, C: h})
	p.Publics = []ir.Var{h}
	in := []field.Ext{ext(2, 0, 0, 0)}
	e := engine(t)
	pk, vk, err := Setup(e, p)
	if err != nil {
		t.Fatal(err)
	}
	mem := run(p, in, func(i int, out []field.Ext) {
		if i == 1 {
			out[0] = ext(42, 0, 0, 0) // not 1/2
		}
	})
	publics := publicsOf(p, mem)
	if err := check(pk, pk.Traces(mem), publics); err != nil {
		t.Fatal(err)
	}
	proof, err := proveTraces(e, pk, pk.Traces(mem), publics)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(e, vk, publics, proof); err != nil {
		t.Fatalf("a bare hint is not free: %v (update the package doc)", err)
	}
}

// Setup refuses more malformed programs: cells at or beyond p (addresses would alias),
// writes beyond Cells, a public of cell 0, a decomposition or permutation reading its
// own output, outputs repeated, a degree-6 constant, an inverse of an unwritten cell.
func TestReviewSetupRefusesMalformed(t *testing.T) {
	e := engine(t)
	build := func() *ir.Program {
		b := ir.NewBuilder()
		x := b.InputBase()
		b.Bits(x)
		var st [hash.Width]ir.Var
		for i := range st {
			st[i] = x
		}
		out := b.Perm(st)
		b.Public(b.Mul(out[0], x))
		return b.Program()
	}
	bitsAt, permAt := 1, 2
	for name, change := range map[string]func(p *ir.Program){
		"cells = p":              func(p *ir.Program) { p.Cells = uint32(field.Modulus) },
		"cells > p":              func(p *ir.Program) { p.Cells = uint32(field.Modulus) + 7 },
		"write beyond cells":     func(p *ir.Program) { p.Insts[len(p.Insts)-1].C = ir.Var(p.Cells) },
		"public cell 0":          func(p *ir.Program) { p.Publics = append(p.Publics, 0) },
		"public beyond cells":    func(p *ir.Program) { p.Publics = append(p.Publics, ir.Var(p.Cells)) },
		"bits read own output":   func(p *ir.Program) { p.Insts[bitsAt].A = p.Insts[bitsAt].Out[4] },
		"bits output repeated":   func(p *ir.Program) { p.Insts[bitsAt].Out[3] = p.Insts[bitsAt].Out[2] },
		"bits output is input":   func(p *ir.Program) { p.Insts[bitsAt].Out[0] = p.Insts[bitsAt].A },
		"perm read own output":   func(p *ir.Program) { p.Insts[permAt].In[9] = p.Insts[permAt].Out[9] },
		"perm output repeated":   func(p *ir.Program) { p.Insts[permAt].Out[15] = p.Insts[permAt].Out[0] },
		"perm output overwrites": func(p *ir.Program) { p.Insts[permAt].Out[1] = p.Insts[bitsAt].Out[1] },
		"degree-6 constant": func(p *ir.Program) {
			k := field.ExtFromCoords(make([]field.Elem, 6))
			p.Insts = append(p.Insts, ir.Inst{Op: ir.OpConst, C: ir.Var(p.Cells), K: k})
			p.Cells++
		},
		"inverse of unwritten": func(p *ir.Program) {
			p.Insts = append(p.Insts, ir.Inst{Op: ir.OpInv, A: ir.Var(p.Cells + 1), C: ir.Var(p.Cells)})
			p.Cells += 2
		},
	} {
		p := build()
		if _, _, err := Setup(e, p); err != nil {
			t.Fatalf("%s: the unchanged program is refused: %v", name, err)
		}
		change(p)
		if _, _, err := Setup(e, p); err == nil {
			t.Errorf("%s: Setup accepts the program", name)
		}
	}
}

// The recursion itself attacked: a cheating outer prover claims that the verifier
// program of a fib proof accepted a false inner statement (the fib output + 1) or a
// tampered inner proof (an opened value + 1). It runs the program without checking
// anything (run), so every value is what the instructions compute and both buses
// balance, and proves those traces with the false statement as publics: only assertions
// fail (assert_eq rows: the verifier's checks, its proofs of work included), and Verify
// rejects the proof.
func TestReviewRecursiveForgery(t *testing.T) {
	fx := verifiertest.Fib(t)
	inner, ivk, iproof, sh := fx.Engine, fx.VK, fx.Proof, fx.Shape
	prog, err := verifier.Program(sh)
	if err != nil {
		t.Fatal(err)
	}
	e := engine(t)
	pk, _, err := Setup(e, prog)
	if err != nil {
		t.Fatal(err)
	}
	one := field.NewExt(field.New(1))
	for name, tamper := range map[string]func(publics [][]field.Elem, p *stark.Proof){
		"fib output + 1":      func(publics [][]field.Elem, _ *stark.Proof) { publics[0][2].Add(&publics[0][2], ptr(field.New(1))) },
		"opened value + 1":    func(_ [][]field.Elem, p *stark.Proof) { p.Values[0][0][0][1].Add(&p.Values[0][0][0][1], &one) },
		"cumulative sum + 1":  func(_ [][]field.Elem, p *stark.Proof) { p.CumSums[0].Add(&p.CumSums[0], &one) },
		"LogUp nonce changed": func(_ [][]field.Elem, p *stark.Proof) { p.LogUpNonce.Add(&p.LogUpNonce, ptr(field.New(1))) },
	} {
		t.Run(name, func(t *testing.T) {
			publics := [][]field.Elem{append([]field.Elem(nil), fx.Publics[0]...)}
			proof, err := stark.Decode(iproof.Encode())
			if err != nil {
				t.Fatal(err)
			}
			tamper(publics, proof)
			if err := inner.Verify(ivk, proof, publics, nil); err == nil {
				t.Fatal("the inner verifier accepts the tampered proof")
			}
			in, err := verifier.Inputs(sh, proof, publics, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := prog.Execute(in); err == nil {
				t.Fatal("the verifier program executes")
			}
			mem := run(prog, in, nil)
			claimed := publicsOf(prog, mem)
			for i, p := range publics[0] {
				if want := field.NewExt(p); !claimed[i].Equal(&want) {
					t.Fatalf("claimed public %d is %v, the tampered statement's %v", i, claimed[i], want)
				}
			}
			mustReject(t, e, pk, pk.Traces(mem), claimed, `constraint "assert_eq[`)
		})
	}
}
