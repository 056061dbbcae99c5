package recursion

// Cheating provers: each builds a false witness — a memory that is no execution of the
// program, or tampered traces — commits it consistently, and must be rejected by
// Verify. Unless the test is about the bus, the memory bus and bus.Poseidon2 stay
// balanced (the traces read every value from the same memory), so the rejection comes
// from the constraint the test names.

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/poseidon2"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	ir "github.com/oneiros-zk/oneiros/proving/recursion"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

// run is an executor that checks nothing: cheat may change the values instruction i
// writes (one cell, or 16 or 31) before later instructions read them; assertions are
// not checked and bits are those of the integer value of the cell.
func run(p *ir.Program, inputs []field.Ext, cheat func(i int, out []field.Ext)) []field.Ext {
	mem := make([]field.Ext, p.Cells)
	next := 0
	for i := range p.Insts {
		in := &p.Insts[i]
		var out []field.Ext
		var cells []ir.Var
		a, b := mem[in.A], mem[in.B]
		var c field.Ext
		switch in.Op {
		case ir.OpConst:
			c = in.K
		case ir.OpInput, ir.OpInputBase:
			c = inputs[next]
			next++
		case ir.OpInputBase4:
			co := make([]field.Elem, 4)
			for k := range in.Out {
				out = append(out, inputs[next])
				co[k] = inputs[next].Base()
				next++
			}
			cells = in.Out
			if in.C != 0 {
				out = append(out, field.ExtFromCoords(co))
				cells = append(append([]ir.Var(nil), in.Out...), in.C)
			}
		case ir.OpInv:
			if !a.IsZero() {
				c.Inverse(&a)
			}
		case ir.OpAdd:
			c.Add(&a, &b)
		case ir.OpSub:
			c.Sub(&a, &b)
		case ir.OpMul:
			c.Mul(&a, &b)
		case ir.OpAssertEq:
			continue
		case ir.OpDot:
			n := len(in.In) / 2
			c = a
			for k := range n {
				x, y := mem[in.In[k]], mem[in.In[n+k]]
				x.Mul(&x, &y)
				c.Add(&c, &x)
			}
		case ir.OpPerm:
			var st [hash.Width]field.Elem
			for j, v := range in.In {
				st[j] = mem[v].Base()
			}
			hash.Permute(&st)
			for j := range st {
				out = append(out, field.NewExt(st[j]))
			}
			cells = in.Out
		case ir.OpCompress:
			// The AIR's function of the row: r = y + bit·(x − y), l = x + y − r, the
			// digest P(l ‖ r)[8:16] + r, whatever the bit cell holds.
			var bit field.Elem
			if in.A != 0 {
				bit = a.Base()
			}
			st, r := compressState(mem, in.In, bit)
			hash.Permute(&st)
			for j := range r {
				var d field.Elem
				d.Add(&st[hash.DigestLen+j], &r[j])
				out = append(out, field.NewExt(d))
			}
			cells = in.Out
		case ir.OpBits:
			x := a.Base()
			u := x.Uint64()
			for j := range ir.BitsLen {
				out = append(out, field.NewExt(field.New(u>>j&1)))
			}
			cells = in.Out
		}
		if cells == nil {
			out, cells = []field.Ext{c}, []ir.Var{in.C}
		}
		if cheat != nil {
			cheat(i, out)
		}
		for j, v := range cells {
			mem[v] = out[j].WithDegree(field.ExtDegree4)
		}
	}
	return mem
}

// compressState is a compression row's permutation input for a bit value (any
// field element) and its right half r.
func compressState(mem []field.Ext, in []ir.Var, bit field.Elem) (st [hash.Width]field.Elem, r [hash.DigestLen]field.Elem) {
	for j := range hash.DigestLen {
		x, y := mem[in[j]].Base(), mem[in[hash.DigestLen+j]].Base()
		var d field.Elem
		d.Sub(&x, &y)
		d.Mul(&d, &bit)
		r[j].Add(&y, &d)
		st[j].Add(&x, &y)
		st[j].Sub(&st[j], &r[j])
		st[hash.DigestLen+j] = r[j]
	}
	return st, r
}

// writer is the index of the instruction that writes cell v.
func writer(p *ir.Program, v ir.Var) int {
	for i, in := range p.Insts {
		if in.C == v {
			return i
		}
		for _, o := range in.Out {
			if o == v {
				return i
			}
		}
	}
	panic("cell not written")
}

// mustReject proves the traces with the claimed publics and expects Verify to reject
// the proof. want names the constraint that airtest must see fail (every failure must
// be of it, and the bus must balance); want == "" means the bus must not balance while
// every constraint holds.
func mustReject(t *testing.T, e *hemera.Engine, pk *ProvingKey, main [][][]field.Elem, publics []field.Ext, want string) {
	t.Helper()
	cerr, berr := checkConstraints(pk, main), checkBus(pk, main, publics)
	if want == "" {
		if cerr != nil || berr == nil {
			t.Fatalf("want an unbalanced bus and no failed constraint; constraints: %v; bus: %v", cerr, berr)
		}
	} else {
		if berr != nil {
			t.Fatalf("the cheat unbalances the bus: %v", berr)
		}
		if cerr == nil {
			t.Fatalf("airtest accepts the tampered traces")
		}
		for _, line := range strings.Split(cerr.Error(), "\n") {
			if !strings.Contains(line, want) {
				t.Fatalf("a failure other than %q: %s", want, line)
			}
		}
	}
	proof, err := proveTraces(e, pk, main, publics)
	if err != nil {
		t.Fatalf("the prover refused the tampered witness (it must reach the verifier): %v", err)
	}
	dec, err := stark.Decode(proof.Encode())
	if err != nil {
		t.Fatal(err)
	}
	err = Verify(e, pk.VK, publics, dec)
	if err == nil {
		t.Fatalf("tampered witness verifies")
	}
	if !errors.Is(err, stark.ErrInvalidProof) {
		t.Fatalf("rejected, but not as an invalid proof: %v", err)
	}
	t.Logf("rejected: %v", err)
}

// forgeMemory proves the memory of a cheating run and expects its rejection.
func forgeMemory(t *testing.T, s *sample, inputs []field.Ext, cheat func(i int, out []field.Ext), want string) {
	t.Helper()
	e := engine(t)
	pk := s.keys(t, e)
	mem := run(s.prog, inputs, cheat)
	mustReject(t, e, pk, pk.Traces(mem), publicsOf(s.prog, mem), want)
}

func TestCheatExecutorIsHonest(t *testing.T) {
	s := newSample()
	mem, got := s.memory(t), run(s.prog, s.inputs, nil)
	for i := range mem {
		if !mem[i].Equal(&got[i]) {
			t.Fatalf("cell %d: %v, Execute says %v", i, got[i], mem[i])
		}
	}
}

func plusOne(v *field.Ext) {
	one := field.NewExt(field.New(1))
	v.Add(v, &one)
}

// A wrong product, which every reader (and the public sum after it) receives.
func TestForgeProduct(t *testing.T) {
	s := newSample()
	w := writer(s.prog, s.prod)
	forgeMemory(t, s, s.inputs, func(i int, out []field.Ext) {
		if i == w {
			plusOne(&out[0])
		}
	}, `constraint "mul[0]"`)
}

// A wrong sum, a public output: the cheater claims it.
func TestForgeSum(t *testing.T) {
	s := newSample()
	w := writer(s.prog, s.sum)
	forgeMemory(t, s, s.inputs, func(i int, out []field.Ext) {
		if i == w {
			plusOne(&out[0])
		}
	}, `constraint "add[0]"`)
}

// A wrong constant (5 + 6X… + 1): the leaf row's value is not its preprocessed K.
func TestForgeConst(t *testing.T) {
	s := newSample()
	k := ext(5, 6, 7, 8)
	w := slices.IndexFunc(s.prog.Insts, func(in ir.Inst) bool { return in.Op == ir.OpConst && in.K.Equal(&k) })
	if w < 0 {
		t.Fatal("the sample has no constant 5, 6, 7, 8")
	}
	forgeMemory(t, s, s.inputs, func(i int, out []field.Ext) {
		if i == w {
			plusOne(&out[0])
		}
	}, `constraint "const[0]"`)
}

// A wrong difference, which the division after it reads.
func TestForgeDifference(t *testing.T) {
	s := newSample()
	w := slices.IndexFunc(s.prog.Insts, func(in ir.Inst) bool { return in.Op == ir.OpSub })
	forgeMemory(t, s, s.inputs, func(i int, out []field.Ext) {
		if i == w {
			plusOne(&out[0])
		}
	}, `constraint "sub[0]"`)
}

// An assert_eq of unequal values: the input asserted to be 12345 is 12346.
func TestForgeAssertEq(t *testing.T) {
	s := newSample()
	in := append([]field.Ext(nil), s.inputs...)
	in[3] = field.NewExt(field.New(12346))
	forgeMemory(t, s, in, nil, `constraint "assert_eq[0]"`)
}

// The bits of 77 + p: 31 booleans recomposing to 77 in the field, but not canonical.
func TestForgeBitsNonCanonical(t *testing.T) {
	s := newSample()
	w := writer(s.prog, s.small[0])
	forgeMemory(t, s, s.inputs, func(i int, out []field.Ext) {
		if i == w {
			u := uint64(77) + field.Modulus
			for j := range out {
				out[j] = field.NewExt(field.New(u >> j & 1))
			}
		}
	}, `constraint "canonical"`)
}

// Bits that are not booleans: 77 = 3·1 − 1·2 + 4 + 8 + 64.
func TestForgeBitsNonBoolean(t *testing.T) {
	s := newSample()
	w := writer(s.prog, s.small[0])
	forgeMemory(t, s, s.inputs, func(i int, out []field.Ext) {
		if i == w {
			out[0] = field.NewExt(field.New(3))
			var m field.Elem
			m.SetInt64(-1)
			out[1] = field.NewExt(m)
		}
	}, `constraint "bit[`)
}

// An input_base with a nonzero coordinate 1, read only by a mul (an ext operation).
func TestForgeInputBase(t *testing.T) {
	s := newSample()
	in := append([]field.Ext(nil), s.inputs...)
	in[4] = ext(3, 1, 0, 0)
	forgeMemory(t, s, in, nil, `constraint "base[1]"`)
}

// The upper coordinates: a product, sum, difference or constant wrong in coordinate
// k = 1…3 alone fails that coordinate's constraint, and so do an assert_eq of values
// that differ in coordinate k alone and an input_base with a nonzero coordinate k = 2,
// 3 (coordinate 0 and base[1] have the tests above).
func TestForgeUpperCoordinates(t *testing.T) {
	bumpCoord := func(v *field.Ext, k int) {
		c := field.ExtCoords(v)
		one := field.New(1)
		c[k].Add(&c[k], &one)
		*v = field.ExtFromCoords(c[:field.ExtDegree4])
	}
	s := newSample()
	k5678 := ext(5, 6, 7, 8)
	writers := map[string]int{
		"mul":   writer(s.prog, s.prod),
		"add":   writer(s.prog, s.sum),
		"sub":   slices.IndexFunc(s.prog.Insts, func(in ir.Inst) bool { return in.Op == ir.OpSub }),
		"const": slices.IndexFunc(s.prog.Insts, func(in ir.Inst) bool { return in.Op == ir.OpConst && in.K.Equal(&k5678) }),
	}
	for name, w := range writers {
		for k := 1; k < field.ExtDegree4; k++ {
			t.Run(fmt.Sprintf("%s[%d]", name, k), func(t *testing.T) {
				forgeMemory(t, newSample(), s.inputs, func(i int, out []field.Ext) {
					if i == w {
						bumpCoord(&out[0], k)
					}
				}, fmt.Sprintf("constraint %q", fmt.Sprintf("%s[%d]", name, k)))
			})
		}
	}
	// The division's hint y⁻¹ + y⁻¹·e_k: y times it is 1 + e_k, which the assert_eq
	// against 1 refuses in coordinate k alone.
	inv := slices.IndexFunc(s.prog.Insts, func(in ir.Inst) bool { return in.Op == ir.OpInv })
	for k := 1; k < field.ExtDegree4; k++ {
		t.Run(fmt.Sprintf("assert_eq[%d]", k), func(t *testing.T) {
			var e, d field.Ext
			bumpCoord(&e, k)
			y := s.inputs[1]
			d.Inverse(&y)
			d.Mul(&d, &e)
			forgeMemory(t, newSample(), s.inputs, func(i int, out []field.Ext) {
				if i == inv {
					out[0].Add(&out[0], &d)
				}
			}, fmt.Sprintf("constraint %q", fmt.Sprintf("assert_eq[%d]", k)))
		})
	}
	for k := 2; k < field.ExtDegree4; k++ {
		t.Run(fmt.Sprintf("base[%d]", k), func(t *testing.T) {
			in := append([]field.Ext(nil), s.inputs...)
			in[4] = field.NewExt(field.New(3))
			bumpCoord(&in[4], k)
			forgeMemory(t, newSample(), in, nil, fmt.Sprintf("constraint %q", fmt.Sprintf("base[%d]", k)))
		})
	}
}

// A permutation output that is not P(input): the perm table writes it, and the
// Poseidon2 table's last round is overwritten to send it, so both buses balance; the
// Poseidon2 chip's round constraint fails.
func TestForgePermutation(t *testing.T) {
	s := newSample()
	e := engine(t)
	pk := s.keys(t, e)
	w := writer(s.prog, s.permOut[0])
	mem := run(s.prog, s.inputs, func(i int, out []field.Ext) {
		if i == w {
			plusOne(&out[0])
		}
	})
	main := pk.Traces(mem)
	last := -1
	for c, name := range pk.STARK.VK.AIRs[tPoseidon2].Main {
		if name == "full5[0]" {
			last = c
		}
	}
	if last < 0 || poseidon2.FullRounds != 6 {
		t.Fatal("no column full5[0] in the Poseidon2 table")
	}
	main[tPoseidon2][last][0] = mem[s.permOut[0]].Base()
	mustReject(t, e, pk, main, publicsOf(s.prog, mem), `table poseidon2: constraint "full5[0]"`)
}

// The same wrong output with the Poseidon2 table left honest: bus.Poseidon2 does not
// balance.
func TestForgePermutationUnbalanced(t *testing.T) {
	s := newSample()
	w := writer(s.prog, s.permOut[0])
	forgeMemory(t, s, s.inputs, func(i int, out []field.Ext) {
		if i == w {
			plusOne(&out[0])
		}
	}, "")
}

// A read of a value no one wrote: an assert_eq row whose two operands are both changed
// to another value (its constraint holds).
func TestForgeUnwrittenRead(t *testing.T) {
	s := newSample()
	e := engine(t)
	pk := s.keys(t, e)
	mem := s.memory(t)
	main := pk.Traces(mem)
	row := -1
	for r, i := range pk.rows[tArith] {
		if s.prog.Insts[i].Op == ir.OpAssertEq {
			row = r
			break
		}
	}
	for k := range 4 {
		var x field.Elem
		x.SetRandom()
		main[tArith][arithCol.A[k].Index][row] = x
		main[tArith][arithCol.B[k].Index][row] = x
	}
	mustReject(t, e, pk, main, publicsOf(s.prog, mem), "")
}

// A program's honest proof does not verify with other publics, nor with fewer.
func TestOtherPublics(t *testing.T) {
	s := newSample()
	e := engine(t)
	pk, vk, err := Setup(e, s.prog)
	if err != nil {
		t.Fatal(err)
	}
	proof, publics, err := Prove(e, pk, s.inputs)
	if err != nil {
		t.Fatal(err)
	}
	for i := range publics {
		other := append([]field.Ext(nil), publics...)
		plusOne(&other[i])
		if err := Verify(e, vk, other, proof); !errors.Is(err, stark.ErrInvalidProof) {
			t.Fatalf("public %d changed: %v", i, err)
		}
	}
	if err := Verify(e, vk, publics[1:], proof); !errors.Is(err, stark.ErrInvalidProof) {
		t.Fatalf("a public left out: %v", err)
	}
	if err := Verify(e, vk, publics, proof); err != nil {
		t.Fatalf("honest proof rejected: %v", err)
	}
}

// A proof of one program does not verify under another program's key: the same
// instructions with one constant changed, and with one operation changed.
func TestOtherProgram(t *testing.T) {
	s := newSample()
	e := engine(t)
	pk, _, err := Setup(e, s.prog)
	if err != nil {
		t.Fatal(err)
	}
	proof, publics, err := Prove(e, pk, s.inputs)
	if err != nil {
		t.Fatal(err)
	}
	for name, change := range map[string]func(p *ir.Program){
		"constant": func(p *ir.Program) {
			for i := range p.Insts {
				if p.Insts[i].Op == ir.OpConst {
					p.Insts[i].K = ext(5, 6, 7, 9)
					return
				}
			}
		},
		"add→sub": func(p *ir.Program) { p.Insts[writer(p, s.sum)].Op = ir.OpSub },
		"publics": func(p *ir.Program) { p.Publics[0], p.Publics[1] = p.Publics[1], p.Publics[0] },
	} {
		other := *s.prog
		other.Insts = append([]ir.Inst(nil), s.prog.Insts...)
		other.Publics = append([]ir.Var(nil), s.prog.Publics...)
		change(&other)
		_, vk2, err := Setup(e, &other)
		if err != nil {
			t.Fatal(err)
		}
		if err := Verify(e, vk2, publics, proof); !errors.Is(err, stark.ErrInvalidProof) {
			t.Errorf("%s: the proof verifies under another program's key: %v", name, err)
		}
	}
}

// Setup refuses programs that are not straight-line write-once programs.
func TestSetupRejectsMalformed(t *testing.T) {
	e := engine(t)
	build := func() *ir.Program {
		b := ir.NewBuilder()
		x := b.Input()
		y := b.Mul(x, x)
		b.Public(y)
		return b.Program()
	}
	for name, change := range map[string]func(p *ir.Program){
		"read before write": func(p *ir.Program) { p.Insts[1].A = 2 },
		"write twice":       func(p *ir.Program) { p.Insts[1].C = 1 },
		"cell 0":            func(p *ir.Program) { p.Insts[1].B = 0 },
		"public unwritten":  func(p *ir.Program) { p.Publics[0] = 7 },
		"input count":       func(p *ir.Program) { p.Inputs = 2 },
		"short perm": func(p *ir.Program) {
			p.Insts = append(p.Insts, ir.Inst{Op: ir.OpPerm, In: []ir.Var{1}, Out: []ir.Var{3}})
		},
		"unknown op": func(p *ir.Program) { p.Insts[1].Op = 99 },
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

// A permutation of a cell that is not a base element (an ext input): the perm table can
// only receive (cell, x, 0, 0, 0), which the writer never sent.
func TestForgePermNonBaseInput(t *testing.T) {
	b := ir.NewBuilder()
	var st [hash.Width]ir.Var
	for i := range st {
		st[i] = b.ConstBase(field.New(uint64(i)))
	}
	st[0] = b.Input()
	out := b.Perm(st)
	b.Public(out[0])
	p := b.Program()
	in := []field.Ext{ext(1, 1, 0, 0)}
	if _, err := p.Execute(in); err == nil {
		t.Fatal("Execute permutes a non-base cell")
	}
	e := engine(t)
	pk, _, err := Setup(e, p)
	if err != nil {
		t.Fatal(err)
	}
	mem := run(p, in, nil)
	mustReject(t, e, pk, pk.Traces(mem), publicsOf(p, mem), "")
}
