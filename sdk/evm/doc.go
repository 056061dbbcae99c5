// Package evm holds the two formats of the EVM frontend (oneiros-frontend-evm) that a host
// needs without importing the plugin: the transaction container that Load takes as its
// source, and the public output that a run commits into its claim.
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
// needed; blockHashes answers BLOCKHASH (absent numbers read as 0). [ParseContainer]
// checks all of it and [Container.Marshal] writes it back in a canonical form.
//
// # The public output
//
// A run's public output is a byte string of little-endian 32-bit words ([DecodeOutput]):
//
//	"EVM1"  status  gas_used(u64)  len  return_data (padded to 4)
//	{ 1  log }* 0        log     = address  ntopics  topic*  len  data (padded)
//	{ 1  account }* 0    account = address  flags  balance  nonce(u64)
//	                               [len code (padded)  when flags&2]
//	                               { 1  slot  value }* 0
//
// A 256-bit number (address, topic, balance, slot, value) takes 32 bytes, little endian.
// status is 0 success, 1 revert, 2 exceptional halt, 3 invalid transaction (not
// executed, no state change). flags: 1 the account is deleted (or never came to exist),
// 2 its code changed (the new code follows). An account appears when anything about it
// differs from the pre-state, with its whole balance and nonce and the storage slots
// whose value changed (value 0 deletes a slot). Applying it to the container's
// pre-state gives the post-state; a host computes the state root from that.
//
// # Security
//
// The container is the EVM frontend's source: its digest is the claim's source digest,
// and the pre-state, block and transaction become the normalized program's memory
// image, so the claim's program_id binds them. The decoders never panic on any input.
package evm
