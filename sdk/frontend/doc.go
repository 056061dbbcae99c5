// Package frontend is the contract between the OneirOS host and an ISA
// frontend plugin, and the SDK for writing one.
//
// A frontend is a separate binary, named oneiros-frontend-<isa>, that the host
// starts as a hashicorp/go-plugin subprocess and talks to over gRPC (protocol
// version [ProtocolMajor].[ProtocolMinor], defined in
// proto/oneiros/plugin/v1/frontend.proto). It does three things:
//
//   - Describe: name, version, the ISA, the file extensions it accepts, its
//     capabilities, and example programs with their expected output;
//   - Load: turn program source bytes into a normalized program (DESIGN.md
//     §2) and keep it under an opaque handle;
//   - Execute: run a loaded program on a private input, streaming the
//     normalized trace records the core proves, and report the exit status,
//     public output and cycle count.
//
// The generated gRPC code is hidden; plugin authors implement [Frontend], a
// plain Go interface whose methods take a context and request structs, and
// hand it to [Serve]. The host uses [Client], which implements the same
// interface, through host/plugin.
//
// # Usage
//
// A plugin's main package:
//
//	type wasm struct {
//		frontend.UnimplementedFrontend // keeps the plugin compiling when methods are added
//		// ...
//	}
//
//	func (w *wasm) Describe(ctx context.Context, _ frontend.DescribeRequest) (*frontend.Description, error) {
//		return &frontend.Description{Name: "wasm", Version: "0.3.0", ISA: "wasm", Extensions: []string{".wasm"},
//			Examples: []frontend.Example{{Name: "add", FileName: "add.wasm", Source: addWasm, Input: in, ExpectedOutput: out}}}, nil
//	}
//
//	func (w *wasm) Load(ctx context.Context, req frontend.LoadRequest) (*frontend.Program, error) {
//		mod, err := decode(req.Source)
//		if err != nil {
//			return nil, fmt.Errorf("%w: %s: %v", frontend.ErrInvalidInput, req.FileName, err)
//		}
//		// ... translate, store under a handle ...
//	}
//
//	func (w *wasm) Execute(ctx context.Context, req frontend.ExecuteRequest, tw frontend.TraceWriter) (*frontend.Result, error) {
//		// ... for each executed instruction: tw.Write(record); now and then tw.Progress(cycles)
//		return &frontend.Result{Status: frontend.StatusHalted, PublicOutput: out, TotalCycles: n}, nil
//	}
//
//	func main() { frontend.Serve(&wasm{}) }
//
// Write to [TraceWriter] in whatever pieces are natural (one record at a
// time is fine): the SDK buffers and sends chunks of [MaxChunkSize], numbered
// in order. A run that traps or hits a [Limits] bound returns a [Result] with
// [StatusTrapped] or [StatusLimitExceeded]; errors are for runs that could
// not take place. Return errors that wrap [ErrInvalidInput] for bad programs
// and inputs: the host sees the same sentinel with errors.Is and the text
// unchanged. Anything the plugin writes to stderr reaches the host's log under
// the plugin's name (JSON lines from hclog keep their level).
//
// Test a plugin with the conformance kit, in process or against the built
// binary:
//
//	func TestConformance(t *testing.T) { frontendtest.TestInProcess(t, &wasm{}) }
//
// or `oneiros plugins check ./bin/oneiros-frontend-wasm`.
//
// # Security
//
// The host treats a frontend as untrusted for availability and well-formed
// data, not for soundness: whatever the frontend claims, the proof covers the
// normalized program (by program_id) and the trace is checked by the core's
// constraints. [Client] refuses malformed streams (oversized, empty or
// out-of-order chunks, a missing or repeated final result, output or cycles
// beyond the requested limits) with errors wrapping [ErrProtocol]; the host's
// plugin manager then kills the process. A panic inside a method is recovered
// by the SDK and returned as an error, so one bad program does not take the
// plugin down. Frontends must reject, never crash on, arbitrary source bytes:
// fuzz Load.
//
// The normalized program, digests and trace are not secret from the host.
// Private inputs travel to the plugin over go-plugin's connection, which the
// host runs with AutoMTLS on a local socket.
//
// # Performance
//
// The trace is the bulk of the traffic. It moves as a server stream of 1 MiB
// chunks: the SDK copies each byte once into a chunk buffer, gRPC once more to
// encode it, and the client once to decode it. BenchmarkTransport in
// host/plugin measures the end-to-end rate through a real plugin process; the
// budget is under 5 % of proving time (DESIGN.md §1). Progress messages are
// cheap but not free; send them every few million cycles, not per
// instruction.
package frontend
