package container

// Instr is one decoded EVM instruction.
type Instr struct {
	PC  int    // its offset in the code
	Op  byte   // its opcode
	Imm []byte // PUSH data, zero-padded past the end of the code
}

// Decode splits code into instructions. Every byte string is code: a PUSH that runs past
// the end reads zeros, as the EVM does; undefined opcodes are instructions that halt.
func Decode(code []byte) []Instr {
	var out []Instr
	for pc := 0; pc < len(code); {
		op := code[pc]
		in := Instr{PC: pc, Op: op}
		n := 1
		if op >= PUSH1 && op <= PUSH32 {
			k := int(op) - PUSH0
			in.Imm = make([]byte, k)
			copy(in.Imm, code[min(pc+1, len(code)):min(pc+1+k, len(code))])
			n += k
		}
		out = append(out, in)
		pc += n
	}
	return out
}

// Creates reports whether code contains CREATE or CREATE2: whether running it may need
// code that exists only at run time.
func Creates(code []byte) bool {
	for _, in := range Decode(code) {
		if in.Op == CREATE || in.Op == CREATE2 {
			return true
		}
	}
	return false
}
