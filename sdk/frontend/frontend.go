package frontend

import (
	"context"
	"fmt"

	"github.com/oneiros-zk/oneiros/core/isa"
	"github.com/oneiros-zk/oneiros/sdk/internal/pluginv1"
)

// The protocol version this SDK speaks. A host refuses a plugin whose major
// differs from its own and accepts any minor.
const (
	ProtocolMajor = pluginv1.ProtocolMajor
	ProtocolMinor = pluginv1.ProtocolMinor
)

// MaxChunkSize bounds one chunk of a trace stream (1 MiB). [TraceWriter]
// cuts the stream itself; plugin authors never see chunks.
const MaxChunkSize = pluginv1.MaxChunkSize

// Errors that keep their identity across the process boundary: a plugin
// returns them (wrapped with detail), the host matches them with errors.Is.
var (
	// ErrInvalidInput: the program or input cannot be used (unparsable
	// source, unknown handle, malformed input). Wrap it with the reason.
	ErrInvalidInput = pluginv1.ErrInvalidInput
	// ErrUnimplemented: the plugin does not implement the method.
	ErrUnimplemented = pluginv1.ErrUnimplemented
	// ErrProtocol: the peer broke the protocol (host side: the plugin sent
	// an oversized or out-of-order chunk, no final result, ...).
	ErrProtocol = pluginv1.ErrProtocol
	// ErrUnavailable: the plugin's process cannot be reached any more.
	ErrUnavailable = pluginv1.ErrUnavailable
)

// Frontend is what an ISA plugin implements and what the host calls. Every
// implementation embeds [UnimplementedFrontend], so that methods added in a
// later minor version of the protocol do not break existing plugins.
//
// Methods may be called concurrently; a plugin serializes what must be.
type Frontend interface {
	// Describe says who the plugin is. The SDK fills in the protocol
	// version; what the implementation puts there is ignored.
	Describe(ctx context.Context, req DescribeRequest) (*Description, error)
	// Load parses and normalizes a program and keeps it for Execute. A
	// source the frontend cannot use is an error wrapping ErrInvalidInput.
	Load(ctx context.Context, req LoadRequest) (*Program, error)
	// Execute runs a loaded program, writing its normalized trace records
	// to w as it goes, and returns how the run ended. A run that traps or
	// hits a limit is a Result, not an error; errors are for runs that
	// could not happen (unknown handle, malformed input, cancelled ctx).
	Execute(ctx context.Context, req ExecuteRequest, w TraceWriter) (*Result, error)
	// ConformanceCases (protocol 1.4, optional) reads the ISA's external
	// conformance suite from a directory and emits its runs; see [Conformer]. A
	// frontend without a suite returns ErrUnimplemented.
	ConformanceCases(ctx context.Context, req ConformanceRequest, emit func(*ConformanceRun) error) error
	// ConformanceJudge (protocol 1.4, optional) judges one run's outcome.
	ConformanceJudge(ctx context.Context, req JudgeRequest) (*Verdict, error)

	mustEmbedUnimplementedFrontend()
}

// UnimplementedFrontend answers every method with ErrUnimplemented. Embed it
// in every implementation of [Frontend].
type UnimplementedFrontend struct{}

func (UnimplementedFrontend) Describe(context.Context, DescribeRequest) (*Description, error) {
	return nil, fmt.Errorf("Describe: %w", ErrUnimplemented)
}

func (UnimplementedFrontend) Load(context.Context, LoadRequest) (*Program, error) {
	return nil, fmt.Errorf("Load: %w", ErrUnimplemented)
}

func (UnimplementedFrontend) Execute(context.Context, ExecuteRequest, TraceWriter) (*Result, error) {
	return nil, fmt.Errorf("Execute: %w", ErrUnimplemented)
}

func (UnimplementedFrontend) ConformanceCases(context.Context, ConformanceRequest, func(*ConformanceRun) error) error {
	return fmt.Errorf("ConformanceCases: %w", ErrUnimplemented)
}

func (UnimplementedFrontend) ConformanceJudge(context.Context, JudgeRequest) (*Verdict, error) {
	return nil, fmt.Errorf("ConformanceJudge: %w", ErrUnimplemented)
}

func (UnimplementedFrontend) mustEmbedUnimplementedFrontend() {}

// DescribeRequest asks a plugin to describe itself. Empty in protocol 1.0.
type DescribeRequest struct{}

// Description is what a frontend says about itself.
type Description struct {
	Name          string    // short lowercase name, e.g. "wasm"
	Version       string    // version of the plugin
	ProtocolMajor int       // filled in by the SDK
	ProtocolMinor int       // filled in by the SDK
	ISA           string    // the ISA translated, e.g. "wasm"
	Extensions    []string  // accepted file extensions, with the dot
	Capabilities  []string  // optional features, free-form words
	Examples      []Example // programs with known output, for conformance kits
}

// Example is a program with its input and the public output it must produce.
type Example struct {
	Name           string
	FileName       string
	Source         []byte
	Input          []byte
	ExpectedOutput []byte
}

// LoadRequest carries a program source.
type LoadRequest struct {
	Source   []byte // program bytes as the user gave them
	FileName string // a hint for the format; never opened
}

// Program is a loaded, normalized program.
type Program struct {
	Handle       []byte // names the program in ExecuteRequest; opaque
	ProgramID    []byte // digest of the normalized program
	SourceDigest []byte // digest of the source bytes
	Normalized   []byte // the normalized program, encoded by core/isa
	Info         ProgramInfo
}

// ProgramInfo holds static figures of a normalized program.
type ProgramInfo struct {
	InstructionCount       uint64
	SourceInstructionCount uint64
	MemoryImageBytes       uint64
	EntryPC                uint64
	// SourceMap attributes the normalized instructions to source instructions or
	// opcode groups (isa.Builder.SourceLabel builds it) for cycle profiles; nil if the
	// frontend has none. Protocol 1.3; the host validates it against the program.
	SourceMap *isa.SourceMap
}

// ExecuteRequest names a loaded program and its input.
type ExecuteRequest struct {
	Handle []byte
	Input  []byte
	Limits Limits
}

// Limits bound one execution; zero means no limit from the host.
type Limits struct {
	MaxCycles      uint64
	MaxMemoryBytes uint64
	MaxOutputBytes uint64
}

// ExitStatus says how a run ended.
type ExitStatus int

// The exit statuses. The zero value is not a valid status.
const (
	StatusHalted        ExitStatus = 1 // halted by itself with an exit code
	StatusTrapped       ExitStatus = 2 // trapped; TrapReason says why
	StatusLimitExceeded ExitStatus = 3 // a limit stopped it; TrapReason names it
)

func (s ExitStatus) String() string {
	switch s {
	case StatusHalted:
		return "halted"
	case StatusTrapped:
		return "trapped"
	case StatusLimitExceeded:
		return "limit exceeded"
	}
	return fmt.Sprintf("ExitStatus(%d)", int(s))
}

func (s ExitStatus) valid() bool { return s >= StatusHalted && s <= StatusLimitExceeded }

// Result is how a run ended.
type Result struct {
	Status       ExitStatus
	ExitCode     int64
	TrapReason   string
	PublicOutput []byte
	TotalCycles  uint64
}

// TraceWriter receives the normalized trace of a run.
//
// In a plugin, the SDK's TraceWriter buffers what Write gets and sends it in
// chunks of MaxChunkSize; Write does not retain p. Its errors mean the host
// is gone or cancelled the call: stop and return the error.
//
// On the host, [Client.Execute] hands each received chunk to the caller's
// TraceWriter in order; the slice is the caller's to keep.
type TraceWriter interface {
	// Write appends record bytes to the trace.
	Write(p []byte) (int, error)
	// Progress reports the cycles executed so far, for people watching.
	Progress(cycles uint64) error
}
