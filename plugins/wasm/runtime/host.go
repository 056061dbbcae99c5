package runtime

import "github.com/oneiros-zk/oneiros/plugins/wasm/module"

// Host modules a module may import from.
const (
	// HostModule is the OneirOS host module: the private input tape and the public output.
	HostModule = "oneiros"
	// WASIModule is WASI preview 1 (the subset plain C and Rust programs need).
	WASIModule = "wasi_snapshot_preview1"
)

// Intrinsic is a function of the host module that is one core syscall or HALT: the
// translator lowers a direct call of it inline.
type Intrinsic int

// The intrinsics.
const (
	InputLen  Intrinsic = iota + 1 // input_len: [] → [i32], the bytes left on the input tape (ECALL input_len)
	ReadWord                       // read_word: [] → [i32], the tape's next 4 bytes (ECALL read)
	WriteByte                      // write_byte: [i32] → [], one byte of public output (ECALL write, 1)
	WriteWord                      // write_word: [i32] → [], four bytes of public output (ECALL write, 4)
	Exit                           // exit: [i32] → [], halts with the exit code (HALT)
)

var (
	i32 = module.I32

	intrinsics = map[string]struct {
		in Intrinsic
		t  module.FuncType
	}{
		"input_len":  {InputLen, module.FuncType{Results: []module.ValType{i32}}},
		"read_word":  {ReadWord, module.FuncType{Results: []module.ValType{i32}}},
		"write_byte": {WriteByte, module.FuncType{Params: []module.ValType{i32}}},
		"write_word": {WriteWord, module.FuncType{Params: []module.ValType{i32}}},
		"exit":       {Exit, module.FuncType{Params: []module.ValType{i32}}},
	}
)

// LookupIntrinsic returns the intrinsic of the host module named name and its type.
func LookupIntrinsic(name string) (Intrinsic, module.FuncType, bool) {
	in, ok := intrinsics[name]
	return in.in, in.t, ok
}
