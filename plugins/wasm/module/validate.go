package module

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
