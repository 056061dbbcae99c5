package module

import "fmt"

// Function bodies: the operand stack of types and the control frames of the
// specification's validation algorithm.

// ctrl is a control frame of the validation algorithm (the spec's appendix).
type ctrl struct {
	op          Opcode
	start, end  []ValType
	height      int // operand stack height at entry (values)
	unreachable bool
}

type funcValidator struct {
	v      *validator
	f      *Func
	locals []ValType
	vals   []ValType
	words  int // words on the operand stack (i64/f64 count 2, unknown counts 2)
	ctrls  []ctrl
	in     Instr
	err    *Error
	index  int
}

func (fv *funcValidator) fail(format string, args ...any) {
	if fv.err == nil {
		fv.err = &Error{Kind: ErrInvalid, Off: int(fv.in.Off), Func: fv.index, Msg: fmt.Sprintf(format, args...)}
	}
}

func words(t ValType) int {
	if t == Unknown {
		return 2
	}
	return t.Words()
}

func (fv *funcValidator) push(t ValType) {
	fv.vals = append(fv.vals, t)
	fv.words += words(t)
	if fv.words > fv.f.MaxStackWords {
		fv.f.MaxStackWords = fv.words
	}
}

func (fv *funcValidator) pushAll(ts []ValType) {
	for _, t := range ts {
		fv.push(t)
	}
}

func (fv *funcValidator) popAny() ValType {
	c := &fv.ctrls[len(fv.ctrls)-1]
	if len(fv.vals) == c.height {
		if c.unreachable {
			return Unknown
		}
		fv.fail("type mismatch: %s needs an operand, the stack is empty", fv.in.Op)
		return Unknown
	}
	t := fv.vals[len(fv.vals)-1]
	fv.vals = fv.vals[:len(fv.vals)-1]
	fv.words -= words(t)
	return t
}

func (fv *funcValidator) pop(want ValType) ValType {
	got := fv.popAny()
	if got != want && got != Unknown && want != Unknown {
		fv.fail("type mismatch: %s expects %v, found %v", fv.in.Op, want, got)
	}
	if got == Unknown {
		return want
	}
	return got
}

func (fv *funcValidator) popAll(ts []ValType) {
	for i := len(ts) - 1; i >= 0; i-- {
		fv.pop(ts[i])
	}
}

// peekAll checks that the top of the stack holds ts, without popping.
func (fv *funcValidator) peekAll(ts []ValType) {
	c := &fv.ctrls[len(fv.ctrls)-1]
	for i := range ts {
		pos := len(fv.vals) - len(ts) + i
		if pos < c.height {
			if !c.unreachable {
				fv.fail("type mismatch: %s needs %d operands", fv.in.Op, len(ts))
				return
			}
			continue
		}
		if got := fv.vals[pos]; got != ts[i] && got != Unknown {
			fv.fail("type mismatch: %s expects %v, found %v", fv.in.Op, ts[i], got)
			return
		}
	}
}

func (fv *funcValidator) pushCtrl(op Opcode, in, out []ValType) {
	fv.ctrls = append(fv.ctrls, ctrl{op: op, start: in, end: out, height: len(fv.vals)})
	fv.pushAll(in)
}

func (fv *funcValidator) popCtrl() ctrl {
	if len(fv.ctrls) == 0 {
		fv.fail("unexpected end")
		return ctrl{}
	}
	c := fv.ctrls[len(fv.ctrls)-1]
	fv.popAll(c.end)
	if len(fv.vals) != c.height {
		fv.fail("type mismatch: %d values left on the stack at the end of a block", len(fv.vals)-c.height)
	}
	fv.ctrls = fv.ctrls[:len(fv.ctrls)-1]
	return c
}

func labelTypes(c *ctrl) []ValType {
	if c.op == OpLoop {
		return c.start
	}
	return c.end
}

func (fv *funcValidator) unreachable() {
	c := &fv.ctrls[len(fv.ctrls)-1]
	for len(fv.vals) > c.height {
		fv.words -= words(fv.vals[len(fv.vals)-1])
		fv.vals = fv.vals[:len(fv.vals)-1]
	}
	c.unreachable = true
}

func (fv *funcValidator) label(depth uint32) *ctrl {
	if uint64(depth) >= uint64(len(fv.ctrls)) {
		fv.fail("unknown label %d", depth)
		return nil
	}
	return &fv.ctrls[len(fv.ctrls)-1-int(depth)]
}

func (fv *funcValidator) needMemory() bool {
	if len(fv.v.mems) == 0 {
		fv.fail("unknown memory 0")
		return false
	}
	return true
}

func (fv *funcValidator) needData(x uint32) {
	if !fv.v.m.HasCount {
		fv.fail("data count section required")
	} else if x >= fv.v.m.DataCount {
		fv.fail("unknown data segment %d", x)
	}
}

func (fv *funcValidator) table(x uint32) TableType {
	if x >= uint32(len(fv.v.tables)) {
		fv.fail("unknown table %d", x)
		return TableType{Elem: FuncRef}
	}
	return fv.v.tables[x]
}

func (fv *funcValidator) elem(x uint32) ValType {
	if x >= uint32(len(fv.v.m.Elems)) {
		fv.fail("unknown elem segment %d", x)
		return FuncRef
	}
	return fv.v.m.Elems[x].Type
}

func (v *validator) function(i int) error {
	m := v.m
	f := &m.Funcs[i]
	t := m.Types[f.Type]
	fv := &funcValidator{v: v, f: f, index: int(m.NumImportedFuncs) + i}
	fv.locals = append(append(make([]ValType, 0, len(t.Params)+len(f.Locals)), t.Params...), f.Locals...)
	if len(fv.locals) > MaxLocals {
		return &Error{Kind: ErrMalformed, Off: int(f.Off), Func: fv.index, Msg: "too many locals"}
	}
	f.MaxStackWords = 0
	fv.ctrls = append(fv.ctrls, ctrl{op: OpBlock, end: t.Results})
	for k := range f.Body {
		fv.in = f.Body[k]
		if len(fv.ctrls) == 0 {
			fv.fail("END opcode expected: instructions after the function's end")
			break
		}
		fv.instr(f.Tables)
		if fv.err != nil {
			return fv.err
		}
		if fv.in.Op.IsFloat() && !f.UsesFloat {
			f.UsesFloat, f.FloatOff, f.FloatOp = true, fv.in.Off, fv.in.Op
		}
	}
	if fv.err == nil && len(fv.ctrls) != 0 {
		fv.fail("END opcode expected")
	}
	if fv.err != nil {
		return fv.err
	}
	return nil
}
