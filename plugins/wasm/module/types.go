package module

import "fmt"

// ValType is a value type, by its binary encoding.
type ValType byte

// The value types of WebAssembly 2.0 (v128 is decoded only to be refused).
const (
	I32       ValType = 0x7F
	I64       ValType = 0x7E
	F32       ValType = 0x7D
	F64       ValType = 0x7C
	V128      ValType = 0x7B
	FuncRef   ValType = 0x70
	ExternRef ValType = 0x6F

	// Unknown is the validator's bottom type (a value popped from an unreachable,
	// polymorphic stack). It never appears in a module.
	Unknown ValType = 0
)

func (t ValType) String() string {
	switch t {
	case I32:
		return "i32"
	case I64:
		return "i64"
	case F32:
		return "f32"
	case F64:
		return "f64"
	case V128:
		return "v128"
	case FuncRef:
		return "funcref"
	case ExternRef:
		return "externref"
	case Unknown:
		return "unknown"
	}
	return fmt.Sprintf("valtype(0x%02x)", byte(t))
}

// IsRef reports whether t is a reference type.
func (t ValType) IsRef() bool { return t == FuncRef || t == ExternRef }

// IsFloat reports whether t is f32 or f64.
func (t ValType) IsFloat() bool { return t == F32 || t == F64 }

// Words is the number of 32-bit words a value of type t occupies when lowered:
// 2 for i64 and f64, 1 for everything else.
func (t ValType) Words() int {
	if t == I64 || t == F64 {
		return 2
	}
	return 1
}

// FuncType is a function signature.
type FuncType struct {
	Params, Results []ValType
}

// Equal reports whether two signatures are the same (WebAssembly compares function
// types structurally).
func (f FuncType) Equal(g FuncType) bool {
	if len(f.Params) != len(g.Params) || len(f.Results) != len(g.Results) {
		return false
	}
	for i := range f.Params {
		if f.Params[i] != g.Params[i] {
			return false
		}
	}
	for i := range f.Results {
		if f.Results[i] != g.Results[i] {
			return false
		}
	}
	return true
}

func (f FuncType) String() string {
	return fmt.Sprintf("%v -> %v", f.Params, f.Results)
}

// Limits bound a memory (in 64 KiB pages) or a table (in entries).
type Limits struct {
	Min    uint32
	Max    uint32
	HasMax bool
}

// TableType is a table's element type and size limits.
type TableType struct {
	Elem   ValType // FuncRef or ExternRef
	Limits Limits
}

// GlobalType is a global's value type and mutability.
type GlobalType struct {
	Type    ValType
	Mutable bool
}

// ExternKind says what an import or export is.
type ExternKind byte

// The kinds of imports and exports.
const (
	KindFunc   ExternKind = 0
	KindTable  ExternKind = 1
	KindMemory ExternKind = 2
	KindGlobal ExternKind = 3
)

func (k ExternKind) String() string {
	switch k {
	case KindFunc:
		return "func"
	case KindTable:
		return "table"
	case KindMemory:
		return "memory"
	case KindGlobal:
		return "global"
	}
	return fmt.Sprintf("kind(%d)", byte(k))
}

// Import is one import. Exactly one of the typed fields applies, by Kind.
type Import struct {
	Module, Name string
	Kind         ExternKind
	Type         uint32 // KindFunc: the type index
	Table        TableType
	Memory       Limits
	Global       GlobalType
}

// Export is one export: a name and the index of the thing in its index space.
type Export struct {
	Name  string
	Kind  ExternKind
	Index uint32
}

// ConstExpr is a constant expression (global initializers, segment offsets, element
// items). WebAssembly 2.0 allows exactly one instruction before end.
type ConstExpr struct {
	Op    Opcode // OpI32Const, OpI64Const, OpF32Const, OpF64Const, OpRefNull, OpRefFunc, OpGlobalGet
	Value uint64 // the constant's bits, the function or global index, or the reference type
	Off   uint32 // byte offset of the expression in the module
	bad   string // why it is not a valid constant expression, reported by validation
}

// Global is a global defined by the module.
type Global struct {
	Type GlobalType
	Init ConstExpr
}

// SegmentMode says when a data or element segment is used.
type SegmentMode byte

// The segment modes.
const (
	Active      SegmentMode = iota // copied at instantiation
	Passive                        // copied by memory.init / table.init
	Declarative                    // element segments only: declares references for ref.func
)

// Elem is an element segment.
type Elem struct {
	Mode   SegmentMode
	Table  uint32    // active: the table index
	Offset ConstExpr // active: the offset expression
	Type   ValType   // FuncRef or ExternRef
	Init   []ConstExpr
	Off    uint32 // byte offset of the segment in the module
}

// Data is a data segment.
type Data struct {
	Mode   SegmentMode // Active or Passive
	Memory uint32
	Offset ConstExpr
	Bytes  []byte
	Off    uint32
}

// Func is a function defined by the module: its type, locals and code.
type Func struct {
	Type   uint32    // type index
	Locals []ValType // declared locals, expanded, parameters not included
	Body   []Instr
	Tables [][]uint32 // br_table label lists, referenced by the instructions
	Off    uint32     // byte offset of the function's body in the module

	// Filled in by validation.
	MaxStackWords int  // the most words the operand stack holds
	UsesFloat     bool // an f32/f64 type or instruction appears in the body or locals
	FloatOff      uint32
	FloatOp       Opcode
}

// Module is a decoded module.
type Module struct {
	Types     []FuncType
	Imports   []Import
	Funcs     []Func // defined functions; their indices follow the imported functions
	Tables    []TableType
	Memories  []Limits
	Globals   []Global
	Exports   []Export
	Start     uint32
	HasStart  bool
	Elems     []Elem
	Datas     []Data
	DataCount uint32
	HasCount  bool

	// Counts of imports by kind (the first indices of each index space).
	NumImportedFuncs, NumImportedTables, NumImportedMemories, NumImportedGlobals uint32
}

// FuncTypeOf returns the signature of function index i (imports first).
func (m *Module) FuncTypeOf(i uint32) (FuncType, bool) {
	if i < m.NumImportedFuncs {
		n := uint32(0)
		for _, im := range m.Imports {
			if im.Kind == KindFunc {
				if n == i {
					return m.Types[im.Type], true
				}
				n++
			}
		}
	}
	j := i - m.NumImportedFuncs
	if i >= m.NumImportedFuncs && j < uint32(len(m.Funcs)) && m.Funcs[j].Type < uint32(len(m.Types)) {
		return m.Types[m.Funcs[j].Type], true
	}
	return FuncType{}, false
}

// NumFuncs is the size of the function index space.
func (m *Module) NumFuncs() uint32 { return m.NumImportedFuncs + uint32(len(m.Funcs)) }

// NumGlobals is the size of the global index space.
func (m *Module) NumGlobals() uint32 { return m.NumImportedGlobals + uint32(len(m.Globals)) }

// NumTables is the size of the table index space.
func (m *Module) NumTables() uint32 { return m.NumImportedTables + uint32(len(m.Tables)) }

// NumMemories is the size of the memory index space.
func (m *Module) NumMemories() uint32 { return m.NumImportedMemories + uint32(len(m.Memories)) }

// GlobalTypeOf returns the type of global index i.
func (m *Module) GlobalTypeOf(i uint32) (GlobalType, bool) {
	if i < m.NumImportedGlobals {
		n := uint32(0)
		for _, im := range m.Imports {
			if im.Kind == KindGlobal {
				if n == i {
					return im.Global, true
				}
				n++
			}
		}
	}
	j := i - m.NumImportedGlobals
	if i >= m.NumImportedGlobals && j < uint32(len(m.Globals)) {
		return m.Globals[j].Type, true
	}
	return GlobalType{}, false
}

// TableTypeOf returns the type of table index i.
func (m *Module) TableTypeOf(i uint32) (TableType, bool) {
	if i < m.NumImportedTables {
		n := uint32(0)
		for _, im := range m.Imports {
			if im.Kind == KindTable {
				if n == i {
					return im.Table, true
				}
				n++
			}
		}
	}
	j := i - m.NumImportedTables
	if i >= m.NumImportedTables && j < uint32(len(m.Tables)) {
		return m.Tables[j], true
	}
	return TableType{}, false
}

// MemoryOf returns the limits of memory index i.
func (m *Module) MemoryOf(i uint32) (Limits, bool) {
	if i < m.NumImportedMemories {
		n := uint32(0)
		for _, im := range m.Imports {
			if im.Kind == KindMemory {
				if n == i {
					return im.Memory, true
				}
				n++
			}
		}
	}
	j := i - m.NumImportedMemories
	if i >= m.NumImportedMemories && j < uint32(len(m.Memories)) {
		return m.Memories[j], true
	}
	return Limits{}, false
}

// ExportNamed returns the export with the given name.
func (m *Module) ExportNamed(name string) (Export, bool) {
	for _, e := range m.Exports {
		if e.Name == name {
			return e, true
		}
	}
	return Export{}, false
}
