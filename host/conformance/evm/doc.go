// Package evm runs the Ethereum state tests (Cancun) through the EVM frontend plugin
// (oneiros-frontend-evm) and judges them as the fixtures do: from a run's public output
// — the state diff and the logs — it computes the post-state root (RLP and the
// Merkle-Patricia trie over the resulting accounts) and the logs hash, and compares them
// with the fixture's.
//
// # Usage
//
//	rep, err := evm.Run(ctx, evm.Options{Suite: "../shared/conformance/evm", Config: cfg, Plugins: opts, Prove: 2})
//	fmt.Println(rep.Passed, rep.Failed, rep.Groups["arithmetic"].Passed)
//
// `oneiros conformance evm` is its command line. [Load] reads a suite (cases.json and
// its group folders) into [Case]s, each with its transaction as a container of package
// sdk/evm; [Case.Check] judges an outcome. The plugin is driven like host/pipeline does:
// discovered, launched and called through host/plugin and sdk/frontend; with Prove,
// the first passing cases are proven and verified through the backend.
//
// # Security
//
// The runner trusts nothing the plugin says about the outcome beyond its public output:
// the state root and the logs hash are computed here from that output and the case's
// pre-state. Proving a case makes the output part of a verified claim.
package evm
