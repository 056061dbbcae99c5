// Command oneiros-frontend-asm is the frontend plugin for the normalized assembly
// itself (ISA name "asm"): it assembles .s sources with core/isa's assembler and runs
// them on the reference executor, streaming the trace records to the host.
//
// It is also the worked example for third-party plugin authors: a frontend is a
// frontend.Translator (here, the assembler) that frontend.FromTranslator turns into a
// plugin, served with frontend.Serve. A real frontend (WebAssembly, EVM, sBPF) has a
// larger Translate.
package main

import (
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

// version is the plugin's version.
const version = "0.1.0"

// translator is the assembler: sdk/frontend does the rest.
type translator struct{}

func newASM() frontend.Frontend { return frontend.FromTranslator(translator{}) }

// example is a program with a known output, for the conformance kit.
const example = `; Sums the input's u32 words and writes the sum.
.fp 0x1000
main:   mov   [8], 0
loop:   ecall input_len, [12]
        beq   [12], 0, done
        ecall read, [16]
        add   [8], [8], [16]
        jmp   loop
done:   ecall write, [8], 4
        halt  0
`

func (translator) Describe() frontend.Description {
	return frontend.Description{
		Name: "asm", Version: version, ISA: "asm", Extensions: []string{".s", ".asm"},
		Examples: []frontend.Example{{
			Name: "sum", FileName: "sum.s", Source: []byte(example),
			Input: []byte{1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0}, ExpectedOutput: []byte{6, 0, 0, 0},
		}},
	}
}

func (translator) Translate(src []byte, name string) (*frontend.Translation, error) {
	if name == "" {
		name = "program.s"
	}
	p, err := isa.Assemble(name, src)
	if err != nil {
		return nil, err
	}
	// The source's instructions are the normalized ones.
	return &frontend.Translation{Program: p, SourceInstructions: uint64(len(p.Code))}, nil
}

func main() { frontend.Serve(newASM()) }
