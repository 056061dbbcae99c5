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
// # Packages
//
// module (the WebAssembly binary format: decoder and validator), container (the
// invocation container), loader (source bytes to a normalized program: decode,
// validate, instantiate, pick the entry or the container's steps), translate (the
// lowering of validated modules in a store of linked instances), runtime (the host
// module's intrinsics and the WASI subset, a WebAssembly module embedded and translated
// with the program), examples (the examples Describe lists), conformance (the spec
// tests, served through the plugin contract). docs/wasm.md §11 says why the source
// format is two packages and why loader is not part of translate.
//
// docs/wasm.md describes the translation, the memory layout, the host module and the
// container.
package main

import (
	"context"

	"github.com/oneiros-zk/oneiros/plugins/wasm/conformance"
	"github.com/oneiros-zk/oneiros/plugins/wasm/examples"
	"github.com/oneiros-zk/oneiros/plugins/wasm/loader"
	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

const version = "0.1.0"

// translator is the WebAssembly frontend's part: load (package loader: decode,
// validate, translate) the module or container; sdk/frontend does the rest.
type translator struct{}

func newWasm() frontend.Frontend { return frontend.FromTranslator(translator{}) }

func (translator) Describe() frontend.Description {
	return frontend.Description{
		Name: "wasm", Version: version, ISA: "wasm", Extensions: []string{".wasm", ".owic"},
		Capabilities: []string{"wasm-2.0-integer", "wasi-preview1-subset", "invocation-container"},
		Examples:     examples.All(),
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
