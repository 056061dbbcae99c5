// Command oneiros-frontend-wasm is the WebAssembly frontend plugin (ISA "wasm"): it
// decodes and validates a binary module (WebAssembly 2.0, integer subset), translates
// it to the normalized ISA and runs it on the reference executor, streaming the trace
// records to the host.
//
// # What it accepts
//
// A binary module (.wasm). After instantiation (data and element segments, the start
// function) the run calls the first exported function named _start or main whose type
// is [] → [] or [] → [i32]; the run halts with exit code 0, or main's i32 result. A
// WebAssembly trap ends the run with the normalized TRAP and a code naming the kind
// (translate.TrapCode; docs/wasm.md), so trapped runs are provable too.
//
// Imports a module may use: the host module "oneiros" (input_len, read_word,
// write_byte, write_word, exit, read, write: the private input tape and the public
// output) and the subset of WASI preview 1 ("wasi_snapshot_preview1") that plain C and
// Rust programs need (fd_write to stdout is public output, fd_read of stdin is the
// input, proc_exit, empty args and environment). Floating-point instructions are
// refused at load time with an error naming the function and the offset.
//
// Or an invocation container (package container): modules and invocations that share
// state, translated into one program whose public output holds each step's outcome.
// `oneiros conformance wasm` runs the WebAssembly spec tests this way (package
// conformance serves the suite through the plugin contract).
//
// docs/wasm.md describes the translation, the memory layout, the host module and the
// container.
package main

import (
	"context"
	_ "embed"

	"github.com/oneiros-zk/oneiros/plugins/wasm/conformance"
	"github.com/oneiros-zk/oneiros/plugins/wasm/loader"
	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

const version = "0.1.0"

var (
	//go:embed examples/sum.wasm
	sumWasm []byte
	//go:embed examples/fib64.wasm
	fibWasm []byte
	//go:embed examples/c/sha256.wasm
	sha256Wasm []byte
)

// translator is the WebAssembly frontend's part: load (package loader: decode,
// validate, translate) the module or container; sdk/frontend does the rest.
type translator struct{}

func newWasm() frontend.Frontend { return frontend.FromTranslator(translator{}) }

func (translator) Describe() frontend.Description {
	return frontend.Description{
		Name: "wasm", Version: version, ISA: "wasm", Extensions: []string{".wasm", ".owic"},
		Capabilities: []string{"wasm-2.0-integer", "wasi-preview1-subset", "invocation-container"},
		Examples: []frontend.Example{
			{Name: "sum", FileName: "sum.wasm", Source: sumWasm,
				Input: []byte{1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0}, ExpectedOutput: []byte{6, 0, 0, 0}},
			{Name: "fib64", FileName: "fib64.wasm", Source: fibWasm,
				Input: []byte{90, 0, 0, 0}, ExpectedOutput: []byte{0x78, 0x78, 0xba, 0xa1, 0xda, 0x0d, 0xf8, 0x27}},
			{Name: "sha256", FileName: "sha256.wasm", Source: sha256Wasm, Input: []byte("abc"), ExpectedOutput: []byte{
				0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
				0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad}},
		},
	}
}

func (translator) Translate(src []byte, _ string) (*frontend.Translation, error) {
	l, err := loader.Load(src, loader.Options{})
	if err != nil {
		return nil, err
	}
	return &frontend.Translation{Program: l.Program, SourceInstructions: l.Instructions}, nil
}

// ConformanceCases and ConformanceJudge serve the WebAssembly spec-test suite
// (package conformance): `oneiros conformance wasm`.
func (translator) ConformanceCases(ctx context.Context, req frontend.ConformanceRequest, emit func(*frontend.ConformanceRun) error) error {
	return conformance.Cases(ctx, req, emit)
}

func (translator) ConformanceJudge(ctx context.Context, req frontend.JudgeRequest) (*frontend.Verdict, error) {
	return conformance.Judge(ctx, req)
}

func main() { frontend.Serve(newWasm()) }
