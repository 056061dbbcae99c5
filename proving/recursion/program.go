package recursion

import (
	"fmt"

	"github.com/oneiros-zk/oneiros/proving/field"
	"github.com/oneiros-zk/oneiros/proving/hash"
)

// Var is a cell of a program's write-once memory. Every cell holds one element of the
// degree-4 extension; a base element is a cell whose coordinates 1…3 are zero (the
// instructions that need base elements — Perm, Bits, InputBase — make or require that).
// Cell 0 is never written: a Var of 0 in an instruction means "none".
type Var uint32

// Op is an instruction's kind.
type Op uint8

const (
	OpConst     Op = iota + 1 // C = K
	OpInput                   // C = the next value of the input stream (an extension element)
	OpInputBase               // C = the next value of the input stream, which must be a base element
	OpInv                     // C = A⁻¹, a hint the executor computes (0 when A = 0): constrained only by what the program asserts of it
	OpAdd                     // C = A + B
	OpSub                     // C = A − B
	OpMul                     // C = A · B
	OpAssertEq                // A = B (no output)
	OpPerm                    // Out[0..16) = Poseidon2(In[0..16)) (hash.Permute), base elements
	OpBits                    // Out[i] = bit i of A, a base element, for i < 31: the canonical decomposition (A < p)
	// OpCompress is a Merkle step: Out[0..8) = hash.Compress(l, r) = P(l ‖ r)[8:16] + r,
	// with (l, r) = (In[0..8), In[8..16)) when A is 0 (no bit) or the bit cell A holds 0,
	// and (In[8..16), In[0..8)) when A holds 1; every cell a base element, A's value 0 or 1.
	OpCompress
	// OpInputBase4 is Out[k] = the next len(Out) values of the input stream (1 to 4),
	// each a base element, in one row; with C ≠ 0 (and four cells) also C = the
	// extension element whose coordinates (field.ExtCoords order) they are.
	OpInputBase4
	// OpDot is C = A + Σ_(k<n) In[k]·In[n+k] for n = len(In)/2 (1 to 4): an accumulator
	// plus the products of n ext cells and n base cells (the batching of opened base
	// values), one row.
	OpDot
)

// DotLen is the most products one OpDot adds.
const DotLen = 4

var opNames = [...]string{OpConst: "const", OpInput: "input", OpInputBase: "input_base", OpInv: "inv", OpAdd: "add",
	OpSub: "sub", OpMul: "mul", OpAssertEq: "assert_eq", OpPerm: "perm", OpBits: "bits", OpCompress: "compress", OpInputBase4: "input_base4", OpDot: "dot"}

func (o Op) String() string {
	if int(o) < len(opNames) && opNames[o] != "" {
		return opNames[o]
	}
	return fmt.Sprintf("op(%d)", o)
}

// BitsLen is the number of bits OpBits writes: a canonical KoalaBear element has 31.
const BitsLen = 31

// Inst is one instruction. Fields an Op does not use are zero.
type Inst struct {
	Op      Op
	A, B, C Var
	K       field.Ext // OpConst's value
	In, Out []Var     // OpPerm: 16 and 16; OpBits: Out has BitsLen cells; OpCompress: 16 and 8; OpInputBase4: Out 1 to 4; OpDot: In 2 to 8
	Label   uint32    // index into Program.Labels: what the instruction checks, for errors
}

// Program is a straight-line program over write-once memory: every cell is written by
// exactly one instruction before it is read. It is what the recursion AIR set proves
// (package recursion's tables), and what Execute runs natively.
type Program struct {
	Insts   []Inst
	Cells   uint32   // cells 1…Cells-1 are written
	Inputs  int      // values the input stream must hold (OpInput and OpInputBase instructions)
	Publics []Var    // the program's public outputs, in order: the statement of its proof
	Labels  []string // Labels[Inst.Label]: a short description; Labels[0] is ""
}

// Builder builds a Program. Its methods allocate the output cells.
type Builder struct {
	p      Program
	consts map[[field.MaxExtDegree]field.Elem]Var
	label  uint32
	labels map[string]uint32
}

// NewBuilder returns an empty Builder.
func NewBuilder() *Builder {
	return &Builder{p: Program{Cells: 1, Labels: []string{""}}, consts: map[[field.MaxExtDegree]field.Elem]Var{}, labels: map[string]uint32{"": 0}}
}

// Label sets the description of the instructions emitted from now on (for errors:
// "fri: query 3: folding"). It returns the previous one's index for Restore.
func (b *Builder) Label(s string) uint32 {
	prev := b.label
	i, ok := b.labels[s]
	if !ok {
		i = uint32(len(b.p.Labels))
		b.p.Labels = append(b.p.Labels, s)
		b.labels[s] = i
	}
	b.label = i
	return prev
}

// Restore sets the label back to one Label returned.
func (b *Builder) Restore(l uint32) { b.label = l }

func (b *Builder) cell() Var {
	v := Var(b.p.Cells)
	b.p.Cells++
	return v
}

func (b *Builder) emit(in Inst) {
	in.Label = b.label
	b.p.Insts = append(b.p.Insts, in)
}

func (b *Builder) out(op Op, a, c Var) Var {
	v := b.cell()
	b.emit(Inst{Op: op, A: a, B: c, C: v})
	return v
}

// Const is a cell holding k (one cell per distinct constant). k must be a base element
// or of the degree-4 extension: the program's cells are degree 4, and a degree-6
// constant is a programming error (it panics).
func (b *Builder) Const(k field.Ext) Var {
	if !k.InDegree(field.ExtDegree4) {
		panic(fmt.Sprintf("recursion: a constant of degree %d in a program over the degree-4 extension", k.Degree()))
	}
	key := field.ExtCoords(&k)
	if v, ok := b.consts[key]; ok {
		return v
	}
	v := b.cell()
	b.emit(Inst{Op: OpConst, C: v, K: k})
	b.consts[key] = v
	return v
}

// ConstBase is Const of a base element.
func (b *Builder) ConstBase(k field.Elem) Var { return b.Const(field.NewExt(k)) }

// InputBases is the next n elements of the input stream, base elements, read four to
// an instruction.
func (b *Builder) InputBases(n int) []Var {
	out := make([]Var, 0, n)
	for len(out) < n {
		k := min(4, n-len(out))
		cells := make([]Var, k)
		for i := range cells {
			cells[i] = b.cell()
		}
		b.p.Inputs += k
		b.emit(Inst{Op: OpInputBase4, Out: cells})
		out = append(out, cells...)
	}
	return out
}

// InputExt4 is the next four elements of the input stream, base elements, as cells and
// as the extension element whose coordinates they are (field.ExtCoords order): one
// instruction.
func (b *Builder) InputExt4() (coords [4]Var, x Var) {
	for i := range coords {
		coords[i] = b.cell()
	}
	x = b.cell()
	b.p.Inputs += 4
	b.emit(Inst{Op: OpInputBase4, C: x, Out: append([]Var(nil), coords[:]...)})
	return coords, x
}

// Dot is acc + Σ_i cs[i]·xs[i], the xs base cells, DotLen products to an instruction
// (acc itself when cs is empty). cs and xs must have one length (it panics otherwise: a
// programming error).
func (b *Builder) Dot(acc Var, cs, xs []Var) Var {
	if len(cs) != len(xs) {
		panic(fmt.Sprintf("recursion: Dot of %d coefficients and %d values", len(cs), len(xs)))
	}
	for i := 0; i < len(cs); i += DotLen {
		n := min(DotLen, len(cs)-i)
		in := make([]Var, 0, 2*n)
		in = append(append(in, cs[i:i+n]...), xs[i:i+n]...)
		c := b.cell()
		b.emit(Inst{Op: OpDot, A: acc, C: c, In: in})
		acc = c
	}
	return acc
}

// Input is the next extension element of the input stream.
func (b *Builder) Input() Var {
	b.p.Inputs++
	return b.out(OpInput, 0, 0)
}

// InputBase is the next element of the input stream, a base element.
func (b *Builder) InputBase() Var {
	b.p.Inputs++
	return b.out(OpInputBase, 0, 0)
}

func (b *Builder) Add(x, y Var) Var { return b.out(OpAdd, x, y) }
func (b *Builder) Sub(x, y Var) Var { return b.out(OpSub, x, y) }
func (b *Builder) Mul(x, y Var) Var { return b.out(OpMul, x, y) }

// Inv is x⁻¹, and asserts x·x⁻¹ = 1 (so x ≠ 0).
func (b *Builder) Inv(x Var) Var {
	v := b.cell()
	b.emit(Inst{Op: OpInv, A: x, C: v})
	b.AssertEq(b.Mul(x, v), b.ConstBase(field.New(1)))
	return v
}

// Div is x / y, and asserts y ≠ 0.
func (b *Builder) Div(x, y Var) Var { return b.Mul(x, b.Inv(y)) }

// AssertEq asserts x = y.
func (b *Builder) AssertEq(x, y Var) { b.emit(Inst{Op: OpAssertEq, A: x, B: y}) }

// Perm is the Poseidon2 permutation of 16 base cells.
func (b *Builder) Perm(in [hash.Width]Var) [hash.Width]Var {
	var out [hash.Width]Var
	for i := range out {
		out[i] = b.cell()
	}
	b.emit(Inst{Op: OpPerm, In: append([]Var(nil), in[:]...), Out: append([]Var(nil), out[:]...)})
	return out
}

// Bits is the canonical little-endian bit decomposition of the base cell x.
func (b *Builder) Bits(x Var) [BitsLen]Var {
	var out [BitsLen]Var
	for i := range out {
		out[i] = b.cell()
	}
	b.emit(Inst{Op: OpBits, A: x, Out: append([]Var(nil), out[:]...)})
	return out
}

// Public appends x to the program's public outputs.
func (b *Builder) Public(x Var) { b.p.Publics = append(b.p.Publics, x) }

// Program returns the program built so far (the Builder must not be used afterwards).
func (b *Builder) Program() *Program {
	p := b.p
	return &p
}

// Stats counts a program's instructions by kind.
func (p *Program) Stats() map[Op]int {
	m := map[Op]int{}
	for i := range p.Insts {
		m[p.Insts[i].Op]++
	}
	return m
}

// ExecError is an instruction that failed: an assertion that does not hold, an input
// that is not a base element, a cell read before it is written.
type ExecError struct {
	Index int    // the instruction
	Op    Op     // its kind
	Label string // what it checks
	Why   string
}

func (e *ExecError) Error() string {
	if e.Label != "" {
		return fmt.Sprintf("recursion program: instruction %d (%s, %s): %s", e.Index, e.Op, e.Label, e.Why)
	}
	return fmt.Sprintf("recursion program: instruction %d (%s): %s", e.Index, e.Op, e.Why)
}

// Execute runs the program on an input stream and returns its memory (cell i holds
// mem[i]; every value as a degree-4 element). It fails with an *ExecError at the first
// instruction that does not hold; a program that executes is one whose proof the
// recursion AIR set can make.
func (p *Program) Execute(inputs []field.Ext) ([]field.Ext, error) {
	if len(inputs) != p.Inputs {
		return nil, fmt.Errorf("recursion program: %d inputs, want %d", len(inputs), p.Inputs)
	}
	mem := make([]field.Ext, p.Cells)
	set := make([]bool, p.Cells)
	next := 0
	for i := range p.Insts {
		in := &p.Insts[i]
		fail := func(format string, args ...any) error {
			label := ""
			if int(in.Label) < len(p.Labels) {
				label = p.Labels[in.Label]
			}
			return &ExecError{Index: i, Op: in.Op, Label: label, Why: fmt.Sprintf(format, args...)}
		}
		read := func(v Var) (field.Ext, error) {
			if v == 0 || v >= Var(p.Cells) || !set[v] {
				return field.Ext{}, fail("reads cell %d before it is written", v)
			}
			return mem[v], nil
		}
		write := func(v Var, x field.Ext) error {
			if v == 0 || v >= Var(p.Cells) || set[v] {
				return fail("writes cell %d twice (or out of range)", v)
			}
			if !x.InDegree(field.ExtDegree4) {
				return fail("writes an element of degree %d into cell %d (cells are degree 4)", x.Degree(), v)
			}
			mem[v], set[v] = x.WithDegree(field.ExtDegree4), true
			return nil
		}
		// readState reads a permutation's or compression's width-16 input, base cells.
		readState := func(what string) (st [hash.Width]field.Elem, err error) {
			for j, v := range in.In {
				x, err := read(v)
				if err != nil {
					return st, err
				}
				if !isBase(x) {
					return st, fail("%s input %d (cell %d) is not a base element", what, j, v)
				}
				st[j] = x.Base()
			}
			return st, nil
		}
		var err error
		switch in.Op {
		case OpConst:
			err = write(in.C, in.K)
		case OpInput, OpInputBase:
			if next == len(inputs) { // a Program whose Inputs undercounts its input instructions
				return nil, fail("reads input %d, the program has %d", next, p.Inputs)
			}
			x := inputs[next]
			next++
			if in.Op == OpInputBase && !isBase(x) {
				return nil, fail("input %d is not a base element", next-1)
			}
			err = write(in.C, x)
		case OpInputBase4:
			n := len(in.Out)
			if n < 1 || n > 4 || (in.C != 0 && n != 4) {
				return nil, fail("%d cells (and ext cell %d): want 1 to 4, and 4 with an ext cell", n, in.C)
			}
			if len(inputs)-next < n {
				return nil, fail("reads inputs %d…%d, the program has %d", next, next+n-1, p.Inputs)
			}
			co := make([]field.Elem, 4)
			for k, v := range in.Out {
				x := inputs[next]
				next++
				if !isBase(x) {
					return nil, fail("input %d is not a base element", next-1)
				}
				co[k] = x.Base()
				if err := write(v, x); err != nil {
					return nil, err
				}
			}
			if in.C != 0 {
				err = write(in.C, field.ExtFromCoords(co))
			}
		case OpDot:
			n := len(in.In) / 2
			if len(in.In) != 2*n || n < 1 || n > DotLen {
				return nil, fail("%d operand cells: want 2 to %d, an even number", len(in.In), 2*DotLen)
			}
			acc, err := read(in.A)
			if err != nil {
				return nil, err
			}
			for k := range n {
				c, err := read(in.In[k])
				if err != nil {
					return nil, err
				}
				x, err := read(in.In[n+k])
				if err != nil {
					return nil, err
				}
				if !isBase(x) {
					return nil, fail("operand %d (cell %d) is not a base element", n+k, in.In[n+k])
				}
				c.Mul(&c, &x)
				acc.Add(&acc, &c)
			}
			err = write(in.C, acc)
		case OpInv, OpAdd, OpSub, OpMul, OpAssertEq:
			var a, c field.Ext
			if a, err = read(in.A); err != nil {
				return nil, err
			}
			var y field.Ext
			if in.Op != OpInv {
				if y, err = read(in.B); err != nil {
					return nil, err
				}
			}
			switch in.Op {
			case OpInv:
				if !a.IsZero() {
					c.Inverse(&a)
				}
			case OpAdd:
				c.Add(&a, &y)
			case OpSub:
				c.Sub(&a, &y)
			case OpMul:
				c.Mul(&a, &y)
			case OpAssertEq:
				if !a.Equal(&y) {
					return nil, fail("%v ≠ %v", a, y)
				}
				continue
			}
			err = write(in.C, c)
		case OpPerm:
			if len(in.In) != hash.Width || len(in.Out) != hash.Width {
				return nil, fail("a permutation of %d cells into %d", len(in.In), len(in.Out))
			}
			st, err := readState("permutation")
			if err != nil {
				return nil, err
			}
			hash.Permute(&st)
			for j, v := range in.Out {
				if err := write(v, field.NewExt(st[j])); err != nil {
					return nil, err
				}
			}
		case OpCompress:
			if len(in.In) != hash.Width || len(in.Out) != hash.DigestLen {
				return nil, fail("a compression of %d cells into %d", len(in.In), len(in.Out))
			}
			st, err := readState("compression")
			if err != nil {
				return nil, err
			}
			if in.A != 0 {
				x, err := read(in.A)
				if err != nil {
					return nil, err
				}
				xb := x.Base()
				if !isBase(x) || xb.Uint64() > 1 {
					return nil, fail("the swap bit (cell %d) is %v, not 0 or 1", in.A, x)
				}
				if xb.Uint64() == 1 {
					for j := range hash.DigestLen {
						st[j], st[hash.DigestLen+j] = st[hash.DigestLen+j], st[j]
					}
				}
			}
			var r [hash.DigestLen]field.Elem
			copy(r[:], st[hash.DigestLen:])
			hash.Permute(&st)
			for j, v := range in.Out {
				var d field.Elem
				d.Add(&st[hash.DigestLen+j], &r[j])
				if err := write(v, field.NewExt(d)); err != nil {
					return nil, err
				}
			}
		case OpBits:
			if len(in.Out) != BitsLen {
				return nil, fail("%d bit cells, want %d", len(in.Out), BitsLen)
			}
			x, err := read(in.A)
			if err != nil {
				return nil, err
			}
			if !isBase(x) {
				return nil, fail("decomposes cell %d, which is not a base element", in.A)
			}
			xb := x.Base()
			u := xb.Uint64()
			for j, v := range in.Out {
				if err := write(v, field.NewExt(field.New(u>>j&1))); err != nil {
					return nil, err
				}
			}
		default:
			return nil, fail("unknown instruction")
		}
		if err != nil {
			return nil, err
		}
	}
	return mem, nil
}

func isBase(x field.Ext) bool {
	c := field.ExtCoords(&x)
	return c[1].IsZero() && c[2].IsZero() && c[3].IsZero()
}
