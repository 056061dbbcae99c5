package module

import "fmt"

// MaxPages is the most 64 KiB pages a 32-bit memory can have.
const MaxPages = 65536

// BlockType returns the parameter and result types of a block type (Instr.X of block,
// loop and if).
func (m *Module) BlockType(bt int64) (params, results []ValType, ok bool) {
	switch {
	case bt == BlockEmpty:
		return nil, nil, true
	case bt < 0:
		return nil, []ValType{ValType(bt & 0x7F)}, true
	case bt < int64(len(m.Types)):
		t := m.Types[bt]
		return t.Params, t.Results, true
	}
	return nil, nil, false
}

// Validate checks the module against WebAssembly 2.0's validation rules, and fills in
// each function's maximum operand-stack size and float usage.
func (m *Module) Validate() error {
	v := &validator{m: m}
	return v.module()
}

type validator struct {
	m        *Module
	funcs    []uint32 // type index of each function (imports first)
	globals  []GlobalType
	tables   []TableType
	mems     []Limits
	declared map[uint32]bool // functions referenced outside function bodies (ref.func allowed)
}

func (v *validator) module() error {
	m := v.m
	for _, im := range m.Imports {
		switch im.Kind {
		case KindFunc:
			if im.Type >= uint32(len(m.Types)) {
				return invalid(0, "unknown type %d in import %s.%s", im.Type, im.Module, im.Name)
			}
			v.funcs = append(v.funcs, im.Type)
		case KindTable:
			if err := tableLimits(im.Table.Limits); err != nil {
				return err
			}
			v.tables = append(v.tables, im.Table)
		case KindMemory:
			if err := memLimits(im.Memory); err != nil {
				return err
			}
			v.mems = append(v.mems, im.Memory)
		case KindGlobal:
			v.globals = append(v.globals, im.Global)
		}
	}
	for i, f := range m.Funcs {
		if f.Type >= uint32(len(m.Types)) {
			return invalid(int(f.Off), "unknown type %d for function %d", f.Type, int(m.NumImportedFuncs)+i)
		}
		v.funcs = append(v.funcs, f.Type)
	}
	for _, t := range m.Tables {
		if err := tableLimits(t.Limits); err != nil {
			return err
		}
		v.tables = append(v.tables, t)
	}
	for _, l := range m.Memories {
		if err := memLimits(l); err != nil {
			return err
		}
		v.mems = append(v.mems, l)
	}
	if len(v.mems) > 1 {
		return invalid(0, "multiple memories")
	}
	v.declared = map[uint32]bool{}
	// References to functions that ref.func may use: from globals, elements, exports.
	for _, g := range m.Globals {
		if g.Init.Op == OpRefFunc {
			v.declared[uint32(g.Init.Value)] = true
		}
	}
	for _, e := range m.Elems {
		for _, c := range e.Init {
			if c.Op == OpRefFunc {
				v.declared[uint32(c.Value)] = true
			}
		}
	}
	for _, e := range m.Exports {
		if e.Kind == KindFunc {
			v.declared[e.Index] = true
		}
	}
	for _, g := range m.Globals {
		if err := v.constExpr(g.Init, g.Type.Type); err != nil {
			return err
		}
		v.globals = append(v.globals, g.Type)
	}
	seen := map[string]bool{}
	for _, e := range m.Exports {
		if seen[e.Name] {
			return invalid(0, "duplicate export name %q", e.Name)
		}
		seen[e.Name] = true
		var n int
		switch e.Kind {
		case KindFunc:
			n = len(v.funcs)
		case KindTable:
			n = len(v.tables)
		case KindMemory:
			n = len(v.mems)
		case KindGlobal:
			n = len(v.globals)
		}
		if int64(e.Index) >= int64(n) {
			return invalid(0, "unknown %s %d in export %q", e.Kind, e.Index, e.Name)
		}
	}
	if m.HasStart {
		if m.Start >= uint32(len(v.funcs)) {
			return invalid(0, "unknown function %d as the start function", m.Start)
		}
		if t := m.Types[v.funcs[m.Start]]; len(t.Params) != 0 || len(t.Results) != 0 {
			return invalid(0, "start function %d must have type [] -> [], not %v", m.Start, t)
		}
	}
	for i, e := range m.Elems {
		if e.Mode == Active {
			if e.Table >= uint32(len(v.tables)) {
				return invalid(int(e.Off), "unknown table %d in element segment %d", e.Table, i)
			}
			if err := v.constExpr(e.Offset, I32); err != nil {
				return err
			}
			if v.tables[e.Table].Elem != e.Type {
				return invalid(int(e.Off), "type mismatch: element segment %d of %v for a table of %v", i, e.Type, v.tables[e.Table].Elem)
			}
		}
		for _, c := range e.Init {
			if err := v.constExpr(c, e.Type); err != nil {
				return err
			}
		}
	}
	for i, d := range m.Datas {
		if d.Mode == Active {
			if d.Memory >= uint32(len(v.mems)) {
				return invalid(int(d.Off), "unknown memory %d in data segment %d", d.Memory, i)
			}
			if err := v.constExpr(d.Offset, I32); err != nil {
				return err
			}
		}
	}
	for i := range m.Funcs {
		if err := v.function(i); err != nil {
			return err
		}
	}
	return nil
}

func memLimits(l Limits) error {
	if l.Min > MaxPages || (l.HasMax && l.Max > MaxPages) {
		return invalid(0, "memory size must be at most 65536 pages (4GiB)")
	}
	if l.HasMax && l.Min > l.Max {
		return invalid(0, "size minimum must not be greater than maximum")
	}
	return nil
}

func tableLimits(l Limits) error {
	if l.HasMax && l.Min > l.Max {
		return invalid(0, "size minimum must not be greater than maximum")
	}
	return nil
}

func (v *validator) constExpr(c ConstExpr, want ValType) error {
	if c.bad != "" {
		return invalid(int(c.Off), "%s", c.bad)
	}
	var got ValType
	switch c.Op {
	case OpI32Const:
		got = I32
	case OpI64Const:
		got = I64
	case OpF32Const:
		got = F32
	case OpF64Const:
		got = F64
	case OpRefNull:
		got = ValType(c.Value)
	case OpRefFunc:
		if c.Value >= uint64(len(v.funcs)) {
			return invalid(int(c.Off), "unknown function %d", c.Value)
		}
		got = FuncRef
	case OpGlobalGet:
		// In WebAssembly 2.0 a constant expression may read imported immutable globals only.
		if c.Value >= uint64(v.m.NumImportedGlobals) || c.Value >= uint64(len(v.globals)) {
			return invalid(int(c.Off), "unknown global %d", c.Value)
		}
		g := v.globals[c.Value]
		if g.Mutable {
			return invalid(int(c.Off), "constant expression required: global %d is mutable", c.Value)
		}
		got = g.Type
	default:
		return invalid(int(c.Off), "constant expression required")
	}
	if got != want {
		return invalid(int(c.Off), "type mismatch: constant expression of %v where %v is expected", got, want)
	}
	return nil
}

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

func (fv *funcValidator) instr(tables [][]uint32) {
	m := fv.v.m
	in := fv.in
	switch op := in.Op; {
	case op == OpUnreachable:
		fv.unreachable()
	case op == OpNop:
	case op == OpBlock || op == OpLoop || op == OpIf:
		ps, rs, ok := m.BlockType(int64(in.X))
		if !ok {
			fv.fail("unknown type %d", int64(in.X))
			return
		}
		if op == OpIf {
			fv.pop(I32)
		}
		fv.popAll(ps)
		fv.pushCtrl(op, ps, rs)
	case op == OpElse:
		c := fv.popCtrl()
		if c.op != OpIf {
			fv.fail("else without if")
			return
		}
		fv.pushCtrl(OpElse, c.start, c.end)
	case op == OpEnd:
		c := fv.popCtrl()
		if c.op == OpIf && !sameTypes(c.start, c.end) {
			fv.fail("type mismatch: if without else must leave its parameters as results")
		}
		fv.pushAll(c.end)
		if len(fv.ctrls) == 0 {
			// The function's own end: its results stay as the block's output.
			fv.vals, fv.words = fv.vals[:0], 0
		}
	case op == OpBr:
		c := fv.label(in.Y)
		if c == nil {
			return
		}
		fv.popAll(labelTypes(c))
		fv.unreachable()
	case op == OpBrIf:
		fv.pop(I32)
		c := fv.label(in.Y)
		if c == nil {
			return
		}
		lt := labelTypes(c)
		fv.popAll(lt)
		fv.pushAll(lt)
	case op == OpBrTable:
		fv.pop(I32)
		ls := tables[in.Y]
		def := fv.label(ls[len(ls)-1])
		if def == nil {
			return
		}
		arity := len(labelTypes(def))
		for _, l := range ls[:len(ls)-1] {
			c := fv.label(l)
			if c == nil {
				return
			}
			lt := labelTypes(c)
			if len(lt) != arity {
				fv.fail("type mismatch: br_table targets of different arities")
				return
			}
			fv.peekAll(lt)
		}
		fv.popAll(labelTypes(def))
		fv.unreachable()
	case op == OpReturn:
		fv.popAll(fv.ctrls[0].end)
		fv.unreachable()
	case op == OpCall:
		if in.Y >= uint32(len(fv.v.funcs)) {
			fv.fail("unknown function %d", in.Y)
			return
		}
		t := m.Types[fv.v.funcs[in.Y]]
		fv.popAll(t.Params)
		fv.pushAll(t.Results)
	case op == OpCallIndirect:
		tt := fv.table(uint32(in.X))
		if fv.err != nil {
			return
		}
		if tt.Elem != FuncRef {
			fv.fail("type mismatch: call_indirect through a table of %v", tt.Elem)
			return
		}
		if in.Y >= uint32(len(m.Types)) {
			fv.fail("unknown type %d", in.Y)
			return
		}
		t := m.Types[in.Y]
		fv.pop(I32)
		fv.popAll(t.Params)
		fv.pushAll(t.Results)
	case op == OpDrop:
		fv.popAny()
	case op == OpSelect:
		fv.pop(I32)
		t1 := fv.popAny()
		t2 := fv.popAny()
		if t1.IsRef() || t2.IsRef() {
			fv.fail("type mismatch: select without a type on references")
			return
		}
		if t1 != t2 && t1 != Unknown && t2 != Unknown {
			fv.fail("type mismatch: select of %v and %v", t1, t2)
			return
		}
		if t1 == Unknown {
			t1 = t2
		}
		fv.push(t1)
	case op == OpSelectT:
		if in.X != 1 {
			fv.fail("invalid result arity: select with %d types", in.X)
			return
		}
		t := ValType(in.Y)
		fv.pop(I32)
		fv.pop(t)
		fv.pop(t)
		fv.push(t)
	case op == OpLocalGet || op == OpLocalSet || op == OpLocalTee:
		if in.Y >= uint32(len(fv.locals)) {
			fv.fail("unknown local %d", in.Y)
			return
		}
		t := fv.locals[in.Y]
		switch op {
		case OpLocalGet:
			fv.push(t)
		case OpLocalSet:
			fv.pop(t)
		default:
			fv.pop(t)
			fv.push(t)
		}
	case op == OpGlobalGet || op == OpGlobalSet:
		if in.Y >= uint32(len(fv.v.globals)) {
			fv.fail("unknown global %d", in.Y)
			return
		}
		g := fv.v.globals[in.Y]
		if op == OpGlobalGet {
			fv.push(g.Type)
		} else {
			if !g.Mutable {
				fv.fail("global is immutable: global.set of global %d", in.Y)
				return
			}
			fv.pop(g.Type)
		}
	case op == OpTableGet:
		tt := fv.table(in.Y)
		fv.pop(I32)
		fv.push(tt.Elem)
	case op == OpTableSet:
		tt := fv.table(in.Y)
		fv.pop(tt.Elem)
		fv.pop(I32)
	case op.IsLoad() || op.IsStore():
		if !fv.needMemory() {
			return
		}
		natural, t, store, _ := memAccess(op)
		if in.X > uint64(natural) {
			fv.fail("alignment must not be larger than natural (2^%d > %d bytes)", in.X, 1<<natural)
			return
		}
		if store {
			fv.pop(t)
			fv.pop(I32)
		} else {
			fv.pop(I32)
			fv.push(t)
		}
	case op == OpMemorySize:
		if fv.needMemory() {
			fv.push(I32)
		}
	case op == OpMemoryGrow:
		if fv.needMemory() {
			fv.pop(I32)
			fv.push(I32)
		}
	case op == OpI32Const:
		fv.push(I32)
	case op == OpI64Const:
		fv.push(I64)
	case op == OpF32Const:
		fv.push(F32)
	case op == OpF64Const:
		fv.push(F64)
	case op == OpRefNull:
		fv.push(ValType(in.Y))
	case op == OpRefIsNull:
		t := fv.popAny()
		if t != Unknown && !t.IsRef() {
			fv.fail("type mismatch: ref.is_null of %v", t)
			return
		}
		fv.push(I32)
	case op == OpRefFunc:
		if in.Y >= uint32(len(fv.v.funcs)) {
			fv.fail("unknown function %d", in.Y)
			return
		}
		if !fv.v.declared[in.Y] {
			fv.fail("undeclared function reference %d", in.Y)
			return
		}
		fv.push(FuncRef)
	case op == OpMemoryInit:
		if !fv.needMemory() {
			return
		}
		fv.needData(in.Y)
		fv.pop(I32)
		fv.pop(I32)
		fv.pop(I32)
	case op == OpDataDrop:
		fv.needData(in.Y)
	case op == OpMemoryCopy || op == OpMemoryFill:
		if !fv.needMemory() {
			return
		}
		fv.pop(I32)
		fv.pop(I32)
		fv.pop(I32)
	case op == OpTableInit:
		tt := fv.table(uint32(in.X))
		et := fv.elem(in.Y)
		if fv.err == nil && tt.Elem != et {
			fv.fail("type mismatch: table.init of %v elements into a table of %v", et, tt.Elem)
			return
		}
		fv.pop(I32)
		fv.pop(I32)
		fv.pop(I32)
	case op == OpElemDrop:
		fv.elem(in.Y)
	case op == OpTableCopy:
		dt := fv.table(in.Y)
		st := fv.table(uint32(in.X))
		if fv.err == nil && dt.Elem != st.Elem {
			fv.fail("type mismatch: table.copy from %v to %v", st.Elem, dt.Elem)
			return
		}
		fv.pop(I32)
		fv.pop(I32)
		fv.pop(I32)
	case op == OpTableGrow:
		tt := fv.table(in.Y)
		fv.pop(I32)
		fv.pop(tt.Elem)
		fv.push(I32)
	case op == OpTableSize:
		fv.table(in.Y)
		fv.push(I32)
	case op == OpTableFill:
		tt := fv.table(in.Y)
		fv.pop(I32)
		fv.pop(tt.Elem)
		fv.pop(I32)
	default:
		info, ok := numeric[op]
		if !ok {
			fv.fail("illegal opcode %v", op)
			return
		}
		fv.popAll(info.in)
		fv.pushAll(info.out)
	}
}

func sameTypes(a, b []ValType) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
