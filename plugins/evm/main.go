// Command oneiros-frontend-evm is the EVM frontend of OneirOS (ISA name "evm"): it runs
// one Ethereum transaction under the Cancun rules against a given pre-state, translated
// into the normalized ISA, and commits the outcome (status, gas used, return data,
// logs, the state diff) as the run's public output.
//
// # The source: a transaction container
//
// Load takes a container (package container documents it: JSON with "env", "pre" and
// "transaction", the shape of an Ethereum state test with single values). Every
// contract of the pre-state is translated ahead of time: each EVM instruction becomes
// normalized code (256-bit arithmetic, comparisons, shifts and stack moves are single
// u256 syscalls on the EVM stack, which lives in memory), straight-line segments charge
// their static gas and check the stack once, and jumps go through a per-contract jump
// table. Code that only exists at run time (CREATE's init code, contracts deployed
// during the transaction) runs on an interpreter written in the same normalized code.
// The world state — accounts, storage, transient storage — lives in memory as hash
// tables whose initial contents are the program's image, so the claim's program_id
// binds the pre-state, the block and the transaction; a journal undoes what reverted
// frames did. docs/evm.md describes the memory map and the runtime.
//
// # Packages
//
// container (the source format: the transaction container, EVM code and its opcodes,
// Keccak-256), output (the public output's format and its decoder), translate (a container to a normalized program: each contract ahead of time, in
// straight-line segments), runtime (the normalized code every program shares: the
// transaction, world state, calls, memory, storage, the interpreter, the output, and
// the memory map and image), examples (the examples Describe lists), conformance (the
// Ethereum state tests, served through the plugin contract). docs/evm.md describes them.
//
// # The output
//
// The public output (output.Decode) is the status, the gas used, the return data, the
// logs and every account that changed. Applied to the pre-state it gives the post-state,
// whose root package conformance computes to judge the Ethereum state tests: `oneiros
// conformance evm` runs them through this plugin (protocol 1.4's ConformanceCases and
// ConformanceJudge).
package main

import (
	"context"

	"github.com/oneiros-zk/oneiros/plugins/evm/conformance"
	"github.com/oneiros-zk/oneiros/plugins/evm/container"
	"github.com/oneiros-zk/oneiros/plugins/evm/examples"
	"github.com/oneiros-zk/oneiros/plugins/evm/translate"
	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

const version = "0.1.0"

// translator is the EVM frontend's part: parse the transaction container and translate
// it (translate.Build); sdk/frontend does the rest.
type translator struct{}

func newPlugin() frontend.Frontend { return frontend.FromTranslator(translator{}) }

func (translator) Describe() frontend.Description {
	return frontend.Description{
		Name: "evm", Version: version, ISA: "evm", Extensions: []string{".json"},
		Capabilities: []string{"cancun", "state-diff", "logs"},
		Examples:     examples.All(),
	}
}

func (translator) Translate(src []byte, _ string) (*frontend.Translation, error) {
	c, err := container.Parse(src)
	if err != nil {
		return nil, err
	}
	tr, err := translate.Build(c)
	if err != nil {
		return nil, err
	}
	return &frontend.Translation{Program: tr.Program, SourceInstructions: uint64(tr.Instructions)}, nil
}

// ConformanceCases and ConformanceJudge serve the Ethereum state tests (package
// conformance): `oneiros conformance evm`.
func (translator) ConformanceCases(ctx context.Context, req frontend.ConformanceRequest, emit func(*frontend.ConformanceRun) error) error {
	return conformance.Cases(ctx, req, emit)
}

func (translator) ConformanceJudge(ctx context.Context, req frontend.JudgeRequest) (*frontend.Verdict, error) {
	return conformance.Judge(ctx, req)
}

func main() { frontend.Serve(newPlugin()) }
