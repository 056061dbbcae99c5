package module

// instr applies the typing rule of one instruction to the operand and control stacks
// (the specification's validation algorithm, instruction by instruction).
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
