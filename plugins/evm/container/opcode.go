package container

// Op describes an EVM opcode under the Cancun rules.
type Op struct {
	Name         string
	Pops, Pushes int
	Gas          uint32 // static gas (the dynamic part is charged by the op's routine)
	Defined      bool
	Terminates   bool   // ends the frame or jumps away: no fall-through
	EndsSegment  bool   // needs the exact gas left, or branches: the next op starts a segment
	Group        string // the cycle statistics' group (docs/evm.md): "stack", "flow", …
}

// EVM opcodes used by name.
const (
	STOP     = 0x00
	JUMP     = 0x56
	JUMPI    = 0x57
	JUMPDEST = 0x5b
	PUSH0    = 0x5f
	PUSH1    = 0x60
	PUSH32   = 0x7f
	CREATE   = 0xf0
	CREATE2  = 0xf5
)

// ops is the opcode table, filled once by init and read only afterwards.
var ops [256]Op

// Info returns the description of opcode op; an undefined opcode is named "UNDEFINED"
// and terminates (it halts the frame).
func Info(op byte) Op { return ops[op] }

func def(op int, name string, pops, pushes int, gas uint32, group string) *Op {
	ops[op] = Op{Name: name, Pops: pops, Pushes: pushes, Gas: gas, Defined: true, Group: group}
	return &ops[op]
}

func init() {
	def(0x00, "STOP", 0, 0, 0, "flow").Terminates = true
	for _, o := range []struct {
		op   int
		name string
		gas  uint32
	}{{0x01, "ADD", 3}, {0x02, "MUL", 5}, {0x03, "SUB", 3}, {0x04, "DIV", 5}, {0x05, "SDIV", 5}, {0x06, "MOD", 5},
		{0x07, "SMOD", 5}, {0x0b, "SIGNEXTEND", 5}} {
		def(o.op, o.name, 2, 1, o.gas, "arithmetic")
	}
	def(0x08, "ADDMOD", 3, 1, 8, "arithmetic")
	def(0x09, "MULMOD", 3, 1, 8, "arithmetic")
	def(0x0a, "EXP", 2, 1, 10, "arithmetic")
	for _, o := range []struct {
		op   int
		name string
	}{{0x10, "LT"}, {0x11, "GT"}, {0x12, "SLT"}, {0x13, "SGT"}, {0x14, "EQ"}, {0x16, "AND"}, {0x17, "OR"},
		{0x18, "XOR"}, {0x1a, "BYTE"}, {0x1b, "SHL"}, {0x1c, "SHR"}, {0x1d, "SAR"}} {
		def(o.op, o.name, 2, 1, 3, "bitwise_compare")
	}
	def(0x15, "ISZERO", 1, 1, 3, "bitwise_compare")
	def(0x19, "NOT", 1, 1, 3, "bitwise_compare")
	def(0x20, "SHA3", 2, 1, 30, "sha3")
	env := func(op int, name string, pops, pushes int, gas uint32) { def(op, name, pops, pushes, gas, "env") }
	env(0x30, "ADDRESS", 0, 1, 2)
	env(0x31, "BALANCE", 1, 1, 100)
	env(0x32, "ORIGIN", 0, 1, 2)
	env(0x33, "CALLER", 0, 1, 2)
	env(0x34, "CALLVALUE", 0, 1, 2)
	env(0x35, "CALLDATALOAD", 1, 1, 3)
	env(0x36, "CALLDATASIZE", 0, 1, 2)
	def(0x37, "CALLDATACOPY", 3, 0, 3, "memory")
	env(0x38, "CODESIZE", 0, 1, 2)
	def(0x39, "CODECOPY", 3, 0, 3, "memory")
	env(0x3a, "GASPRICE", 0, 1, 2)
	env(0x3b, "EXTCODESIZE", 1, 1, 100)
	def(0x3c, "EXTCODECOPY", 4, 0, 100, "memory")
	env(0x3d, "RETURNDATASIZE", 0, 1, 2)
	def(0x3e, "RETURNDATACOPY", 3, 0, 3, "memory")
	env(0x3f, "EXTCODEHASH", 1, 1, 100)
	env(0x40, "BLOCKHASH", 1, 1, 20)
	env(0x41, "COINBASE", 0, 1, 2)
	env(0x42, "TIMESTAMP", 0, 1, 2)
	env(0x43, "NUMBER", 0, 1, 2)
	env(0x44, "PREVRANDAO", 0, 1, 2)
	env(0x45, "GASLIMIT", 0, 1, 2)
	env(0x46, "CHAINID", 0, 1, 2)
	env(0x47, "SELFBALANCE", 0, 1, 5)
	env(0x48, "BASEFEE", 0, 1, 2)
	env(0x49, "BLOBHASH", 1, 1, 3)
	env(0x4a, "BLOBBASEFEE", 0, 1, 2)
	def(0x50, "POP", 1, 0, 2, "stack")
	def(0x51, "MLOAD", 1, 1, 3, "memory")
	def(0x52, "MSTORE", 2, 0, 3, "memory")
	def(0x53, "MSTORE8", 2, 0, 3, "memory")
	def(0x54, "SLOAD", 1, 1, 100, "storage")
	def(0x55, "SSTORE", 2, 0, 0, "storage").EndsSegment = true
	j := def(0x56, "JUMP", 1, 0, 8, "flow")
	j.Terminates, j.EndsSegment = true, true
	def(0x57, "JUMPI", 2, 0, 10, "flow").EndsSegment = true
	def(0x58, "PC", 0, 1, 2, "flow")
	def(0x59, "MSIZE", 0, 1, 2, "memory")
	def(0x5a, "GAS", 0, 1, 2, "flow").EndsSegment = true
	def(0x5b, "JUMPDEST", 0, 0, 1, "flow")
	def(0x5c, "TLOAD", 1, 1, 100, "storage")
	def(0x5d, "TSTORE", 2, 0, 100, "storage")
	def(0x5e, "MCOPY", 3, 0, 3, "memory")
	def(0x5f, "PUSH0", 0, 1, 2, "stack")
	for n := 1; n <= 32; n++ {
		def(0x5f+n, "PUSH"+itoa(n), 0, 1, 3, "stack")
	}
	for n := 1; n <= 16; n++ {
		def(0x7f+n, "DUP"+itoa(n), n, n+1, 3, "stack")
		def(0x8f+n, "SWAP"+itoa(n), n+1, n+1, 3, "stack")
	}
	for n := 0; n <= 4; n++ {
		def(0xa0+n, "LOG"+itoa(n), 2+n, 0, 375*uint32(n+1), "log")
	}
	call := func(op int, name string, pops, pushes int, gas uint32) {
		def(op, name, pops, pushes, gas, "call").EndsSegment = true
	}
	call(0xf0, "CREATE", 3, 1, 32000)
	call(0xf1, "CALL", 7, 1, 100)
	call(0xf2, "CALLCODE", 7, 1, 100)
	def(0xf3, "RETURN", 2, 0, 0, "return_revert").Terminates = true
	call(0xf4, "DELEGATECALL", 6, 1, 100)
	call(0xf5, "CREATE2", 4, 1, 32000)
	call(0xfa, "STATICCALL", 6, 1, 100)
	def(0xfd, "REVERT", 2, 0, 0, "return_revert").Terminates = true
	def(0xfe, "INVALID", 0, 0, 0, "flow").Terminates = true
	def(0xff, "SELFDESTRUCT", 1, 0, 5000, "call").Terminates = true
	for k := range ops {
		if !ops[k].Defined {
			ops[k] = Op{Name: "UNDEFINED", Terminates: true, Group: "flow"}
		}
	}
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return string(rune('0'+n/10)) + string(rune('0'+n%10))
}
