package recursion

import (
	"errors"
	"testing"

	"github.com/oneiros-zk/oneiros/core/chips/chiptest"
	"github.com/oneiros-zk/oneiros/proving/air/airtest"
	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
	"github.com/oneiros-zk/oneiros/proving/hemera"
	ir "github.com/oneiros-zk/oneiros/proving/recursion"
	"github.com/oneiros-zk/oneiros/proving/stark"
)

func engine(t testing.TB) *hemera.Engine {
	t.Helper()
	e, err := hemera.New(chiptest.Params)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func ext(a, b, c, d uint64) field.Ext {
	return field.ExtFromCoords([]field.Elem{field.New(a), field.New(b), field.New(c), field.New(d)})
}

// sample is a program using every instruction, with the cells the cheating tests
// tamper with.
type sample struct {
	prog              *ir.Program
	inputs            []field.Ext
	prod, sum, baseIn ir.Var
	baseOnly          ir.Var // an input_base read only by a mul
	assertA           ir.Var
	bitsOf            ir.Var
	bits, small       [ir.BitsLen]ir.Var // the bits of bitsOf and of baseIn (77)
	permOut           [hash.Width]ir.Var
	swapBit           ir.Var                 // an input_base, 1: the bit of compSwap
	comp, compSwap    [hash.DigestLen]ir.Var // Compress(x, y) and CompressSwap(swapBit, x, y)
	coords            [4]ir.Var              // InputExt4: base cells (3, 1, 4, 1)
	coordsExt         ir.Var                 // and their extension element
	tail              []ir.Var               // InputBases(6): two instructions, the second of 2 cells
	dot               ir.Var                 // Dot of 6 products: a row of 4, then a row of 2 (public)
}

func newSample() *sample {
	s := &sample{}
	b := ir.NewBuilder()
	x, y := b.Input(), b.Input()
	s.baseIn = b.InputBase()
	k := b.Const(ext(5, 6, 7, 8))
	s.prod = b.Mul(x, y)
	s.sum = b.Add(s.prod, k)
	d := b.Sub(s.sum, x)
	q := b.Div(d, y) // inv, mul, assert_eq
	b.AssertEq(b.Add(q, b.Const(field.Ext{})), q)
	var st [hash.Width]ir.Var
	for i := range st {
		st[i] = b.ConstBase(field.New(uint64(i * i)))
	}
	st[3] = s.baseIn
	s.permOut = b.Perm(st)
	s.bitsOf = b.Add(s.permOut[0], s.baseIn)
	s.bits = b.Bits(s.bitsOf)
	s.assertA = b.InputBase()
	b.AssertEq(s.assertA, b.ConstBase(field.New(12345)))
	// Recompose the low bits and check them, so the bits have readers.
	recompose := func(bits [ir.BitsLen]ir.Var) ir.Var {
		acc := b.ConstBase(field.New(0))
		for i := range bits {
			acc = b.Add(acc, b.Mul(bits[i], b.ConstBase(field.New(1<<i))))
		}
		return acc
	}
	b.AssertEq(recompose(s.bits), s.bitsOf)
	s.small = b.Bits(s.baseIn)
	b.AssertEq(recompose(s.small), s.baseIn)
	s.baseOnly = b.InputBase()
	var dx, dy [hash.DigestLen]ir.Var
	copy(dx[:], s.permOut[:hash.DigestLen])
	copy(dy[:], st[hash.DigestLen:])
	s.swapBit = b.InputBase()
	s.comp = b.Compress(dx, dy)
	s.compSwap = b.CompressSwap(s.swapBit, dx, dy)
	b.AssertEq(b.Add(s.comp[0], s.compSwap[1]), b.Add(s.compSwap[1], s.comp[0]))
	s.coords, s.coordsExt = b.InputExt4()
	s.tail = b.InputBases(6)
	b.Public(b.Mul(s.coordsExt, b.Add(s.coords[2], s.tail[5])))
	b.AssertEq(s.coords[0], s.tail[4])
	cs := []ir.Var{x, y, s.coordsExt, k, s.prod, x}
	xs := []ir.Var{s.tail[0], s.tail[1], s.tail[2], s.tail[3], s.coords[1], s.baseIn}
	s.dot = b.Dot(s.sum, cs, xs)
	b.Public(s.dot)
	b.Public(b.Mul(s.baseOnly, x))
	b.Public(s.sum)
	b.Public(s.permOut[5])
	b.Public(q)
	b.Public(s.compSwap[7])
	s.prog = b.Program()
	s.inputs = []field.Ext{ext(1, 2, 3, 4), ext(9, 0, 11, 1), field.NewExt(field.New(77)), field.NewExt(field.New(12345)), field.NewExt(field.New(3)), field.NewExt(field.New(1)),
		field.NewExt(field.New(3)), field.NewExt(field.New(1)), field.NewExt(field.New(4)), field.NewExt(field.New(1)),
		field.NewExt(field.New(5)), field.NewExt(field.New(9)), field.NewExt(field.New(2)), field.NewExt(field.New(6)), field.NewExt(field.New(3)), field.NewExt(field.New(5))}
	return s
}

func (s *sample) keys(t testing.TB, e *hemera.Engine) *ProvingKey {
	t.Helper()
	pk, _, err := Setup(e, s.prog)
	if err != nil {
		t.Fatal(err)
	}
	return pk
}

func (s *sample) memory(t testing.TB) []field.Ext {
	t.Helper()
	mem, err := s.prog.Execute(s.inputs)
	if err != nil {
		t.Fatal(err)
	}
	return mem
}

// check runs airtest on every table and the bus with the publics' messages.
func check(pk *ProvingKey, main [][][]field.Elem, publics []field.Ext) error {
	return errors.Join(checkConstraints(pk, main), checkBus(pk, main, publics))
}

// checkConstraints runs airtest.Check on every table.
func checkConstraints(pk *ProvingKey, main [][][]field.Elem) error {
	var errs []error
	for t, a := range pk.STARK.VK.AIRs {
		if err := airtest.Check(a, main[t], pk.prep(t), nil); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// checkBus runs airtest.CheckBus on the tables and the publics' messages.
func checkBus(pk *ProvingKey, main [][][]field.Elem, publics []field.Ext) error {
	var tbs []airtest.Table
	for t, a := range pk.STARK.VK.AIRs {
		tbs = append(tbs, airtest.Table{AIR: a, Main: main[t], Prep: pk.prep(t)})
	}
	var pub []airtest.Message
	for _, m := range Messages(pk.VK.Publics, publics) {
		pub = append(pub, airtest.Message(m))
	}
	return airtest.CheckBus(tbs, pub)
}

func publicsOf(p *ir.Program, mem []field.Ext) []field.Ext {
	out := make([]field.Ext, len(p.Publics))
	for i, v := range p.Publics {
		out[i] = mem[v]
	}
	return out
}

func TestHonest(t *testing.T) {
	s := newSample()
	st := s.prog.Stats()
	for op := ir.OpConst; op <= ir.OpBits; op++ {
		if st[op] == 0 {
			t.Fatalf("the sample program has no %s instruction", op)
		}
	}
	e := engine(t)
	pk, vk, err := Setup(e, s.prog)
	if err != nil {
		t.Fatal(err)
	}
	mem := s.memory(t)
	if err := check(pk, pk.Traces(mem), publicsOf(s.prog, mem)); err != nil {
		t.Fatalf("honest traces: %v", err)
	}
	proof, publics, err := Prove(e, pk, s.inputs)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := stark.Decode(proof.Encode())
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(e, vk, publics, dec); err != nil {
		t.Fatalf("honest proof rejected: %v", err)
	}
	for i, v := range s.prog.Publics {
		if !publics[i].Equal(&mem[v]) {
			t.Fatalf("public %d = %v, want %v", i, publics[i], mem[v])
		}
	}
}

// A program without permutations or decompositions (their tables are one padding row)
// and the synthetic benchmark program at a small size prove and verify.
func TestSmallPrograms(t *testing.T) {
	e := engine(t)
	b := ir.NewBuilder()
	x := b.Input()
	b.Public(b.Mul(x, x))
	tiny := b.Program()
	syn, synIn := synthetic(20, 7)
	for name, c := range map[string]struct {
		p  *ir.Program
		in []field.Ext
	}{"tiny": {tiny, []field.Ext{ext(3, 0, 0, 1)}}, "synthetic": {syn, synIn}} {
		pk, vk, err := Setup(e, c.p)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		mem, err := c.p.Execute(c.in)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := check(pk, pk.Traces(mem), publicsOf(c.p, mem)); err != nil {
			t.Fatalf("%s: honest traces: %v", name, err)
		}
		proof, publics, err := Prove(e, pk, c.in)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := Verify(e, vk, publics, proof); err != nil {
			t.Fatalf("%s: honest proof rejected: %v", name, err)
		}
	}
}

// The tables' shapes: widths, constraint degrees within blowup 2's bound (3).
func TestShapes(t *testing.T) {
	want := []struct{ main, prep int }{{12, 8}, {4, 16}, {41, 52}, {32, 64}, {28, 16}}
	for i, a := range AIRs()[:tPoseidon2] {
		if len(a.Main) != want[i].main || len(a.Prep) != want[i].prep || len(a.Publics) != 0 {
			t.Errorf("%s: %d main, %d preprocessed columns, %d publics", a.Name, len(a.Main), len(a.Prep), len(a.Publics))
		}
		if d := a.MaxConstraintDegree(); d > 3 {
			t.Errorf("%s: constraint degree %d", a.Name, d)
		}
	}
}

// The AIR's product of degree-4 elements is field.Ext's.
func TestMulExt(t *testing.T) {
	e := engine(t)
	b := ir.NewBuilder()
	var outs []ir.Var
	var in []field.Ext
	for range 8 {
		x, y := b.Input(), b.Input()
		outs = append(outs, b.Mul(x, y))
		var u, v field.Ext
		for _, w := range []*field.Ext{&u, &v} {
			var c [4]field.Elem
			for k := range c {
				c[k].SetRandom()
			}
			*w = field.ExtFromCoords(c[:])
		}
		in = append(in, u, v)
	}
	for _, o := range outs {
		b.Public(o)
	}
	p := b.Program()
	pk, _, err := Setup(e, p)
	if err != nil {
		t.Fatal(err)
	}
	mem, err := p.Execute(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := checkConstraints(pk, pk.Traces(mem)); err != nil {
		t.Fatal(err)
	}
}

// In zero-knowledge mode (masked traces, a LogUp blinding column per table) the honest
// proof verifies and other publics are rejected.
func TestZeroKnowledge(t *testing.T) {
	p := chiptest.Params
	p.FRI.ZK = true
	e, err := hemera.New(p)
	if err != nil {
		t.Fatal(err)
	}
	s := newSample()
	pk, vk, err := Setup(e, s.prog)
	if err != nil {
		t.Fatal(err)
	}
	proof, publics, err := Prove(e, pk, s.inputs)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(e, vk, publics, proof); err != nil {
		t.Fatalf("honest proof rejected: %v", err)
	}
	plusOne(&publics[0])
	if err := Verify(e, vk, publics, proof); !errors.Is(err, stark.ErrInvalidProof) {
		t.Fatalf("other publics: %v", err)
	}
}
