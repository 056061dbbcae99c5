// Package examples holds the EVM frontend's examples: programs with their input and the
// public output they must produce, which the plugin's Describe lists and the conformance
// kit (sdk/frontend/frontendtest, oneiros plugins check) runs and proves.
//
// The Solidity examples (an ERC-20 transfer, a storage loop) are containers in the
// repository's examples/evm, with their sources and solc's output; the translate
// package's tests check them against go-ethereum and rewrite them
// (EVM_WRITE_EXAMPLES=1).
package examples

import (
	"encoding/hex"

	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

// All returns the examples the plugin describes.
func All() []frontend.Example { return []frontend.Example{Add()} }

// Add is a call to a contract that returns 2 + 3 as a 32-byte word.
func Add() frontend.Example {
	src := `{
 "env": {"currentCoinbase": "0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ba", "currentGasLimit": "0x05f5e100",
  "currentNumber": "0x01", "currentTimestamp": "0x03e8", "currentBaseFee": "0x0a"},
 "pre": {
  "0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b": {"balance": "0x0de0b6b3a7640000", "nonce": "0x00", "code": "0x", "storage": {}},
  "0x1000000000000000000000000000000000000000": {"balance": "0x00", "nonce": "0x00",
   "code": "0x600360020160005260206000f3", "storage": {}}
 },
 "transaction": {"sender": "0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b", "to": "0x1000000000000000000000000000000000000000",
  "nonce": "0x00", "gasLimit": "0x0186a0", "gasPrice": "0x0a", "value": "0x00", "data": "0x"}
}`
	// Success, 21024 gas, 32 bytes returned (5), no logs, the sender's new balance and
	// nonce (the recipient's code and the coinbase, which gets no tip, are unchanged).
	out, _ := hex.DecodeString(exampleOutput)
	return frontend.Example{Name: "add", FileName: "add.json", Source: []byte(src), ExpectedOutput: out}
}

const exampleOutput = "45564d3100000000205200000000000020000000000000000000000000000000" +
	"000000000000000000000000000000000000000500000000010000000bbf6e7e" +
	"673153c197862a8ebcede5fc74534fa900000000000000000000000000000000" +
	"c0ca60a7b3b6e00d000000000000000000000000000000000000000000000000" +
	"01000000000000000000000000000000"
