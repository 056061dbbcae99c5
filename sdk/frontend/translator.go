package frontend

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/oneiros-zk/oneiros/core/exec"
	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/sdk/envelope"
)

// Translator is the part of a frontend that is the author's: who it is, and how a
// source program becomes a normalized one. FromTranslator makes a Frontend of it, with
// the handles, digests, naming, validation, limits, errors and trace streaming that are
// the same for every ISA.
type Translator interface {
	// Describe says who the frontend is: name, version, ISA, extensions, capabilities
	// and examples (the conformance kit runs them).
	Describe() Description
	// Translate turns the source bytes into a normalized program (isa.Builder; its
	// SourceMap goes to the host). An error is the source's fault: it is returned to
	// the user wrapped in ErrInvalidInput with the file name, so say where (line,
	// offset, function). A panic is caught and reported the same way, as an internal
	// error, and the plugin keeps serving.
	Translate(src []byte, fileName string) (*Translation, error)
}

// Translation is a translated program and what only the translator knows of it.
type Translation struct {
	Program *isa.Program
	// SourceInstructions is the number of instructions of the source program (0 if the
	// notion does not apply): the host reports normalized instructions per source one.
	SourceInstructions uint64
	// Hooks are the syscall hooks (numbers ≥ 0x100) Execute serves for this program:
	// host state. A hook that answers through [a] only (exec.Call.SetA) is proven, its
	// answers bound by the claim's hook digest (core/chips/hook); one that also loads,
	// stores or attaches data runs but cannot be proven (docs/plugins.md).
	Hooks map[uint32]exec.Syscall
}

// FromTranslator returns the Frontend that serves t: Load translates, names the
// program after the file (unless the translation named it; cut to isa.MaxNameLen, valid
// UTF-8), records the source digest, validates the program and keeps it under a handle
// (its ID); Execute runs it with Run.
func FromTranslator(t Translator) Frontend {
	return &translated{t: t, programs: map[string]*Translation{}}
}

type translated struct {
	UnimplementedFrontend
	t        Translator
	mu       sync.Mutex
	programs map[string]*Translation // by handle: the program ID's hex
}

func (f *translated) Describe(context.Context, DescribeRequest) (*Description, error) {
	d := f.t.Describe()
	return &d, nil
}

func (f *translated) Load(_ context.Context, req LoadRequest) (res *Program, err error) {
	defer func() {
		if r := recover(); r != nil { // a translator bug must not take the plugin down
			res, err = nil, fmt.Errorf("%w: %s: internal error while translating: %v", ErrInvalidInput, req.FileName, r)
		}
	}()
	tr, err := f.t.Translate(req.Source, req.FileName)
	if err != nil {
		if req.FileName != "" && strings.HasPrefix(err.Error(), req.FileName+":") { // it names the file already
			return nil, fmt.Errorf("%w: %w", ErrInvalidInput, err)
		}
		return nil, fmt.Errorf("%w: %s: %w", ErrInvalidInput, req.FileName, err)
	}
	if tr == nil || tr.Program == nil {
		return nil, fmt.Errorf("%w: %s: the translator returned no program", ErrInvalidInput, req.FileName)
	}
	p := tr.Program
	if p.Name == "" {
		p.Name = req.FileName
	}
	if len(p.Name) > isa.MaxNameLen {
		p.Name = p.Name[:isa.MaxNameLen]
	}
	p.Name = strings.ToValidUTF8(p.Name, "")
	src := envelope.SourceDigest(req.Source)
	p.Source = &src
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %s: the translation is not a valid program: %w", ErrInvalidInput, req.FileName, err)
	}
	id := p.ID()
	f.mu.Lock()
	f.programs[id.String()] = tr
	f.mu.Unlock()
	var img uint64
	for _, s := range p.Data {
		img += uint64(len(s.Bytes))
	}
	return &Program{
		Handle: []byte(id.String()), ProgramID: id.Bytes(), SourceDigest: src.Bytes(), Normalized: p.Encode(),
		Info: ProgramInfo{InstructionCount: uint64(len(p.Code)), SourceInstructionCount: tr.SourceInstructions,
			MemoryImageBytes: img, EntryPC: uint64(p.Entry), SourceMap: p.SourceMap},
	}, nil
}

func (f *translated) Execute(ctx context.Context, req ExecuteRequest, w TraceWriter) (*Result, error) {
	f.mu.Lock()
	tr := f.programs[string(req.Handle)]
	f.mu.Unlock()
	if tr == nil {
		return nil, fmt.Errorf("%w: no program loaded under handle %q", ErrInvalidInput, req.Handle)
	}
	return Run(ctx, tr.Program, req, w, tr.Hooks)
}
