// Package container is the EVM frontend's source format: the transaction container a
// program is loaded from, and the EVM code inside it.
//
// # The container
//
// A container is one Ethereum transaction with everything it runs against, as JSON in the
// shape of an Ethereum state test with single values instead of lists:
//
//	{
//	  "env": {"currentCoinbase": "0x…", "currentGasLimit": "0x…", "currentNumber": "0x…",
//	          "currentTimestamp": "0x…", "currentBaseFee": "0x…", "currentRandom": "0x…",
//	          "currentExcessBlobGas": "0x…", "chainId": "0x1",
//	          "blockHashes": {"0x<number>": "0x<hash>", …}},
//	  "pre": {"0x<address>": {"balance": "0x…", "nonce": "0x…", "code": "0x…",
//	                          "storage": {"0x<slot>": "0x<value>", …}}, …},
//	  "transaction": {"type": "0x0", "sender": "0x…", "to": "0x…" (or "" to create),
//	                  "nonce": "0x…", "gasLimit": "0x…", "gasPrice": "0x…",
//	                  "maxFeePerGas": "0x…", "maxPriorityFeePerGas": "0x…",
//	                  "value": "0x…", "data": "0x…",
//	                  "accessList": [{"address": "0x…", "storageKeys": ["0x…"]}]}
//	}
//
// Numbers are hex quantities (0x-prefixed, at most 256 bits; the nonce and gas limit at
// most 64). Type 0 is a legacy transaction (gasPrice), 1 adds an access list (EIP-2930), 2
// replaces gasPrice with the EIP-1559 fee caps. The sender is given, so no signature is
// needed; blockHashes answers BLOCKHASH (absent numbers read as 0). [Parse]
// checks all of it and [Container.Marshal] writes it back in a canonical form.
//
// [Keccak256] is Ethereum's hash and [BlobBaseFee] the blob base fee of EIP-4844;
// both serve the runtime's image and package conformance.
//
// # Code
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
// The container is the frontend's source: its digest is the claim's source digest, and
// the pre-state, block and transaction become the normalized program's memory image,
// so the claim's program_id binds them. It is untrusted input: Parse refuses malformed JSON and values out of
// range without panicking (FuzzParse), and Decode accepts any bytes. Limits on
// sizes (code, data, accounts, slots) are the runtime's, checked when the image is
// planned (package runtime).
package container
