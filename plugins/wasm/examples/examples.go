// Package examples holds the WebAssembly frontend's examples: programs with their input
// and the public output they must produce, which the plugin's Describe lists and the
// conformance kit (sdk/frontend/frontendtest, oneiros plugins check) runs and proves.
//
// The modules are checked in beside their sources and embedded, so nothing needs a
// compiler: the WAT ones (sum, fib64, divide) built with wat2wasm, the C ones (c/) with
// Debian's clang by c/build.sh, the Rust one (rust/) with Debian's rustc by
// rust/build.sh (docs/wasm.md, "Tests").
package examples

import (
	_ "embed"

	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

var (
	//go:embed sum.wasm
	sumWasm []byte
	//go:embed fib64.wasm
	fibWasm []byte
	//go:embed c/sha256.wasm
	sha256Wasm []byte
)

// All returns the examples the plugin describes: the sum of three words, the 90th
// Fibonacci number in 64-bit arithmetic, and SHA-256 of "abc" in C through WASI.
func All() []frontend.Example {
	return []frontend.Example{
		{Name: "sum", FileName: "sum.wasm", Source: sumWasm,
			Input: []byte{1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0}, ExpectedOutput: []byte{6, 0, 0, 0}},
		{Name: "fib64", FileName: "fib64.wasm", Source: fibWasm,
			Input: []byte{90, 0, 0, 0}, ExpectedOutput: []byte{0x78, 0x78, 0xba, 0xa1, 0xda, 0x0d, 0xf8, 0x27}},
		{Name: "sha256", FileName: "sha256.wasm", Source: sha256Wasm, Input: []byte("abc"), ExpectedOutput: []byte{
			0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
			0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad}},
	}
}
