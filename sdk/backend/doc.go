// Package backend is the contract between the OneirOS host and a proving
// backend plugin, and the SDK for writing one.
//
// A backend is a separate binary, named oneiros-backend-<kind> (cpu, cuda,
// ...), that the host starts as a hashicorp/go-plugin subprocess and talks to
// over gRPC (protocol version [ProtocolMajor].[ProtocolMinor], defined in
// proto/oneiros/plugin/v1/backend.proto). It does three things:
//
//   - Describe: name, version and every device it knows, with its
//     availability, the reason when unavailable (for example "not compiled
//     with CUDA support"), and the kernels that run on it;
//   - ProveSegment: prove one segment of a run from the normalized program,
//     the engine parameters, the segment's boundary and its trace records;
//   - BenchKernels: time its kernels on synthetic data for `oneiros bench`.
//
// The generated gRPC code is hidden; plugin authors implement [Backend], a
// plain Go interface whose methods take a context and request structs, and
// hand it to [Serve]. The host uses [Client], which implements the same
// interface, through host/plugin.
//
// # Usage
//
// A plugin's main package:
//
//	type cpu struct{ backend.UnimplementedBackend }
//
//	func (cpu) Describe(ctx context.Context, _ backend.DescribeRequest) (*backend.Description, error) {
//		return &backend.Description{Name: "cpu", Version: "0.1.0", Devices: []backend.Device{
//			{Name: "cpu", Kind: "cpu", Available: true, Kernels: []string{"ntt", "merkle", "fri_fold"}},
//		}}, nil
//	}
//
//	func (cpu) ProveSegment(ctx context.Context, req backend.ProveRequest) (*backend.Proof, error) {
//		recs, err := trace.Decode(req.Records) // read to io.EOF
//		if err != nil {
//			return nil, fmt.Errorf("%w: segment %d: %v", backend.ErrInvalidInput, req.SegmentIndex, err)
//		}
//		req.Progress(backend.Progress{Phase: "commit", Fraction: 0.2})
//		// ...
//		return &backend.Proof{Data: proof, PhaseSeconds: times}, nil
//	}
//
//	func main() { backend.Serve(cpu{}) }
//
// ProveRequest.Records is an io.Reader over the record chunks the host
// streams; read it to io.EOF (the SDK refuses a proof returned before the end
// of the records, and reports a truncated or reordered stream as an error
// wrapping [ErrInvalidInput] whatever the implementation made of it). Return
// the whole proof in [Proof]; the SDK sends it in chunks of [MaxChunkSize]
// and the host's [Client] reassembles and size-checks it. ProveRequest.Progress
// is safe to call from any goroutine.
//
// A device that cannot be used is reported, not hidden: a binary built
// without the cuda tag lists its CUDA device with Available false and a
// Reason, and returns an error wrapping [ErrInvalidInput] when asked to use
// it. It never panics.
//
// Test a plugin with the conformance kit, in process or against the built
// binary:
//
//	func TestConformance(t *testing.T) { backendtest.TestInProcess(t, cpu{}) }
//
// or `oneiros plugins check ./bin/oneiros-backend-cpu`.
//
// # Security
//
// Soundness never rests on a backend: the host verifies every segment proof
// with the pure-Go verifier before using it, so a buggy or hostile backend can
// waste time but cannot make the host accept a false claim. What the host
// does guard against is a backend that crashes, hangs or sends garbage:
// [Client] refuses malformed streams with errors wrapping [ErrProtocol] (chunk
// too large or out of order, proof size not as announced, a missing or
// repeated final message), gRPC refuses messages above 64 MiB, and the host's
// plugin manager kills the process. A panic inside a method is recovered by
// the SDK and returned as an error. Backends must reject, never crash on,
// malformed records: fuzz the record decoder.
//
// # Performance
//
// Records flow host → plugin and proofs plugin → host, both in 1 MiB chunks
// over one bidirectional stream; the client sends from its own goroutine while
// it receives, so progress messages are never held up behind records. Each
// byte is copied once into a chunk buffer and once by gRPC on each side.
// BenchmarkTransport in host/plugin measures the rate through a real plugin
// process; the budget is under 5 % of proving time (DESIGN.md §1).
package backend
