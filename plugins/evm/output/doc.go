// Package output is the public output of the EVM frontend: what a run commits into its
// claim, and [Decode], which reads it back for a host or a judge (package conformance
// applies it to a state test's pre-state to compute the post-state root).
//
// # The public output
//
// A run's public output is a byte string of little-endian 32-bit words ([Decode]):
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
// pre-state gives the post-state; package conformance computes the state root from that.
//
// # Usage
//
//	o, err := output.Decode(res.PublicOutput)
//	post := o.Apply(c.Pre) // c: the run's container.Container
//	fmt.Println(o.Status, o.GasUsed, len(post))
//
// # Security
//
// The output is untrusted bytes until it comes out of a verified claim: Decode never
// panics on any input (FuzzDecode), refuses trailing bytes, repeated accounts and
// repeated slots, and names what is wrong.
package output
