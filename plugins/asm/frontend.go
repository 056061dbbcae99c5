// Command oneiros-frontend-asm is the frontend plugin for the normalized assembly
// itself (ISA name "asm"): it assembles .s sources with core/isa's assembler and runs
// them on the reference executor, streaming the trace records to the host.
//
// It is also the worked example for third-party plugin authors: a frontend is a
// translator (here, the assembler) plus the executor the SDK provides, served with
// frontend.Serve. A real frontend (WebAssembly, EVM, sBPF) replaces Load's translation
// and adds its syscall hooks to Execute.
package main

import (
	"context"
	"fmt"
	"sync"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/sdk/envelope"
	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

// version is the plugin's version.
const version = "0.1.0"

type asm struct {
	frontend.UnimplementedFrontend
	mu       sync.Mutex
	programs map[string]*isa.Program // by handle (the program ID's hex)
}

func newASM() *asm { return &asm{programs: map[string]*isa.Program{}} }

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

func (a *asm) Describe(context.Context, frontend.DescribeRequest) (*frontend.Description, error) {
	return &frontend.Description{
		Name: "asm", Version: version, ISA: "asm", Extensions: []string{".s", ".asm"},
		Examples: []frontend.Example{{
			Name: "sum", FileName: "sum.s", Source: []byte(example),
			Input: []byte{1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0}, ExpectedOutput: []byte{6, 0, 0, 0},
		}},
	}, nil
}

func (a *asm) Load(_ context.Context, req frontend.LoadRequest) (*frontend.Program, error) {
	name := req.FileName
	if name == "" {
		name = "program.s"
	}
	p, err := isa.Assemble(name, req.Source)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", frontend.ErrInvalidInput, err)
	}
	src := envelope.SourceDigest(req.Source)
	p.Source = &src
	id := p.ID()
	a.mu.Lock()
	a.programs[id.String()] = p
	a.mu.Unlock()
	var img uint64
	for _, s := range p.Data {
		img += uint64(len(s.Bytes))
	}
	return &frontend.Program{
		Handle: []byte(id.String()), ProgramID: id.Bytes(), SourceDigest: src.Bytes(), Normalized: p.Encode(),
		Info: frontend.ProgramInfo{InstructionCount: uint64(len(p.Code)), SourceInstructionCount: uint64(len(p.Code)),
			MemoryImageBytes: img, EntryPC: uint64(p.Entry)},
	}, nil
}

func (a *asm) Execute(ctx context.Context, req frontend.ExecuteRequest, w frontend.TraceWriter) (*frontend.Result, error) {
	a.mu.Lock()
	p := a.programs[string(req.Handle)]
	a.mu.Unlock()
	if p == nil {
		return nil, fmt.Errorf("%w: no program loaded under handle %q", frontend.ErrInvalidInput, req.Handle)
	}
	return frontend.Run(ctx, p, req, w, nil)
}

func main() { frontend.Serve(newASM()) }
