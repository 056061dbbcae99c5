// Package examples holds the sBPF frontend's examples: programs with their input and the
// public output they must produce, which the plugin's Describe lists and the conformance
// kit (sdk/frontend/frontendtest, oneiros plugins check) runs and proves.
//
// The Solana programs are built from C (c/, with Debian's clang and lld by c/build.sh);
// their .so files, inputs (.in, written from the .json descriptions by cmd/svm-input)
// and expected outputs (.out) are checked in and embedded, so nothing needs a compiler.
// README.md says how to rebuild them.
package examples

import (
	_ "embed"
	"encoding/binary"

	"github.com/oneiros-zk/oneiros/plugins/svm/container"
	"github.com/oneiros-zk/oneiros/plugins/svm/output"
	"github.com/oneiros-zk/oneiros/plugins/svm/sbpf"
	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

// The example programs with their inputs and outputs (README.md).
var (
	//go:embed transfer.so
	transferSo []byte
	//go:embed transfer.in
	transferIn []byte
	//go:embed transfer.out
	transferOut []byte
	//go:embed counter.so
	counterSo []byte
	//go:embed counter.in
	counterIn []byte
	//go:embed counter.out
	counterOut []byte
)

// All returns the examples the plugin describes: two Solana programs built from C (c/)
// and a container of raw bytecode.
func All() []frontend.Example {
	// r0 = input * 6 + 1 (a little-endian u64 at 0x400000000), then exit.
	text := []sbpf.Insn{
		{Op: 0x79, Dst: 0, Src: 1}, // ldxdw r0, [r1]
		{Op: 0x27, Dst: 0, Imm: 6}, // mul64 r0, 6
		{Op: 0x07, Dst: 0, Imm: 1}, // add64 r0, 1
		{Op: 0x95},                 // exit
	}
	var code []byte
	for _, in := range text {
		code = in.Encode(code)
	}
	c := &container.Container{Text: code, TextVersion: 0}
	input := binary.LittleEndian.AppendUint64(nil, 7)
	return []frontend.Example{
		{Name: "transfer", FileName: "transfer.so", Source: transferSo, Input: transferIn, ExpectedOutput: transferOut},
		{Name: "counter", FileName: "counter.so", Source: counterSo, Input: counterIn, ExpectedOutput: counterOut},
		{Name: "mul-add", FileName: "mul-add.osvm", Source: c.Encode(), Input: input, ExpectedOutput: exitOutput(0, 4, 43)},
	}
}

// exitOutput is the output of a run that only exits: magic and exit record.
func exitOutput(status uint32, units, r0 uint64) []byte {
	out := binary.LittleEndian.AppendUint32(nil, output.Magic)
	out = binary.LittleEndian.AppendUint32(out, output.TagExit)
	out = binary.LittleEndian.AppendUint32(out, status)
	out = binary.LittleEndian.AppendUint64(out, units)
	return binary.LittleEndian.AppendUint64(out, r0)
}
