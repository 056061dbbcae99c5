// Package frontendtest is the conformance kit for frontend plugins: it
// checks that a [frontend.Frontend] keeps the contract, returning every
// failure at once, like testing/fstest.TestFS does for file systems.
//
// The kit checks that:
//
//   - Describe is well formed (short lowercase name and ISA, a version,
//     extensions of the form .ext, uniquely named examples) and speaks this
//     SDK's protocol major;
//   - empty and garbage sources are refused with an error wrapping
//     [frontend.ErrInvalidInput] and the plugin keeps answering (frontends
//     declaring [CapabilityAnyBytes] must instead load them and run them to a
//     result);
//   - Execute on an unknown handle is refused the same way;
//   - each example program of Describe loads (twice, to the same program_id
//     and normalized program), executes to a halt with the expected public
//     output, leaves a trace streamed in well-formed chunks with increasing
//     sequence numbers and non-decreasing progress, runs deterministically
//     (same trace digest, cycles and output twice), and stops with "limit
//     exceeded", within bounds, when max_cycles or max_output_bytes is below
//     what the full run needs.
//
// # Usage
//
// In the plugin's own tests, in process (fast, no binary to build):
//
//	func TestConformance(t *testing.T) {
//		frontendtest.TestInProcess(t, &myFrontend{})
//	}
//
// against the built binary, as the host starts it:
//
//	frontendtest.TestBinary(t, "../../bin/oneiros-frontend-myisa")
//
// or from the command line: `oneiros plugins check bin/oneiros-frontend-myisa`.
// [Run] is the kit itself, for callers with their own client.
//
// The examples are the heart of the kit: list a few small programs in
// Describe that together exercise each instruction class, syscalls and
// precompiles, with their expected output.
//
// # Security
//
// Passing the kit says the plugin is well behaved, not that it is correct:
// soundness comes from the core's constraints and the verifier, whatever a
// frontend does. The garbage check is one fixed input, no substitute for
// fuzzing Load (`go test -fuzz`).
//
// # Performance
//
// The kit loads each example twice and executes it up to four times (in
// full, again for determinism, and under each limit); keep examples small
// (well under a second each). A run of the kit against a real binary costs about
// one plugin start (tens of milliseconds) on top of that.
package frontendtest
