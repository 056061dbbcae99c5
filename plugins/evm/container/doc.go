// Package container is the EVM frontend's source format: the transaction container a
// program is loaded from, and the EVM code inside it.
//
// A source is a JSON container in the shape of an Ethereum state test with single
// values: the block ("env"), the pre-state ("pre": balances, nonces, code, storage) and
// one transaction. [Parse] reads it; the format itself is defined and documented by
// package sdk/evm (ParseContainer, Container.Marshal), which the host's state-test
// runner shares until it moves here.
//
// The code of each contract is a byte string that [Decode] splits into [Instr]s, every
// byte string being valid code (a PUSH past the end reads zeros; an undefined opcode is
// an instruction that halts). [Info] describes each opcode under the Cancun rules: its
// name, stack effect and static gas, whether it ends a frame or a straight-line segment
// (the unit in which translated code checks the stack and charges gas), and its group
// in the cycle statistics of docs/evm.md.
//
// # Usage
//
//	c, err := container.Parse(src)
//	for _, in := range container.Decode(c.Pre[addr].Code) {
//		op := container.Info(in.Op)
//		fmt.Println(in.PC, op.Name, op.Gas)
//	}
//
// # Security
//
// The container is untrusted input: Parse refuses malformed JSON and values out of
// range without panicking (sdk/evm fuzzes it), and Decode accepts any bytes. Limits on
// sizes (code, data, accounts, slots) are the runtime's, checked when the image is
// planned (package runtime).
package container
