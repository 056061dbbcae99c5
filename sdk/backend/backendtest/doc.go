// Package backendtest is the conformance kit for backend plugins: it checks
// that a [backend.Backend] keeps the contract, returning every failure at
// once, like testing/fstest.TestFS does for file systems.
//
// The kit checks that:
//
//   - Describe is well formed (short lowercase name, a version, at least one
//     device, uniquely named devices with a kind, every unavailable device
//     with a reason, every available one with kernels) and speaks this SDK's
//     protocol major;
//   - BenchKernels at a tiny size (2^4 rows, one column, one repetition) on
//     the first available device returns rows with a kernel name, the size
//     asked, finite non-negative seconds and throughput, and a unit; with no
//     available device it must refuse;
//   - ProveSegment with a nonsense program and garbage records (more than
//     one chunk), or with no records at all, is refused with an error
//     wrapping [backend.ErrInvalidInput], and the plugin keeps answering.
//
// # Usage
//
// In the plugin's own tests, in process (fast, no binary to build):
//
//	func TestConformance(t *testing.T) {
//		backendtest.TestInProcess(t, myBackend{})
//	}
//
// against the built binary, as the host starts it:
//
//	backendtest.TestBinary(t, "../../bin/oneiros-backend-mykind")
//
// or from the command line: `oneiros plugins check bin/oneiros-backend-mykind`.
// [Run] is the kit itself, for callers with their own client.
//
// # Security
//
// Passing the kit says the plugin is well behaved, not that its proofs are
// valid: the kit has no program or records to prove (their encodings belong
// to core/), and the host verifies every proof anyway. That proofs verify and
// are identical across backends is checked by proving/kernel's kerneltest
// and the end-to-end tests. The garbage check is one fixed input, no
// substitute for fuzzing the record decoder.
//
// # Performance
//
// The kit sends 1.5 MiB of records and times kernels at 16 rows: it takes
// milliseconds plus one plugin start against a real binary.
package backendtest
