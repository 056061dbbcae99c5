// Package plugin is the host's plugin manager: it finds plugin binaries,
// starts them as hashicorp/go-plugin subprocesses, checks who they are, and
// stands between the host and whatever they do wrong.
//
// Frontends (oneiros-frontend-<isa>) and backends (oneiros-backend-<kind>)
// are separate executables speaking the gRPC protocol of
// [github.com/oneiros-zk/oneiros/sdk/frontend] and
// [github.com/oneiros-zk/oneiros/sdk/backend]. This package adds the process
// management: discovery, launch, handshake and version checks, timeouts,
// crash and garbage detection, and error messages a user can act on.
//
// # Usage
//
//	opts := plugin.Options{Dirs: cfg.Plugins.Dirs, SHA256: cfg.Plugins.SHA256,
//		StartTimeout: 10 * time.Second, CallTimeout: 10 * time.Minute, Logger: logger}
//	bins, err := opts.Discover()                 // dirs, the executable's directory, ./bin; pins checked
//	bin, err := plugin.Find(bins, "stack")       // or plugin.BinaryAt(path)
//	p, err := plugin.Launch(ctx, bin, opts)      // start, handshake, Describe, version check
//	defer p.Close()
//	prog, err := p.Frontend.Load(ctx, frontend.LoadRequest{Source: src, FileName: name})
//	res, err := p.Frontend.Execute(ctx, frontend.ExecuteRequest{Handle: prog.Handle, Input: in}, sink)
//
// [Frontend] and [Backend] implement the SDK's interfaces, so code written
// against [frontend.Frontend] (the conformance kits, the pipeline) runs on a
// managed plugin unchanged.
//
// Every error is an [*Error] naming the binary and the operation, wrapping a
// sentinel for errors.Is:
//
//	ErrNotPlugin     garbage instead of a handshake, exit before it, no handshake in time, wrong service
//	ErrIncompatible  protocol major differs (both versions named)
//	ErrChecksum      SHA-256 pin mismatch (binary, expected and actual digests named)
//	ErrTimeout       no handshake within StartTimeout, no answer within CallTimeout
//	ErrCrashed       the process died during a call (exit status, last stderr lines)
//	ErrMalformed     oversized or out-of-order chunk, missing final result, bytes that are not protobuf
//	ErrClosed        a call on a plugin that was closed or killed before
//
// A plugin's own refusals (an invalid program, say) come through unchanged,
// matching the SDK's sentinels such as [frontend.ErrInvalidInput]; they do
// not cost the plugin its process. Timeouts and malformed data do: the
// process is killed at once and later calls fail with ErrClosed.
//
// # Processes
//
// Each plugin runs as the leader of a process group of its own (Unix), out of
// the terminal's foreground group: Ctrl-C reaches the host, which stops its
// plugins. Killing a plugin kills its group, so that a plugin that is a
// script, or forks helpers, leaves nothing behind. The host reads a plugin's
// stdout and stderr through pipes it owns and stops reading them shortly
// after the plugin's process exits, so a descendant that escaped the group and
// holds them cannot hang the host. [KillAll] kills every plugin still running,
// the host's last resort on a signal. A plugin exits by itself when its host
// dies (the SDK's Serve watches its parent).
//
// go-plugin's own log lines, and the plugins' stderr lines, reach
// Options.Logger at debug level only: a failure is reported once, as an
// [*Error] that carries the plugin's last stderr lines (go-plugin's JSON
// debug lines skipped).
//
// Versioning: the protocol major is go-plugin's handshake version, so a
// plugin of another major is refused before any call; Launch then checks the
// major that Describe reports, and accepts any minor (minors are additive).
//
// # Security
//
// A plugin runs with the host's privileges: the binaries in the plugin
// directories are code the user trusts. Pin them with Options.SHA256
// (plugins.sha256 in the configuration): the host hashes the file before it
// executes it and refuses a mismatch; [Options.Discover] refuses a pin for a
// plugin that is not there (a misspelt name would leave the real one unpinned). The hash and the exec are separate
// steps, so a writer of the plugin directory can still race them; keep the
// directories writable only by their owner. The connection is a local socket
// with mutual TLS (go-plugin's AutoMTLS, a fresh certificate pair per launch).
//
// Soundness does not depend on plugins: the host verifies every proof itself.
// What this package guarantees is availability and clear failure: a plugin
// cannot make the host panic (a panic at the boundary is recovered and the
// plugin killed), hang past the call timeout, or allocate without bound
// (messages are limited to 64 MiB and chunks to 1 MiB, both checked). Plugin
// stderr is logged, not parsed for anything but its last words.
//
// # Performance
//
// Starting a plugin costs a process start, a TLS handshake and a Describe:
// tens of milliseconds. Launch once per run, not per segment. Bulk data moves
// as gRPC streams of 1 MiB chunks. BenchmarkTransport measures the rate
// through real plugin processes. On 2 cores of an AMD EPYC shared with other
// work (load average about 3), 64 MiB moved at 450-520 MB/s as a trace
// (plugin to host, Execute) and 400-550 MB/s as records (host to plugin,
// ProveSegment); 1 MiB calls at 365 and 265-300 MB/s (a call costs about
// 0.7 ms on top of the bytes). AutoMTLS is a real part of that: turning it
// off raised the rate by 20-60 %. Keep the transport under 5 % of proving time
// (DESIGN.md §1): compare with `oneiros bench prove`, and overlap transfer
// with proving.
package plugin
