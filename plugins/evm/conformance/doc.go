// Package conformance serves the Ethereum state tests (Cancun) through the plugin
// contract's conformance methods (sdk/frontend.Conformer), so that `oneiros conformance
// evm` runs them through the plugin process without the host knowing the format. It
// judges them as the fixtures do: from a run's public output — the state diff and the
// logs — it computes the post-state root (RLP and the Merkle-Patricia trie over the
// resulting accounts) and the logs hash, and compares them with the fixture's.
//
// # Runs
//
// [Load] reads a suite (cases.json and its group folders, see the suite's README) into
// [Case]s, each a (data, gas, value) choice of a test's transaction as a transaction
// container (package container). [Cases] emits one run per case: its source the
// container, its id group/case (case ids repeat across groups), its limits those of the
// default configuration. Nothing is decided without running; no case is skipped.
//
// # Judging
//
// A run's Expect holds the container (the pre-state the output applies to), the
// fixture's post-state root and logs hash, and, to explain a failure, its gas used and
// post-state. [Judge] decodes it defensively (it crossed two process boundaries: every
// field is checked, an error names the wrong one) and passes the case when the run
// halted and [Case.Check] finds the root and the logs hash equal; a failure names what
// differs (root, logs, gas, each account). The verdict's details are the label, the gas
// used, the transaction's status (success, revert, exceptional halt, invalid
// transaction) and the cycles, as `oneiros conformance evm --all -o json` shows them. A
// passing case that was executed is the run's one proof candidate, its cycles the cost;
// its proven outcome (the verified claim's public output) is judged the same way.
//
// # Usage
//
//	cases, err := conformance.Load("../shared/conformance/evm")
//	for _, c := range cases {
//		out := run(c.Container) // an output.Outcome
//		if err := c.Check(out); err != nil {
//			fmt.Println(c.ID, err)
//		}
//	}
//
// The plugin's main forwards frontend.Conformer's methods to [Cases] and [Judge].
//
// # Security
//
// The judge trusts nothing the plugin's run says about the outcome beyond its public
// output: the state root and the logs hash are computed here from that output and the
// case's pre-state. Proving a case makes the output part of a verified claim. The
// Expect is untrusted bytes; FuzzJudge checks that no Expect and no output make the
// judge panic.
package conformance
