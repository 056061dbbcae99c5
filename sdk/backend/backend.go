package backend

import (
	"context"
	"fmt"
	"io"

	"github.com/oneiros-zk/oneiros/proving/fri"
	"github.com/oneiros-zk/oneiros/sdk/internal/pluginv1"
)

// The protocol version this SDK speaks. A host refuses a plugin whose major
// differs from its own and accepts any minor.
const (
	ProtocolMajor = pluginv1.ProtocolMajor
	ProtocolMinor = pluginv1.ProtocolMinor
)

// MaxChunkSize bounds one chunk of a record or proof stream (1 MiB). The SDK
// cuts the streams itself; plugin authors never see chunks.
const MaxChunkSize = pluginv1.MaxChunkSize

// Errors that keep their identity across the process boundary: a plugin
// returns them (wrapped with detail), the host matches them with errors.Is.
var (
	// ErrInvalidInput: the request cannot be used (malformed records or
	// program, bad parameters, unknown device). Wrap it with the reason.
	ErrInvalidInput = pluginv1.ErrInvalidInput
	// ErrUnimplemented: the plugin does not implement the method.
	ErrUnimplemented = pluginv1.ErrUnimplemented
	// ErrProtocol: the peer broke the protocol (oversized or out-of-order
	// chunk, missing end marker or final message, size mismatch, ...).
	ErrProtocol = pluginv1.ErrProtocol
	// ErrUnavailable: the plugin's process cannot be reached any more.
	ErrUnavailable = pluginv1.ErrUnavailable
)

// Backend is what a proving backend implements and what the host calls.
// Every implementation embeds [UnimplementedBackend], so that methods added
// in a later minor version of the protocol do not break existing plugins.
//
// Methods may be called concurrently; a backend serializes what must be.
type Backend interface {
	// Describe says who the plugin is and which devices it has. The SDK
	// fills in the protocol version; what the implementation puts there is
	// ignored. A device that cannot be used is listed with Available false
	// and a Reason, never left out and never a panic.
	Describe(ctx context.Context, req DescribeRequest) (*Description, error)
	// ProveSegment proves one segment, reading its records from
	// req.Records until io.EOF. Records it cannot decode are an error
	// wrapping ErrInvalidInput.
	ProveSegment(ctx context.Context, req ProveRequest) (*Proof, error)
	// BenchKernels times the kernels on synthetic data.
	BenchKernels(ctx context.Context, req BenchRequest) ([]BenchRow, error)

	mustEmbedUnimplementedBackend()
}

// UnimplementedBackend answers every method with ErrUnimplemented. Embed it
// in every implementation of [Backend].
type UnimplementedBackend struct{}

func (UnimplementedBackend) Describe(context.Context, DescribeRequest) (*Description, error) {
	return nil, fmt.Errorf("Describe: %w", ErrUnimplemented)
}

func (UnimplementedBackend) ProveSegment(context.Context, ProveRequest) (*Proof, error) {
	return nil, fmt.Errorf("ProveSegment: %w", ErrUnimplemented)
}

func (UnimplementedBackend) BenchKernels(context.Context, BenchRequest) ([]BenchRow, error) {
	return nil, fmt.Errorf("BenchKernels: %w", ErrUnimplemented)
}

func (UnimplementedBackend) mustEmbedUnimplementedBackend() {}

// DescribeRequest asks a plugin to describe itself. Empty in protocol 1.0.
type DescribeRequest struct{}

// Description is what a backend says about itself.
type Description struct {
	Name          string // short lowercase name, e.g. "cpu"
	Version       string // version of the plugin
	ProtocolMajor int    // filled in by the SDK
	ProtocolMinor int    // filled in by the SDK
	Devices       []Device
}

// Device is one piece of hardware a backend can run kernels on.
type Device struct {
	Name        string   // what the user picks it by, e.g. "cpu", "cuda:0"
	Kind        string   // "cpu", "cuda", ...
	Available   bool     // usable now
	Reason      string   // why not, when not available
	Kernels     []string // kernels that run on it, e.g. "ntt", "merkle"
	MemoryBytes uint64   // 0 when unknown
}

// Params are the parameters of a proof: the engine's (fri.Params, the one type from the
// configuration to the envelope) and the workers the backend may use (0 lets it
// choose). Older backends do not see every engine parameter: ZK is protocol 1.1, the
// LogUp and DEEP grinding bits 1.2, ExtDegree and Hash 1.3 — check
// Description.ProtocolMinor before asking for a non-default value (the host does).
type Params struct {
	fri.Params
	Workers int
}

// ProveRequest says what to prove.
type ProveRequest struct {
	Params       Params
	Program      []byte // the normalized program, encoded by core/isa
	SegmentIndex uint64
	Boundary     []byte // boundary state, encoded by core/continuation
	Device       string // a Device.Name; empty lets the backend choose

	// Records are the segment's trace records. In a plugin, reading them
	// to io.EOF is part of the job: a proof returned before the end of the
	// records is refused. On the host, the Client reads them in chunks.
	Records io.Reader

	// Progress reports how far the proof is. In a plugin it is never nil
	// and is safe to call from several goroutines; on the host it may be
	// nil.
	Progress func(Progress)
}

// Progress says how far a proof is.
type Progress struct {
	Phase    string  // e.g. "trace", "commit", "quotient", "fri"
	Fraction float64 // of the whole proof, in [0, 1]
}

// Proof is a segment proof.
type Proof struct {
	Data         []byte             // the proof, encoded by proving/stark
	PhaseSeconds map[string]float64 // time per phase
}

// BenchRequest says which kernels to time and how.
type BenchRequest struct {
	LogSizes    []int  // log2 of the sizes to time at
	Columns     int    // columns of the synthetic matrices
	Repetitions int    // each row reports the best of these
	Device      string // a Device.Name; empty lets the backend choose
}

// BenchRow is one measurement.
type BenchRow struct {
	Kernel     string
	LogSize    int
	Seconds    float64
	Throughput float64
	Unit       string // of Throughput, e.g. "elems/s"
	Device     string
}
