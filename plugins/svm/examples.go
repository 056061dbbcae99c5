package main

import (
	"encoding/binary"

	"github.com/oneiros-zk/oneiros/plugins/svm/container"
	"github.com/oneiros-zk/oneiros/plugins/svm/sbpf"
	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

// examples are programs with known output for the conformance kit.
func examples() []frontend.Example {
	// r0 = input[0] * 6 + 1 (little endian u64 at 0x400000000), then exit.
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
	return []frontend.Example{{Name: "mul-add", FileName: "mul-add.osvm", Source: c.Encode(), Input: input,
		ExpectedOutput: exitOutput(0, 4, 43)}}
}

// exitOutput is the output of a run that only exits: magic and exit record.
func exitOutput(status uint32, units, r0 uint64) []byte {
	out := binary.LittleEndian.AppendUint32(nil, 0x3156534f)
	out = binary.LittleEndian.AppendUint32(out, 0xf0)
	out = binary.LittleEndian.AppendUint32(out, status)
	out = binary.LittleEndian.AppendUint64(out, units)
	return binary.LittleEndian.AppendUint64(out, r0)
}
