package recursion

import (
	"errors"
	"testing"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

func ext(a, b, c, d uint64) field.Ext {
	return field.ExtFromCoords([]field.Elem{field.New(a), field.New(b), field.New(c), field.New(d)})
}

func TestExecute(t *testing.T) {
	b := NewBuilder()
	x, y := b.Input(), b.InputBase()
	s := b.Add(x, y)
	q := b.Div(s, x)
	b.Label("the quotient")
	b.AssertEq(b.Mul(q, x), s)
	var in [hash.Width]Var
	for i := range in {
		in[i] = y
	}
	out := b.Perm(in)
	bits := b.Bits(out[0])
	b.Public(bits[3])
	p := b.Program()
	X, Y := ext(3, 5, 7, 11), field.NewExt(field.New(1000))
	mem, err := p.Execute([]field.Ext{X, Y})
	if err != nil {
		t.Fatal(err)
	}
	var want field.Ext
	want.Add(&X, &Y)
	if !mem[s].Equal(&want) {
		t.Fatalf("sum %v, want %v", mem[s], want)
	}
	var st [hash.Width]field.Elem
	for i := range st {
		st[i] = field.New(1000)
	}
	hash.Permute(&st)
	if got := mem[out[5]].Base(); got != st[5] {
		t.Fatalf("perm out[5] %v, want %v", got, st[5])
	}
	u := st[0].Uint64()
	for i, v := range bits {
		if mb := mem[v].Base(); mb.Uint64() != u>>i&1 {
			t.Fatalf("bit %d", i)
		}
	}
	// A failing assertion names the instruction and its label; a non-base input is refused.
	b2 := NewBuilder()
	x2 := b2.Input()
	b2.Label("x is one")
	b2.AssertEq(x2, b2.ConstBase(field.New(1)))
	var ee *ExecError
	if _, err := b2.Program().Execute([]field.Ext{ext(2, 0, 0, 0)}); !errors.As(err, &ee) || ee.Label != "x is one" {
		t.Fatalf("got %v", err)
	}
	if _, err := p.Execute([]field.Ext{X, X}); !errors.As(err, &ee) || ee.Op != OpInputBase {
		t.Fatalf("a non-base input: %v", err)
	}
	// The inverse of zero fails its assertion.
	b3 := NewBuilder()
	b3.Inv(b3.Input())
	if _, err := b3.Program().Execute([]field.Ext{{}}); !errors.As(err, &ee) {
		t.Fatalf("inverse of zero: %v", err)
	}
	// The bits of a cell that is not a base element are refused: the bits table reads
	// (cell, x, 0, 0, 0), so no proof could follow.
	b4 := NewBuilder()
	b4.Bits(b4.Input())
	if _, err := b4.Program().Execute([]field.Ext{ext(2, 1, 0, 0)}); !errors.As(err, &ee) || ee.Op != OpBits {
		t.Fatalf("bits of a non-base cell: %v", err)
	}
}

// TestExecuteNeverPanics: a degree-6 input, an instruction whose label is out of range
// and a degree-6 constant in the instruction fail with an *ExecError; Builder.Const
// refuses a degree-6 constant outright.
func TestExecuteNeverPanics(t *testing.T) {
	six := field.ExtFromCoords([]field.Elem{field.New(1), field.New(2), field.New(3), field.New(4), field.New(5), field.New(6)})
	b := NewBuilder()
	b.Input()
	p := b.Program()
	var ee *ExecError
	if _, err := p.Execute([]field.Ext{six}); !errors.As(err, &ee) {
		t.Fatalf("a degree-6 input: %v", err)
	}
	p.Insts[0].Label = 99
	if _, err := p.Execute([]field.Ext{six}); !errors.As(err, &ee) {
		t.Fatalf("a label out of range: %v", err)
	}
	p.Inputs = 0
	if _, err := p.Execute(nil); !errors.As(err, &ee) {
		t.Fatalf("more input instructions than Inputs: %v", err)
	}
	q := &Program{Insts: []Inst{{Op: OpConst, C: 1, K: six}}, Cells: 2, Labels: []string{""}}
	if _, err := q.Execute(nil); !errors.As(err, &ee) {
		t.Fatalf("a degree-6 constant: %v", err)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("Builder.Const took a degree-6 constant")
		}
	}()
	NewBuilder().Const(six)
}

// TestCompress: Compress and CompressSwap are hash.Compress of the digests in the order
// the bit says; a bit other than 0 or 1, a non-base bit or input, and a malformed
// instruction are refused with an *ExecError.
func TestCompress(t *testing.T) {
	b := NewBuilder()
	var x, y [hash.DigestLen]Var
	for i := range x {
		x[i], y[i] = b.InputBase(), b.InputBase()
	}
	x[0] = b.Input() // x[0] and the bit are ext inputs: the compression must refuse non-base values
	bit := b.Input()
	plain := b.Compress(x, y)
	swapped := b.CompressSwap(bit, x, y)
	p := b.Program()
	in := make([]field.Ext, p.Inputs)
	var X, Y hash.Digest
	for i := range X {
		X[i], Y[i] = field.New(uint64(3*i+1)), field.New(uint64(7*i+2))
		in[2*i], in[2*i+1] = field.NewExt(X[i]), field.NewExt(Y[i])
	}
	in[len(in)-2] = field.NewExt(X[0])
	for _, bv := range []uint64{0, 1} {
		in[len(in)-1] = field.NewExt(field.New(bv))
		mem, err := p.Execute(in)
		if err != nil {
			t.Fatal(err)
		}
		l, r := X, Y
		if bv == 1 {
			l, r = Y, X
		}
		want, want0 := hash.Compress(&l, &r), hash.Compress(&X, &Y)
		for i := range want {
			if mem[swapped[i]].Base() != want[i] || mem[plain[i]].Base() != want0[i] {
				t.Fatalf("bit %d: element %d differs from hash.Compress", bv, i)
			}
		}
	}
	var ee *ExecError
	for _, bad := range []field.Ext{field.NewExt(field.New(2)), ext(1, 1, 0, 0), ext(0, 0, 0, 1)} {
		in[len(in)-1] = bad
		if _, err := p.Execute(in); !errors.As(err, &ee) || ee.Op != OpCompress {
			t.Fatalf("bit %v: %v", bad, err)
		}
	}
	in[len(in)-1] = field.NewExt(field.New(1))
	nb := append([]field.Ext(nil), in...)
	nb[len(nb)-2] = ext(1, 0, 1, 0)
	if _, err := p.Execute(nb); !errors.As(err, &ee) || ee.Op != OpCompress {
		t.Fatalf("a non-base input: %v", err)
	}
	for _, mal := range []func(in *Inst){
		func(in *Inst) { in.In = in.In[:15] },
		func(in *Inst) { in.Out = append(in.Out, in.Out[0]) },
		func(in *Inst) { in.A = Var(p.Cells) },
	} {
		q := *p
		q.Insts = append([]Inst(nil), p.Insts...)
		last := q.Insts[len(q.Insts)-1]
		last.In, last.Out = append([]Var(nil), last.In...), append([]Var(nil), last.Out...)
		mal(&last)
		q.Insts[len(q.Insts)-1] = last
		if _, err := q.Execute(in); !errors.As(err, &ee) || ee.Op != OpCompress {
			t.Fatalf("a malformed compression: %v", err)
		}
	}
	defer func() {
		if recover() == nil {
			t.Fatal("CompressSwap without a bit cell")
		}
	}()
	NewBuilder().CompressSwap(0, x, y)
}

// TestInputBase4: InputExt4 and InputBases read the stream in order, four values to an
// instruction, the ext cell the element of the four; a non-base value, an instruction of
// 0 or 5 cells or of 3 with an ext cell, and a stream too short are refused.
func TestInputBase4(t *testing.T) {
	b := NewBuilder()
	co, x := b.InputExt4()
	rest := b.InputBases(6)
	p := b.Program()
	if p.Inputs != 10 || len(p.Insts) != 3 || len(rest) != 6 {
		t.Fatalf("%d inputs, %d instructions, %d cells", p.Inputs, len(p.Insts), len(rest))
	}
	in := make([]field.Ext, 10)
	for i := range in {
		in[i] = field.NewExt(field.New(uint64(10 + i)))
	}
	mem, err := p.Execute(in)
	if err != nil {
		t.Fatal(err)
	}
	want := ext(10, 11, 12, 13)
	if !mem[x].Equal(&want) || mem[co[2]].Base() != field.New(12) || mem[rest[5]].Base() != field.New(19) {
		t.Fatalf("ext %v, coordinate 2 %v, last %v", mem[x], mem[co[2]], mem[rest[5]])
	}
	var ee *ExecError
	bad := append([]field.Ext(nil), in...)
	bad[8] = ext(1, 0, 0, 1)
	if _, err := p.Execute(bad); !errors.As(err, &ee) || ee.Op != OpInputBase4 {
		t.Fatalf("a non-base input: %v", err)
	}
	for name, change := range map[string]func(in *Inst){
		"no cell":                func(in *Inst) { in.Out = nil },
		"five cells":             func(in *Inst) { in.Out = append(in.Out, in.C) },
		"three with an ext cell": func(in *Inst) { in.Out = in.Out[:3] },
	} {
		q := *p
		q.Insts = append([]Inst(nil), p.Insts...)
		q.Insts[0].Out = append([]Var(nil), p.Insts[0].Out...)
		change(&q.Insts[0])
		if _, err := q.Execute(in); !errors.As(err, &ee) || ee.Op != OpInputBase4 {
			t.Fatalf("%s: %v", name, err)
		}
	}
	q := *p
	q.Inputs = 8 // the last instruction reads past the stream
	if _, err := q.Execute(in[:8]); !errors.As(err, &ee) || ee.Op != OpInputBase4 {
		t.Fatalf("a short stream: %v", err)
	}
}

// TestDot: Dot is acc + Σ c_i·x_i, four products to an instruction; a non-base value
// and malformed instructions are refused.
func TestDot(t *testing.T) {
	b := NewBuilder()
	acc := b.Input()
	var cs, xs []Var
	for range 6 {
		cs = append(cs, b.Input())
		xs = append(xs, b.InputBase())
	}
	d := b.Dot(acc, cs, xs)
	if b.Dot(acc, nil, nil) != acc {
		t.Fatal("an empty Dot is not its accumulator")
	}
	p := b.Program()
	in := []field.Ext{ext(1, 2, 3, 4)}
	want := in[0]
	for i := range 6 {
		c, x := ext(uint64(i), 7, uint64(3*i), 1), field.NewExt(field.New(uint64(100+i)))
		in = append(in, c, x)
		c.Mul(&c, &x)
		want.Add(&want, &c)
	}
	mem, err := p.Execute(in)
	if err != nil {
		t.Fatal(err)
	}
	if !mem[d].Equal(&want) || p.Stats()[OpDot] != 2 {
		t.Fatalf("dot %v, want %v (%d instructions)", mem[d], want, p.Stats()[OpDot])
	}
	var ee *ExecError
	for name, change := range map[string]func(in *Inst){
		"odd":     func(in *Inst) { in.In = in.In[:3] },
		"empty":   func(in *Inst) { in.In = nil },
		"ten":     func(in *Inst) { in.In = append(in.In, in.In[:2]...) },
		"no acc":  func(in *Inst) { in.A = 0 },
		"base op": func(in *Inst) { in.In[len(in.In)-1] = in.In[0] }, // an ext cell as a value
	} {
		q := *p
		q.Insts = append([]Inst(nil), p.Insts...)
		last := len(q.Insts) - 2 // the first dot
		for q.Insts[last].Op != OpDot || len(q.Insts[last].In) != 8 {
			last--
		}
		q.Insts[last].In = append([]Var(nil), p.Insts[last].In...)
		change(&q.Insts[last])
		if _, err := q.Execute(in); !errors.As(err, &ee) || ee.Op != OpDot {
			t.Fatalf("%s: %v", name, err)
		}
	}
}
