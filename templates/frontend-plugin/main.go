// Command oneiros-frontend-stack is the template for a new ISA plugin: a complete,
// working frontend for "stack", a tiny stack machine (translate.go describes it).
// Copy this directory, rename the module and the binary, and replace translate with
// your machine's translator; keep the rest.
//
// A frontend has three jobs, the methods of frontend.Frontend:
//   - Describe: who it is, which ISA and file extensions, and examples with known output
//     that `oneiros plugins check` runs (the conformance kit, sdk/frontend/frontendtest);
//   - Load: translate a source program into a normalized program (core/isa's Builder);
//   - Execute: run it on the reference executor (core/exec) and stream its records
//     (core/trace's StreamWriter) — plus the syscall hooks of your machine, if any.
//
// Build it into a directory the host searches (./bin, next to oneiros, or
// plugins.dirs) as oneiros-frontend-<isa>; then `oneiros prove --isa <isa> prog`.
package main

import (
	"context"
	"fmt"
	"sync"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/sdk/envelope"
	"github.com/oneiros-zk/oneiros/sdk/frontend"
)

type stack struct {
	frontend.UnimplementedFrontend
	mu       sync.Mutex
	programs map[string]*isa.Program
}

const example = `# doubles the input word and adds 1
read
dup
add
push 1
add
print
push 0
halt
`

func (s *stack) Describe(context.Context, frontend.DescribeRequest) (*frontend.Description, error) {
	return &frontend.Description{Name: "stack", Version: "0.1.0", ISA: "stack", Extensions: []string{".stack"},
		Examples: []frontend.Example{{Name: "double", FileName: "double.stack", Source: []byte(example),
			Input: []byte{21, 0, 0, 0}, ExpectedOutput: []byte{43, 0, 0, 0}}}}, nil
}

func (s *stack) Load(_ context.Context, req frontend.LoadRequest) (*frontend.Program, error) {
	p, err := translate(req.Source)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", frontend.ErrInvalidInput, req.FileName, err)
	}
	src := envelope.SourceDigest(req.Source)
	p.Source = &src
	id := p.ID()
	s.mu.Lock()
	s.programs[id.String()] = p
	s.mu.Unlock()
	return &frontend.Program{Handle: []byte(id.String()), ProgramID: id.Bytes(), SourceDigest: src.Bytes(),
		Normalized: p.Encode(), Info: frontend.ProgramInfo{InstructionCount: uint64(len(p.Code)), EntryPC: uint64(p.Entry),
			SourceMap: p.SourceMap}}, nil
}

func (s *stack) Execute(ctx context.Context, req frontend.ExecuteRequest, w frontend.TraceWriter) (*frontend.Result, error) {
	s.mu.Lock()
	p := s.programs[string(req.Handle)]
	s.mu.Unlock()
	if p == nil {
		return nil, fmt.Errorf("%w: unknown handle %q", frontend.ErrInvalidInput, req.Handle)
	}
	return frontend.Run(ctx, p, req, w, nil)
}

func main() { frontend.Serve(&stack{programs: map[string]*isa.Program{}}) }
