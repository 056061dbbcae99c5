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
	"fmt"
	"strings"
	"sync"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/plugins/svm/compile"
	"github.com/oneiros-zk/oneiros/sdk/envelope"
	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

// version is the plugin's version.
const version = "0.1.0"

type svm struct {
	frontend.UnimplementedFrontend
	mu       sync.Mutex
	programs map[string]*isa.Program // by handle (the program ID's hex)
}

func newSVM() *svm { return &svm{programs: map[string]*isa.Program{}} }

func (s *svm) Describe(context.Context, frontend.DescribeRequest) (*frontend.Description, error) {
	return &frontend.Description{
		Name: "svm", Version: version, ISA: "svm", Extensions: []string{".so", ".osvm"},
		Capabilities: []string{"sbpf-v0", "sbpf-v1", "sbpf-v2", "sbpf-v3", "sbpf-v4", "solana-abi"},
		Examples:     examples(),
	}, nil
}

func (s *svm) Load(_ context.Context, req frontend.LoadRequest) (*frontend.Program, error) {
	res, err := compile.Compile(req.Source)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", frontend.ErrInvalidInput, req.FileName, err)
	}
	p := res.Program
	p.Name = req.FileName
	if len(p.Name) > isa.MaxNameLen {
		p.Name = p.Name[:isa.MaxNameLen]
	}
	p.Name = strings.ToValidUTF8(p.Name, "")
	src := envelope.SourceDigest(req.Source)
	p.Source = &src
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", frontend.ErrInvalidInput, req.FileName, err)
	}
	id := p.ID()
	s.mu.Lock()
	s.programs[id.String()] = p
	s.mu.Unlock()
	var img uint64
	for _, seg := range p.Data {
		img += uint64(len(seg.Bytes))
	}
	return &frontend.Program{
		Handle: []byte(id.String()), ProgramID: id.Bytes(), SourceDigest: src.Bytes(), Normalized: p.Encode(),
		Info: frontend.ProgramInfo{InstructionCount: uint64(len(p.Code)), SourceInstructionCount: uint64(res.Info.Instructions), SourceMap: p.SourceMap,
			MemoryImageBytes: img, EntryPC: uint64(p.Entry)},
	}, nil
}

func (s *svm) Execute(ctx context.Context, req frontend.ExecuteRequest, w frontend.TraceWriter) (*frontend.Result, error) {
	s.mu.Lock()
	p := s.programs[string(req.Handle)]
	s.mu.Unlock()
	if p == nil {
		return nil, fmt.Errorf("%w: no program loaded under handle %q", frontend.ErrInvalidInput, req.Handle)
	}
	return frontend.Run(ctx, p, req, w, nil)
}

func main() { frontend.Serve(newSVM()) }
