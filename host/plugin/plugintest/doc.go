// Package plugintest builds the misbehaving and minimal plugins of
// host/plugin/testdata for the tests of host/plugin and host/cli, and the real plugins
// (any frontend or backend package, oneiros itself: [Binaries]) for the end-to-end tests
// of the host and of the plugin modules, with a configuration for quick test proofs
// ([FastConfig]).
//
// The fixtures, by file name:
//
//	oneiros-frontend-minimal             a well-behaved frontend for a made-up ISA ("toy")
//	oneiros-backend-minimal              a well-behaved backend (a CPU device, an unavailable CUDA one)
//	oneiros-frontend-crasher             dies in the middle of Execute
//	oneiros-frontend-hang                never answers Execute
//	oneiros-frontend-hang-start          never completes the handshake
//	oneiros-frontend-major2              speaks protocol major 2
//	oneiros-frontend-garbage             prints a greeting instead of a handshake
//	oneiros-frontend-malformed-oversize  sends a 2 MiB trace chunk
//	oneiros-frontend-malformed-order     numbers its chunks 0, 2
//	oneiros-frontend-malformed-noresult  ends the trace without a result
//	oneiros-frontend-malformed-notproto  sends bytes that are not protobuf
//	oneiros-backend-busy                 proves for ever, ignoring cancellation
//	oneiros-frontend-fork                a shell script whose child (no exec) holds its pipes
//	oneiros-frontend-fork-exit           the same script, exiting at once and leaving the child
//	oneiros-frontend-fork-escape         the same, its child leaving the process group (setsid)
//
// None of them proves anything; they exist to exercise the host.
//
// # Usage
//
//	func TestMain(m *testing.M) {
//		code := m.Run()
//		plugintest.Cleanup()
//		os.Exit(code)
//	}
//
//	func TestSomething(t *testing.T) {
//		path := plugintest.Path(t, "oneiros-frontend-crasher")
//		...
//	}
//
// [Dir] is the directory holding all of them, for discovery tests.
//
// [Mark], [Marked] and [NoneLeft] find the processes a test started, by an
// environment variable they inherit, to check that none outlives the test.
//
// # Security
//
// Test-only code: it runs `go build` on the repository's own sources.
//
// # Performance
//
// The first call builds all packages with one `go build` (about 7 s with a
// warm build cache on 2 cores, longer cold) and hard-links the names, so a
// test binary pays it once.
package plugintest
