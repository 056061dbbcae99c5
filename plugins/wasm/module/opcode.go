package module

import "fmt"

// Opcode is an instruction's opcode: the byte for one-byte opcodes, 0xFC00 | n for the
// 0xFC-prefixed ones (saturating truncation, bulk memory, table instructions).
type Opcode uint16

// The opcodes of WebAssembly 2.0 without SIMD.
const (
	OpUnreachable  Opcode = 0x00
	OpNop          Opcode = 0x01
	OpBlock        Opcode = 0x02
	OpLoop         Opcode = 0x03
	OpIf           Opcode = 0x04
	OpElse         Opcode = 0x05
	OpEnd          Opcode = 0x0B
	OpBr           Opcode = 0x0C
	OpBrIf         Opcode = 0x0D
	OpBrTable      Opcode = 0x0E
	OpReturn       Opcode = 0x0F
	OpCall         Opcode = 0x10
	OpCallIndirect Opcode = 0x11

	OpDrop       Opcode = 0x1A
	OpSelect     Opcode = 0x1B
	OpSelectT    Opcode = 0x1C
	OpLocalGet   Opcode = 0x20
	OpLocalSet   Opcode = 0x21
	OpLocalTee   Opcode = 0x22
	OpGlobalGet  Opcode = 0x23
	OpGlobalSet  Opcode = 0x24
	OpTableGet   Opcode = 0x25
	OpTableSet   Opcode = 0x26
	OpI32Load    Opcode = 0x28
	OpI64Load    Opcode = 0x29
	OpF32Load    Opcode = 0x2A
	OpF64Load    Opcode = 0x2B
	OpI32Load8S  Opcode = 0x2C
	OpI32Load8U  Opcode = 0x2D
	OpI32Load16S Opcode = 0x2E
	OpI32Load16U Opcode = 0x2F
	OpI64Load8S  Opcode = 0x30
	OpI64Load8U  Opcode = 0x31
	OpI64Load16S Opcode = 0x32
	OpI64Load16U Opcode = 0x33
	OpI64Load32S Opcode = 0x34
	OpI64Load32U Opcode = 0x35
	OpI32Store   Opcode = 0x36
	OpI64Store   Opcode = 0x37
	OpF32Store   Opcode = 0x38
	OpF64Store   Opcode = 0x39
	OpI32Store8  Opcode = 0x3A
	OpI32Store16 Opcode = 0x3B
	OpI64Store8  Opcode = 0x3C
	OpI64Store16 Opcode = 0x3D
	OpI64Store32 Opcode = 0x3E
	OpMemorySize Opcode = 0x3F
	OpMemoryGrow Opcode = 0x40
	OpI32Const   Opcode = 0x41
	OpI64Const   Opcode = 0x42
	OpF32Const   Opcode = 0x43
	OpF64Const   Opcode = 0x44

	OpI32Eqz Opcode = 0x45
	OpI32Eq  Opcode = 0x46
	OpI32Ne  Opcode = 0x47
	OpI32LtS Opcode = 0x48
	OpI32LtU Opcode = 0x49
	OpI32GtS Opcode = 0x4A
	OpI32GtU Opcode = 0x4B
	OpI32LeS Opcode = 0x4C
	OpI32LeU Opcode = 0x4D
	OpI32GeS Opcode = 0x4E
	OpI32GeU Opcode = 0x4F
	OpI64Eqz Opcode = 0x50
	OpI64Eq  Opcode = 0x51
	OpI64Ne  Opcode = 0x52
	OpI64LtS Opcode = 0x53
	OpI64LtU Opcode = 0x54
	OpI64GtS Opcode = 0x55
	OpI64GtU Opcode = 0x56
	OpI64LeS Opcode = 0x57
	OpI64LeU Opcode = 0x58
	OpI64GeS Opcode = 0x59
	OpI64GeU Opcode = 0x5A

	OpI32Clz    Opcode = 0x67
	OpI32Ctz    Opcode = 0x68
	OpI32Popcnt Opcode = 0x69
	OpI32Add    Opcode = 0x6A
	OpI32Sub    Opcode = 0x6B
	OpI32Mul    Opcode = 0x6C
	OpI32DivS   Opcode = 0x6D
	OpI32DivU   Opcode = 0x6E
	OpI32RemS   Opcode = 0x6F
	OpI32RemU   Opcode = 0x70
	OpI32And    Opcode = 0x71
	OpI32Or     Opcode = 0x72
	OpI32Xor    Opcode = 0x73
	OpI32Shl    Opcode = 0x74
	OpI32ShrS   Opcode = 0x75
	OpI32ShrU   Opcode = 0x76
	OpI32Rotl   Opcode = 0x77
	OpI32Rotr   Opcode = 0x78
	OpI64Clz    Opcode = 0x79
	OpI64Ctz    Opcode = 0x7A
	OpI64Popcnt Opcode = 0x7B
	OpI64Add    Opcode = 0x7C
	OpI64Sub    Opcode = 0x7D
	OpI64Mul    Opcode = 0x7E
	OpI64DivS   Opcode = 0x7F
	OpI64DivU   Opcode = 0x80
	OpI64RemS   Opcode = 0x81
	OpI64RemU   Opcode = 0x82
	OpI64And    Opcode = 0x83
	OpI64Or     Opcode = 0x84
	OpI64Xor    Opcode = 0x85
	OpI64Shl    Opcode = 0x86
	OpI64ShrS   Opcode = 0x87
	OpI64ShrU   Opcode = 0x88
	OpI64Rotl   Opcode = 0x89
	OpI64Rotr   Opcode = 0x8A

	OpI32WrapI64     Opcode = 0xA7
	OpI64ExtendI32S  Opcode = 0xAC
	OpI64ExtendI32U  Opcode = 0xAD
	OpI32Extend8S    Opcode = 0xC0
	OpI32Extend16S   Opcode = 0xC1
	OpI64Extend8S    Opcode = 0xC2
	OpI64Extend16S   Opcode = 0xC3
	OpI64Extend32S   Opcode = 0xC4
	OpRefNull        Opcode = 0xD0
	OpRefIsNull      Opcode = 0xD1
	OpRefFunc        Opcode = 0xD2
	OpPrefixFC       Opcode = 0xFC
	OpI32TruncSatF32 Opcode = 0xFC00 // 0xFC00..0xFC07: saturating truncations (floats)
	OpMemoryInit     Opcode = 0xFC08
	OpDataDrop       Opcode = 0xFC09
	OpMemoryCopy     Opcode = 0xFC0A
	OpMemoryFill     Opcode = 0xFC0B
	OpTableInit      Opcode = 0xFC0C
	OpElemDrop       Opcode = 0xFC0D
	OpTableCopy      Opcode = 0xFC0E
	OpTableGrow      Opcode = 0xFC0F
	OpTableSize      Opcode = 0xFC10
	OpTableFill      Opcode = 0xFC11
)

// opInfo describes the numeric instructions (those that pop fixed types and push fixed
// types, without immediates) and gives every opcode its text name.
type opInfo struct {
	name string
	in   []ValType
	out  []ValType
}

var (
	i32x1 = []ValType{I32}
	i32x2 = []ValType{I32, I32}
	i64x1 = []ValType{I64}
	i64x2 = []ValType{I64, I64}
	f32x1 = []ValType{F32}
	f32x2 = []ValType{F32, F32}
	f64x1 = []ValType{F64}
	f64x2 = []ValType{F64, F64}
)

// numeric maps the numeric opcodes to their signatures. Filled in init.
var numeric = map[Opcode]opInfo{}

var names = map[Opcode]string{
	OpUnreachable: "unreachable", OpNop: "nop", OpBlock: "block", OpLoop: "loop", OpIf: "if", OpElse: "else",
	OpEnd: "end", OpBr: "br", OpBrIf: "br_if", OpBrTable: "br_table", OpReturn: "return", OpCall: "call",
	OpCallIndirect: "call_indirect", OpDrop: "drop", OpSelect: "select", OpSelectT: "select",
	OpLocalGet: "local.get", OpLocalSet: "local.set", OpLocalTee: "local.tee", OpGlobalGet: "global.get",
	OpGlobalSet: "global.set", OpTableGet: "table.get", OpTableSet: "table.set",
	OpI32Load: "i32.load", OpI64Load: "i64.load", OpF32Load: "f32.load", OpF64Load: "f64.load",
	OpI32Load8S: "i32.load8_s", OpI32Load8U: "i32.load8_u", OpI32Load16S: "i32.load16_s", OpI32Load16U: "i32.load16_u",
	OpI64Load8S: "i64.load8_s", OpI64Load8U: "i64.load8_u", OpI64Load16S: "i64.load16_s", OpI64Load16U: "i64.load16_u",
	OpI64Load32S: "i64.load32_s", OpI64Load32U: "i64.load32_u", OpI32Store: "i32.store", OpI64Store: "i64.store",
	OpF32Store: "f32.store", OpF64Store: "f64.store", OpI32Store8: "i32.store8", OpI32Store16: "i32.store16",
	OpI64Store8: "i64.store8", OpI64Store16: "i64.store16", OpI64Store32: "i64.store32",
	OpMemorySize: "memory.size", OpMemoryGrow: "memory.grow", OpI32Const: "i32.const", OpI64Const: "i64.const",
	OpF32Const: "f32.const", OpF64Const: "f64.const", OpRefNull: "ref.null", OpRefIsNull: "ref.is_null",
	OpRefFunc: "ref.func", OpMemoryInit: "memory.init", OpDataDrop: "data.drop", OpMemoryCopy: "memory.copy",
	OpMemoryFill: "memory.fill", OpTableInit: "table.init", OpElemDrop: "elem.drop", OpTableCopy: "table.copy",
	OpTableGrow: "table.grow", OpTableSize: "table.size", OpTableFill: "table.fill",
}

func init() {
	def := func(op Opcode, name string, in, out []ValType) {
		numeric[op] = opInfo{name: name, in: in, out: out}
		names[op] = name
	}
	def(OpI32Eqz, "i32.eqz", i32x1, i32x1)
	for i, n := range []string{"eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"} {
		def(OpI32Eq+Opcode(i), "i32."+n, i32x2, i32x1)
	}
	def(OpI64Eqz, "i64.eqz", i64x1, i32x1)
	for i, n := range []string{"eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"} {
		def(OpI64Eq+Opcode(i), "i64."+n, i64x2, i32x1)
	}
	for i, n := range []string{"eq", "ne", "lt", "gt", "le", "ge"} {
		def(0x5B+Opcode(i), "f32."+n, f32x2, i32x1)
		def(0x61+Opcode(i), "f64."+n, f64x2, i32x1)
	}
	for i, n := range []string{"clz", "ctz", "popcnt"} {
		def(OpI32Clz+Opcode(i), "i32."+n, i32x1, i32x1)
		def(OpI64Clz+Opcode(i), "i64."+n, i64x1, i64x1)
	}
	for i, n := range []string{"add", "sub", "mul", "div_s", "div_u", "rem_s", "rem_u", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl", "rotr"} {
		def(OpI32Add+Opcode(i), "i32."+n, i32x2, i32x1)
		def(OpI64Add+Opcode(i), "i64."+n, i64x2, i64x1)
	}
	for i, n := range []string{"abs", "neg", "ceil", "floor", "trunc", "nearest", "sqrt"} {
		def(0x8B+Opcode(i), "f32."+n, f32x1, f32x1)
		def(0x99+Opcode(i), "f64."+n, f64x1, f64x1)
	}
	for i, n := range []string{"add", "sub", "mul", "div", "min", "max", "copysign"} {
		def(0x92+Opcode(i), "f32."+n, f32x2, f32x1)
		def(0xA0+Opcode(i), "f64."+n, f64x2, f64x1)
	}
	conv := []struct {
		op      Opcode
		name    string
		in, out []ValType
	}{
		{0xA7, "i32.wrap_i64", i64x1, i32x1},
		{0xA8, "i32.trunc_f32_s", f32x1, i32x1}, {0xA9, "i32.trunc_f32_u", f32x1, i32x1},
		{0xAA, "i32.trunc_f64_s", f64x1, i32x1}, {0xAB, "i32.trunc_f64_u", f64x1, i32x1},
		{0xAC, "i64.extend_i32_s", i32x1, i64x1}, {0xAD, "i64.extend_i32_u", i32x1, i64x1},
		{0xAE, "i64.trunc_f32_s", f32x1, i64x1}, {0xAF, "i64.trunc_f32_u", f32x1, i64x1},
		{0xB0, "i64.trunc_f64_s", f64x1, i64x1}, {0xB1, "i64.trunc_f64_u", f64x1, i64x1},
		{0xB2, "f32.convert_i32_s", i32x1, f32x1}, {0xB3, "f32.convert_i32_u", i32x1, f32x1},
		{0xB4, "f32.convert_i64_s", i64x1, f32x1}, {0xB5, "f32.convert_i64_u", i64x1, f32x1},
		{0xB6, "f32.demote_f64", f64x1, f32x1},
		{0xB7, "f64.convert_i32_s", i32x1, f64x1}, {0xB8, "f64.convert_i32_u", i32x1, f64x1},
		{0xB9, "f64.convert_i64_s", i64x1, f64x1}, {0xBA, "f64.convert_i64_u", i64x1, f64x1},
		{0xBB, "f64.promote_f32", f32x1, f64x1},
		{0xBC, "i32.reinterpret_f32", f32x1, i32x1}, {0xBD, "i64.reinterpret_f64", f64x1, i64x1},
		{0xBE, "f32.reinterpret_i32", i32x1, f32x1}, {0xBF, "f64.reinterpret_i64", i64x1, f64x1},
		{0xC0, "i32.extend8_s", i32x1, i32x1}, {0xC1, "i32.extend16_s", i32x1, i32x1},
		{0xC2, "i64.extend8_s", i64x1, i64x1}, {0xC3, "i64.extend16_s", i64x1, i64x1},
		{0xC4, "i64.extend32_s", i64x1, i64x1},
		{0xFC00, "i32.trunc_sat_f32_s", f32x1, i32x1}, {0xFC01, "i32.trunc_sat_f32_u", f32x1, i32x1},
		{0xFC02, "i32.trunc_sat_f64_s", f64x1, i32x1}, {0xFC03, "i32.trunc_sat_f64_u", f64x1, i32x1},
		{0xFC04, "i64.trunc_sat_f32_s", f32x1, i64x1}, {0xFC05, "i64.trunc_sat_f32_u", f32x1, i64x1},
		{0xFC06, "i64.trunc_sat_f64_s", f64x1, i64x1}, {0xFC07, "i64.trunc_sat_f64_u", f64x1, i64x1},
	}
	for _, c := range conv {
		def(c.op, c.name, c.in, c.out)
	}
}

func (o Opcode) String() string {
	if n, ok := names[o]; ok {
		return n
	}
	if o >= 0xFC00 {
		return fmt.Sprintf("0xfc %d", uint16(o)&0xFF)
	}
	return fmt.Sprintf("opcode 0x%02x", uint16(o))
}

// IsFloat reports whether the instruction computes on, loads, stores or converts floats
// (the instructions a float-less VM cannot run).
func (o Opcode) IsFloat() bool {
	switch {
	case o == OpF32Load || o == OpF64Load || o == OpF32Store || o == OpF64Store || o == OpF32Const || o == OpF64Const:
		return true
	case o >= 0x5B && o <= 0x66, o >= 0x8B && o <= 0xA6, o >= 0xA8 && o <= 0xAB, o >= 0xAE && o <= 0xBF:
		return true
	case o >= 0xFC00 && o <= 0xFC07:
		return true
	}
	return false
}

// memAccess gives the natural alignment (log2 bytes) and the value type of a load or
// store opcode.
func memAccess(o Opcode) (align uint32, t ValType, store bool, ok bool) {
	switch o {
	case OpI32Load:
		return 2, I32, false, true
	case OpI64Load:
		return 3, I64, false, true
	case OpF32Load:
		return 2, F32, false, true
	case OpF64Load:
		return 3, F64, false, true
	case OpI32Load8S, OpI32Load8U:
		return 0, I32, false, true
	case OpI32Load16S, OpI32Load16U:
		return 1, I32, false, true
	case OpI64Load8S, OpI64Load8U:
		return 0, I64, false, true
	case OpI64Load16S, OpI64Load16U:
		return 1, I64, false, true
	case OpI64Load32S, OpI64Load32U:
		return 2, I64, false, true
	case OpI32Store:
		return 2, I32, true, true
	case OpI64Store:
		return 3, I64, true, true
	case OpF32Store:
		return 2, F32, true, true
	case OpF64Store:
		return 3, F64, true, true
	case OpI32Store8:
		return 0, I32, true, true
	case OpI32Store16:
		return 1, I32, true, true
	case OpI64Store8:
		return 0, I64, true, true
	case OpI64Store16:
		return 1, I64, true, true
	case OpI64Store32:
		return 2, I64, true, true
	}
	return 0, 0, false, false
}

// AccessSize is the number of bytes a load or store opcode touches.
func AccessSize(o Opcode) uint32 {
	switch o {
	case OpI32Load8S, OpI32Load8U, OpI64Load8S, OpI64Load8U, OpI32Store8, OpI64Store8:
		return 1
	case OpI32Load16S, OpI32Load16U, OpI64Load16S, OpI64Load16U, OpI32Store16, OpI64Store16:
		return 2
	case OpI32Load, OpF32Load, OpI64Load32S, OpI64Load32U, OpI32Store, OpF32Store, OpI64Store32:
		return 4
	case OpI64Load, OpF64Load, OpI64Store, OpF64Store:
		return 8
	}
	return 0
}

// IsLoad reports whether o is a load; IsStore whether it is a store.
func (o Opcode) IsLoad() bool { return o >= OpI32Load && o <= OpI64Load32U }

// IsStore reports whether o is a store.
func (o Opcode) IsStore() bool { return o >= OpI32Store && o <= OpI64Store32 }

// Instr is one decoded instruction. The meaning of X and Y depends on Op:
//
//	i32.const, i64.const, f32.const, f64.const   X = the constant's bits (i32 zero-extended)
//	block, loop, if                             X = the block type as a signed 33-bit value:
//	                                                -64 (0x40) empty, -1..-17 a value type, ≥ 0 a type index
//	br, br_if                                   Y = label depth
//	br_table                                    Y = index into Func.Tables (targets, default last)
//	call, ref.func                              Y = function index
//	call_indirect                               Y = type index, X = table index
//	local.*, global.*                           Y = index
//	loads and stores                            Y = offset, X = alignment exponent
//	memory.size, memory.grow, memory.fill       (memory 0)
//	memory.init, data.drop                      Y = data segment index
//	select t                                    Y = the type
//	ref.null                                    Y = the reference type
//	table.get/set/size/grow/fill                Y = table index
//	table.init                                  Y = element segment, X = table
//	elem.drop                                   Y = element segment
//	table.copy                                  Y = destination table, X = source table
type Instr struct {
	Op  Opcode
	Off uint32 // byte offset of the instruction in the module
	Y   uint32
	X   uint64
}

// Block types with no type index.
const (
	BlockEmpty int64 = -64
)
