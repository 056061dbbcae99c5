// Command oneiros-frontend-svm is the frontend plugin for Solana's sBPF (ISA name "svm"):
// it loads sBPF programs — Solana ELF files (.so, sBPF v0 to v4) or containers of the
// conformance harnesses (.osvm, package container) — verifies them, and translates the
// sBPF instructions themselves into the normalized ISA; the reference executor runs the
// translation. Nothing is interpreted: every sBPF instruction, memory check, compute unit
// and syscall becomes normalized instructions and core syscalls, so a run is provable
// like any other, faults included (they end in TRAP with an error code).
//
// A plain .so runs as a Solana program: the private input is the serialized program
// input (accounts, instruction data, program id) that the loader maps at 0x400000000, and
// the public output holds the logs, the return data, the exit record (status, compute
// units, r0) and the accounts after the run. docs/svm.md describes the translation,
// the memory layout and both formats.
package main

import (
	"context"

	"github.com/oneiros-zk/oneiros/plugins/svm/compile"
	"github.com/oneiros-zk/oneiros/plugins/svm/conformance"
	"github.com/oneiros-zk/oneiros/plugins/svm/examples"
	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

// version is the plugin's version.
const version = "0.1.0"

// translator is the sBPF frontend's part: compile (package compile) the ELF or
// container, and serve the shared sBPF conformance suite (package conformance);
// sdk/frontend does the rest.
type translator struct{}

var _ frontend.Conformer = translator{}

func newSVM() frontend.Frontend { return frontend.FromTranslator(translator{}) }

func (translator) Describe() frontend.Description {
	return frontend.Description{
		Name: "svm", Version: version, ISA: "svm", Extensions: []string{".so", ".osvm"},
		Capabilities: []string{"sbpf-v0", "sbpf-v1", "sbpf-v2", "sbpf-v3", "sbpf-v4", "solana-abi"},
		Examples:     examples.All(),
	}
}

func (translator) Translate(src []byte, _ string) (*frontend.Translation, error) {
	res, err := compile.Compile(src)
	if err != nil {
		return nil, err
	}
	return &frontend.Translation{Program: res.Program, SourceInstructions: uint64(res.Info.Instructions)}, nil
}

// ConformanceCases lists the runs of the shared sBPF suite (frontend.Conformer).
func (translator) ConformanceCases(ctx context.Context, req frontend.ConformanceRequest, emit func(*frontend.ConformanceRun) error) error {
	return conformance.Cases(ctx, req, emit)
}

// ConformanceJudge judges a run of the suite (frontend.Conformer).
func (translator) ConformanceJudge(ctx context.Context, req frontend.JudgeRequest) (*frontend.Verdict, error) {
	return conformance.Judge(ctx, req)
}

func main() { frontend.Serve(newSVM()) }
